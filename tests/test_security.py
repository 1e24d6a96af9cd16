"""Security checks that SECURITY.md points to: mass assignment, forged tokens, rate limits, CORS,
production headers, error bodies that reveal nothing, and request size limits."""

import base64
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jwt
import pytest
import time_machine
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts import services
from accounts.models import Role, User
from appointments.models import Appointment
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


# --- Mass assignment: fields nobody may set through these bodies ----------------------------------


def test_sign_up_refuses_role_staff_and_record_fields_it_does_not_offer_by_name(anon):
    body = {
        "username": "eve",
        "email": "eve@example.com",
        "password": "a-long-unusual-phrase",
        "first_name": "Eve",
        "last_name": "Smith",
        "role": "admin",
        "is_superuser": True,
        "is_staff": True,
        "is_active": False,
        "notes": "VIP",
        "national_id": "X-1",
        "id": 1,
        "user_id": 1,
    }

    response = anon.post("/api/auth/register/", body, format="json")

    assert response.status_code == 400
    refused = {"role", "is_superuser", "is_staff", "is_active", "notes", "national_id", "id", "user_id"}
    assert set(response.data) == refused
    assert "the fields you may send are" in response.data["role"][0]
    assert not User.objects.filter(username="eve").exists()
    clean = {k: v for k, v in body.items() if k not in refused}
    assert anon.post("/api/auth/register/", clean, format="json").status_code == 202
    eve = User.objects.get(username="eve")
    assert (eve.role, eve.is_superuser, eve.is_active, eve.email_verified) == (Role.PATIENT, False, True, False)


def test_profile_refuses_role_username_active_and_doctor_credentials_by_name(doctor_api, doctor):
    response = doctor_api.patch(
        "/api/profile/",
        {
            "role": "admin",
            "username": "root",
            "is_active": False,
            "is_superuser": True,
            "doctor": {"licence_number": "FORGED", "consultation_fee": "0.01", "user_id": 1, "id": 999},
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data) == {"role", "username", "is_active", "is_superuser"}
    doctor.refresh_from_db()
    doctor.user.refresh_from_db()
    assert (doctor.user.role, doctor.user.username, doctor.user.is_active) == ("doctor", "doc", True)
    assert doctor.licence_number != "FORGED"
    assert str(doctor.consultation_fee) == "100.00"
    nested = doctor_api.patch("/api/profile/", {"doctor": {"licence_number": "FORGED", "id": 999}}, format="json")
    assert nested.status_code == 400
    assert set(nested.data["doctor"]) == {"licence_number", "id"}
    doctor.refresh_from_db()
    assert doctor.licence_number != "FORGED"


@time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False)
def test_booking_refuses_status_fee_and_creator_in_the_body(patient_api, patient, doctor):
    someone_else = UserFactory()

    response = patient_api.post(
        "/api/appointments/",
        {
            "doctor": doctor.pk,
            "start": "2030-01-07T09:00:00Z",
            "status": "completed",
            "fee": "0.00",
            "created_by": someone_else.pk,
            "end": "2030-01-08T09:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data) == {"status", "fee", "created_by", "end"}
    assert not Appointment.objects.exists()


@time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False)
def test_booking_for_another_patient_by_id_is_refused(patient_api, doctor):
    other = PatientFactory()

    response = patient_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "patient": other.pk, "start": "2030-01-07T09:00:00Z"}, format="json"
    )

    assert response.status_code == 400
    assert not Appointment.objects.filter(patient=other).exists()


def test_editing_an_appointment_cannot_move_it_to_another_patient_or_doctor(patient_api, patient):
    appointment = AppointmentFactory(patient=patient)
    doctor_id, start = appointment.doctor_id, appointment.start
    other_patient, other_doctor = PatientFactory(), DoctorFactory()

    response = patient_api.patch(
        f"/api/appointments/{appointment.pk}/",
        {"patient": other_patient.pk, "doctor": other_doctor.pk, "start": "2031-01-01T09:00:00Z", "fee": "1"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.data) == {"patient", "doctor", "start", "fee"}
    appointment.refresh_from_db()
    assert (appointment.patient, appointment.doctor_id, appointment.start) == (patient, doctor_id, start)
    assert str(appointment.fee) == "100.00"


# --- Forged, expired and unsigned tokens ------------------------------------------------------------


def _parts(token: str):
    header, payload, signature = token.split(".")
    return header, payload, signature


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _access(user) -> str:
    return services.tokens_for_user(user=user)["access"]


def test_a_token_with_a_tampered_payload_is_401(patient_account):
    header, payload, signature = _parts(_access(patient_account))
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["user_id"] = str(UserFactory(admin=True).pk)

    response = bearer(f"{header}.{_b64(claims)}.{signature}").get("/api/users/")

    assert response.status_code == 401


def test_a_token_signed_with_another_key_is_401(patient_account):
    claims = AccessToken(_access(patient_account)).payload
    forged = jwt.encode(claims, "not-the-server-key-" + "x" * 40, algorithm="HS256")

    assert bearer(forged).get("/api/profile/").status_code == 401


def test_an_unsigned_alg_none_token_is_401(patient_account):
    claims = AccessToken(_access(patient_account)).payload
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(claims)}."

    assert bearer(unsigned).get("/api/profile/").status_code == 401


def test_an_expired_token_is_401(patient_account):
    token = _access(patient_account)

    with time_machine.travel(datetime.now(UTC) + settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] + timedelta(seconds=1)):
        response = bearer(token).get("/api/profile/")

    assert response.status_code == 401


def test_a_refresh_token_is_not_an_access_token(anon):
    UserFactory(username="dora")
    tokens = anon.post("/api/token/", {"username": "dora", "password": "correct-horse-battery"}, format="json").data

    assert bearer(tokens["refresh"]).get("/api/profile/").status_code == 401


# --- Rate limits (see also tests/accounts/test_auth.py) ------------------------------------------------


def test_token_refresh_is_rate_limited_too(anon):
    statuses = [anon.post("/api/token/refresh/", {"refresh": "x"}, format="json").status_code for _ in range(21)]

    assert statuses[-1] == 429
    assert set(statuses[:20]) == {401}
