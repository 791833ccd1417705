#!/usr/bin/env python3
"""contractgen lint on ../shared/corpus/openapi, beside openapi-spec-validator (PyPI), in one run.

For every document: our findings by rule (errors / warnings), openapi-spec-validator's verdict, and — where it
rejects the document — whether we report an error at one of the places it names. openapi-spec-validator validates
each schema object on its own and reports paths relative to it, so each of its errors is located by finding the
schema objects of the document whose value at that relative path is the failing value; "same place" means one of
our errors lies on a line of that YAML node.

Then the speed race the issue asks for: OpenAI's description, each tool as the command a user runs, alternating,
median of N rounds, and the ratio.

    swift build -c release --product contractgen
    python3 benchmarks/lint_corpus.py [--rounds 5] [--contractgen .build/release/contractgen]

Prints Markdown for docs/contract-lint.md.
"""
from __future__ import annotations

import argparse
import collections
import json
import pathlib
import statistics
import subprocess
import sys
import time

import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.readers import read_from_filename

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "openapi"
DOCUMENTS = sorted(p for p in CORPUS.glob("*.yaml")) + [CORPUS / "digitalocean" / "specification" / "DigitalOcean-public.v2.yaml"]
STRUCTURAL = {"oas-structure", "ref-resolves", "ref-allowed", "schema-keywords", "enum-type", "example-valid", "path-params",
              "path-identical", "path-query", "parameters-unique", "operation-id-unique"}


def lint(contractgen: str, document: pathlib.Path) -> tuple[int, list[dict]]:
    result = subprocess.run([contractgen, "lint", "--format", "json", str(document)], capture_output=True, text=True)
    return result.returncode, json.loads(result.stdout)["findings"] if result.stdout.startswith("{") else []


def spec_validator_errors(document: pathlib.Path) -> tuple[str, list]:
    try:
        spec, base = read_from_filename(str(document))
        validator = (OpenAPIV31SpecValidator if str(spec.get("openapi", "")).startswith("3.1") else OpenAPIV30SpecValidator)(spec, base_uri=base)
        errors = list(validator.iter_errors())
    except Exception as error:  # the validator itself fails on some documents
        return f"crash: {type(error).__name__}: {error}", []
    return ("rejects" if errors else "valid"), errors


def located_spans(document: pathlib.Path, errors: list) -> list[tuple[int, int]]:
    """Line spans (1-based) of the YAML nodes openapi-spec-validator's errors are about."""
    root = yaml.compose(document.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    loader = yaml.CSafeLoader("")
    mappings = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            mappings.append(node)
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)

    def descend(node, path):
        for token in path:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == str(token)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(token, int) and token < len(node.value):
                node = node.value[token]
            else:
                return None
            if node is None:
                return None
        return node

    spans = []
    for error in errors:
        path = list(getattr(error, "absolute_path", []))
        if not path:
            continue
        for mapping in mappings:
            target = descend(mapping, path)
            if target is not None and loader.construct_object(target, deep=True) == error.instance:
                spans.append((target.start_mark.line + 1, target.end_mark.line + 1))
    return spans


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contractgen", default=str(ROOT / ".build" / "release" / "contractgen"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--speed-only", action="store_true", help="only the speed race on openai.yaml")
    arguments = parser.parse_args()
    if not arguments.speed_only:
        corpus_table(arguments)
    speed(arguments)


def corpus_table(arguments) -> None:

    print("| document | contractgen exit | errors | warnings | structural errors by rule | openapi-spec-validator | error at its place |")
    print("|---|---|---|---|---|---|---|")
    for document in DOCUMENTS:
        status, findings = lint(arguments.contractgen, document)
        errors = [f for f in findings if f["severity"] == "error"]
        by_rule = collections.Counter(f["rule"] for f in errors if f["rule"] in STRUCTURAL)
        rules = ", ".join(f"{count} {rule}" for rule, count in sorted(by_rule.items())) or "none"
        verdict, spec_errors = spec_validator_errors(document)
        same_place = "—"
        if verdict != "valid":
            spans = located_spans(document, spec_errors)
            ours = {f["line"] for f in errors if f.get("file", "").endswith(document.name)}
            if spans:
                hit = sum(1 for start, end in spans if any(start <= line <= end for line in ours))
                same_place = f"yes ({hit} of {len(spans)} located)" if hit else f"NO (0 of {len(spans)} located)"
            else:
                same_place = "not located by the validator"
        shown = verdict if verdict in ("valid", "rejects") else verdict.split(":")[0]
        if verdict == "rejects":
            shown = f"rejects ({len(spec_errors)} errors)"
        name = document.relative_to(CORPUS)
        print(f"| {name} | {status} | {len(errors)} | {len(findings) - len(errors)} | {rules} | {shown} | {same_place} |")



def speed(arguments) -> None:
    openai = CORPUS / "openai.yaml"
    ours, theirs = [], []
    for _ in range(arguments.rounds):
        ours.append(timed([arguments.contractgen, "lint", str(openai)]))
        theirs.append(timed([sys.executable, "-m", "openapi_spec_validator", str(openai)]))
    ours_median, theirs_median = statistics.median(ours), statistics.median(theirs)
    print()
    print(f"Speed on openai.yaml ({openai.stat().st_size / 1e6:.1f} MB), {arguments.rounds} alternating rounds, median wall time:")
    print()
    print("| tool | median s | all rounds s |")
    print("|---|---|---|")
    print(f"| contractgen lint (release) | {ours_median:.2f} | {', '.join(f'{t:.2f}' for t in ours)} |")
    print(f"| openapi-spec-validator 0.9.0 | {theirs_median:.2f} | {', '.join(f'{t:.2f}' for t in theirs)} |")
    print()
    print(f"contractgen lint is {theirs_median / ours_median:.1f}x faster.")


if __name__ == "__main__":
    main()
