"""contracts/db/queries: every named query is well formed (sqlc style) and PREPAREs against the
migrated schema on a real PostgreSQL 15; row-returning kinds return rows, the others do not."""
from __future__ import annotations

import pathlib
import re

import pytest

from test_migrations import migrations

ROOT = pathlib.Path(__file__).resolve().parents[2]
QUERIES = ROOT / "contracts" / "db" / "queries"
HEADER = re.compile(r"^-- name: (\S+)(?: :(\S+))?\s*$")
KINDS = {"one", "many", "exec", "execrows"}


def named_queries():
    """(file, line, name, kind, sql) for every `-- name:` block."""
    found = []
    for path in sorted(QUERIES.glob("*.sql")):
        current = None
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = HEADER.match(line)
            if match:
                current = [path.name, number, match.group(1), match.group(2), []]
                found.append(current)
            elif current is not None and not line.startswith("--"):
                current[4].append(line)
    return [(f, n, name, kind, "\n".join(body).strip()) for f, n, name, kind, body in found]


QUERY_LIST = named_queries()


def test_queries_are_well_formed():
    assert len(QUERY_LIST) >= 20
    names = [q[2] for q in QUERY_LIST]
    assert len(names) == len(set(names)), "query names must be unique"
    for file, line, name, kind, sql in QUERY_LIST:
        where = f"contracts/db/queries/{file}:{line}"
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), f"{where}: {name} is not UpperCamelCase"
        assert kind in KINDS, f"{where}: kind :{kind} is not one of {sorted(KINDS)}"
        assert sql.endswith(";") and sql.count(";") == 1, f"{where}: one statement ending with ';'"
        numbers = sorted({int(n) for n in re.findall(r"\$(\d+)", sql)})
        assert numbers == list(range(1, len(numbers) + 1)), f"{where}: parameters are not $1..$n: {numbers}"


@pytest.fixture(scope="module")
def migrated(cluster):
    db = cluster.create_database("queries")
    for up, _ in migrations():
        cluster.psql(db, file=up)
    return db


@pytest.mark.parametrize("file,line,name,kind,sql", QUERY_LIST, ids=[q[2] for q in QUERY_LIST])
def test_query_prepares_against_the_schema(cluster, migrated, file, line, name, kind, sql):
    # PREPARE checks tables, columns and types; psql's \gdesc describes the result without running it.
    cluster.psql(migrated, f"PREPARE q AS {sql.rstrip(';')};")
    description = cluster.psql_script(migrated, sql.rstrip(";") + " \\gdesc\n")
    columns = 0 if "has no result" in description or not description.strip() else len(description.strip().splitlines())
    if kind in ("one", "many"):
        assert columns > 0, f"{file}:{line}: {name} is :{kind} but returns no rows"
    else:
        assert columns == 0, f"{file}:{line}: {name} is :{kind} but returns {columns} columns"
