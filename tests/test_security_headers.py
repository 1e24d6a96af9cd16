"""Security, continued: CORS, production headers and error bodies that reveal nothing, request size limits."""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


# --- CORS -----------------------------------------------------------------------------------------


def test_cors_allows_only_the_configured_origins(settings, anon):
    settings.CORS_ALLOWED_ORIGINS = ["https://portal.clinic.example"]

    allowed = anon.options(
        "/api/doctors/", HTTP_ORIGIN="https://portal.clinic.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )
    other = anon.options("/api/doctors/", HTTP_ORIGIN="https://evil.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")

    assert allowed["Access-Control-Allow-Origin"] == "https://portal.clinic.example"
    assert "Access-Control-Allow-Origin" not in other
    assert "Access-Control-Allow-Credentials" not in allowed


def test_by_default_no_origin_is_allowed(anon):
    response = anon.get("/api/health/", HTTP_ORIGIN="https://anywhere.example")

    assert "Access-Control-Allow-Origin" not in response


# --- Production settings: headers and error bodies -----------------------------------------------------


def test_production_responses_carry_the_security_headers(tmp_path):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "p" * 60,
        "DJANGO_ALLOWED_HOSTS": "api.clinic.example",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    script = (
        "from django.test import Client; import json; "
        "c = Client(HTTP_HOST='api.clinic.example'); "
        "plain = c.get('/api/health/'); secure = c.get('/api/health/', secure=True); "
        "print(json.dumps({'plain': [plain.status_code, plain.get('Location')], 'headers': dict(secure.headers)}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    out = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {key.lower(): value for key, value in out["headers"].items()}

    assert out["plain"] == [301, "https://api.clinic.example/api/health/"]
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "server" not in headers or "python" not in headers["server"].lower()


def test_a_crash_answers_a_bare_json_500_with_no_trace_or_sql(admin_api):
    admin_api.raise_request_exception = False
    failure = RuntimeError('SELECT "secret" FROM "accounts_user" WHERE password = \'x\'')

    with mock.patch("doctors.selectors.doctor_list_for_user", side_effect=failure):
        response = admin_api.get("/api/doctors/")

    assert response.status_code == 500
    assert response.json() == {"error": "Server Error (500)"}
    body = response.content.decode()
    assert "Traceback" not in body and "SELECT" not in body and "secret" not in body


def test_a_database_error_is_not_described_to_the_client(admin_api):
    from django.db import OperationalError

    admin_api.raise_request_exception = False
    with mock.patch("doctors.selectors.doctor_list_for_user", side_effect=OperationalError("no such table: x")):
        response = admin_api.get("/api/doctors/")

    assert response.status_code == 500
    assert "no such table" not in response.content.decode()


# --- Request size ------------------------------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_before_it_is_read(anon, settings):
    settings.REQUEST_MAX_BYTES = 2048
    huge = json.dumps({"username": "x" * 5000})

    response = anon.post("/api/auth/register/", huge, content_type="application/json")

    assert response.status_code == 413
    assert "larger than 2048 bytes" in response.json()["detail"]


def test_a_body_without_a_length_stops_being_read_at_the_limit(settings):
    from io import BytesIO

    from rest_framework.exceptions import APIException

    from config.parsers import JSONParser

    settings.REQUEST_MAX_BYTES = 2048

    with pytest.raises(APIException) as refused:
        JSONParser().parse(BytesIO(b'{"a": "' + b"x" * 10_000 + b'"}'))

    assert refused.value.status_code == 413
