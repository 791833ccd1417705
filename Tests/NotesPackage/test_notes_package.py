"""A second domain built with contractgen as another team would: the reading-notes service
(Tests/Fixtures/ReadingNotes: its own OpenAPI contract, error catalog, migrations and named queries) in the package
outside this repository (Tests/Support/widgets_package.py), depending on this one only through the ContractGen plugin
and the runtime products. The plugin generates its API, database layer and client on every build; its hand-written
handlers serve books, notes and highlights over an embedded PostgreSQL 15 with row-level security; its own tests
call it through the generated client. Its targets must build without a warning. Needs .build/debug/contractgen
(scripts/test builds it first) and PostgreSQL 15's binaries; shares the compiled dependencies with Tests/ClientPackage."""
from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
import widgets_package as package  # noqa: E402

NOTES_SOURCES = str(package.PACKAGE / "ReadingNotes")


def test_the_reading_notes_contracts_lint_clean():
    linted = subprocess.run([str(package.CONTRACTGEN), "lint", str(package.READING_NOTES / "contracts")], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert "0 errors, 0 warnings" in linted.stdout, linted.stdout


def test_the_reading_notes_service_builds_and_passes_its_tests():
    package.write()
    built = package.swift("build", "--build-tests")
    output = built.stdout + built.stderr
    assert built.returncode == 0, output[-4000:]
    own_warnings = [line for line in output.splitlines() if "warning:" in line and NOTES_SOURCES in line]
    assert not own_warnings, "\n".join(own_warnings)
    generated_warnings = [line for line in output.splitlines()
                          if "warning:" in line and "/plugins/outputs/" in line and "ReadingNotes" in line]
    assert not generated_warnings, "\n".join(generated_warnings)

    tested = package.swift("test", "--skip-build", "--filter", "ReadingNotesTests")
    output = tested.stdout + tested.stderr
    assert tested.returncode == 0, output[-6000:]
    assert "Test run with 7 tests in 1 suite passed" in output, output[-6000:]
