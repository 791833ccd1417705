"""The generated TypeScript client (Generated/TypeScriptClient): `tsc --noEmit` on code written against its
declarations (consumer.ts), and Node's test runner driving it against a `watermark serve` process
(client.test.mjs): validation equal to the server's, typed errors, token renewal, retries, events, a task's
whole life. Needs `swift build` first, Node 18+ and Debian's node-typescript (.ci/run installs it)."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from served import png, running_service  # noqa: E402


def test_code_using_the_client_type_checks():
    if shutil.which("tsc") is None:
        pytest.fail("tsc is missing: install Debian's node-typescript (.ci/run does)")
    checked = subprocess.run(["tsc", "-p", str(HERE / "tsconfig.json")], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_client_against_a_running_service(tmp_path):
    if shutil.which("node") is None:
        pytest.fail("node is missing: install Debian's nodejs (.ci/run does)")
    photo = tmp_path / "holiday.png"
    photo.write_bytes(png(320, 180))
    with running_service("typescript_client") as (base, _):
        ran = subprocess.run(["node", "--test", str(HERE / "client.test.mjs")], capture_output=True, text=True, timeout=600,
                             env=dict(os.environ, BASE_URL=base, PHOTO=str(photo)))
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-2000:]
    assert "# fail 0" in ran.stdout and "# pass 8" in ran.stdout, ran.stdout[-3000:]
