"""Sign-up: the same 202 whatever happened, an unverified account, and the e-mail that tells."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from accounts.models import Role, User
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

PHRASE = "a-long-and-unusual-phrase"


@pytest.fixture
def sign_up(anon, django_capture_on_commit_callbacks):
    """POST auth/register/ and run what it queued after commit (the e-mail)."""

    def post(client=anon, **overrides):
        body = {
            "username": "newbie",
            "email": "newbie@example.com",
            "password": PHRASE,
            "first_name": "New",
            "last_name": "Patient",
        } | overrides
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/auth/register/", body, format="json")

    return post


def link_in(message) -> dict[str, str]:
    uid, token = re.search(r"\?uid=([\w-]+)&token=([\w-]+)", message.body).groups()
    return {"uid": uid, "token": token}


def login(anon, username="newbie", password=PHRASE):
    return anon.post("/api/token/", {"username": username, "password": password}, format="json")


def test_sign_up_answers_202_creates_an_unverified_patient_and_emails_a_link(sign_up, anon, settings):
    response = sign_up(date_of_birth="1990-05-01", sex="female", allergies="Penicillin")

    assert response.status_code == 202, response.data
    assert set(response.data) == {"detail"}
    user = User.objects.get(username="newbie")
    assert (user.role, user.is_active, user.email_verified) == (Role.PATIENT, True, False)
    assert user.check_password(PHRASE)
    assert user.patient_profile.allergies == "Penicillin"
    [message] = mail.outbox
    assert message.to == ["newbie@example.com"]
    assert f"{settings.ACCOUNT_LINK_BASE_URL}/verify-email/?uid=" in message.body
    assert login(anon).status_code == 401


@pytest.mark.parametrize(
    ("field", "value", "told"),
    [("username", "NewBie", "username NewBie is already taken"), ("email", "NEWBIE@example.com", "already have")],
)
def test_a_taken_username_or_email_answers_exactly_the_same_and_only_the_email_tells(sign_up, field, value, told):
    fresh = sign_up(username="someone", email="someone@example.com")
    mail.outbox.clear()
    UserFactory(username="newbie", email="newbie@example.com")
    overrides = {"username": "other", "email": "other@example.com", field: value}

    taken = sign_up(**overrides)

    assert (taken.status_code, taken.data) == (fresh.status_code, fresh.data)
    assert not User.objects.filter(username="other").exists()
    [message] = mail.outbox
    assert message.to == [overrides["email"].lower() if field == "username" else "newbie@example.com"]
    assert told in message.body
    assert "uid=" not in message.body


def test_signing_up_again_before_verifying_sends_a_new_link(sign_up, anon):
    sign_up()
    sign_up(username="newbie2")

    assert User.objects.filter(email="newbie@example.com").count() == 1
    assert len(mail.outbox) == 2
    second = link_in(mail.outbox[1])
    assert anon.post("/api/auth/verify-email/", second, format="json").status_code == 200


def test_the_link_verifies_once_and_then_the_account_logs_in(sign_up, anon):
    sign_up()
    link = link_in(mail.outbox[0])

    first = anon.post("/api/auth/verify-email/", link, format="json")
    again = anon.post("/api/auth/verify-email/", link, format="json")

    assert first.status_code == 200
    assert again.status_code == 400
    assert "invalid, already used or expired" in again.data["token"][0]
    assert User.objects.get(username="newbie").email_verified
    assert login(anon).status_code == 200


def test_the_link_expires(sign_up, anon, settings):
    sign_up()
    link = link_in(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.EMAIL_VERIFICATION_TIMEOUT + 60)):
        response = anon.post("/api/auth/verify-email/", link, format="json")

    assert response.status_code == 400
    assert not User.objects.get(username="newbie").email_verified


@pytest.mark.parametrize(
    "link", [{"uid": "MQ", "token": "abc-def"}, {"uid": "!!", "token": "x"}, {"uid": "", "token": ""}]
)
def test_a_forged_or_broken_link_is_400(anon, link):
    UserFactory()

    assert anon.post("/api/auth/verify-email/", link, format="json").status_code == 400


def test_the_verification_page_confirms_on_the_button_not_on_opening(sign_up, client):
    sign_up()
    link = link_in(mail.outbox[0])

    opened = client.get("/account/verify-email/", link)
    assert opened.status_code == 200
    assert not User.objects.get(username="newbie").email_verified
    pressed = client.post("/account/verify-email/", link)

    assert pressed.status_code == 200
    assert b"confirmed" in pressed.content
    assert User.objects.get(username="newbie").email_verified


def test_register_refuses_a_birth_date_in_the_future(sign_up):
    response = sign_up(date_of_birth="2999-01-01")

    assert response.status_code == 400
    assert "future" in response.data["date_of_birth"][0]
    assert not User.objects.filter(username="newbie").exists()


def test_register_refuses_a_national_id_whether_or_not_it_is_on_file(sign_up):
    PatientFactory(national_id="AB123456")

    on_file = sign_up(national_id="AB123456")
    new = sign_up(national_id="ZZ999999")

    assert on_file.status_code == new.status_code == 400
    assert on_file.data == new.data
    assert "national_id" in on_file.data
    assert not User.objects.filter(username="newbie").exists()


def test_register_refuses_role_and_staff_flags_in_the_body_by_name(sign_up):
    response = sign_up(role="admin", is_superuser=True, is_staff=True, email_verified=True)

    assert response.status_code == 400
    assert set(response.data) == {"role", "is_superuser", "is_staff", "email_verified"}
    assert not User.objects.filter(username="newbie").exists()
    assert sign_up().status_code == 202
    user = User.objects.get(username="newbie")
    assert (user.role, user.is_superuser, user.is_staff, user.email_verified) == (Role.PATIENT, False, False, False)


@pytest.mark.parametrize("password", ["short1", "password123", "12345678901", "newbie1234", "éééééééééé"])
def test_register_refuses_a_weak_password_with_a_reason(sign_up, password):
    response = sign_up(password=password)

    assert response.status_code == 400
    assert response.data["password"]
    assert not User.objects.filter(username="newbie").exists()


def test_register_refuses_an_at_sign_in_the_username(sign_up):
    response = sign_up(username="someone@example.com")

    assert response.status_code == 400
    assert "username" in response.data


def test_register_requires_email_and_names(anon):
    response = anon.post("/api/auth/register/", {"username": "x", "password": PHRASE}, format="json")

    assert response.status_code == 400
    assert set(response.data) >= {"email", "first_name", "last_name"}


def test_register_is_throttled_after_ten_sign_ups_an_hour(sign_up):
    statuses = [sign_up(username=f"u{i}", email=f"u{i}@example.com").status_code for i in range(11)]

    assert statuses[:10] == [202] * 10
    assert statuses[10] == 429


def test_a_different_x_forwarded_for_on_each_sign_up_does_not_escape_the_limit(sign_up):
    from rest_framework.test import APIClient

    statuses = [
        sign_up(
            APIClient(HTTP_X_FORWARDED_FOR=f"203.0.113.{i}"), username=f"u{i}", email=f"u{i}@example.com"
        ).status_code
        for i in range(25)
    ]

    assert statuses.count(202) == 10
    assert statuses[10:] == [429] * 15


def test_the_sign_up_service_refuses_a_weak_password_given_to_it_directly():
    from django.core.exceptions import ValidationError

    from patients.services import patient_sign_up

    account = {"username": "newbie", "email": "newbie@example.com", "password": "short", "first_name": "N"}
    with pytest.raises(ValidationError) as refused:
        patient_sign_up(account=account)

    assert "password" in refused.value.message_dict
    assert not User.objects.filter(username="newbie").exists()


def test_a_sign_up_that_loses_a_race_for_the_username_is_told_by_email(sign_up, monkeypatch):
    from django.db import IntegrityError

    from accounts import services

    def lose_the_race(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: accounts_user_username_ci_unique")

    monkeypatch.setattr(services, "user_create", lose_the_race)

    response = sign_up()

    assert response.status_code == 202
    [message] = mail.outbox
    assert "already taken" in message.body
