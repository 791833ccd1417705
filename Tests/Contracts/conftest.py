"""A throw-away PostgreSQL 15 cluster for the contract tests (initdb into a temporary directory,
Unix socket only, trust auth). As root the cluster runs as the `postgres` user, because initdb
refuses to run as root."""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

PG_BIN = pathlib.Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))


class Cluster:
    def __init__(self) -> None:
        self.root = pathlib.Path(tempfile.mkdtemp(prefix="contracts-pg-"))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run([PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale", "C"])
        self._run([PG_BIN / "pg_ctl", "-D", self.data, "-w", "-l", self.root / "log",
                   "-o", f"-k {self.root} -c listen_addresses='' -c fsync=off -p 5432", "start"])

    def _run(self, argv) -> None:
        argv = [str(a) for a in argv]
        if self.as_root:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        subprocess.run(argv, check=True, capture_output=True, text=True)

    def psql(self, database: str, sql: str | None = None, file: pathlib.Path | None = None, single_transaction: bool = True) -> str:
        argv = [str(PG_BIN / "psql"), "-h", str(self.root), "-U", "postgres", "-d", database, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        if single_transaction:
            argv.append("--single-transaction")
        argv += ["-f", str(file)] if file else ["-c", sql]
        result = subprocess.run(argv, capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(f"psql failed on {file or sql!r}:\n{result.stderr}")
        return result.stdout

    def psql_script(self, database: str, script: str) -> str:
        """Runs `script` (which may use psql backslash commands) and returns what it printed."""
        result = subprocess.run([str(PG_BIN / "psql"), "-h", str(self.root), "-U", "postgres", "-d", database, "-X", "-q", "-A", "-t",
                                 "-v", "ON_ERROR_STOP=1"], input=script, capture_output=True, text=True)
        if result.returncode != 0:
            raise AssertionError(f"psql failed on {script!r}:\n{result.stderr}")
        return result.stdout

    def create_database(self, name: str) -> str:
        self.psql("postgres", f"CREATE DATABASE {name}", single_transaction=False)
        return name

    def schema(self, database: str) -> str:
        """The database schema as pg_dump prints it (stable order), without comments and without the
        random `\\restrict` key that pg_dump 15.14+ writes on every run."""
        result = subprocess.run([str(PG_BIN / "pg_dump"), "-h", str(self.root), "-U", "postgres", "-d", database,
                                 "--schema-only", "--no-owner", "--no-privileges"], capture_output=True, text=True, check=True)
        return "\n".join(line for line in result.stdout.splitlines() if line.strip() and not line.startswith(("--", "\\restrict", "\\unrestrict")))

    def stop(self) -> None:
        try:
            self._run([PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def cluster():
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL 15 server binaries not found in {PG_BIN} (apt-get install postgresql-15)")
    c = Cluster()
    yield c
    c.stop()
