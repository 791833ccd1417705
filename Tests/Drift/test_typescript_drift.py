"""Drift that must break code written against the generated TypeScript client: a renamed field, a removed
operation and a removed enum case each make `tsc --noEmit` fail on Tests/TypeScriptClient/consumer.ts (the
rows of README's drift table marked "TypeScript"). Each case copies contracts/ (without db/, so the API ↔
database checks, which would stop the generator first, stay out of it), changes one thing, regenerates the
client with `contractgen generate --emit typescript --lenient` (examples that still name the old value warn)
and type-checks the consumer against it. The unchanged copy must type-check (the control).

Needs .build/debug/contractgen (scripts/test builds it first) and Debian's node-typescript."""
from __future__ import annotations

import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTRACTGEN = ROOT / ".build" / "debug" / "contractgen"
CONSUMER = ROOT / "Tests" / "TypeScriptClient"


def type_check(tmp_path: pathlib.Path, change) -> subprocess.CompletedProcess:
    if shutil.which("tsc") is None:
        pytest.fail("tsc is missing: install Debian's node-typescript (.ci/run does)")
    contracts = tmp_path / "contracts"
    shutil.copytree(ROOT / "contracts", contracts, ignore=shutil.ignore_patterns("db"))
    change(contracts)
    generated = subprocess.run([str(CONTRACTGEN), "generate", "--contracts", str(contracts), "--output", str(tmp_path / "Sources" / "WatermarkWeb" / "app" / "client"),
                                "--emit", "typescript", "--lenient"], capture_output=True, text=True, timeout=120)
    assert generated.returncode == 0, generated.stderr
    (tmp_path / "Tests" / "TypeScriptClient").mkdir(parents=True)
    for name in ["consumer.ts", "tsconfig.json"]:
        shutil.copy(CONSUMER / name, tmp_path / "Tests" / "TypeScriptClient" / name)
    return subprocess.run(["tsc", "-p", str(tmp_path / "Tests" / "TypeScriptClient" / "tsconfig.json")], capture_output=True, text=True, timeout=300)


def edit(path: pathlib.Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new))


def test_the_unchanged_contract_type_checks(tmp_path):
    checked = type_check(tmp_path, lambda contracts: None)
    assert checked.returncode == 0, checked.stdout


def test_a_renamed_field_fails(tmp_path):
    def rename(contracts):
        edit(contracts / "api" / "v1" / "auth.yaml", "required: [accessToken, refreshToken, tokenType", "required: [token, refreshToken, tokenType")
        edit(contracts / "api" / "v1" / "auth.yaml", "        accessToken: {type: string", "        token: {type: string")
    checked = type_check(tmp_path, rename)
    assert checked.returncode != 0
    assert "Property 'accessToken' does not exist on type 'AuthTokens'" in checked.stdout, checked.stdout


def test_a_removed_operation_fails(tmp_path):
    def remove(contracts):
        edit(contracts / "api" / "v1" / "tasks.yaml", "operationId: listTasks", "operationId: listAllTasks")
    checked = type_check(tmp_path, remove)
    assert checked.returncode != 0
    assert "Property 'listTasks' does not exist on type 'APIClient'" in checked.stdout, checked.stdout


def test_a_removed_enum_case_fails(tmp_path):
    def remove(contracts):
        edit(contracts / "api" / "v1" / "tasks.yaml", "PACKAGING, SUCCEEDED, FAILED", "PACKAGING, FAILED")
        # The status's x-state-machine names it too: a contract that removes a state removes its moves.
        edit(contracts / "api" / "v1" / "tasks.yaml", "to: [PACKAGING, SUCCEEDED]", "to: [PACKAGING]")
    checked = type_check(tmp_path, remove)
    assert checked.returncode != 0
    assert "Type '\"SUCCEEDED\"' is not assignable to type 'TaskStatus | undefined'" in checked.stdout, checked.stdout
