"""A database that is down, or that stops answering: every request answers 503 with a JSON body
and Retry-After in seconds, the health check within its own timeout; nothing hangs, no 500.

Each case runs the app in a process of its own (production settings, a web process), pointed at
a database that is not there, at a socket that accepts and never answers, or (PostgreSQL) at the
real server through a proxy the test freezes while the app holds a connection open.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]

CLIENT = """
import json, sys, time, django
django.setup()
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken
token = AccessToken()
token["user_id"] = 1
token["ver"], token["sid"] = 0, "forged"  # well-formed, so checking it needs the database
client = Client(raise_request_exception=False)
for path in sys.argv[1:]:
    if path == "--wait":
        sys.stdin.readline()
        continue
    started = time.monotonic()
    if path.startswith("post:"):  # a form post outside the API (the admin's login)
        response = client.post(path[5:], {"username": "admin", "password": "x"})
    else:
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    print(json.dumps({"path": path, "status": response.status_code, "body": response.content.decode(),
                      "retry_after": response.get("Retry-After"), "took": time.monotonic() - started}), flush=True)
"""


def app(database_url: str, *paths: str, **env) -> subprocess.Popen:
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "outage-tests-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_WEB_PROCESS": "1",
        "DATABASE_URL": database_url,
        "DATABASE_CONNECT_TIMEOUT": "1",
        "DATABASE_STATEMENT_TIMEOUT_MS": "1000",
        "HEALTH_TIMEOUT_SECONDS": "1",
        "SILK_ENABLED": "0",
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-c", CLIENT, *paths],
        cwd=ROOT,
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def answers(process: subprocess.Popen) -> list[dict]:
    out, _ = process.communicate(timeout=120)
    return [json.loads(line) for line in out.splitlines()]


def assert_unavailable(answer: dict, within: float):
    assert answer["status"] == 503, answer
    body = json.loads(answer["body"])
    if answer["path"].startswith("/api/"):  # the health check included: the error contract's code
        assert body.get("code") == "service_unavailable", body
    elif answer["path"].startswith("/fhir/"):  # FHIR's error contract: an OperationOutcome
        assert body["resourceType"] == "OperationOutcome", body
        assert body["issue"][0]["code"] == "transient", body
    else:
        assert body.get("code") == "service_unavailable" or body.get("database") == "unreachable", body
    assert answer["retry_after"] == "5"
    assert answer["took"] < within, answer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_database_that_is_down_answers_503_everywhere():
    url = f"postgres://postgres@127.0.0.1:{free_port()}/nothing"  # nothing listens: refused at once

    results = answers(
        app(url, "/api/doctors/", "/api/appointments/", "/api/health/", "post:/admin/login/", "/fhir/Patient")
    )

    assert len(results) == 5

    for answer in results:
        assert_unavailable(answer, within=3)


@pytest.fixture
def black_hole():
    """A socket that accepts connections and never says a word: a server that is hung."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    accepted = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_a_database_that_never_answers_frees_the_request_in_seconds(black_hole):
    url = f"postgres://postgres@127.0.0.1:{black_hole}/hung"

    results = answers(app(url, "/api/doctors/", "/api/health/"))

    assert_unavailable(results[0], within=4)  # the connect timeout is 1 s
    assert_unavailable(results[1], within=2.5)  # the health check's own timeout is 1 s


class FreezableProxy:
    """Forwards TCP to PostgreSQL until frozen; then stops moving bytes either way."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream, self.frozen = upstream, threading.Event()
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(20)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client = self.server.accept()[0]
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():  # hold the bytes: the server seems to hang
                    time.sleep(0.05)
                target.sendall(data)
        except OSError:
            return

    def close(self):
        self.server.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_that_freezes_under_an_open_connection_answers_503_within_its_deadline():
    db = settings.DATABASES["default"]
    proxy = FreezableProxy((db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)))
    url = f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}"
    try:
        process = app(url, "/api/health/", "/api/doctors/", "--wait", "/api/doctors/", DATABASE_CONN_MAX_AGE="60")
        first = json.loads(process.stdout.readline())
        warm = json.loads(process.stdout.readline())  # the connection is open and kept
        proxy.frozen.set()
        process.stdin.write("go\n")
        process.stdin.flush()
        frozen = answers(process)
    finally:
        proxy.frozen.clear()
        proxy.close()

    assert first["status"] == 200
    assert warm["status"] == 401  # the database answered: the forged token's user does not exist
    # The kept connection is checked before reuse (1 s), a new one cannot connect (1 s): 503.
    assert_unavailable(frozen[0], within=6)


class _Cause(Exception):
    def __init__(self, sqlstate):
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("sqlstate", "status", "code"),
    [("40P01", 409, "concurrent_update"), ("40001", 409, "concurrent_update"), ("08006", 503, "service_unavailable")],
)
def test_a_transaction_lost_to_another_is_409_and_a_lost_connection_503(sqlstate, status, code):
    from django.db import OperationalError

    from config.exceptions import database_trouble

    error = OperationalError("from the database")
    error.__cause__ = _Cause(sqlstate)

    answer = database_trouble(error)

    assert (answer.status_code, answer.detail["code"]) == (status, code)


def test_a_bug_that_reaches_the_database_stays_a_500_not_an_outage():
    from django.db import OperationalError

    from config.exceptions import database_trouble

    assert database_trouble(OperationalError("no such table: x")) is None
    assert database_trouble(OperationalError("database is locked")).status_code == 503
