"""Booking: every rule both ways, who may book for whom, and input that must never be a 500."""

from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
import time_machine

from appointments.models import Appointment, Status
from tests.appointments.support import AT_9, book
from tests.factories import DoctorFactory, PatientFactory, TimeOffFactory

pytestmark = pytest.mark.django_db


# --- The happy path ---------------------------------------------------------------------------


def test_a_patient_books_a_free_slot(monday_8am, patient_api, patient, doctor):
    response = book(patient_api, doctor)

    assert response.status_code == 201, response.data
    appointment = Appointment.objects.get(pk=response.data["id"])
    assert (appointment.doctor, appointment.patient, appointment.status) == (doctor, patient, Status.SCHEDULED)
    assert appointment.start == datetime(2030, 1, 7, 9, 0, tzinfo=UTC)
    assert appointment.end == datetime(2030, 1, 7, 9, 30, tzinfo=UTC)
    assert appointment.fee == Decimal("100.00")
    assert appointment.created_by == patient.user
    assert response.data["start"] == "2030-01-07T09:00:00Z"
    assert response.data["doctor"]["full_name"] == doctor.user.get_full_name()
    assert list(appointment.events.values_list("action", "to_status")) == [("booked", "scheduled")]


def test_the_alias_book_endpoint_does_the_same(monday_8am, patient_api, doctor):
    response = patient_api.post("/api/appointments/book/", {"doctor": doctor.pk, "start": AT_9}, format="json")

    assert response.status_code == 201
    assert Appointment.objects.count() == 1


def test_the_end_follows_the_doctors_slot_length_at_booking_time(monday_8am, patient_api):
    doctor = DoctorFactory(weekly_hours=True, slot_minutes=20)

    response = book(patient_api, doctor, start="2030-01-07T09:20:00Z")

    assert response.data["end"] == "2030-01-07T09:40:00Z"


def test_the_fee_is_recorded_at_booking_and_survives_a_fee_change(monday_8am, patient_api, doctor):
    appointment_id = book(patient_api, doctor).data["id"]
    doctor.consultation_fee = Decimal("250.00")
    doctor.save()

    assert Appointment.objects.get(pk=appointment_id).fee == Decimal("100.00")


def test_a_booked_slot_leaves_the_free_slots(monday_8am, patient_api, doctor):
    book(patient_api, doctor)

    slots = patient_api.get(f"/api/doctors/{doctor.pk}/slots/", {"date_from": "2030-01-07", "date_to": "2030-01-07"})

    starts = [slot["start"] for slot in slots.data["slots"]]
    assert "2030-01-07T09:00:00+00:00" not in starts
    assert "2030-01-07T09:30:00+00:00" in starts


def test_a_cancelled_slot_is_bookable_again_and_free_again(monday_8am, patient_api, client_for, doctor):
    first = book(patient_api, doctor, start="2030-01-07T11:00:00Z").data["id"]
    cancelled = patient_api.post(f"/api/appointments/{first}/cancel/", {"reason": "Feeling better"}, format="json")
    other = client_for(PatientFactory().user)

    slots = other.get(f"/api/doctors/{doctor.pk}/slots/", {"date_from": "2030-01-07", "date_to": "2030-01-07"})
    again = book(other, doctor, start="2030-01-07T11:00:00Z")

    assert cancelled.status_code == 200
    assert "2030-01-07T11:00:00+00:00" in [slot["start"] for slot in slots.data["slots"]]
    assert again.status_code == 201


