#!/usr/bin/env python3
"""The overload benchmark: a burst of concurrent task creations against `watermark serve`.

Each run starts a fresh `watermark serve` (embedded PostgreSQL, default settings unless given with
--env), signs up USERS users on the pro plan (mock checkout) with one uploaded PNG each, then
releases REQUESTS `POST /v1/tasks` at once on separate connections: the first 2*PAIRS share an
`Idempotency-Key` in pairs, the rest have their own. It reports the answers per status and code,
connection resets, P50/P95 latency and creates per second, then checks what the service stored
through the API: every key answered 201 maps to exactly one task (a pair answers with the same
task), each user's task list holds exactly the tasks its successful keys made, and the usage ledger
(`/v1/usage/me`) holds exactly one unit for each (workers are off unless --env says otherwise, so
no task is settled meanwhile). A 5xx other than 503/50301 with Retry-After, a reset, or a
broken invariant makes the run fail.

    swift build --product watermark
    python3 benchmarks/burst.py --runs 10                       # default settings
    python3 benchmarks/burst.py --runs 3 --env DATABASE_QUEUE_LIMIT=100   # a small queue: shedding
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import pathlib
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
# A 1x1 grey PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c6368000000820081 77cd72b60000000049454e44ae426082".replace(" ", ""))


def call(base: str, method: str, path: str, body=None, token=None, key=None, raw=None, content_type="application/json"):
    headers = {"X-Device-Id": "burst"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = content_type
    if raw is not None:
        data = raw
        headers["Content-Type"] = content_type
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if key:
        headers["Idempotency-Key"] = key
    url = path if path.startswith("http") else base + path
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        text = response.read()
        return json.loads(text) if text else {}


def setup_users(base: str, users: int, run: str):
    made = []
    for index in range(users):
        email = f"burst-{run}-{index}@example.com"
        session = call(base, "POST", "/v1/auth/register", {"email": email, "password": "burst-password-1", "displayName": f"Burst {index}"},
                       key=f"{run}-register-{index}")["data"]
        token = session["tokens"]["accessToken"]
        checkout = call(base, "POST", "/v1/subscriptions/checkout", {"planCode": "pro_month"}, token=token, key=f"{run}-checkout-{index}")["data"]
        call(base, "POST", "/v1/subscriptions/mock-confirm", {"paymentId": checkout["paymentId"]}, token=token, key=f"{run}-confirm-{index}")
        policy = call(base, "POST", "/v1/assets/upload-policy", {"fileName": "burst.png", "contentType": "image/png", "sizeBytes": len(PNG)},
                      token=token, key=f"{run}-policy-{index}")["data"]
        upload = urllib.request.Request(policy["uploadUrl"], data=PNG, method="PUT", headers={"Content-Type": "image/png"})
        urllib.request.urlopen(upload, timeout=60).read()
        made.append((token, policy["assetId"]))
    return made


async def one_request(port: int, token: str, asset: str, key: str, start: asyncio.Event):
    body = json.dumps({"assetId": asset, "mediaType": "IMAGE", "autoDetect": True}).encode()
    head = (f"POST /v1/tasks HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\n"
            f"Idempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError as error:
        return {"key": key, "status": None, "error": f"connect: {error}", "seconds": 0.0}
    await start.wait()
    began = time.monotonic()
    try:
        writer.write(head + body)
        await writer.drain()
        data = await reader.read()
    except (ConnectionResetError, BrokenPipeError, OSError) as error:
        return {"key": key, "status": None, "error": f"reset: {error}", "seconds": time.monotonic() - began}
    finally:
        writer.close()
    seconds = time.monotonic() - began
    if not data:
        return {"key": key, "status": None, "error": "closed without an answer", "seconds": seconds}
    header, _, payload = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {line.split(":", 1)[0].lower(): line.split(":", 1)[1].strip() for line in lines[1:] if ":" in line}
    if headers.get("transfer-encoding") == "chunked":
        chunks, rest = [], payload
        while rest:
            size_text, _, rest = rest.partition(b"\r\n")
            size = int(size_text, 16)
            if size == 0:
                break
            chunks.append(rest[:size])
            rest = rest[size + 2:]
        payload = b"".join(chunks)
    try:
        document = json.loads(payload)
    except ValueError:
        document = {}
    return {"key": key, "status": status, "code": document.get("code"), "task": (document.get("data") or {}).get("id"),
            "retry_after": headers.get("retry-after"), "seconds": seconds}


async def burst(port: int, users, requests: int, pairs: int, run: str):
    start = asyncio.Event()
    jobs = []
    for index in range(requests):
        if index < 2 * pairs:
            pair = index // 2
            user = pair % len(users)
            key = f"{run}-pair-{pair}"
        else:
            user = index % len(users)
            key = f"{run}-single-{index}"
        token, asset = users[user]
        jobs.append((user, key, asyncio.create_task(one_request(port, token, asset, key, start))))
    await asyncio.sleep(0.5)  # every connection open
    began = time.monotonic()
    start.set()
    results = []
    for user, key, job in jobs:
        result = await job
        result["user"] = user
        results.append(result)
    return results, time.monotonic() - began


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))] if ordered else float("nan")


def check(base: str, users, results) -> list[str]:
    problems = []
    by_key: dict[str, set] = {}
    for result in results:
        if result["status"] in (200, 201):
            by_key.setdefault(result["key"], set()).add(result["task"])
    for key, tasks in by_key.items():
        if len(tasks) != 1:
            problems.append(f"key {key} answered with {len(tasks)} different tasks")
    for index, (token, _) in enumerate(users):
        expected = {next(iter(tasks)) for key, tasks in by_key.items() if any(r["key"] == key and r["user"] == index for r in results)}
        listed, cursor = set(), None
        while True:
            page = call(base, "GET", "/v1/tasks?limit=100" + (f"&cursor={cursor}" if cursor else ""), token=token)["data"]
            listed |= {item["id"] for item in page["items"]}
            cursor = page.get("nextCursor")
            if not cursor:
                break
        if listed != expected:
            problems.append(f"user {index}: {len(listed)} tasks stored, {len(expected)} created ({len(listed - expected)} unexpected, {len(expected - listed)} missing)")
        usage = call(base, "GET", "/v1/usage/me", token=token)["data"]
        if usage["held"] + usage["used"] != len(expected):
            problems.append(f"user {index}: the ledger holds {usage['held']} and counts {usage['used']} used, {len(expected)} tasks were created")
    return problems


def run_once(args, number: int) -> dict:
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="burst-"))
    environment = dict(os.environ)
    # No workers by default: the burst measures the API, and every created task then still holds
    # its unit in the ledger (a worker would fail these 1x1 images' tasks and release them).
    environment["WORKER_CONCURRENCY"] = "0"
    environment.update(dict(item.split("=", 1) for item in args.env))
    environment["PORT"] = str(args.port)
    environment["LOG_LEVEL"] = "error"
    server = subprocess.Popen([str(args.binary), "serve"], cwd=scratch, env=environment, stdout=subprocess.DEVNULL,
                              stderr=open(scratch / "serve.log", "w"), start_new_session=True)
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                call(base, "GET", "/v1/system/health")
                break
            except Exception:
                if server.poll() is not None or time.time() > deadline:
                    raise SystemExit(f"serve did not start: {(scratch / 'serve.log').read_text()[-2000:]}")
                time.sleep(0.3)
        run = uuid.uuid4().hex[:8]
        users = setup_users(base, args.users, run)
        results, seconds = asyncio.run(burst(args.port, users, args.requests, args.pairs, run))
        counts: dict[str, int] = {}
        for result in results:
            label = f"{result['status']}/{result.get('code')}" if result["status"] else result["error"].split(":")[0]
            counts[label] = counts.get(label, 0) + 1
        answered = [r for r in results if r["status"]]
        bad = [r for r in results if r["status"] is None or (r["status"] >= 500 and not (r["status"] == 503 and r.get("code") == 50301 and r.get("retry_after")))]
        created = len({r["task"] for r in answered if r["status"] in (200, 201)})
        problems = check(base, users, results)
        return {
            "run": number, "counts": dict(sorted(counts.items())), "5xx": sum(1 for r in answered if r["status"] >= 500),
            "500": sum(1 for r in answered if r["status"] == 500), "resets": sum(1 for r in results if r["status"] is None),
            "p50": percentile([r["seconds"] for r in answered], 0.5), "p95": percentile([r["seconds"] for r in answered], 0.95),
            "seconds": seconds, "tasks": created, "creates_per_second": created / seconds if seconds else 0.0,
            "invariants": problems, "ok": not bad and not problems,
        }
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(scratch, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / ".build/debug/watermark")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--pairs", type=int, default=250)
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for serve (repeatable)")
    args = parser.parse_args()
    outcomes = []
    for number in range(1, args.runs + 1):
        outcome = run_once(args, number)
        outcomes.append(outcome)
        print(json.dumps(outcome), flush=True)
    clean = sum(1 for outcome in outcomes if outcome["ok"] and outcome["5xx"] == 0)
    print(f"\n{clean} of {len(outcomes)} runs without any 5xx, reset or broken invariant; "
          f"P95 {statistics.median(o['p95'] for o in outcomes):.2f} s (median of runs), "
          f"{statistics.median(o['creates_per_second'] for o in outcomes):.0f} creates/s (median); settings: {' '.join(args.env) or 'defaults'}")
    return 0 if all(outcome["ok"] for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
