"""What the Python end-to-end tests (Tests/Instances, Tests/Tracing) share to talk to a running `watermark serve`:
a free local port and one JSON call that returns (status, body) for success and refusal alike."""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base: str, method: str, path: str, body=None, token=None, key=None, headers=None, device="python-test", timeout=60):
    """`method path` on the service at `base` (http://host:port) with a JSON `body`, a bearer `token` and an
    `Idempotency-Key` when given; the status and the decoded JSON answer (an empty object when it has none)."""
    sent = {"X-Device-Id": device, **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        sent["Content-Type"] = "application/json"
    if token:
        sent["Authorization"] = f"Bearer {token}"
    if key:
        sent["Idempotency-Key"] = key
    request = urllib.request.Request(base + path, data=data, method=method, headers=sent)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")