# --- Time rules, both ways ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "start", "expected"),
    [
        (datetime(2030, 1, 7, 8, 0, tzinfo=UTC), "2030-01-07T09:00:00Z", 201),  # exactly the 60-minute notice
        (datetime(2030, 1, 7, 8, 0, 1, tzinfo=UTC), "2030-01-07T09:00:00Z", 400),  # one second short
        (datetime(2030, 1, 7, 10, 0, tzinfo=UTC), "2030-01-07T09:00:00Z", 400),  # in the past
        (datetime(2030, 1, 7, 9, 0, tzinfo=UTC), "2030-04-07T09:00:00Z", 201),  # exactly 90 days ahead
        (datetime(2030, 1, 7, 8, 59, tzinfo=UTC), "2030-04-07T09:00:00Z", 400),  # 90 days and a minute
    ],
)
def test_notice_and_horizon_bounds(patient_api, now, start, expected):
    doctor = DoctorFactory(weekly_hours=[(day, time(9), time(17)) for day in range(7)])
    with time_machine.travel(now, tick=False):
        response = book(patient_api, doctor, start=start)

    assert response.status_code == expected, response.data
    if expected == 400:
        assert "start" in response.data
        assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2030-01-07T09:00:00Z", 201),  # first slot of the morning
        ("2030-01-07T11:30:00Z", 201),  # last slot before lunch
        ("2030-01-07T16:30:00Z", 201),  # last slot of the day
        ("2030-01-07T09:15:00Z", 400),  # between two slots
        ("2030-01-07T09:00:01Z", 400),  # a second off the grid
        ("2030-01-07T12:00:00Z", 400),  # lunch break
        ("2030-01-07T17:00:00Z", 400),  # after hours
        ("2030-01-08T08:30:00Z", 400),  # before hours
        ("2030-01-12T10:00:00Z", 400),  # Saturday
    ],
)
def test_only_slot_starts_inside_working_hours_are_bookable(monday_8am, patient_api, doctor, start, expected):
    response = book(patient_api, doctor, start=start)

    assert response.status_code == expected, response.data
    if expected == 400:
        assert f"/api/doctors/{doctor.pk}/slots/" in response.data["start"][0]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2030-01-07T09:30:00Z", 201),  # ends as the time off begins
        ("2030-01-07T10:00:00Z", 400),  # inside
        ("2030-01-07T10:30:00Z", 400),  # overlaps the end
        ("2030-01-07T11:00:00Z", 201),  # starts as the time off ends
    ],
)
def test_slots_touching_time_off_are_refused(monday_8am, patient_api, doctor, start, expected):
    TimeOffFactory(
        doctor=doctor, start=datetime(2030, 1, 7, 10, 0, tzinfo=UTC), end=datetime(2030, 1, 7, 10, 45, tzinfo=UTC)
    )

    response = book(patient_api, doctor, start=start)

    assert response.status_code == expected, response.data
    if expected == 400:
        assert "away" in response.data["start"][0]


@pytest.mark.parametrize(
    ("doctor_kwargs", "caller", "message"),
    [
        ({"user__is_active": False}, "patient", "that you can book with"),  # patients cannot see who has left
        ({"user__is_active": False}, "admin", "no longer"),
        ({"is_accepting_patients": False}, "patient", "not accepting"),
    ],
)
def test_an_inactive_or_closed_doctor_cannot_be_booked(
    monday_8am, patient_api, admin_api, patient, doctor_kwargs, caller, message
):
    doctor = DoctorFactory(weekly_hours=True, **doctor_kwargs)

    response = book({"patient": patient_api, "admin": admin_api}[caller], doctor, patient=patient.pk)

    assert response.status_code == 400
    assert message in response.data["doctor"][0]
    assert not Appointment.objects.exists()


# --- Taken time: 409 --------------------------------------------------------------------------


def test_a_slot_taken_by_someone_else_is_409_doctor_busy(monday_8am, client_for, patient_api, doctor):
    assert book(client_for(PatientFactory().user), doctor).status_code == 201

    response = book(patient_api, doctor)

    assert response.status_code == 409
    assert response.data["code"] == "doctor_busy"
    assert "pick another" in response.data["detail"]
    assert Appointment.objects.count() == 1


def test_a_patient_cannot_be_in_two_places_at_once_409_patient_busy(monday_8am, patient_api):
    long_visit = DoctorFactory(weekly_hours=True, slot_minutes=60)
    other = DoctorFactory(weekly_hours=True)
    assert book(patient_api, long_visit).status_code == 201

    response = book(patient_api, other, start="2030-01-07T09:30:00Z")  # inside the 09:00-10:00 visit

    assert response.status_code == 409
    assert response.data["code"] == "patient_busy"


def test_back_to_back_appointments_are_fine(monday_8am, patient_api, doctor):
    assert book(patient_api, doctor).status_code == 201
    assert book(patient_api, doctor, start="2030-01-07T09:30:00Z").status_code == 201
