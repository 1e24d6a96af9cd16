"""Booking, continued: who may book for whom, and input that must be a 400, never a 500."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from appointments.models import Appointment, AppointmentEvent
from tests.appointments.support import AT_9, book
from tests.factories import AppointmentFactory, AssignmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


# --- Who books for whom ---------------------------------------------------------------------


def test_a_patient_books_only_for_themselves(monday_8am, patient_api, patient, doctor):
    someone_else = PatientFactory()

    refused = book(patient_api, doctor, patient=someone_else.pk)
    with_notes = book(patient_api, doctor, patient=patient.pk, notes="staff only")
    own = book(patient_api, doctor, patient=patient.pk)

    assert refused.status_code == 400
    assert "patient" in refused.data
    assert with_notes.status_code == 400
    assert with_notes.data == {"notes": ["You may not change notes of an appointment."]}
    assert own.status_code == 201
    appointment = Appointment.objects.get()
    assert appointment.patient == patient
    assert appointment.notes == ""


def test_a_doctor_books_into_their_own_schedule_for_their_patient(monday_8am, doctor_api, doctor):
    mine = AssignmentFactory(doctor=doctor).patient
    other_doctor = DoctorFactory(weekly_hours=True)

    elsewhere = doctor_api.post(
        "/api/appointments/", {"doctor": other_doctor.pk, "patient": mine.pk, "start": AT_9}, format="json"
    )
    own = doctor_api.post("/api/appointments/", {"patient": mine.pk, "start": AT_9}, format="json")

    assert elsewhere.status_code == 403
    assert elsewhere.data["detail"] == "A doctor books into their own schedule only."
    assert own.status_code == 201, own.data
    assert Appointment.objects.get().doctor == doctor


def test_a_doctor_cannot_book_a_patient_they_may_not_see(monday_8am, doctor_api):
    stranger = PatientFactory()

    response = doctor_api.post("/api/appointments/", {"patient": stranger.pk, "start": AT_9}, format="json")

    assert response.status_code == 400
    assert "patient" in response.data
    assert not Appointment.objects.exists()


def test_an_admin_books_for_anyone_and_must_name_both(monday_8am, admin_api, patient, doctor):
    missing = admin_api.post("/api/appointments/", {"doctor": doctor.pk, "start": AT_9}, format="json")
    booked = admin_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "patient": patient.pk, "start": AT_9}, format="json"
    )

    assert missing.status_code == 400
    assert missing.data == {"patient": ["This field is required."]}
    assert booked.status_code == 201
    assert Appointment.objects.get().created_by.is_admin


# --- Bad input is a 400 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "next monday"}, "start"),
        ({"start": "2030-13-01T09:00:00Z"}, "start"),
        ({"start": ""}, "start"),
        ({"start": None}, "start"),
        ({"start": 1893920400}, "start"),
        ({"doctor": 999999}, "doctor"),
        ({"doctor": "abc"}, "doctor"),
        ({"doctor": None}, "doctor"),
        ({"reason": "x" * 10_000}, "reason"),
        ({"start": "9999-12-31T23:59:59+14:00"}, "start"),
    ],
)
def test_malformed_bookings_are_400_with_the_field(monday_8am, patient_api, doctor, body, field):
    response = patient_api.post("/api/appointments/", {"doctor": doctor.pk, "start": AT_9} | body, format="json")

    assert response.status_code == 400, response.data
    assert field in response.data
    assert not Appointment.objects.exists()


def test_an_unknown_patient_id_is_400_for_an_admin(monday_8am, admin_api, doctor):
    response = admin_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "patient": 999999, "start": AT_9}, format="json"
    )

    assert response.status_code == 400
    assert "patient" in response.data


@pytest.mark.parametrize("body", ["{not json", "", "[]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_400(monday_8am, patient_api, body):
    response = patient_api.post("/api/appointments/", body, content_type="application/json")

    assert response.status_code == 400


def test_a_naive_datetime_is_read_in_the_clinic_time_zone(monday_8am, settings, patient_api):
    settings.TIME_ZONE = "America/New_York"
    doctor = DoctorFactory(weekly_hours=True, time_zone="America/New_York")

    response = book(patient_api, doctor, start="2030-01-07T09:00:00")

    assert response.status_code == 201, response.data
    assert Appointment.objects.get().start == datetime(2030, 1, 7, 14, 0, tzinfo=UTC)
    assert response.data["start"] == "2030-01-07T09:00:00-05:00"


@pytest.mark.parametrize(
    ("naive", "word"),
    [("2030-03-10T02:30:00", "does not exist"), ("2030-11-03T01:30:00", "happens twice")],
)
def test_a_local_time_that_dst_skips_or_repeats_is_refused(settings, patient_api, naive, word):
    settings.TIME_ZONE = "America/New_York"
    doctor = DoctorFactory(weekly_hours=True, time_zone="America/New_York")

    with time_machine.travel(datetime(2030, 3, 1, tzinfo=UTC), tick=False):
        response = book(patient_api, doctor, start=naive)

    assert response.status_code == 400
    assert word in response.data["start"][0]


def test_appointments_are_never_deleted(admin_api):
    appointment = AppointmentFactory()

    assert admin_api.delete(f"/api/appointments/{appointment.pk}/").status_code == 405
    assert Appointment.objects.filter(pk=appointment.pk).exists()


def test_a_refused_booking_writes_no_event(monday_8am, patient_api, doctor):
    book(patient_api, doctor, start="2030-01-07T09:15:00Z")

    assert not AppointmentEvent.objects.exists()


def test_query_count_of_a_booking_does_not_grow_with_the_schedule(
    monday_8am, patient_api, doctor, django_assert_max_num_queries
):
    for hour in range(20):
        AppointmentFactory(doctor=doctor, start=datetime(2030, 2, 1, tzinfo=UTC) + timedelta(hours=hour))

    # user, doctor and patient (looked up, then locked), hours, time off, the patient's upcoming
    # count, two overlap checks, insert, event, audit row, the summary report's day and
    # first-visit rows (appointments.tallies), and the savepoints around them: 19 whatever the
    # schedule.
    with django_assert_max_num_queries(19):
        assert book(patient_api, doctor).status_code == 201


def test_a_patient_may_hold_only_so_many_upcoming_appointments(monday_8am, settings, patient_api, admin_api, patient):
    settings.BOOKING_MAX_UPCOMING_PER_PATIENT = 2
    doctor = DoctorFactory(weekly_hours=True)

    first = book(patient_api, doctor, start="2030-01-07T09:00:00Z")
    second = book(patient_api, doctor, start="2030-01-07T09:30:00Z")
    third = book(patient_api, doctor, start="2030-01-07T10:00:00Z")
    by_staff = admin_api.post(
        "/api/appointments/",
        {"doctor": doctor.pk, "patient": patient.pk, "start": "2030-01-07T10:00:00Z"},
        format="json",
    )

    assert [first.status_code, second.status_code, third.status_code] == [201, 201, 400]
    assert "call the clinic" in third.data["start"][0]
    assert by_staff.status_code == 201  # the desk is not limited
