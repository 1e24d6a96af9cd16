"""What Idempotency-Key keeps, and for how long: no "try again" answer is stored, bodies are
fingerprinted under the secret key, and keys past their window are pruned."""

import hashlib
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command

from appointments.models import Appointment
from config.idempotency import fingerprint
from config.models import IdempotencyRecord
from tests.test_idempotency import MONDAY_8AM, NEW_USER, book

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(MONDAY_8AM, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("code", ["concurrent_update", "idempotency_in_progress"])
def test_a_try_again_409_is_not_stored_and_the_retry_runs_again(patient_api, doctor, monkeypatch, code):
    from appointments.views import appointments
    from config.exceptions import ConflictError

    real = appointments.services.appointment_book

    def lose_a_race(**kwargs):
        raise ConflictError("Someone changed this at the same moment; try again.", code)

    monkeypatch.setattr(appointments.services, "appointment_book", lose_a_race)
    lost = book(patient_api, doctor, "k-6")
    monkeypatch.setattr(appointments.services, "appointment_book", real)

    retried = book(patient_api, doctor, "k-6")

    assert (lost.status_code, lost.json()["code"]) == (409, code)
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    assert Appointment.objects.count() == 1


def test_the_stored_fingerprint_is_keyed_so_a_password_cannot_be_guessed_from_it(anon, settings):
    body = NEW_USER | {"password": "a-long-enough-pass"}
    anon.post("/api/auth/register/", body, format="json", HTTP_IDEMPOTENCY_KEY="signup")
    stored = IdempotencyRecord.objects.get().fingerprint

    assert stored != hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    settings.SECRET_KEY = "another-key-" + "y" * 50
    assert fingerprint(body) != stored


def test_keys_past_their_window_are_pruned_by_the_command_the_worker_runs(patient_api, doctor, clock):
    book(patient_api, doctor, "old")
    clock.shift(timedelta(hours=23))
    book(patient_api, doctor, "recent", start="2030-01-07T09:30:00Z")
    clock.shift(timedelta(hours=1, minutes=1))

    call_command("prune_idempotency_keys", verbosity=0)

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
