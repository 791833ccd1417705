"""contracts/db: migrations apply on a real PostgreSQL 15, every `down` restores the schema before
its `up` exactly, and every named query prepares against the migrated schema."""
from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
MIGRATIONS = ROOT / "contracts" / "db" / "migrations"
QUERIES = ROOT / "contracts" / "db" / "queries"
NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$")


def migrations():
    ups = sorted(p for p in MIGRATIONS.glob("*.up.sql"))
    return [(p, p.with_name(p.name.replace(".up.sql", ".down.sql"))) for p in ups]


def test_migration_files_are_well_named_numbered_and_paired():
    names = sorted(p.name for p in MIGRATIONS.iterdir())
    for name in names:
        assert NAME.match(name), f"{name} is not NNNN_name.up.sql / .down.sql"
    numbers = [int(NAME.match(p.name).group(1)) for p, _ in migrations()]
    assert numbers == list(range(1, len(numbers) + 1)), f"migration numbers are not 1..n without gaps: {numbers}"
    for up, down in migrations():
        assert down.exists(), f"{up.name} has no {down.name}"
    assert len(names) == 2 * len(numbers), "a down migration without its up"


def test_up_down_up_leaves_no_drift(cluster):
    db = cluster.create_database("updownup")
    empty = cluster.schema(db)
    for up, _ in migrations():
        cluster.psql(db, file=up)
    first = cluster.schema(db)
    assert "CREATE TABLE public.tasks" in first
    for _, down in reversed(migrations()):
        cluster.psql(db, file=down)
    assert cluster.schema(db) == empty, "the down migrations leave something behind"
    for up, _ in migrations():
        cluster.psql(db, file=up)
    assert cluster.schema(db) == first, "the schema after up-down-up differs from the first up"


def test_each_down_restores_the_schema_before_its_up(cluster):
    db = cluster.create_database("stepwise")
    for up, down in migrations():
        before = cluster.schema(db)
        cluster.psql(db, file=up)
        after = cluster.schema(db)
        assert after != before, f"{up.name} changes nothing"
        cluster.psql(db, file=down)
        assert cluster.schema(db) == before, f"{down.name} does not restore the schema before {up.name}"
        cluster.psql(db, file=up)
        assert cluster.schema(db) == after, f"{up.name} applied again gives another schema"


def test_plans_are_seeded(cluster):
    db = cluster.create_database("seeded")
    for up, _ in migrations():
        cluster.psql(db, file=up)
    assert cluster.psql(db, "SELECT string_agg(code, ',' ORDER BY code) FROM plans").strip() == "free,pro_month,pro_year"


def test_every_user_owned_table_has_row_level_security(cluster):
    db = cluster.create_database("rls")
    for up, _ in migrations():
        cluster.psql(db, file=up)
    rows = cluster.psql(db, """
        SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
               (SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r'
          AND (c.relname = 'users' OR EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped))
        ORDER BY 1""").strip().splitlines()
    assert len(rows) >= 15
    for row in rows:
        name, enabled, forced, policies = row.split("|")
        assert (enabled, forced) == ("t", "t") and int(policies) >= 2, f"{name}: RLS {enabled}/{forced} with {policies} policies"


