"""Tracing end to end: `watermark serve` with OTEL_EXPORTER_OTLP_ENDPOINT pointing at a local OTLP/HTTP
receiver (this file's, http/json). A task created by a request that carries a W3C `traceparent` is one
trace: the request's server span continues the caller's span, its database statements are spans under
it, and the worker's span of the task and of each stage join the same trace through the trace context the
task keeps. Log lines written inside a span carry its trace id. Needs `swift build` first (scripts/test
runs it)."""
from __future__ import annotations

import base64
import json
import os
import pathlib
import secrets
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "watermark"
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from service_http import call, free_port  # noqa: E402


def png(width: int, height: int) -> bytes:
    """An RGB gradient PNG (no imaging library needed)."""
    rows = b"".join(b"\x00" + bytes((x * 255 // width, y * 255 // height, 128) [c] for x in range(width) for c in range(3))
                    for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Receiver:
    """An OTLP/HTTP receiver (JSON encoding) that keeps every span it is sent."""

    def __init__(self):
        self.spans: list[dict] = []
        self.requests = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.requests += 1
                if self.path == "/v1/traces":
                    for resource in json.loads(body).get("resourceSpans", []):
                        service = {a["key"]: a["value"].get("stringValue") for a in resource.get("resource", {}).get("attributes", [])}
                        for scope in resource.get("scopeSpans", []):
                            for span in scope.get("spans", []):
                                span["service"] = service.get("service.name")
                                receiver.spans.append(span)
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def hex_id(value: str | None) -> str:
    """An OTLP id as hex, whether the exporter wrote it as hex or (protobuf JSON's bytes) base64."""
    if not value:
        return ""
    if all(c in "0123456789abcdefABCDEF" for c in value) and len(value) in (16, 32):
        return value.lower()
    return base64.b64decode(value).hex()


def test_a_task_is_one_trace_from_the_request_to_its_last_stage():
    receiver = Receiver()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as directory:
        log_path = pathlib.Path(directory) / "serve.log"
        environment = dict(os.environ, PORT=str(port), WORKER_CONCURRENCY="1", LOG_LEVEL="info", LOG_FORMAT="json",
                           OTEL_EXPORTER_OTLP_ENDPOINT=f"http://127.0.0.1:{receiver.port}",
                           OTEL_EXPORTER_OTLP_PROTOCOL="http/json", OTEL_BSP_SCHEDULE_DELAY="200")
        environment.pop("DATABASE_URL", None)
        with open(log_path, "w") as log:
            process = subprocess.Popen([str(BINARY), "serve"], cwd=directory, env=environment, stdout=subprocess.DEVNULL, stderr=log)
        try:
            deadline = time.time() + 120
            while True:
                try:
                    if call(base, "GET", "/v1/system/health")[0] == 200:
                        break
                except OSError:
                    pass
                assert process.poll() is None and time.time() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.2)

            status, session = call(base, "POST", "/v1/auth/register",
                                   {"email": "trace@example.com", "password": "tracing-password-1", "displayName": "Trace"}, key="register-trace")
            assert status == 201, session
            token = session["data"]["tokens"]["accessToken"]
            image = png(96, 64)
            status, policy = call(base, "POST", "/v1/assets/upload-policy",
                                  {"fileName": "trace.png", "contentType": "image/png", "sizeBytes": len(image)}, token=token, key="policy-trace")
            assert status == 201, policy
            upload = urllib.request.Request(policy["data"]["uploadUrl"], data=image, method="PUT", headers={"Content-Type": "image/png"})
            urllib.request.urlopen(upload, timeout=60).read()

            trace, caller = secrets.token_hex(16), secrets.token_hex(8)
            mask = {"polygons": [{"points": [{"x": 800, "y": 400}, {"x": 1100, "y": 400}, {"x": 1100, "y": 600}, {"x": 800, "y": 600}]}]}
            status, created = call(base, "POST", "/v1/tasks", {"assetId": policy["data"]["assetId"], "mediaType": "IMAGE", "mask": mask},
                                   token=token, key="task-trace", headers={"traceparent": f"00-{trace}-{caller}-01"})
            assert status == 201, created
            task = created["data"]["id"]
            deadline = time.time() + 120
            while True:
                status, state = call(base, "GET", f"/v1/tasks/{task}", token=token)
                if state["data"]["status"] in ("SUCCEEDED", "FAILED"):
                    break
                assert time.time() < deadline, state
                time.sleep(0.2)
            assert state["data"]["status"] == "SUCCEEDED", state
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
        logs = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]

    spans = [dict(span, traceId=hex_id(span.get("traceId")), spanId=hex_id(span.get("spanId")),
                  parentSpanId=hex_id(span.get("parentSpanId"))) for span in receiver.spans]
    traced = [span for span in spans if span["traceId"] == trace]
    by_id = {span["spanId"]: span for span in traced}
    names = sorted(span["name"] for span in traced)

    # The request's span continues the caller's.
    requests = [span for span in traced if span["parentSpanId"] == caller]
    assert len(requests) == 1, names
    request = requests[0]
    assert request["name"] == "/v1/tasks" and request.get("kind") in (2, "SPAN_KIND_SERVER"), request
    assert request["service"] == "watermark"

    def ancestors(span):
        chain = []
        while span["parentSpanId"] in by_id:
            span = by_id[span["parentSpanId"]]
            chain.append(span["name"])
        return chain

    # Its database statements are spans under it, named after the named query, with their SQL.
    creates = [span for span in traced if span["name"] == "CreateTaskWithHold"]
    assert len(creates) == 1 and creates[0]["parentSpanId"] == request["spanId"], names
    attributes = {a["key"]: a["value"].get("stringValue") for a in creates[0].get("attributes", [])}
    assert attributes.get("db.system.name") == "postgresql" and "INSERT INTO tasks" in attributes.get("db.query.text", "")

    # The worker's span of the task continues the request's trace; each stage is a span under it,
    # with the stage's statements (its move through the state machine) under the stage.
    workers = [span for span in traced if span["name"] == "task"]
    assert len(workers) == 1 and workers[0]["parentSpanId"] == request["spanId"], names
    stages = {span["name"]: span for span in traced if span["parentSpanId"] == workers[0]["spanId"]}
    for stage in ("PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING"):
        assert stage in stages, names
    moves = [span for span in traced if span["name"] == "MoveTask"]
    assert {ancestors(move)[0] for move in moves} >= {"DETECTING", "INPAINTING", "PACKAGING"}, [ancestors(m) for m in moves]

    # A request without a traceparent starts a trace of its own.
    polls = [span for span in spans if span["name"] == "/v1/tasks/{taskId}"]
    assert polls and all(span["traceId"] != trace and not span["parentSpanId"] for span in polls)

    # Log lines written inside the spans carry the trace id: the request's access line and the worker's.
    access = [line for line in logs if line.get("message") == "request" and line.get("route") == "/v1/tasks" and line.get("method") == "POST"]
    assert access and access[0].get("trace_id") == trace, access
    succeeded = [line for line in logs if line.get("message") == "task succeeded"]
    assert succeeded and succeeded[0].get("trace_id") == trace, succeeded
