"""`watermark login` and `watermark submit` — the generated Swift client as a user with a folder of images
uses it — against a `watermark serve` process on its own PostgreSQL database: upload, task, live progress
from the event stream, download; a second run continues the same task instead of creating another; refusals
and a missing session end with their exit codes. Needs `swift build` first (scripts/test runs it)."""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from served import BINARY, png, running_service  # noqa: E402
from service_http import call  # noqa: E402

PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def service():
    with running_service("submit") as (base, directory):
        status, answer = call(base, "POST", "/v1/auth/register", {"email": "submit@example.com", "password": PASSWORD, "displayName": "Submitter"},
                              key="submit-register")
        assert status == 201, answer
        yield base, directory


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
