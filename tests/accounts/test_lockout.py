"""Lockout after repeated failed logins, by account and by address, for POST /api/token/ and the
admin site alike (django-axes): refused with a clear 429, audited, and an admin can unlock."""

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent, Role
from tests.accounts.test_mfa import code_for, enrol, later
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "wrong-password"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # The lockout, not the rate limit, is what these tests watch.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "auth": "1000/min"},
    }


def login(username, password=WRONG, client=None, **extra):
    client = client or APIClient(**extra)
    return client.post("/api/token/", {"username": username, "password": password}, format="json")


def admin_login(client, username, password=WRONG):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(settings):
    UserFactory(username="dora")
    failures = [login("dora", REMOTE_ADDR=f"198.51.100.{i}").status_code for i in range(settings.AXES_FAILURE_LIMIT)]

    refused = login("dora", PASSWORD, REMOTE_ADDR="198.51.100.200")

    assert failures[:-1] == [401] * (settings.AXES_FAILURE_LIMIT - 1)
    assert refused.status_code == 429
    assert "Try again in 15 minutes" in refused.data["detail"]
    assert refused["Retry-After"] == "900"
    assert login("someone-else", PASSWORD, REMOTE_ADDR="198.51.100.201").status_code == 401  # others are not locked


def test_the_email_and_the_username_of_an_account_count_as_one():
    UserFactory(username="dora", email="dora@example.com")
    for i in range(10):
        login("dora" if i % 2 else "DORA@example.com", REMOTE_ADDR=f"198.51.100.{i}")

    assert login("dora", PASSWORD, REMOTE_ADDR="198.51.100.99").status_code == 429


def test_an_address_is_locked_after_ten_failures_whatever_x_forwarded_for_says():
    UserFactory(username="dora")
    for i in range(10):
        login(f"guess{i}", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}")

    refused = login("dora", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.250")

    assert refused.status_code == 429
    assert AccessAttempt.objects.filter(ip_address="127.0.0.1").exists()


def test_a_successful_login_clears_the_failures_counted_before():
    UserFactory(username="dora")
    for _ in range(9):
        login("dora")

    assert login("dora", PASSWORD).status_code == 200
    assert [login("dora").status_code for _ in range(9)] == [401] * 9


def test_the_admin_login_locks_out_too_and_says_so_in_a_page(client):
    UserFactory(username="boss", admin=True)
    for _ in range(10):
        admin_login(client, "boss")

    refused = admin_login(client, "boss", PASSWORD)

    assert refused.status_code == 429
    assert b"Too many failed logins" in refused.content
    assert "_auth_user_id" not in client.session


def test_a_lockout_is_written_to_the_audit_trail():
    UserFactory(username="dora")
    for _ in range(10):
        login("dora")

    event = AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT).first()

    assert event is not None
    assert (event.object_type, event.object_id, event.ip_address) == ("account", "dora", "127.0.0.1")
    assert event.actor.username == "dora"


def test_an_admin_unlocks_an_account_with_the_axes_commands():
    UserFactory(username="dora")
    for i in range(10):
        login("dora", REMOTE_ADDR=f"198.51.100.{i}")
    assert login("dora", PASSWORD, REMOTE_ADDR="198.51.100.50").status_code == 429

    call_command("axes_reset_username", "dora")

    assert login("dora", PASSWORD, REMOTE_ADDR="198.51.100.51").status_code == 200


def test_an_admin_sees_and_removes_lockouts_in_the_admin(client):
    UserFactory(username="dora")
    for _ in range(10):
        login("dora")
    client.force_login(UserFactory(admin=True))

    listing = client.get("/admin/axes/accessattempt/")
    attempt = AccessAttempt.objects.get(username="dora")
    removed = client.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200
    assert b"dora" in listing.content
    assert removed.status_code == 302
    assert login("dora", PASSWORD).status_code == 200


def test_wrong_second_factor_codes_count_toward_the_lockout(settings, client_for):
    settings.AXES_FAILURE_LIMIT = 3
    doc = UserFactory(username="doc", role=Role.DOCTOR)
    enrol(client_for(doc), doc)

    with later():
        wrong = [login_with_code("doc", "000000", REMOTE_ADDR=f"198.51.100.{i}") for i in range(3)]
    with later(5):
        right = login_with_code("doc", code_for(doc, at=timezone.now()), REMOTE_ADDR="198.51.100.99")

    assert [(r.status_code, r.data.get("code")) for r in wrong[:2]] == [(401, "mfa_invalid")] * 2
    assert wrong[2].status_code == 429  # the third failure locked the account
    assert right.status_code == 429
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOCKOUT).exists()


def login_with_code(username, otp, **extra):
    body = {"username": username, "password": PASSWORD, "otp": otp}
    return APIClient(**extra).post("/api/token/", body, format="json")
