"""The receptionist through the API: every doctor's schedule and every patient's demographics,
booking and running the day for anyone, walk-ins; never clinical content."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import AuditEvent, Role, User
from appointments.models import Appointment, Status
from patients.models import Patient
from tests.factories import (
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    PatientFactory,
    PrescriptionFactory,
    TreatmentFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]


@pytest.fixture
def day(doctor):
    """A patient with clinical notes and allergies, a booked visit with doctor's notes, a finished
    visit with a treatment and a prescription."""
    patient = PatientFactory(notes="Anxious about needles", allergies="Penicillin", blood_group="O+", national_id="N-1")
    booked = AppointmentFactory(
        doctor=doctor, patient=patient, start=datetime(2030, 1, 7, 10, tzinfo=UTC), notes="Check the rash"
    )
    done = AppointmentFactory(
        doctor=doctor, patient=patient, start=datetime(2030, 1, 3, 10, tzinfo=UTC), status=Status.COMPLETED
    )
    treatment = TreatmentFactory(appointment=done)
    prescription = PrescriptionFactory(appointment=done)
    return {"patient": patient, "booked": booked, "done": done, "treatment": treatment, "prescription": prescription}


def test_the_desk_sees_demographics_without_the_clinical_fields(receptionist_api, day):
    patient = receptionist_api.get(f"/api/patients/{day['patient'].pk}/").data
    listed = receptionist_api.get("/api/patients/").data["results"][0]

    for record in (patient, listed):
        assert record["national_id"] == "N-1" and "date_of_birth" in record and "insurance_number" in record
        assert not {"notes", "allergies", "blood_group"} & set(record)


def test_the_desk_sees_every_appointment_without_the_doctors_notes(receptionist_api, day):
    other = AppointmentFactory(doctor=DoctorFactory(), start=datetime(2030, 1, 8, 9, tzinfo=UTC))

    rows = receptionist_api.get("/api/appointments/").data["results"]
    one = receptionist_api.get(f"/api/appointments/{day['booked'].pk}/").data

    assert {row["id"] for row in rows} == {day["booked"].pk, day["done"].pk, other.pk}
    assert "notes" not in one and all("notes" not in row for row in rows)
    assert one["reason"] == "Check-up"


@pytest.mark.parametrize(
    "path",
    [
        "/api/treatments/",
        "/api/prescriptions/",
        "/api/patients/{patient}/history/",
        "/api/reports/summary/",
        "/api/audit-events/",
        "/api/users/",
    ],
)
def test_whole_clinical_and_admin_endpoints_are_403(receptionist_api, day, path):
    response = receptionist_api.get(path.format(patient=day["patient"].pk))

    assert response.status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/api/treatments/{treatment}/",
        "/api/prescriptions/{prescription}/",
        "/api/prescriptions/{prescription}/pdf/",
        "/api/treatments/{treatment}/revisions/",
    ],
)
def test_each_clinical_record_is_404(receptionist_api, day, path):
    response = receptionist_api.get(path.format(treatment=day["treatment"].pk, prescription=day["prescription"].pk))

    assert response.status_code == 404


def test_the_desk_cannot_record_clinical_content(receptionist_api, day):
    treatment = receptionist_api.post(
        "/api/treatments/", {"appointment": day["done"].pk, "diagnosis": "Flu"}, format="json"
    )
    prescription = receptionist_api.post(
        "/api/prescriptions/",
        {
            "appointment": day["done"].pk,
            "items": [{"medication_name": "X", "strength": "1", "frequency": "1", "duration_days": 1, "quantity": 1}],
        },
        format="json",
    )

    assert (treatment.status_code, prescription.status_code) == (403, 403)


def test_the_desk_books_for_any_patient_inside_the_notice_too(receptionist_api, doctor, monday_8am):
    patient = PatientFactory()
    monday_8am.move_to(datetime(2030, 1, 7, 8, 45, tzinfo=UTC))

    response = receptionist_api.post(
        "/api/appointments/",
        {"doctor": doctor.pk, "patient": patient.pk, "start": "2030-01-07T09:00:00Z"},
        format="json",
    )

    assert response.status_code == 201, response.data
    assert "notes" not in response.data
    assert Appointment.objects.get(pk=response.data["id"]).created_by.role == Role.RECEPTIONIST


def test_the_desk_runs_the_day_but_does_not_complete_visits(receptionist_api, day, monday_8am):
    url = f"/api/appointments/{day['booked'].pk}"

    confirmed = receptionist_api.post(f"{url}/confirm/", {}, format="json")
    moved = receptionist_api.post(f"{url}/reschedule/", {"start": "2030-01-07T11:00:00Z"}, format="json")
    receptionist_api.post(f"{url}/confirm/", {}, format="json")
    monday_8am.move_to(datetime(2030, 1, 7, 10, 55, tzinfo=UTC))
    checked_in = receptionist_api.post(f"{url}/check-in/", {}, format="json")
    completed = receptionist_api.post(f"{url}/complete/", {}, format="json")

    assert [r.status_code for r in (confirmed, moved, checked_in)] == [200, 200, 200]
    assert (completed.status_code, completed.data["detail"]) == (403, "Only the doctor or an admin completes a visit.")
    assert Appointment.objects.get(pk=day["booked"].pk).status == Status.CHECKED_IN


def test_the_desk_cancels_and_marks_no_shows(receptionist_api, doctor, monday_8am):
    first = AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 7, 9, tzinfo=UTC))
    second = AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 7, 13, tzinfo=UTC))

    cancelled = receptionist_api.post(f"/api/appointments/{second.pk}/cancel/", {"reason": "Called in"}, format="json")
    monday_8am.move_to(datetime(2030, 1, 7, 9, 20, tzinfo=UTC))
    no_show = receptionist_api.post(f"/api/appointments/{first.pk}/no-show/", {}, format="json")

    assert (cancelled.status_code, no_show.status_code) == (200, 200)
    assert Appointment.objects.get(pk=second.pk).cancelled_by.role == Role.RECEPTIONIST


def test_the_desk_cannot_write_the_doctors_notes(receptionist_api, day):
    response = receptionist_api.patch(f"/api/appointments/{day['booked'].pk}/", {"notes": "mine"}, format="json")

    assert response.status_code == 400
    assert Appointment.objects.get(pk=day["booked"].pk).notes == "Check the rash"


def test_the_desk_registers_a_walk_in_patient(receptionist_api):
    body = {
        "user": {"username": "walkin", "first_name": "Wal", "last_name": "King"},
        "date_of_birth": "1990-02-03",
        "national_id": "N-77",
    }

    response = receptionist_api.post("/api/patients/", body, format="json")

    assert response.status_code == 201, response.data
    assert Patient.objects.get(national_id="N-77").user.username == "walkin"
    assert AuditEvent.objects.filter(action="create", object_type="patient", role="receptionist").exists()


def test_a_national_id_on_file_is_refused_naming_no_one(receptionist_api, day):
    body = {"user": {"username": "again", "first_name": "Some", "last_name": "One"}, "national_id": "N-1"}

    response = receptionist_api.post("/api/patients/", body, format="json")

    assert response.status_code == 409
    assert response.data == {
        "detail": "A patient with this national id is already on file.",
        "code": "duplicate_national_id",
    }
    assert not User.objects.filter(username="again").exists()


def test_the_same_name_and_birthday_needs_confirming(receptionist_api):
    PatientFactory(user__first_name="Ann", user__last_name="Lee", date_of_birth="1980-05-06")
    body = {"user": {"username": "ann2", "first_name": "ann", "last_name": "LEE"}, "date_of_birth": "1980-05-06"}

    asked = receptionist_api.post("/api/patients/", body, format="json")
    confirmed = receptionist_api.post("/api/patients/", body | {"confirm_duplicate": True}, format="json")

    assert (asked.status_code, asked.data["code"]) == (409, "possible_duplicate")
    assert confirmed.status_code == 201, confirmed.data
    assert Patient.objects.filter(user__last_name__iexact="lee").count() == 2


def test_the_desk_keeps_demographics_but_not_clinical_fields(receptionist_api, day):
    response = receptionist_api.patch(
        f"/api/patients/{day['patient'].pk}/", {"address": "2 New Road", "insurance_number": "INS-9"}, format="json"
    )

    assert response.status_code == 200, response.data
    patient = Patient.objects.get(pk=day["patient"].pk)
    assert (patient.address, patient.insurance_number, patient.allergies) == ("2 New Road", "INS-9", "Penicillin")


def test_the_desks_reads_are_audited(receptionist_api, receptionist_account, day):
    receptionist_api.get(f"/api/patients/{day['patient'].pk}/")

    event = AuditEvent.objects.get(action="read", object_type="patient")
    assert (event.actor, event.role, event.patient_id) == (receptionist_account, "receptionist", day["patient"].pk)


def test_admins_create_receptionists(admin_api):
    response = admin_api.post(
        "/api/users/",
        {
            "username": "frontdesk",
            "email": "desk@example.com",
            "password": "a-long-enough-pass",
            "role": "receptionist",
        },
        format="json",
    )

    assert response.status_code == 201, response.data
    desk = User.objects.get(username="frontdesk")
    assert (desk.role, desk.is_staff, desk.is_superuser) == ("receptionist", True, False)


def test_the_desk_sees_assignments_without_their_reason(receptionist_api):
    AssignmentFactory(reason_for_assignment="Diabetes follow-up")

    row = receptionist_api.get("/api/assignments/").data["results"][0]

    assert "reason_for_assignment" not in row
    assert row["doctor"]["full_name"]


def test_a_walk_in_starts_now(receptionist_api, doctor, monday_8am):
    monday_8am.move_to(datetime(2030, 1, 7, 9, 12, tzinfo=UTC))
    patient = PatientFactory()

    response = receptionist_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "patient": patient.pk, "walk_in": True}, format="json"
    )

    assert response.status_code == 201, response.data
    assert response.data["status"] == "checked_in"
    assert response.data["start"] == "2030-01-07T09:12:00Z"
    assert datetime.fromisoformat(response.data["end"]) - datetime.fromisoformat(response.data["start"]) == timedelta(
        minutes=30
    )


def test_the_desk_role_is_not_a_superuser_or_clinician(receptionist_account):
    UserFactory(receptionist=True)

    assert not receptionist_account.has_perm("treatments.view_treatment")
    assert receptionist_account.has_module_perms("appointments")
