"""`watermark login` and `watermark submit` — the generated Swift client as a user with a folder of images
uses it — against a `watermark serve` process on its own PostgreSQL database: upload, task, live progress
from the event stream, download; a second run continues the same task instead of creating another; refusals
and a missing session end with their exit codes. Needs `swift build` first (scripts/test runs it)."""
from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "watermark"
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from service_http import call, free_port  # noqa: E402

_spec = importlib.util.spec_from_file_location("contracts_cluster", ROOT / "Tests" / "Contracts" / "conftest.py")
contracts_cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contracts_cluster)

PASSWORD = "correct-horse-battery"


def png(width: int, height: int) -> bytes:
    """A grey photo-like gradient with a white bar where the mask is."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            value = 255 if (height // 2 - 6 <= y < height // 2 + 6 and width // 4 <= x < 3 * width // 4) else (x * 3 + y * 2) % 200
            row += bytes([value, value, value])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows))) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def service():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build` first")
    cluster = contracts_cluster.Cluster()
    directory = pathlib.Path(tempfile.mkdtemp(prefix="submit-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = None
    try:
        cluster.create_database("submit")
        environment = dict(os.environ, DATABASE_URL=f"postgres://postgres@localhost:5432/submit?host={cluster.root}", PORT=str(port),
                           PUBLIC_URL=base, WORKER_CONCURRENCY="1", WORKER_POLL_MS="200", LOG_LEVEL="warning")
        log = directory / "serve.log"
        process = subprocess.Popen([str(BINARY), "serve"], cwd=directory, env=environment, stdout=subprocess.DEVNULL, stderr=open(log, "w"))
        deadline = time.time() + 120
        while True:
            try:
                if call(base, "GET", "/v1/system/health", timeout=10)[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.time() > deadline:
                raise AssertionError(f"serve did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        status, answer = call(base, "POST", "/v1/auth/register", {"email": "submit@example.com", "password": PASSWORD, "displayName": "Submitter"},
                              key="submit-register")
        assert status == 201, answer
        yield base, directory
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def watermark(*arguments: str, stdin: str = "", timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run([str(BINARY), *arguments], input=stdin, capture_output=True, text=True, timeout=timeout)


def test_login_submit_and_a_second_run_that_creates_nothing_new(service):
    base, directory = service
    tokens = directory / "tokens.json"
    signed_in = watermark("login", "--server", base, "--email", "submit@example.com", "--token-file", str(tokens), stdin=PASSWORD + "\n")
    assert signed_in.returncode == 0, signed_in.stderr
    assert set(json.loads(tokens.read_text())) == {"accessToken", "refreshToken"}
    assert oct(tokens.stat().st_mode & 0o777) == "0o600"

    photos = directory / "photos"
    photos.mkdir()
    image = photos / "holiday.png"
    image.write_bytes(png(320, 180))
    mask = directory / "mask.json"
    # The white bar, in the 1920×1080 canvas the API takes masks in.
    mask.write_text(json.dumps({"polygons": [{"points": [{"x": 460, "y": 490}, {"x": 1460, "y": 490}, {"x": 1460, "y": 590}, {"x": 460, "y": 590}]}]}))
    out = directory / "clean"

    first = watermark("submit", "--server", base, "--token-file", str(tokens), "--mask", str(mask), "-o", str(out), str(image))
    assert first.returncode == 0, first.stderr
    result = out / "holiday.clean.png"
    assert first.stdout.strip() == str(result)
    assert result.read_bytes().startswith(b"\x89PNG") and result.read_bytes() != image.read_bytes()
    assert "SUCCEEDED" in first.stderr and "holiday.png: done" in first.stderr, first.stderr

    access = json.loads(tokens.read_text())["accessToken"]
    status, page = call(base, "GET", "/v1/tasks", token=access)
    assert status == 200 and len(page["data"]["items"]) == 1, page

    # Run again (as after an interruption): the same asset and task, the result written again.
    result.unlink()
    again = watermark("submit", "--server", base, "--token-file", str(tokens), "--mask", str(mask), "-o", str(out), str(image))
    assert again.returncode == 0, again.stderr
    assert result.exists()
    status, page = call(base, "GET", "/v1/tasks", token=access)
    assert status == 200 and len(page["data"]["items"]) == 1, "a second run must not create a second task"


def test_refusals_and_a_missing_session_have_their_exit_codes(service):
    base, directory = service
    tokens = directory / "tokens-refusals.json"
    assert watermark("login", "--server", base, "--email", "submit@example.com", "--token-file", str(tokens), stdin=PASSWORD + "\n").returncode == 0
    not_an_image = directory / "notes.png"
    not_an_image.write_text("<img src=x onerror=alert(1)>")
    refused = watermark("submit", "--server", base, "--token-file", str(tokens), "--auto", "-o", str(directory / "out2"), str(not_an_image))
    assert refused.returncode == 3 and "not a PNG, JPEG or WebP image" in refused.stderr, refused.stderr

    missing = watermark("submit", "--server", base, "--token-file", str(directory / "none.json"), "--auto", "-o", str(directory / "out3"),
                        str(not_an_image))
    assert missing.returncode == 5 and "watermark login" in missing.stderr, missing.stderr

    wrong = watermark("login", "--server", base, "--email", "submit@example.com", "--token-file", str(directory / "x.json"), stdin="wrong-password\n")
    assert wrong.returncode == 5 and not (directory / "x.json").exists(), wrong.stderr

    both = watermark("submit", "--server", base, "--auto", "--mask", "m.json", "-o", "x", "y.png")
    assert both.returncode == 64 and "either --mask FILE or --auto" in both.stderr, both.stderr
