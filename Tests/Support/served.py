"""`watermark serve` on a database of its own, for the Python end-to-end tests that drive a running service
(Tests/Submit, Tests/TypeScriptClient): the throw-away PostgreSQL cluster of Tests/Contracts, the service on a
free port with one worker, and a photo-like PNG to upload. Needs `swift build` first (scripts/test runs it)."""
from __future__ import annotations

import contextlib
import importlib.util
import os
import pathlib
import shutil
import signal
import struct
import subprocess
import tempfile
import time
import zlib

from service_http import call, free_port

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "watermark"

_spec = importlib.util.spec_from_file_location("contracts_cluster", ROOT / "Tests" / "Contracts" / "conftest.py")
contracts_cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contracts_cluster)


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


@contextlib.contextmanager
def running_service(name: str, environment: dict[str, str] | None = None):
    """Yields (base URL, working directory) of a `watermark serve` on database `name` (with `environment` added to
    its environment); stops both afterwards."""
    if not BINARY.exists():
        raise AssertionError(f"{BINARY} is missing: run `swift build` first")
    cluster = contracts_cluster.Cluster()
    directory = pathlib.Path(tempfile.mkdtemp(prefix=f"{name}-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = None
    try:
        cluster.create_database(name)
        environment = {**os.environ, "DATABASE_URL": f"postgres://postgres@localhost:5432/{name}?host={cluster.root}", "PORT": str(port),
                       "PUBLIC_URL": base, "WORKER_CONCURRENCY": "1", "WORKER_POLL_MS": "200", "LOG_LEVEL": "warning", **(environment or {})}
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
