"""Booking with visit types: length, buffers, fee, who may book which, walk-ins, moves."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from appointments.models import Appointment, Status
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, VisitTypeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]


@pytest.fixture
def procedure(doctor):
    """60 minutes, 15 to clear up after, its own fee; staff book it, patients cannot."""
    procedure = VisitTypeFactory(
        name="Procedure", duration_minutes=60, buffer_after_minutes=15, fee=Decimal("200.00"), bookable_online=False
    )
    follow_up = VisitTypeFactory(name="Follow-up", duration_minutes=15)
    doctor.offered_visit_types.create(visit_type=procedure)
    doctor.offered_visit_types.create(visit_type=follow_up)
    return procedure


def book(api, doctor, start, **extra):
    return api.post("/api/appointments/", {"doctor": doctor.pk, "start": start} | extra, format="json")


def test_a_booking_without_a_visit_type_is_the_doctors_default_visit(patient_api, doctor):
    response = book(patient_api, doctor, "2030-01-07T09:00:00Z")

    assert response.status_code == 201, response.data
    appointment = Appointment.objects.get()
    assert appointment.visit_type.name == "Standard visit (30 min)"
    assert (appointment.end - appointment.start, appointment.blocked_start, appointment.blocked_end) == (
        timedelta(minutes=30),
        appointment.start,
        appointment.end,
    )
    assert response.data["visit_type"]["name"] == "Standard visit (30 min)"


def test_a_visit_type_sets_the_length_the_blocked_time_and_the_fee(admin_api, doctor, patient, procedure):
    response = book(admin_api, doctor, "2030-01-07T09:00:00Z", patient=patient.pk, visit_type=procedure.pk)

    assert response.status_code == 201, response.data
    assert (response.data["start"], response.data["end"]) == ("2030-01-07T09:00:00Z", "2030-01-07T10:00:00Z")
    assert (response.data["blocked_start"], response.data["blocked_end"]) == (
        "2030-01-07T09:00:00Z",
        "2030-01-07T10:15:00Z",
    )
    assert Appointment.objects.get().fee == Decimal("200.00")


def test_a_patient_cannot_book_a_visit_type_that_is_not_bookable_online(patient_api, doctor, procedure):
    response = book(patient_api, doctor, "2030-01-07T09:00:00Z", visit_type=procedure.pk)

    assert response.status_code == 400
    message = response.data["visit_type"][0]
    assert "does not offer Procedure for booking online" in message
    assert "Standard visit (30 min)" in message and "Follow-up" in message and "Procedure (id" not in message
    assert not Appointment.objects.exists()


def test_a_visit_type_the_doctor_does_not_offer_is_refused_naming_those_they_do(admin_api, doctor, patient, procedure):
    elsewhere = VisitTypeFactory(name="Echocardiogram")

    response = book(admin_api, doctor, "2030-01-07T09:00:00Z", patient=patient.pk, visit_type=elsewhere.pk)

    assert response.status_code == 400
    assert "does not offer Echocardiogram" in response.data["visit_type"][0]
    assert "Procedure (id" in response.data["visit_type"][0]


def test_the_whole_blocked_time_must_fit_in_working_hours(admin_api, doctor, patient, procedure):
    # Hours end at 12:00: a 60-minute procedure at 11:00 would clear up until 12:15.
    late = book(admin_api, doctor, "2030-01-07T11:00:00Z", patient=patient.pk, visit_type=procedure.pk)
    fits = book(admin_api, doctor, "2030-01-07T10:30:00Z", patient=patient.pk, visit_type=procedure.pk)

    assert late.status_code == 400
    assert "outside" in late.data["start"][0] and "09:00-12:00 and 13:00-17:00" in late.data["start"][0]
    assert fits.status_code == 201, fits.data


def test_a_visit_in_another_visits_clear_up_time_is_409_but_the_patient_is_free(
    admin_api, client_for, doctor, patient, procedure
):
    assert (
        book(admin_api, doctor, "2030-01-07T09:00:00Z", patient=patient.pk, visit_type=procedure.pk).status_code == 201
    )
    other_patient = PatientFactory()

    in_the_buffer = book(client_for(other_patient.user), doctor, "2030-01-07T10:00:00Z")
    # The patient's own time ends with the visit: they can see another doctor right after it.
    elsewhere = book(client_for(patient.user), DoctorFactory(weekly_hours=True), "2030-01-07T10:00:00Z")

    assert (in_the_buffer.status_code, in_the_buffer.data["code"]) == (409, "doctor_busy")
    assert elsewhere.status_code == 201, elsewhere.data


def test_staff_may_book_inside_the_minimum_notice_patients_may_not(admin_api, patient_api, doctor, patient, monday_8am):
    monday_8am.move_to(datetime(2030, 1, 7, 8, 40, tzinfo=UTC))  # 09:00 is 20 minutes away; the notice is 60

    by_patient = book(patient_api, doctor, "2030-01-07T09:00:00Z")
    by_staff = book(admin_api, doctor, "2030-01-07T09:00:00Z", patient=patient.pk)

    assert by_patient.status_code == 400
    assert "at least 60 minutes ahead" in by_patient.data["start"][0]
    assert by_staff.status_code == 201, by_staff.data


def test_the_front_desk_books_a_walk_in_that_starts_now_checked_in(admin_api, doctor, patient, monday_8am):
    monday_8am.move_to(datetime(2030, 1, 7, 9, 7, 30, tzinfo=UTC))

    response = admin_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "patient": patient.pk, "walk_in": True}, format="json"
    )

    assert response.status_code == 201, response.data
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CHECKED_IN
    assert appointment.start == datetime(2030, 1, 7, 9, 7, tzinfo=UTC)  # now, off the grid
    assert list(appointment.events.values_list("action", "to_status")) == [
        ("booked", "scheduled"),
        ("checked_in", "checked_in"),
    ]


def test_a_walk_in_is_for_the_front_desk_and_takes_no_start(patient_api, admin_api, doctor, patient):
    by_patient = patient_api.post("/api/appointments/", {"doctor": doctor.pk, "walk_in": True}, format="json")
    with_start = admin_api.post(
        "/api/appointments/",
        {"doctor": doctor.pk, "patient": patient.pk, "walk_in": True, "start": "2030-01-07T09:00:00Z"},
        format="json",
    )
    no_start = admin_api.post("/api/appointments/", {"doctor": doctor.pk, "patient": patient.pk}, format="json")

    assert (by_patient.status_code, by_patient.data["detail"]) == (403, "Only the front desk books walk-ins.")
    assert with_start.data == {"start": ["A walk-in starts now; leave start out."]}
    assert no_start.data == {"start": ["This field is required."]}
    assert not Appointment.objects.exists()


def test_a_walk_in_outside_working_hours_is_refused(admin_api, doctor, patient, monday_8am):
    monday_8am.move_to(datetime(2030, 1, 7, 12, 10, tzinfo=UTC))  # the lunch break

    response = admin_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "patient": patient.pk, "walk_in": True}, format="json"
    )

    assert response.status_code == 400
    assert "outside" in response.data["start"][0]


def test_a_move_keeps_the_visit_type_unless_another_is_given(admin_api, doctor, patient, procedure):
    visit = AppointmentFactory(doctor=doctor, patient=patient, start=datetime(2030, 1, 8, 9, 0, tzinfo=UTC))
    url = f"/api/appointments/{visit.pk}/reschedule/"

    kept = admin_api.post(url, {"start": "2030-01-08T13:00:00Z"}, format="json")
    changed = admin_api.post(url, {"start": "2030-01-08T14:00:00Z", "visit_type": procedure.pk}, format="json")

    assert kept.status_code == 200 and kept.data["visit_type"]["name"] == "Standard visit (30 min)"
    assert changed.status_code == 200, changed.data
    visit.refresh_from_db()
    assert (visit.visit_type, visit.end, visit.blocked_end, visit.fee) == (
        procedure,
        datetime(2030, 1, 8, 15, 0, tzinfo=UTC),
        datetime(2030, 1, 8, 15, 15, tzinfo=UTC),
        Decimal("200.00"),
    )
