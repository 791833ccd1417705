"""Drift that must fail the build, one test per row of README's drift table.

Each test copies the fixture contract, changes one thing, regenerates with contractgen and compiles
the generated code together with the hand-written fixture handlers (Tests/GeneratedAPITests/
FixtureHandlers.swift) as the `DriftFixture` target of the outside package (Tests/Support/widgets_package.py,
under .build-outside/). The unchanged contract must compile (the control); every change must fail, with the
compiler or generator message that names the drift.

Needs .build/debug/contractgen (scripts/test builds it first). The first build of the package compiles
Hummingbird and the runtime (a few minutes); each case after that recompiles one target.
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
import widgets_package as package  # noqa: E402

CONTRACTGEN = package.CONTRACTGEN
WORK = package.WORK


def build(mutate=None) -> subprocess.CompletedProcess:
    """Generates the (mutated) fixture contract with the handlers into the scratch target and builds it."""
    contracts = WORK / "contracts"
    shutil.rmtree(contracts, ignore_errors=True)
    shutil.copytree(package.CONTRACTS, contracts)
    if mutate:
        mutate(contracts)
    generated = package.generate_into(package.DRIFT_TARGET, contracts)
    if generated.returncode != 0:
        return generated
    return package.swift("build", "--target", "DriftFixture")


def edit(relative: str, old: str, new: str):
    def mutate(contracts: pathlib.Path) -> None:
        path = contracts / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the mutation does not apply: {old!r} is not in {relative}"
        path.write_text(text.replace(old, new, 1))
    return mutate


@pytest.fixture(scope="module", autouse=True)
def scratch_package():
    if not CONTRACTGEN.exists():
        pytest.fail(f"{CONTRACTGEN} is missing: run `swift build` first (scripts/test does)")
    package.write()


def test_the_unchanged_contract_compiles_with_the_handlers():
    result = build()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def expect_failure(result: subprocess.CompletedProcess, *needles: str) -> None:
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the drift compiled"
    for needle in needles:
        assert needle in output, f"{needle!r} not in the build output:\n{output[-4000:]}"


def test_a_renamed_field_fails():
    expect_failure(build(edit("api/widgets.yaml", "required: [name, color]\n      properties:\n        name:", "required: [title, color]\n      properties:\n        title:")),
                   "error: value of type 'CreateWidgetRequest' has no member 'name'")


def test_a_renamed_operation_fails():
    expect_failure(build(edit("api/widgets.yaml", "operationId: getWidget", "operationId: fetchWidget")),
                   "error: type 'FixtureWidgets' does not conform to protocol 'WidgetsAPI'")


def test_a_renamed_parameter_fails():
    # (Renaming `limit` is caught earlier, by the analysis stage: a cursor page must take `limit`.)
    expect_failure(build(edit("api/widgets.yaml", "- name: color\n", "- name: colour\n")),
                   "has no member 'color'")


def test_a_renamed_enum_case_fails():
    expect_failure(build(edit("api/openapi.yaml", "enum: [UP, DEGRADED]", "enum: [HEALTHY, DEGRADED]")),
                   "has no member 'up'")


def test_a_removed_declared_error_fails():
    expect_failure(build(edit("api/widgets.yaml", "        '409': {$ref: './openapi.yaml#/components/responses/Conflict'}\n", "")),
                   "has no member 'conflict'")


def test_an_error_code_missing_from_the_catalog_fails_in_the_generator():
    expect_failure(build(edit("api/openapi.yaml", "x-error-codes: [40901]", "x-error-codes: [40999]")),
                   "contracts/api/widgets.yaml:", "error: createWidget declares error code 40999, which is not in the error catalog")


def test_a_broken_reference_fails_in_the_generator():
    expect_failure(build(edit("api/widgets.yaml", "schema: {$ref: '#/components/schemas/WidgetResponse'}", "schema: {$ref: '#/components/schemas/WidgetResponses'}")),
                   "contracts/api/widgets.yaml:", "error:", "[ref-resolves]")


def test_an_unknown_type_fails_in_the_generator_as_lint_reports_it():
    # generate and lint run one analysis stage: the build fails with the line lint prints.
    result = build(edit("api/widgets.yaml", "name: {type: string", "name: {type: strnig"))
    expect_failure(result, "contracts/api/widgets.yaml:", "error: type names an unknown type 'strnig' [schema-keywords]")
    linted = subprocess.run([str(CONTRACTGEN), "lint", str(WORK / "contracts")], capture_output=True, text=True)
    assert linted.returncode == 1
    line = next(l for l in linted.stdout.splitlines() if "[schema-keywords]" in l)
    assert line in result.stderr, f"{line!r} not in generate's output:\n{result.stderr[-3000:]}"
