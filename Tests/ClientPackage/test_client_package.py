"""The generated Swift client as another team adopts it: a package outside this repository
(Tests/Support/widgets_package.py, sources in Tests/Fixtures/WidgetsPackage) depends on it by path, lets the
ContractGen plugin generate a server and a client from the same contract on every build, and its own test calls
the server through the client over HTTP (typed results, declared errors as typed failures, requests that break the
contract refused before sending, an expired token renewed once). The package must build without a warning of its
own. Needs .build/debug/contractgen (scripts/test builds it first); the first build compiles the dependencies
(a few minutes), shared with Tests/Drift."""
from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
import widgets_package as package  # noqa: E402


def test_the_generated_client_calls_the_generated_server_from_another_package():
    package.write()
    built = package.swift("build", "--build-tests")
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-4000:]
    own_warnings = [line for line in output.splitlines()
                    if "warning:" in line and str(package.SCRATCH / "checkouts") not in line and "distributed-tracing" not in line]
    assert not own_warnings, "\n".join(own_warnings)

    tested = package.swift("test", "--skip-build", "--filter", "WidgetsClientTests")
    output = tested.stdout + tested.stderr
    assert tested.returncode == 0, output[-4000:]
    assert "Test run with 4 tests in 1 suite passed" in output, output[-4000:]
