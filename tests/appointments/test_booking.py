"""Booking: every rule both ways, who may book for whom, and input that must never be a 500."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine

from appointments.models import Appointment, AppointmentEvent, Status
from tests.factories import AppointmentFactory, AssignmentFactory, DoctorFactory, PatientFactory, TimeOffFactory

pytestmark = pytest.mark.django_db

MONDAY_8AM = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)  # 2030-01-07 is a Monday; the clinic zone is UTC
AT_9 = "2030-01-07T09:00:00Z"


def book(api, doctor, start=AT_9, **extra):
    return api.post(
        "/api/appointments/", {"doctor": doctor.pk, "start": start, "reason": "Cough"} | extra, format="json"
    )


@pytest.fixture
def monday_8am():
    with time_machine.travel(MONDAY_8AM, tick=False) as traveller:
        yield traveller


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
    # count, two overlap checks, insert, event, audit row, and the savepoints around them: 17
    # whatever the schedule.
    with django_assert_max_num_queries(17):
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