def test_row_level_security_isolates_users(cluster):
    """A non-superuser role with app.user_id set sees only its own tasks."""
    db = cluster.create_database("isolation")
    for up, _ in migrations():
        cluster.psql(db, file=up)
    cluster.psql(db, """
        CREATE ROLE app_test LOGIN;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_test;
        INSERT INTO users (id, email, password_hash, display_name) VALUES
          ('00000000-0000-4000-8000-00000000000a', 'a@example.com', 'x', 'A'),
          ('00000000-0000-4000-8000-00000000000b', 'b@example.com', 'x', 'B');
        INSERT INTO assets (id, user_id, file_name, content_type, media_type, size_bytes, storage_key) VALUES
          ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-00000000000a', 'a.png', 'image/png', 'IMAGE', 10, 'a'),
          ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-00000000000b', 'b.png', 'image/png', 'IMAGE', 10, 'b');
        INSERT INTO tasks (user_id, asset_id, media_type) VALUES
          ('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-0000000000a1', 'IMAGE'),
          ('00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-0000000000b1', 'IMAGE');
    """)
    as_a = cluster.psql(db, """
        SET ROLE app_test; SET LOCAL app.user_id = '00000000-0000-4000-8000-00000000000a';
        SELECT count(*) FROM tasks; """).split()
    assert as_a == ["1"]
    updated = cluster.psql(db, """
        SET ROLE app_test; SET LOCAL app.user_id = '00000000-0000-4000-8000-00000000000a';
        WITH changed AS (UPDATE tasks SET progress = 50 WHERE user_id = '00000000-0000-4000-8000-00000000000b' RETURNING 1)
        SELECT count(*) FROM changed; """).split()
    assert updated == ["0"]
    with pytest.raises(AssertionError, match="row-level security"):
        cluster.psql(db, """
            SET ROLE app_test; SET LOCAL app.user_id = '00000000-0000-4000-8000-00000000000a';
            INSERT INTO tasks (user_id, asset_id, media_type) VALUES
              ('00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-0000000000b1', 'IMAGE'); """)
    nobody = cluster.psql(db, "SET ROLE app_test; SELECT count(*) FROM tasks;").split()
    assert nobody == ["0"]
    system = cluster.psql(db, "SET ROLE app_test; SET LOCAL app.role = 'system'; SELECT count(*) FROM tasks;").split()
    assert system == ["2"]


def test_usage_totals_follow_the_ledger(cluster):
    """`usage_period_totals` (read by every quota check) equals the ledger's sums per user and period:
    backfilled from the ledger when the migration runs, then kept by the trigger as rows are appended
    by the service's role, each transition counted once (a repeated one inserts nothing)."""
    db = cluster.create_database("usagetotals")
    ups = [up for up, _ in migrations()]
    totals = next(i for i, up in enumerate(ups) if "usage_period_totals" in up.read_text())
    for up in ups[:totals]:
        cluster.psql(db, file=up)
    user = "00000000-0000-4000-8000-00000000000a"
    period, next_period = "2026-12-01 00:00:00+00", "2027-01-01 00:00:00+00"

    def entry(task: int, status: str, when: str = period) -> str:
        return (f"INSERT INTO usage_ledger (user_id, task_id, status, source, units, period_start) VALUES "
                f"('{user}', '00000000-0000-4000-8000-{task:012d}', '{status}', 'create', 1, '{when}') "
                f"ON CONFLICT ON CONSTRAINT usage_ledger_transition_key DO NOTHING;")

    cluster.psql(db, f"""
        INSERT INTO users (id, email, password_hash, display_name) VALUES ('{user}', 'a@example.com', 'x', 'A');
        {entry(1, 'HELD')} {entry(1, 'COMMITTED')} {entry(2, 'HELD')} """)
    for up in ups[totals:]:
        cluster.psql(db, file=up)

    def read() -> list[str]:
        return cluster.psql(db, f"""
            SELECT period_start = '{period}', held, committed, released, open_holds FROM usage_period_totals
            WHERE user_id = '{user}' ORDER BY period_start""").split()

    assert read() == ["t|2|1|0|1"], "the backfill does not match the ledger"
    cluster.psql(db, f"""
        CREATE ROLE totals_test LOGIN;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO totals_test;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO totals_test;""")
    as_user = f"SET ROLE totals_test; SET LOCAL app.user_id = '{user}';"
    cluster.psql(db, f"{as_user} {entry(2, 'RELEASED')} {entry(2, 'RELEASED')} {entry(3, 'HELD')} {entry(4, 'HELD', next_period)}")
    assert read() == ["t|3|1|1|1", "f|1|0|0|1"], "the trigger does not count each appended transition once"
    ledger = cluster.psql(db, f"""
        SELECT period_start = '{period}', count(*) FILTER (WHERE status = 'HELD'), count(*) FILTER (WHERE status = 'COMMITTED'),
               count(*) FILTER (WHERE status = 'RELEASED') FROM usage_ledger GROUP BY period_start ORDER BY period_start""").split()
    assert [row.rsplit("|", 1)[0] for row in read()] == ledger
