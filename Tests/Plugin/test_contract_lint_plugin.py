"""`swift package contract-lint` from a package that depends on this one, as another team would use it.

A fixture package is written under .build-lint-plugin/ (Package.swift depending on this repository by path,
no targets, a contracts/ directory); SwiftPM builds contractgen for it (a few minutes the first time) and runs the
command plugin. The failing contract of Tests/Fixtures/Lint must fail with its findings printed against the
package's own paths; the passing one must lint clean.
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests" / "Fixtures" / "Lint"
WORK = ROOT / ".build-lint-plugin"
PACKAGE = WORK / "package"


def write_package(contracts: str) -> None:
    shutil.rmtree(PACKAGE, ignore_errors=True)
    PACKAGE.mkdir(parents=True)
    (PACKAGE / "Package.swift").write_text(f"""// swift-tools-version:6.2
import PackageDescription
let package = Package(
    name: "notes",
    dependencies: [.package(name: "watermark", path: "{ROOT}")],
    targets: []
)
""")
    shutil.copytree(FIXTURES / contracts, PACKAGE / "contracts")


def contract_lint(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["swift", "package", "--package-path", str(PACKAGE), "--scratch-path", str(WORK / "scratch"), "contract-lint", *arguments],
        capture_output=True, text=True, timeout=1800)


def test_failing_contracts_fail_with_their_findings():
    write_package("failing")
    result = contract_lint()
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "contracts/openapi.yaml:12:7: warning: operationId 'list_notes' is not camelCase [operation-id-case]" in output, output
    assert "contracts/openapi.yaml:27:40: error: the example at /0/title is longer than 3 characters [example-valid]" in output, output
    assert "contracts/schemas.yaml:12:7: warning: components/schemas/Orphan of contracts/schemas.yaml is never referenced [unused-component]" in output, output
    assert "error: contract-lint failed (contractgen lint exited with 1)" in output, output


def test_formats_and_configuration_pass_through():
    write_package("failing")
    (PACKAGE / "contracts" / "contractlint.yaml").write_text("rules:\n  example-valid: off\n")
    result = contract_lint("--format", "github")
    output = result.stdout + result.stderr
    assert "::error file=contracts/openapi.yaml,line=46,col=5,title=path-query::" in output, output
    assert "example-valid" not in output, "the configuration beside the contracts turns the rule off"


def test_passing_contracts_lint_clean():
    write_package("passing")
    result = contract_lint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout


def test_a_package_without_contracts_is_told_so():
    write_package("passing")
    shutil.rmtree(PACKAGE / "contracts")
    result = contract_lint()
    assert result.returncode != 0
    assert "no contracts to lint" in result.stdout + result.stderr
