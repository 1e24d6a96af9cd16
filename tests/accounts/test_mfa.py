"""The second factor (TOTP, RFC 6238) for staff and doctors: enrolling, logging in with a code or
a recovery code, disabling, the roles that must have one, and the admin site asking for it."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def code_for(user, *, at=None) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():06d}"


def login(username, otp=None):
    body = {"username": username, "password": PASSWORD} | ({"otp": otp} if otp is not None else {})
    return APIClient().post("/api/token/", body, format="json")


def enrol(api, user) -> list[str]:
    begun = api.post("/api/auth/mfa/totp/")
    assert begun.status_code == 201, begun.data
    confirmed = api.post("/api/auth/mfa/totp/confirm/", {"code": code_for(user)}, format="json")
    assert confirmed.status_code == 200, confirmed.data
    return confirmed.data["recovery_codes"]


def later(minutes=1):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


@pytest.fixture
def doc(db):
    return UserFactory(username="doc", role=Role.DOCTOR)


def test_enrolling_returns_a_provisioning_uri_and_an_svg_qr_code(client_for, doc):
    response = client_for(doc).post("/api/auth/mfa/totp/")

    assert response.status_code == 201
    assert response.data["provisioning_uri"].startswith("otpauth://totp/")
    assert "secret=" + response.data["secret"] in response.data["provisioning_uri"]
    assert response.data["qr_svg"].startswith("<svg")
    assert not TOTPDevice.objects.get(user=doc).confirmed


def test_confirming_needs_a_right_code_and_gives_ten_single_use_recovery_codes(client_for, doc):
    api = client_for(doc)
    api.post("/api/auth/mfa/totp/")

    wrong = api.post("/api/auth/mfa/totp/confirm/", {"code": "000000"}, format="json")
    right = api.post("/api/auth/mfa/totp/confirm/", {"code": code_for(doc)}, format="json")

    assert wrong.status_code == 400
    assert "code" in wrong.data
    assert right.status_code == 200
    assert len(set(right.data["recovery_codes"])) == 10
    assert TOTPDevice.objects.get(user=doc).confirmed


def test_once_enrolled_a_login_needs_a_current_code_used_once(client_for, doc):
    enrol(client_for(doc), doc)

    with later():
        missing = login("doc")
        wrong = login("doc", "123456")
    with later(2):  # django-otp makes each wrong code wait longer: 1 s, 2 s, 4 s, ...
        code = code_for(doc)
        right = login("doc", code)
        replayed = login("doc", code)

    assert (missing.status_code, missing.data["code"]) == (401, "mfa_required")
    assert "otp" in missing.data["detail"]
    assert (wrong.status_code, wrong.data["code"]) == (401, "mfa_invalid")
    assert right.status_code == 200
    assert (replayed.status_code, replayed.data["code"]) == (401, "mfa_invalid")


def test_a_recovery_code_logs_in_once(client_for, doc):
    recovery = enrol(client_for(doc), doc)

    assert login("doc", recovery[0]).status_code == 200
    assert login("doc", recovery[0]).status_code == 401
    with later():  # after the wrong code's wait
        assert login("doc", recovery[1].upper()).status_code == 200


def test_patients_cannot_enrol_and_enrolling_twice_is_409(client_for, doc, patient_api):
    api = client_for(doc)
    enrol(api, doc)

    assert patient_api.post("/api/auth/mfa/totp/").status_code == 403
    again = api.post("/api/auth/mfa/totp/")
    assert (again.status_code, again.data["code"]) == (409, "mfa_already_enrolled")
    assert api.post("/api/auth/mfa/totp/confirm/", {"code": "123456"}, format="json").status_code == 409


def test_disabling_needs_a_code_and_then_the_password_is_enough_again(client_for, doc):
    api = client_for(doc)
    recovery = enrol(api, doc)

    wrong = api.post("/api/auth/mfa/totp/disable/", {"code": "000000"}, format="json")
    right = api.post("/api/auth/mfa/totp/disable/", {"code": recovery[0]}, format="json")

    assert wrong.status_code == 400
    assert right.status_code == 204
    assert login("doc").status_code == 200
    assert api.post("/api/auth/mfa/totp/disable/", {"code": "1"}, format="json").status_code == 409


def test_a_required_role_without_a_second_factor_gets_an_enrolment_token_and_can_enrol(settings):
    settings.MFA_REQUIRED_ROLES = frozenset({"admin"})
    boss = UserFactory(username="boss", admin=True)
    UserFactory(username="doc", role=Role.DOCTOR)

    refused = login("boss")
    enrolment = APIClient()
    enrolment.credentials(HTTP_AUTHORIZATION=f"Bearer {refused.data['enrolment_token']}")
    other_use = enrolment.get("/api/profile/")
    begun = enrolment.post("/api/auth/mfa/totp/")
    confirmed = enrolment.post("/api/auth/mfa/totp/confirm/", {"code": code_for(boss)}, format="json")

    assert (refused.status_code, refused.data["code"]) == (403, "mfa_enrolment_required")
    assert "/api/auth/mfa/totp/" in refused.data["detail"]
    assert "access" not in refused.data
    assert other_use.status_code == 401
    assert (begun.status_code, confirmed.status_code) == (201, 200)
    with later():
        assert login("boss", code_for(boss)).status_code == 200
    assert login("doc").status_code == 200  # doctors are not required here


def test_the_enrolment_token_stops_working_when_the_tokens_are_revoked(settings):
    from accounts import services

    settings.MFA_REQUIRED_ROLES = frozenset({"admin"})
    boss = UserFactory(username="boss", admin=True)
    token = login("boss").data["enrolment_token"]
    services.tokens_revoke_all(user=boss)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    assert client.post("/api/auth/mfa/totp/").status_code == 401


def _admin_login(client, otp=""):
    return client.post("/admin/login/?next=/admin/", {"username": "boss", "password": PASSWORD, "otp": otp})


def test_the_admin_site_asks_for_the_code_once_enrolled(client, client_for):
    boss = UserFactory(username="boss", admin=True)
    enrol(client_for(boss), boss)

    with later():
        without = _admin_login(client)
        wrong = _admin_login(client, "000000")
    with later(2):
        right = _admin_login(client, code_for(boss))

    assert without.status_code == 200
    assert b"Enter the code from your authenticator app" in without.content
    assert b"That code is not right" in wrong.content
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_refuses_a_required_role_without_enrolment_and_says_how(client, settings):
    settings.MFA_REQUIRED_ROLES = frozenset({"admin"})
    UserFactory(username="boss", admin=True)

    response = _admin_login(client)

    assert response.status_code == 200
    assert b"/api/auth/mfa/totp/" in response.content
    assert "_auth_user_id" not in client.session


def test_an_admin_removes_a_lost_second_factor_in_the_admin(client, client_for, doc):
    enrol(client_for(doc), doc)
    client.force_login(UserFactory(admin=True))

    response = client.post(
        "/admin/accounts/user/", {"action": "remove_second_factor", "_selected_action": [doc.pk]}, follow=True
    )

    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=doc).exists()
    assert login("doc").status_code == 200


def _required_roles(**env) -> str:
    environ = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "api.clinic.example",
        **env,
    }
    script = "from django.conf import settings; print(sorted(settings.MFA_REQUIRED_ROLES))"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return (result.stdout.strip().splitlines() or [""])[-1] + result.stderr[-300:]


def test_mfa_required_roles_default_to_admins_in_production_and_none_in_debug():
    assert _required_roles() == "['admin']"
    assert _required_roles(DJANGO_DEBUG="1") == "[]"
    assert _required_roles(MFA_REQUIRED_ROLES="admin,receptionist,doctor") == "['admin', 'doctor', 'receptionist']"
    assert _required_roles(MFA_REQUIRED_ROLES="none") == "[]"
    assert "MFA_REQUIRED_ROLES" in _required_roles(MFA_REQUIRED_ROLES="patient")
