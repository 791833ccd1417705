"""Two `watermark serve` processes on one PostgreSQL database, as a deployment with several
instances runs them: they share their request limits (counted in the database) and a session
signed out through one stops working in the other at once (announced by PostgreSQL), not after the
other's 10-second cache. Needs `swift build` first (scripts/test runs it)."""
from __future__ import annotations

import importlib.util
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BINARY = ROOT / ".build" / "debug" / "watermark"
sys.path.insert(0, str(ROOT / "Tests" / "Support"))
from service_http import call, free_port  # noqa: E402

_spec = importlib.util.spec_from_file_location("contracts_cluster", ROOT / "Tests" / "Contracts" / "conftest.py")
contracts_cluster = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(contracts_cluster)


def request(port: int, method: str, path: str, body=None, token=None, key=None):
    return call(f"http://127.0.0.1:{port}", method, path, body, token=token, key=key, device="instances-test", timeout=30)


class Instance:
    def __init__(self, directory: pathlib.Path, database_url: str, name: str):
        self.port = free_port()
        environment = dict(os.environ, DATABASE_URL=database_url, PORT=str(self.port), SIGN_IN_ATTEMPTS_PER_MINUTE="3",
                           WORKER_CONCURRENCY="0", LOG_LEVEL="warning")
        self.log = directory / f"{name}.log"
        self.process = subprocess.Popen([str(BINARY), "serve"], cwd=directory, env=environment,
                                        stdout=subprocess.DEVNULL, stderr=open(self.log, "w"))
        deadline = time.time() + 120
        while True:
            try:
                if request(self.port, "GET", "/v1/system/health")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                raise AssertionError(f"{name} did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def instances():
    if not BINARY.exists():
        pytest.fail(f"{BINARY} is missing: run `swift build` first")
    cluster = contracts_cluster.Cluster()
    directory = pathlib.Path(tempfile.mkdtemp(prefix="instances-"))
    started = []
    try:
        cluster.create_database("shared")
        url = f"postgres://postgres@localhost:5432/shared?host={cluster.root}"
        # One after the other: the first creates the development signing key both then use.
        started.append(Instance(directory, url, "first"))
        started.append(Instance(directory, url, "second"))
        yield started
    finally:
        for instance in started:
            instance.stop()
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


def test_a_limit_is_counted_across_instances(instances):
    first, second = instances
    login = {"email": "nobody@example.com", "password": "not-the-password"}
    answers = [request(instance.port, "POST", "/v1/auth/login", login, key=f"login-attempt-{index}")
               for index, instance in enumerate([first, second, first, second])]
    assert [status for status, _ in answers] == [401, 401, 401, 429], answers
    assert answers[-1][1]["code"] == 42901


def test_a_sign_out_reaches_the_other_instance_at_once(instances):
    first, second = instances
    status, session = request(first.port, "POST", "/v1/auth/register",
                              {"email": "instances@example.com", "password": "correct-horse-battery", "displayName": "Two"},
                              key="instances-register")
    assert status == 201, session
    token = session["data"]["tokens"]["accessToken"]
    assert request(second.port, "GET", "/v1/auth/me", token=token)[0] == 200  # now in the second's cache
    assert request(first.port, "POST", "/v1/auth/logout", {"allDevices": False}, token=token, key="instances-logout")[0] == 200
    started = time.monotonic()
    while request(second.port, "GET", "/v1/auth/me", token=token)[0] != 401:
        assert time.monotonic() - started < 1.0, "the second instance still accepts the signed-out session after 1 s"
        time.sleep(0.02)
