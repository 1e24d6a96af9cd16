"""Idempotency-Key on creating POSTs: a retry gets the first answer and creates nothing."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from appointments.models import Appointment, Status
from config.idempotency import fingerprint
from config.models import IdempotencyRecord
from doctors.models import Doctor, Specialization, TimeOff
from patients.models import Assignment, Patient
from prescriptions.models import Prescription
from tests.clock import MONDAY_8AM
from tests.conftest import TokenClient
from tests.factories import AppointmentFactory, PatientFactory, SpecializationFactory
from treatments.models import Treatment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]


def book(api, doctor, key, start="2030-01-07T09:00:00Z", **extra):
    body = {"doctor": doctor.pk, "start": start} | extra
    return api.post("/api/appointments/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retry_with_the_same_key_and_body_gets_the_first_answer_and_books_once(patient_api, doctor):
    first = book(patient_api, doctor, "k-1")
    again = book(patient_api, doctor, "k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Appointment.objects.count() == 1


def test_the_same_key_with_another_body_is_422(patient_api, doctor):
    book(patient_api, doctor, "k-1")

    other = book(patient_api, doctor, "k-1", start="2030-01-07T09:30:00Z")

    assert other.status_code == 422
    assert "another request body" in other.json()["detail"]
    assert Appointment.objects.count() == 1


def test_keys_belong_to_their_caller(client_for, doctor):
    first = book(client_for(PatientFactory().user), doctor, "shared")
    second = book(client_for(PatientFactory().user), doctor, "shared", start="2030-01-07T09:30:00Z")

    assert (first.status_code, second.status_code) == (201, 201)
    assert Appointment.objects.count() == 2


def test_a_refusal_is_replayed_too_and_nothing_is_booked(client_for, patient_api, doctor):
    taken = AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
    refused = book(patient_api, doctor, "k-2")
    taken.status, taken.cancelled_at = Status.CANCELLED, MONDAY_8AM
    taken.save()

    replayed = book(patient_api, doctor, "k-2")  # the slot is free now; the answer stays the first

    assert (refused.status_code, refused.json()["code"]) == (409, "doctor_busy")
    assert replayed.status_code == 409 and replayed.json() == refused.json()
    assert not Appointment.objects.filter(status=Status.SCHEDULED).exists()


def test_a_server_error_is_not_stored_and_the_retry_runs_again(patient_api, doctor, monkeypatch):
    from appointments.views import appointments

    real = appointments.services.appointment_book
    monkeypatch.setattr(appointments.services, "appointment_book", lambda **kw: 1 / 0)
    patient_api.raise_request_exception = False
    failed = book(patient_api, doctor, "k-3")
    monkeypatch.setattr(appointments.services, "appointment_book", real)

    retried = book(patient_api, doctor, "k-3")

    assert failed.status_code == 500
    assert retried.status_code == 201
    assert Appointment.objects.count() == 1


def test_a_request_still_running_with_the_key_answers_409_until_its_lease_runs_out(
    patient_api, patient, doctor, monday_8am
):
    IdempotencyRecord.objects.create(
        owner=f"user:{patient.user_id}",
        method="POST",
        path="/api/appointments/",
        key="k-4",
        fingerprint=fingerprint({"doctor": doctor.pk, "start": "2030-01-07T10:00:00Z"}),
        started_at=MONDAY_8AM,
    )

    busy = book(patient_api, doctor, "k-4", start="2030-01-07T10:00:00Z")
    monday_8am.shift(timedelta(seconds=61))  # the first request died: its claim may be taken over
    taken_over = book(patient_api, doctor, "k-4", start="2030-01-07T10:00:00Z")

    assert (busy.status_code, busy.json().get("code")) == (409, "idempotency_in_progress"), busy.json()
    assert taken_over.status_code == 201
    assert Appointment.objects.count() == 1


def test_a_key_may_be_used_anew_after_24_hours(patient_api, doctor, monday_8am):
    book(patient_api, doctor, "k-5")
    monday_8am.shift(timedelta(hours=24, minutes=1))

    later = book(patient_api, doctor, "k-5", start="2030-01-08T10:00:00Z")

    assert later.status_code == 201
    assert Appointment.objects.count() == 2


def test_a_key_that_is_no_key_is_400(patient_api, doctor):
    assert book(patient_api, doctor, "x" * 256).status_code == 400
    assert book(patient_api, doctor, "  ").status_code == 400
    assert not Appointment.objects.exists()


def test_anonymous_sign_up_is_keyed_by_the_client_address(anon):
    body = {
        "username": "newbie",
        "email": "new@example.com",
        "password": "a-long-enough-pass",
        "first_name": "N",
        "last_name": "B",
    }

    first = anon.post("/api/auth/register/", body, format="json", HTTP_IDEMPOTENCY_KEY="signup", REMOTE_ADDR="10.0.0.1")
    again = anon.post("/api/auth/register/", body, format="json", HTTP_IDEMPOTENCY_KEY="signup", REMOTE_ADDR="10.0.0.1")

    assert first.status_code == again.status_code
    assert again["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.get().owner == "ip:10.0.0.1"


def test_the_same_prescription_posted_twice_with_a_key_is_issued_once(doctor_api, doctor):
    visit = AppointmentFactory(doctor=doctor, status=Status.COMPLETED)
    body = {
        "appointment": visit.pk,
        "items": [
            {
                "medication_name": "Amoxicillin",
                "strength": "500 mg",
                "frequency": "3x daily",
                "duration_days": 7,
                "quantity": 21,
            }
        ],
    }

    first = doctor_api.post("/api/prescriptions/", body, format="json", HTTP_IDEMPOTENCY_KEY="rx-1")
    again = doctor_api.post("/api/prescriptions/", body, format="json", HTTP_IDEMPOTENCY_KEY="rx-1")
    by_alias = doctor_api.post("/api/prescriptions/create/", body, format="json", HTTP_IDEMPOTENCY_KEY="rx-2")
    alias_again = doctor_api.post("/api/prescriptions/create/", body, format="json", HTTP_IDEMPOTENCY_KEY="rx-2")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert alias_again.json() == by_alias.json()
    assert Prescription.objects.count() == 2  # one per key


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_posts_with_one_key_book_once(doctor):
    patient = PatientFactory()
    barrier = threading.Barrier(10)
    results = [None] * 10

    def post(i):
        try:
            barrier.wait(timeout=30)
            results[i] = book(TokenClient(patient.user), doctor, "race")
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Appointment.objects.count() == 1
    codes = [r.status_code for r in results]
    assert set(codes) <= {201, 409} and 201 in codes
    assert all(r.json()["code"] == "idempotency_in_progress" for r in results if r.status_code == 409)
    assert len({str(r.json()) for r in results if r.status_code == 201}) == 1


RX_ITEM = {"medication_name": "Amoxicillin", "strength": "500 mg", "frequency": "3x daily", "duration_days": 7}
NEW_USER = {"username": "newbie", "email": "new@example.com", "first_name": "N", "last_name": "B"}
# Every creating POST of issue 16 (6): who posts, where, the body (built from a doctor, a visit
# that took place and a patient of no doctor yet), and the table that gains the one row.
CREATING_POSTS = {
    "appointments": (
        "patient",
        "/api/appointments/",
        lambda d, v, p: {"doctor": d.pk, "start": "2030-01-07T09:00:00Z"},
        Appointment,
    ),
    "appointments/book": (
        "patient",
        "/api/appointments/book/",
        lambda d, v, p: {"doctor": d.pk, "start": "2030-01-07T09:00:00Z"},
        Appointment,
    ),
    "treatments": ("doctor", "/api/treatments/", lambda d, v, p: {"appointment": v.pk, "diagnosis": "Flu"}, Treatment),
    "prescriptions": (
        "doctor",
        "/api/prescriptions/",
        lambda d, v, p: {"appointment": v.pk, "items": [RX_ITEM | {"quantity": 21}]},
        Prescription,
    ),
    "prescriptions/create": (
        "doctor",
        "/api/prescriptions/create/",
        lambda d, v, p: {"appointment": v.pk, "items": [RX_ITEM | {"quantity": 21}]},
        Prescription,
    ),
    "patients": (
        "admin",
        "/api/patients/",
        lambda d, v, p: {
            "date_of_birth": "1950-01-01",
            "user": {"username": "walkin", "first_name": "W", "last_name": "I"},
        },
        Patient,
    ),
    "doctors": (
        "admin",
        "/api/doctors/",
        lambda d, v, p: {
            "user": NEW_USER | {"username": "dr.new", "password": "a-long-unusual-phrase"},
            "specialization": d.specialization_id,
            "licence_number": "LIC-NEW-1",
            "consultation_fee": "95.50",
        },
        Doctor,
    ),
    "register": ("anon", "/api/auth/register/", lambda d, v, p: NEW_USER | {"password": "a-long-enough-pass"}, Patient),
    "time off": (
        "admin",
        "/api/doctors/{doctor}/time-off/",
        lambda d, v, p: {"start": "2030-02-04T09:00:00Z", "end": "2030-02-04T12:00:00Z"},
        TimeOff,
    ),
    "assignments": ("admin", "/api/assignments/", lambda d, v, p: {"doctor": d.pk, "patient": p.pk}, Assignment),
    "specializations": ("admin", "/api/specializations/", lambda d, v, p: {"name": "Oncology"}, Specialization),
}


def _changed(body: dict) -> dict:
    """The same request with one value changed (the first key holding a plain value)."""
    name = next(key for key, value in body.items() if isinstance(value, (str, int)))
    return body | {name: f"{body[name]}0" if isinstance(body[name], str) else body[name] + 1}


@pytest.mark.parametrize("endpoint", CREATING_POSTS)
def test_every_creating_post_replays_one_key_and_refuses_it_with_another_body(
    endpoint, anon, admin_api, doctor_api, patient_api, doctor
):
    who, path, build, model = CREATING_POSTS[endpoint]
    api = {"anon": anon, "admin": admin_api, "doctor": doctor_api, "patient": patient_api}[who]
    SpecializationFactory(name="Cardiology")
    body = build(doctor, AppointmentFactory(doctor=doctor, status=Status.COMPLETED), PatientFactory())
    path = path.format(doctor=doctor.pk)
    before = model.objects.count()

    first = api.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    again = api.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    other = api.post(path, _changed(body), format="json", HTTP_IDEMPOTENCY_KEY="once")

    assert first.status_code in (201, 202), first.json()
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert other.status_code == 422, other.json()
    assert model.objects.count() == before + 1
