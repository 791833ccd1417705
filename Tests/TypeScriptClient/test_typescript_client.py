"""The generated TypeScript client (Sources/WatermarkWeb/app/client): `tsc --noEmit` on code written against its
declarations (consumer.ts), and Node's test runner driving it against a `watermark serve` process
(client.test.mjs): validation equal to the server's, typed errors, token renewal, retries, events, a task's
whole life. Needs `swift build` first, Node 18+ and Debian's node-typescript (.ci/run installs it)."""
from __future__ import annotations

import json
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


CORPUS = ROOT.parent / "shared" / "corpus" / "openapi"


@pytest.mark.parametrize("document", ["oai-v3.0-petstore-expanded.yaml", "oai-v3.1-webhook-example.yaml", "twilio_conversations_v1.yaml"])
def test_third_party_documents_give_a_client_that_loads_and_type_checks(tmp_path, document):
    """Other teams' documents (the shared corpus, generated leniently): the client loads as ES modules in Node and
    its declarations pass `tsc --strict`."""
    source = CORPUS / document
    if not source.exists():
        pytest.fail(f"{source} is missing: the shared corpus sits beside the project")
    output = tmp_path / "client"
    generated = subprocess.run([str(ROOT / ".build" / "debug" / "contractgen"), "generate", "--contracts", str(source), "--output", str(output),
                                "--emit", "typescript", "--lenient"], capture_output=True, text=True, timeout=300)
    assert generated.returncode == 0, generated.stderr[-2000:]
    loaded = subprocess.run(["node", "-e", f"import({json.dumps(str(output / 'index.js'))}).then(m => console.log(Object.keys(m.operations).length))"],
                            capture_output=True, text=True, timeout=60)
    assert loaded.returncode == 0, loaded.stderr
    declarations = sorted(str(path) for path in output.glob("*.d.ts"))
    checked = subprocess.run(["tsc", "--strict", "--noEmit", "--target", "ES2022", "--module", "ES2022", "--moduleResolution", "node",
                              "--lib", "ES2022,DOM,DOM.Iterable", *declarations], capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout[-3000:]
