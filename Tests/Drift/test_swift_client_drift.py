"""Drift that must break code written against the generated Swift client: a renamed field, a removed operation
and a removed enum case each make the build of `ClientConsumer` fail (the rows of README's drift table marked
"Swift client"). The consumer (Tests/Fixtures/WidgetsPackage/Sources/ClientConsumer) lives in the package outside
this repository (Tests/Support/widgets_package.py), whose `WidgetsClient` target the ContractGen plugin generates
from the package's own copy of the fixture contract: each case changes that copy and builds, as a team would
after pulling a contract change. The unchanged contract must build (the control).
Needs .build/debug/contractgen (scripts/test builds it first)."""
from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
import widgets_package as package  # noqa: E402


@pytest.fixture(autouse=True)
def unchanged_package():
    package.write()


def build_consumer(relative: str = "", old: str = "", new: str = "") -> subprocess.CompletedProcess:
    if relative:
        path = package.PACKAGE / "contracts" / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the change does not apply: {old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return package.swift("build", "--target", "ClientConsumer")


def expect_failure(result: subprocess.CompletedProcess, needle: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the drift compiled"
    assert needle in output, f"{needle!r} not in the build output:\n{output[-4000:]}"


def test_the_unchanged_contract_builds_with_the_consumer():
    result = build_consumer()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_a_renamed_field_fails():
    expect_failure(build_consumer("api/widgets.yaml", "required: [name, color]\n      properties:\n        name:",
                                  "required: [title, color]\n      properties:\n        title:"),
                   "error: missing argument for parameter 'title' in call")


def test_a_removed_operation_fails():
    expect_failure(build_consumer("api/widgets.yaml", "operationId: getWidget", "operationId: fetchWidget"),
                   "error: value of type 'APIClient' has no member 'getWidget'")


def test_a_removed_enum_case_fails():
    expect_failure(build_consumer("api/openapi.yaml", "enum: [UP, DEGRADED]", "enum: [DEGRADED]"),
                   "has no member 'up'")
