"""Checks of contracts/api/v1 that do not need the Swift generator.

- the document is valid OpenAPI 3.1 (openapi-spec-validator, resolving the split files);
- every example (media types, parameters) validates against its schema, formats included;
- every operation follows the API conventions of contracts/README.md;
- every error code a response declares exists in contracts/errors.yaml, and every catalog entry is used.

Run: python3 -m pytest Tests/Contracts (scripts/test does).
"""
from __future__ import annotations

import pathlib
import re
from urllib.parse import urldefrag

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = pathlib.Path(__file__).resolve().parents[2]
API = ROOT / "contracts" / "api" / "v1"
ROOT_DOC = API / "openapi.yaml"
CATALOG = ROOT / "contracts" / "errors.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
BINARY_MEDIA = re.compile(r"^(image|video|audio)/|^application/octet-stream$")


def load(path: pathlib.Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


DOCS = {p.name: load(p) for p in sorted(API.glob("*.yaml"))}


def uri(name: str) -> str:
    return (API / name).as_uri()


REGISTRY = Registry().with_resources(
    (uri(name), Resource.from_contents(doc, default_specification=DRAFT202012)) for name, doc in DOCS.items()
)


def resolve(node, base: str):
    """Follows `$ref`s (relative to `base`, a file name) until a non-reference node; returns it and its file."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        target, fragment = urldefrag(node["$ref"])
        base = target.split("/")[-1] if target else base
        node = DOCS[base]
        for token in [t for t in fragment.split("/") if t]:
            node = node[token.replace("~1", "/").replace("~0", "~")]
        seen += 1
        assert seen < 20, "reference cycle"
    return node, base


def operations():
    """Yields (path, method, operation, file of the operation, path-level parameters)."""
    for path, item in DOCS["openapi.yaml"]["paths"].items():
        item, base = resolve(item, "openapi.yaml")
        for method in METHODS:
            if method in item:
                yield path, method, item[method], base, item.get("parameters", [])


def validator_for(schema, base: str):
    resolver = REGISTRY.resolver(base_uri=uri(base))
    return jsonschema.Draft202012Validator(
        schema, registry=REGISTRY, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        _resolver=resolver,
    )


def examples():
    """Every (where, schema, file, example) in the contracts; shared responses are checked once."""
    found = []
    seen = set()
    for path, method, op, base, path_params in operations():
        where = f"{method.upper()} {path}"
        for raw in list(path_params) + list(op.get("parameters", [])):
            param, pbase = resolve(raw, base)
            if "example" in param:
                found.append((f"{where} parameter {param['name']}", param["schema"], pbase, param["example"]))
        body = op.get("requestBody")
        if body:
            body, bbase = resolve(body, base)
            for media, content in body["content"].items():
                for example in media_examples(content, bbase):
                    found.append((f"{where} request {media}", content.get("schema", {}), bbase, example))
        for status, response in op["responses"].items():
            response, rbase = resolve(response, base)
            for media, content in response.get("content", {}).items():
                if id(content) in seen:
                    continue
                seen.add(id(content))
                for example in media_examples(content, rbase):
                    found.append((f"{where} response {status} {media}", content.get("schema", {}), rbase, example))
    return found


def media_examples(content, base):
    out = []
    if "example" in content:
        out.append(content["example"])
    for example in content.get("examples", {}).values():
        example, _ = resolve(example, base)
        out.append(example["value"])
    return out


def test_openapi_document_is_valid():
    spec, base_uri = read_from_filename(str(ROOT_DOC))
    validate(spec, base_uri=base_uri)


@pytest.mark.parametrize("where,schema,base,example", examples(), ids=lambda v: v if isinstance(v, str) and " " in v else "")
def test_example_matches_schema(where, schema, base, example):
    errors = sorted(validator_for(schema, base).iter_errors(example), key=lambda e: list(e.absolute_path))
    assert not errors, f"{where}: " + "; ".join(f"/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_examples_exist_for_every_body_and_success_response():
    missing = []
    for path, method, op, base, _ in operations():
        where = f"{method.upper()} {path}"
        body = op.get("requestBody")
        if body:
            body, bbase = resolve(body, base)
            for media, content in body["content"].items():
                if not BINARY_MEDIA.search(media) and not media_examples(content, bbase):
                    missing.append(f"{where} request {media}")
        for status, response in op["responses"].items():
            if not status.startswith("2"):
                continue
            response, rbase = resolve(response, base)
            for media, content in response.get("content", {}).items():
                if not BINARY_MEDIA.search(media) and not media_examples(content, rbase):
                    missing.append(f"{where} response {status} {media}")
    assert not missing, "no example: " + ", ".join(missing)


def test_operation_conventions():
    problems = []
    ids = set()
    tags = {t["name"] for t in DOCS["openapi.yaml"]["tags"]}
    for path, method, op, base, path_params in operations():
        where = f"{method.upper()} {path}"
        oid = op.get("operationId", "")
        if not re.fullmatch(r"[a-z][A-Za-z0-9]*", oid):
            problems.append(f"{where}: operationId {oid!r} is not camelCase")
        if oid in ids:
            problems.append(f"{where}: operationId {oid} is not unique")
        ids.add(oid)
        if len(op.get("tags", [])) != 1 or op["tags"][0] not in tags:
            problems.append(f"{where}: needs exactly one declared tag")
        if not op.get("summary"):
            problems.append(f"{where}: no summary")
        params = [resolve(p, base)[0] for p in list(path_params) + list(op.get("parameters", []))]
        names = {(p["in"], p["name"]) for p in params}
        if ("header", "X-Request-Id") not in names:
            problems.append(f"{where}: does not accept X-Request-Id")
        state_changing = method == "post"
        if state_changing and ("header", "Idempotency-Key") not in names and "x-idempotency-key" not in op:
            problems.append(f"{where}: state-changing POST without Idempotency-Key")
        if method in ("put", "patch") and op.get("security", [None]) != [] and ("header", "If-Match") not in names:
            problems.append(f"{where}: update without If-Match")
        if path.startswith("/v1/admin/") and op.get("x-roles") != ["admin"]:
            problems.append(f"{where}: admin operation without x-roles [admin]")
        if "security" in op and op["security"] not in ([], [{}, {"bearerAuth": []}]):
            problems.append(f"{where}: security must be inherited (bearer), [] (public) or [{{}}, {{bearerAuth: []}}] (optional bearer)")
        for status, response in op["responses"].items():
            response, rbase = resolve(response, base)
            if "X-Request-Id" not in response.get("headers", {}):
                problems.append(f"{where} {status}: response does not return X-Request-Id")
        if method == "get" and ("query", "cursor") in names:
            if ("query", "limit") not in names:
                problems.append(f"{where}: cursor without limit")
        body = op.get("requestBody")
        if body:
            body, bbase = resolve(body, base)
            for media, content in body["content"].items():
                schema, _ = resolve(content.get("schema", {}), bbase)
                if media == "application/json" and schema.get("additionalProperties") is not False:
                    problems.append(f"{where}: request body does not close additionalProperties")
    assert not problems, "\n".join(problems)


def test_list_operations_return_items_and_next_cursor():
    problems = []
    for path, method, op, base, path_params in operations():
        params = [resolve(p, base)[0] for p in list(path_params) + list(op.get("parameters", []))]
        if ("query", "cursor") not in {(p["in"], p["name"]) for p in params}:
            continue
        response, rbase = resolve(op["responses"]["200"], base)
        envelope, ebase = resolve(response["content"]["application/json"]["schema"], rbase)
        data, dbase = resolve(envelope["allOf"][1]["properties"]["data"], ebase)
        if set(data.get("required", [])) != {"items", "nextCursor"}:
            problems.append(f"{method.upper()} {path}: page is not {{items, nextCursor}}")
        limit = next(p for p in params if p["name"] == "limit")["schema"]
        if (limit.get("minimum"), limit.get("maximum"), limit.get("default")) != (1, 100, 20):
            problems.append(f"{method.upper()} {path}: limit is not 1–100 default 20")
    assert not problems, "\n".join(problems)


def test_error_codes_come_from_the_catalog_and_every_entry_is_used():
    catalog = {e["code"]: e for e in load(CATALOG)["errors"]}
    for entry in catalog.values():
        assert {"zh-CN", "en"} <= set(entry["message"]), f"{entry['code']} lacks a zh-CN or en message"
        assert str(entry["code"]).startswith(str(entry["http"])), f"{entry['code']} does not start with its HTTP status"
        assert entry.get("when"), f"{entry['code']} does not say when to use it"
        assert entry.get("scope", "response") in ("response", "task"), f"{entry['code']}: scope is response or task"
    used = set()
    for path, method, op, base, _ in operations():
        for status, response in op["responses"].items():
            response, _ = resolve(response, base)
            codes = response.get("x-error-codes", [])
            if not status.startswith("2"):
                assert codes, f"{method.upper()} {path} {status} names no catalog codes"
            for code in codes:
                assert code in catalog, f"{method.upper()} {path} {status}: {code} is not in the catalog"
                assert catalog[code].get("scope", "response") == "response", f"{method.upper()} {path}: {code} is a task-only code"
                assert str(catalog[code]["http"]) == status, f"{method.upper()} {path}: {code} is sent with {catalog[code]['http']}, not {status}"
                used.add(code)
    # 40501 is answered by the router itself for a known path with an unknown method.
    task_only = {code for code, entry in catalog.items() if entry.get("scope") == "task"}
    unused = set(catalog) - used - task_only - {40501}
    assert not unused, f"catalog codes no operation declares: {sorted(unused)}"
    required = {40001, 40101, 40102, 40301, 40302, 40401, 40901, 41301, 41501, 42201, 42202, 42901, 50001, 50301}
    assert required <= set(catalog)


def test_task_status_is_exactly_the_lifecycle():
    status = DOCS["tasks.yaml"]["components"]["schemas"]["TaskStatus"]
    assert status["enum"] == ["UPLOADED", "QUEUED", "PREPROCESSING", "DETECTING", "INPAINTING", "PACKAGING", "SUCCEEDED", "FAILED", "CANCELED"]


def test_a_broken_example_is_caught():
    """The example check itself must fail on a wrong example (guards against a check that passes everything)."""
    schema = {"$ref": "#/components/schemas/CreateTaskRequest"}
    bad = {"assetId": "not-a-uuid", "mediaType": "IMAGE", "extra": 1}
    errors = list(validator_for(schema, "tasks.yaml").iter_errors(bad))
    messages = " ".join(e.message for e in errors)
    assert "not-a-uuid" in messages and "extra" in messages


def test_the_formats_the_contract_uses_are_checked():
    """jsonschema checks `uri` only with rfc3986-validator installed; without it examples would pass unchecked."""
    assert {"uuid", "date-time", "email", "uri"} <= set(jsonschema.Draft202012Validator.FORMAT_CHECKER.checkers)
