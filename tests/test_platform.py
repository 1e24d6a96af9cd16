"""The platform: settings, health, docs, schema, admin, Silk, and what every endpoint shares."""

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PUBLIC = {
    ("post", "/api/auth/register/"),
    ("post", "/api/auth/verify-email/"),
    ("post", "/api/auth/password/reset/"),
    ("post", "/api/auth/password/reset/confirm/"),
    ("post", "/api/token/"),
    ("post", "/api/token/refresh/"),
    ("post", "/api/token/verify/"),
    ("get", "/api/health/"),
    ("get", "/api/schema/"),
    ("get", "/api/doctors/{id}/calendar.ics"),  # its own secret token instead of a login (404 without it)
}


def run_manage(*args, **env):
    """Run manage.py in a clean process with exactly the given environment on top of PATH."""
    environ = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    if "DATABASE_URL" in os.environ:
        environ.setdefault("DATABASE_URL", os.environ["DATABASE_URL"])
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k" * 20 + "-prod-like-secret-value-that-is-long-enough-0123456789",
    "DJANGO_ALLOWED_HOSTS": "api.clinic.example",
    "DJANGO_BEHIND_TLS_PROXY": "1",
}


def all_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method in item:
            yield method, path


# --- Health ------------------------------------------------------------------------------------


def test_health_is_public_and_reports_the_database(anon):
    response = anon.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-ID"]


def test_health_is_503_when_the_database_is_unreachable(anon):
    with mock.patch("config.views.connection") as connection:
        connection.cursor.side_effect = DatabaseError("down")
        response = anon.get("/api/health/")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"


def test_health_answers_503_within_its_timeout_when_the_database_hangs(anon, settings):
    settings.HEALTH_TIMEOUT_SECONDS = 1
    release = threading.Event()

    with mock.patch("config.views.connection") as connection:
        connection.cursor.side_effect = lambda: (release.wait(10), mock.MagicMock())[1]  # never answers in time
        started = time.monotonic()
        response = anon.get("/api/health/")
        took = time.monotonic() - started
        release.set()

    assert response.status_code == 503
    assert 0.9 < took < 3


def test_request_id_is_echoed_when_sane_and_replaced_when_not(anon):
    assert anon.get("/api/health/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert anon.get("/api/health/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


# --- Authentication everywhere -----------------------------------------------------------------


def test_anonymous_gets_401_on_every_operation_but_the_public_ones(anon):
    checked = 0
    for method, path in all_operations():
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = getattr(anon, method)(url, {}, format="json") if method != "get" else anon.get(url)
        if (method, path) in PUBLIC:
            assert response.status_code != 401, (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)
            assert "detail" in response.json()
        checked += 1
    assert checked > 10


def test_docs_pages_are_public_and_work_offline(anon):
    swagger = anon.get("/api/docs/")
    redoc = anon.get("/api/redoc/")

    assert swagger.status_code == 200
    assert redoc.status_code == 200
    for page in (swagger, redoc):
        assert b"googleapis" not in page.content
        assert b"cdn.jsdelivr" not in page.content


# --- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{not json", "application/json"),
        ('{"username": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("null", "application/json"),
        ('"a string"', "application/json"),
    ],
)
def test_malformed_json_is_400_never_500(anon, body, content_type):
    response = anon.post("/api/auth/register/", body, content_type=content_type)

    assert response.status_code == 400
    assert response.json()


def test_a_non_json_content_type_is_415(anon):
    response = anon.post("/api/auth/register/", "username=x", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 415


@pytest.mark.parametrize(
    "body",
    [
        {
            "username": "x" * 10_000,
            "email": "a@example.com",
            "password": "a-long-unusual-phrase",
            "first_name": "a",
            "last_name": "b",
        },
        {"username": ["x"], "email": {"a": 1}, "password": 12, "first_name": None, "last_name": True},
        {
            "username": "ok",
            "email": "e" * 10_000 + "@example.com",
            "password": "p" * 10_000,
            "first_name": "a",
            "last_name": "b",
        },
    ],
)
def test_long_strings_and_wrong_types_get_field_messages(anon, body):
    response = anon.post("/api/auth/register/", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) <= set(body)
    assert response.json()


def test_login_with_wrong_types_is_400(anon):
    response = anon.post("/api/token/", {"username": ["a"], "password": {"b": 1}}, format="json")

    assert response.status_code == 400


# --- Deployment checks -------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "api.clinic.example"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"]}, "DJANGO_ALLOWED_HOSTS"),
        (
            {"DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"], "DJANGO_ALLOWED_HOSTS": "*"},
            "DJANGO_ALLOWED_HOSTS",
        ),
        ({**PRODUCTION_ENV, "CLINIC_TIME_ZONE": "Mars/Olympus"}, "CLINIC_TIME_ZONE"),
        ({**PRODUCTION_ENV, "JWT_ACCESS_MINUTES": "soon"}, "JWT_ACCESS_MINUTES"),
    ],
)
def test_production_settings_refuse_to_start_when_misconfigured(env, message):
    result = run_manage("check", **env)

    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_turn_on_https_and_secure_cookies():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.SILK_ENABLED)",
        **PRODUCTION_ENV,
    )

    assert result.stdout.split() == ["False", "True", "True", "True", "True", "False"], result.stderr


# --- Kept in step ------------------------------------------------------------------------------


def test_models_dot_is_current(tmp_path):
    fresh = tmp_path / "models.dot"
    call_command("graph_models", *_graph_apps(), output=str(fresh))

    assert _without_dates(fresh.read_text()) == _without_dates((ROOT / "models.dot").read_text()), (
        "models.dot is stale: run `make models-dot` and commit it."
    )


def _graph_apps():
    makefile = (ROOT / "Makefile").read_text()
    return re.search(r"^GRAPH_APPS := (.+)$", makefile, re.M).group(1).split()


def _without_dates(dot: str) -> list[str]:
    # The header comments carry the creation time and the command line.
    return [line.rstrip() for line in dot.splitlines() if line.strip() and not line.lstrip().startswith("//")]


def test_openapi_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))

    assert (tmp_path / "schema.yaml").stat().st_size > 1000


def test_every_operation_has_a_summary_and_a_tag():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = [
        (method, path)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if not operation.get("summary") or not operation.get("tags")
    ]

    assert missing == []


def test_api_http_has_an_example_for_every_operation():
    examples = set()
    for method, url in re.findall(
        r"^(GET|POST|PUT|PATCH|DELETE) \{\{host\}\}(\S+)", (ROOT / "api.http").read_text(), re.M
    ):
        examples.add((method.lower(), url.split("?")[0]))

    def covered(method, path):
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+", re.escape(path)) + "$"
        return any(m == method and re.match(pattern, url) for m, url in examples)

    missing = [(method, path) for method, path in all_operations() if not covered(method, path)]

    assert missing == [], "add an example to api.http for each of these"


def test_readme_lists_every_path():
    def normalised(text):
        return re.sub(r"\{[^}]+\}", "{}", text)

    readme = normalised((ROOT / "README.md").read_text())
    missing = {path for _method, path in all_operations() if normalised(path.removeprefix("/api/")) not in readme}

    assert missing == set(), "list these in the README's endpoint table"


def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
