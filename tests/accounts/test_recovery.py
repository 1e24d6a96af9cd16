"""Password reset: always 202, a single-use expiring link by e-mail, a new password that ends
every session."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from accounts import services
from accounts.tasks import send_account_email
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW = "a-brand-new-phrase-77"


@pytest.fixture
def ask(anon, django_capture_on_commit_callbacks):
    def post(email):
        with django_capture_on_commit_callbacks(execute=True):
            return anon.post("/api/auth/password/reset/", {"email": email}, format="json")

    return post


def link_in(message) -> dict[str, str]:
    uid, token = re.search(r"/password-reset/\?uid=([\w-]+)&token=([\w-]+)", message.body).groups()
    return {"uid": uid, "token": token}


def confirm(link, password=NEW):
    return APIClient().post("/api/auth/password/reset/confirm/", {**link, "new_password": password}, format="json")


def login(password):
    return APIClient().post("/api/token/", {"username": "dora", "password": password}, format="json")


@pytest.fixture
def dora(db):
    return UserFactory(username="dora", email="dora@example.com")


def test_asking_answers_the_same_whether_or_not_the_address_has_an_account(ask, dora):
    known = ask("DORA@example.com")
    unknown = ask("nobody@example.com")

    assert known.status_code == unknown.status_code == 202
    assert known.data == unknown.data
    [message] = mail.outbox
    assert message.to == ["dora@example.com"]
    assert "1 hour" in message.body


def test_no_link_for_a_deactivated_account(ask, dora):
    services.user_deactivate(user=dora)

    assert ask("dora@example.com").status_code == 202
    assert mail.outbox == []


def test_the_link_sets_the_password_once_and_ends_every_session(ask, dora):
    old_session = services.tokens_for_user(user=dora)
    ask("dora@example.com")
    link = link_in(mail.outbox[0])

    first = confirm(link)
    second = confirm(link, "yet-another-phrase-88")

    assert first.status_code == 200
    assert second.status_code == 400
    assert "token" in second.data
    assert login(PASSWORD).status_code == 401
    assert login(NEW).status_code == 200
    old = APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Bearer {old_session['access']}")
    assert old.get("/api/profile/").status_code == 401
    assert (
        APIClient().post("/api/token/refresh/", {"refresh": old_session["refresh"]}, format="json").status_code == 401
    )


@pytest.mark.parametrize("weak", ["short", "1234567890", "abcdefghij", "password12"])
def test_the_password_validators_apply_and_the_link_still_works_after_a_refusal(ask, dora, weak):
    ask("dora@example.com")
    link = link_in(mail.outbox[0])

    refused = confirm(link, weak)

    assert refused.status_code == 400
    assert refused.data["new_password"]
    assert confirm(link).status_code == 200


def test_the_link_expires_after_password_reset_timeout(ask, dora, settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600
    ask("dora@example.com")
    link = link_in(mail.outbox[0])

    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        response = confirm(link)

    assert response.status_code == 400
    assert login(PASSWORD).status_code == 200


def test_asking_is_throttled(ask, dora):
    statuses = [ask("dora@example.com").status_code for _ in range(6)]

    assert statuses == [202] * 5 + [429]


def test_a_reset_confirms_an_unconfirmed_sign_up(ask, dora):
    dora.email_verified = False
    dora.save()
    ask("dora@example.com")

    assert confirm(link_in(mail.outbox[0])).status_code == 200
    dora.refresh_from_db()
    assert dora.email_verified


def test_the_reset_page_sets_the_password(ask, dora, client):
    ask("dora@example.com")
    link = link_in(mail.outbox[0])

    form = client.get("/account/password-reset/", link)
    differ = client.post("/account/password-reset/", {**link, "new_password": NEW, "repeat": "other"})
    done = client.post("/account/password-reset/", {**link, "new_password": NEW, "repeat": NEW})

    assert form.status_code == 200
    assert b'name="new_password"' in form.content
    assert differ.status_code == 400
    assert done.status_code == 200
    assert login(NEW).status_code == 200
    assert form["Cache-Control"] == "no-store"


def test_a_reset_email_is_queued_with_the_change_and_sent_once_however_often_its_task_runs(settings, dora):
    # The task row is written in the request's own transaction (no on-commit callback that a
    # crash after the commit could skip), and a task run again after its worker died sends once.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    services.password_reset_request(email="dora@example.com")
    [queued] = DBTaskResult.objects.filter(status="READY")
    send_account_email.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    send_account_email.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])

    [message] = mail.outbox
    assert message.to == ["dora@example.com"]
