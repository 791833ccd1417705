"""Schemathesis hooks for `scripts/schemathesis`: who the requests are made as, and what a page
cursor looks like. Nothing here filters cases or relaxes a check.

Authentication: every operation runs as one fixture user (an administrator, through
ADMIN_EMAILS) with a bearer token from `/v1/auth/login`, except the two operations that end the
caller's sessions (`logout`, `requestAccountDeletion`): each of their requests gets a new user,
so they run for real without signing the fixture user out for the rest of the run.

Test data: before the run the fixture user uploads a small PNG and the free plan's quota is raised
(as the administrator), and positive `createTask` cases name that asset, so the stateful phase
follows the contract's links from a real task to reading, masking, cancelling, retrying and
deleting it. Schemathesis cannot upload the bytes itself: the upload URL is signed.

Media: the fixture asset is an image, so positive `createTask` cases that name it say IMAGE, and positive
masks (there and on `upsertTaskMask`, whose tasks are made from it) give shapes for the whole image: time ranges
are for videos (42207 otherwise), a rule across resources the schema cannot state. For the same reason a positive
upload policy for an image declares at most an image's 25 MiB (`sizeBytes` is bounded in the schema by a video's
2 GiB). No video fixture: the hook would need FFmpeg to make one.

Cursors: a list's `cursor` is opaque to clients and only the cursors a list hands out are valid
(any other is 40001). A random string matching the contract's pattern is therefore not "valid
data"; for positive cases the hook writes a well-formed cursor of that list's kind (the encoding
of `KeysetCursor` and of the plan list) so the request tests the list, not the cursor check.
Negative cases keep whatever Schemathesis generated.
"""

import base64
import json
import os
import struct
import threading
import time
import urllib.request
import uuid
import zlib

import schemathesis

BASE_URL = os.environ["WATERMARK_URL"]
FIXTURE_EMAIL = os.environ["WATERMARK_FIXTURE_EMAIL"]
PASSWORD = "correct-horse-battery-staple"
SESSION_ENDING = {"logout", "requestAccountDeletion"}


def _call(method, url, body=None, headers=None, raw=None):
    headers = dict(headers or {})
    if body is not None:
        raw = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if method == "POST":
        headers["Idempotency-Key"] = f"schemathesis-{uuid.uuid4()}"
    request = urllib.request.Request(url if url.startswith("http") else BASE_URL + url, data=raw, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["data"]


def _post(path, body):
    return _call("POST", path, body)


def _register(email):
    return _post("/v1/auth/register", {"email": email, "password": PASSWORD, "displayName": "Schemathesis"})["tokens"]["accessToken"]


def _login(email):
    return _post("/v1/auth/login", {"email": email, "password": PASSWORD})["tokens"]["accessToken"]


def _png(width=64, height=48):
    """A small RGB gradient as PNG bytes."""
    rows = b"".join(b"\x00" + bytes(v for x in range(width) for v in (4 * x % 256, 5 * y % 256, 128)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _provision():
    """The fixture's uploaded asset id, after raising the free plan's quota."""
    auth = {"Authorization": f"Bearer {_login(FIXTURE_EMAIL)}"}
    plans = _call("GET", "/v1/admin/plans?limit=100", headers=auth)["items"]
    free = next(plan for plan in plans if plan["code"] == "free")
    _call("PATCH", "/v1/admin/plans/free", {"quotaPerPeriod": 10_000_000}, headers={**auth, "If-Match": f'"{free["version"]}"'})
    image = _png()
    policy = _call("POST", "/v1/assets/upload-policy",
                   {"fileName": "schemathesis.png", "contentType": "image/png", "sizeBytes": len(image)}, headers=auth)
    _call("PUT", policy["uploadUrl"], raw=image, headers=policy["headers"])
    return policy["assetId"]


FIXTURE_ASSET = _provision()


@schemathesis.auth(refresh_interval=None)
class FixtureUser:
    """The fixture user's token (renewed every 5 minutes), or a new user's for session-ending operations."""

    lock = threading.Lock()
    token = None
    issued = 0.0

    def get(self, case, ctx):
        if case.operation.definition.raw.get("operationId") in SESSION_ENDING:
            return _register(f"throwaway-{uuid.uuid4().hex[:12]}@example.com")
        with self.lock:
            if FixtureUser.token is None or time.monotonic() - FixtureUser.issued > 300:
                FixtureUser.token = _login(FIXTURE_EMAIL)
                FixtureUser.issued = time.monotonic()
            return FixtureUser.token

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


def _base64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _keyset(*values):
    """`KeysetCursor`'s text: each value as `<UTF-8 length>:<value>`, in base64url."""
    return _base64url(b"".join(str(len(v.encode())).encode() + b":" + v.encode() for v in values))


def _cursor(operation_id, seed):
    digest = uuid.uuid5(uuid.NAMESPACE_URL, seed)
    if operation_id == "adminSearchAuditLogs":
        return _keyset(str(digest.int % 10**9))
    if operation_id == "listPlans":
        return _base64url(("plan_" + digest.hex[:8]).encode())
    if operation_id == "adminListPlans":
        return _keyset("plan_" + digest.hex[:8])
    # (createdAt in microseconds since 1970, id): tasks, endpoints, deliveries, admin lists.
    return _keyset(str(1_700_000_000_000_000 + digest.int % 10**15), str(digest))


IMAGE_LIMIT = 25 * 1024 * 1024


def _whole_image(mask):
    """`mask` as an image takes it: time ranges (videos only) become the first range's shapes for the whole image."""
    ranges = mask.get("timeRanges")
    if not isinstance(ranges, list):
        return mask
    whole = {key: value for key, value in mask.items() if key != "timeRanges"}
    if "polygons" not in whole and "strokes" not in whole and ranges and isinstance(ranges[0], dict):
        whole.update({key: ranges[0][key] for key in ("polygons", "strokes") if key in ranges[0]})
    return whole


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    positive = case.meta is not None and not case.meta.generation.mode.is_negative
    operation_id = case.operation.definition.raw.get("operationId")
    if positive and operation_id == "createTask" and isinstance(case.body, dict):
        case.body["assetId"] = FIXTURE_ASSET
        case.body["mediaType"] = "IMAGE"
        if isinstance(case.body.get("mask"), dict):
            case.body["mask"] = _whole_image(case.body["mask"])
    if positive and operation_id == "upsertTaskMask" and isinstance(case.body, dict):
        case.body = _whole_image(case.body)
    if positive and operation_id == "createUploadPolicy" and isinstance(case.body, dict):
        size, kind = case.body.get("sizeBytes"), case.body.get("contentType")
        if isinstance(size, int) and isinstance(kind, str) and kind.startswith("image/") and size > IMAGE_LIMIT:
            case.body["sizeBytes"] = size % IMAGE_LIMIT + 1
    query = case.query or {}
    cursor = query.get("cursor")
    if positive and isinstance(cursor, str):
        query["cursor"] = _cursor(operation_id, cursor)
