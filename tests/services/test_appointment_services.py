"""Service tests: the booking rules and the lifecycle, called as the admin, a management command
or any other caller would. Every guard of appointments.services is reached here."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError

from appointments import services
from appointments.models import Appointment, AppointmentEvent, Status
from appointments.services.common import save_checked
from config.errors import Conflict, DomainError, InvalidTransition, NotAllowed
from tests.clock import MONDAY_8AM
from tests.factories import AppointmentFactory, AssignmentFactory, DoctorFactory, PatientFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]

AT_9 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


@pytest.fixture
def doctor():
    return DoctorFactory(weekly_hours=True)


@pytest.fixture
def patient():
    return PatientFactory()


# --- Who may book for whom -------------------------------------------------------------------------


def test_a_patient_books_for_themselves_only(doctor, patient):
    other = PatientFactory()

    with pytest.raises(NotAllowed) as refused:
        services.appointment_book(actor=patient.user, doctor=doctor, patient=other, start=AT_9)

    assert refused.value.message == "Patients book appointments for themselves only."
    assert services.appointment_book(actor=patient.user, doctor=doctor, start=AT_9).patient == patient


def test_a_doctor_books_into_their_own_schedule_for_patients_they_may_see(doctor, patient):
    other_doctor = DoctorFactory(weekly_hours=True)
    AssignmentFactory(doctor=doctor, patient=patient)
    stranger = PatientFactory()

    with pytest.raises(NotAllowed) as elsewhere:
        services.appointment_book(actor=doctor.user, doctor=other_doctor, patient=patient, start=AT_9)
    with pytest.raises(NotAllowed) as unseen:
        services.appointment_book(actor=doctor.user, patient=stranger, start=AT_9)

    assert elsewhere.value.message == "A doctor books into their own schedule only."
    assert unseen.value.message == "You may book only for patients assigned to you or whom you have seen."
    assert services.appointment_book(actor=doctor.user, patient=patient, start=AT_9).doctor == doctor


def test_an_admin_must_name_the_doctor_and_the_patient(doctor, patient):
    admin = UserFactory(admin=True)

    with pytest.raises(DomainError) as no_patient:
        services.appointment_book(actor=admin, doctor=doctor, start=AT_9)
    with pytest.raises(DomainError) as no_doctor:
        services.appointment_book(actor=admin, patient=patient, start=AT_9)

    assert (no_patient.value.field, no_doctor.value.field) == ("patient", "doctor")


def test_an_account_whose_profile_is_missing_cannot_book(doctor):
    orphan = UserFactory()  # a patient account with no patient record

    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=orphan, doctor=doctor, start=AT_9)

    assert refused.value.message == "Your account has no profile to book with; ask an admin."


def test_a_patient_cannot_write_the_doctors_notes(doctor, patient):
    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=patient.user, doctor=doctor, start=AT_9, notes="mine")

    assert refused.value.field == "notes"
    assert not Appointment.objects.exists()


# --- The booking rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (MONDAY_8AM - timedelta(hours=1), "That time has already passed; pick a future slot."),
        (MONDAY_8AM + timedelta(minutes=30), "Appointments must be booked at least 60 minutes ahead"),
        (MONDAY_8AM + timedelta(days=91), "Appointments can be booked at most 90 days ahead."),
        (AT_9 + timedelta(minutes=10), "and 09:10 is not one of them; the nearest free starts are 09:00 and 09:30"),
    ],
)
def test_a_start_outside_the_rules_is_refused_with_the_reason(doctor, patient, start, message):
    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=patient.user, doctor=doctor, start=start)

    assert refused.value.field == "start"
    assert message in refused.value.message


def test_time_off_refuses_a_booking(doctor, patient):
    from tests.factories import TimeOffFactory

    TimeOffFactory(doctor=doctor, start=AT_9, end=AT_9 + timedelta(hours=1))

    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=patient.user, doctor=doctor, start=AT_9)

    assert "is away at that time" in refused.value.message


@pytest.mark.parametrize(("change", "message"), [("inactive", "no longer sees patients"), ("closed", "not accepting")])
def test_a_doctor_who_left_or_closed_their_list_is_not_bookable(doctor, patient, change, message):
    if change == "inactive":
        doctor.user.is_active = False
        doctor.user.save()
    else:
        doctor.is_accepting_patients = False
        doctor.save()

    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=patient.user, doctor=doctor, start=AT_9)

    assert (refused.value.field, message in refused.value.message) == ("doctor", True)


def test_the_upcoming_quota_holds_for_patients_not_staff(doctor, patient, settings):
    settings.BOOKING_MAX_UPCOMING_PER_PATIENT = 1
    services.appointment_book(actor=patient.user, doctor=doctor, start=AT_9)

    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=patient.user, doctor=doctor, start=AT_9 + timedelta(hours=1))

    assert "1 upcoming appointments" in refused.value.message
    admin = UserFactory(admin=True)
    assert services.appointment_book(actor=admin, doctor=doctor, patient=patient, start=AT_9 + timedelta(hours=1))


def test_a_constraint_other_than_the_overlap_is_not_dressed_up_as_a_conflict(doctor, patient):
    broken = Appointment(
        doctor=doctor, patient=patient, start=AT_9, end=AT_9 - timedelta(minutes=5), fee=0, created_by=patient.user
    )

    with pytest.raises(IntegrityError):
        save_checked(broken)


# --- The lifecycle -----------------------------------------------------------------------------------


@pytest.fixture
def visit(doctor, patient):
    return AppointmentFactory(doctor=doctor, patient=patient, start=datetime(2030, 1, 7, 10, 0, tzinfo=UTC))


@pytest.mark.parametrize("action", ["confirmed", "checked_in", "completed", "no_show"])
def test_the_patient_and_other_doctors_do_not_run_the_visit(visit, action):
    for actor in (visit.patient.user, DoctorFactory().user):
        with pytest.raises(NotAllowed):
            services.appointment_transition(actor=actor, appointment=visit, action=action)

    assert not AppointmentEvent.objects.exists()


def test_another_doctor_cannot_cancel_or_move_a_visit(visit):
    stranger = DoctorFactory().user

    with pytest.raises(NotAllowed):
        services.appointment_transition(actor=stranger, appointment=visit, action="cancelled", note="x")
    with pytest.raises(NotAllowed) as moved:
        services.appointment_reschedule(actor=stranger, appointment=visit, start=AT_9)

    assert moved.value.message == "Only the patient, the doctor or the front desk can move this appointment."


def test_transitions_follow_the_lifecycle_and_its_timing(visit):
    doctor = visit.doctor.user

    with pytest.raises(InvalidTransition):
        services.appointment_transition(actor=doctor, appointment=visit, action="completed")
    with pytest.raises(DomainError) as early:
        services.appointment_transition(actor=doctor, appointment=visit, action="no_show")
    with pytest.raises(DomainError) as no_reason:
        services.appointment_transition(actor=doctor, appointment=visit, action="cancelled", note=" ")
    services.appointment_transition(actor=doctor, appointment=visit, action="confirmed")
    with time_machine.travel(datetime(2030, 1, 6, 10, 0, tzinfo=UTC), tick=False), pytest.raises(DomainError) as day:
        services.appointment_transition(actor=doctor, appointment=visit, action="checked_in")

    assert early.value.message == "An appointment can be marked as a no-show only after it has started."
    assert no_reason.value.field == "reason"
    assert day.value.message == "Patients can be checked in on the day of the appointment only."
    visit.refresh_from_db()
    assert visit.status == Status.CONFIRMED


def test_a_patient_cancels_only_before_the_cutoff(visit, monday_8am):
    monday_8am.move_to(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))

    with pytest.raises(DomainError) as refused:
        services.appointment_transition(actor=visit.patient.user, appointment=visit, action="cancelled", note="Ill")

    assert "up to 2 hours before the start" in refused.value.message


def test_edits_follow_the_role_and_statuses_the_lifecycle(visit):
    admin = UserFactory(admin=True)

    with pytest.raises(DomainError) as notes:
        services.appointment_update(actor=visit.patient.user, appointment=visit, notes="mine")
    services.appointment_transition(actor=admin, appointment=visit, action="confirmed")
    with pytest.raises(InvalidTransition):
        services.appointment_update(actor=admin, appointment=visit, status="scheduled")
    with pytest.raises(DomainError) as no_reason:
        services.appointment_update(actor=admin, appointment=visit, status="cancelled")

    assert (notes.value.field, no_reason.value.field) == ("notes", "cancellation_reason")


def test_only_a_scheduled_or_confirmed_visit_moves(visit):
    visit.status = Status.COMPLETED
    visit.save()

    with pytest.raises(InvalidTransition):
        services.appointment_reschedule(actor=UserFactory(admin=True), appointment=visit, start=AT_9)


# --- Absences ------------------------------------------------------------------------------------------


def test_time_off_over_booked_visits_is_refused(visit):
    with pytest.raises(Conflict) as refused:
        services.time_off_create(
            doctor=visit.doctor, actor=visit.doctor.user, start=visit.start, end=visit.start + timedelta(hours=2)
        )

    assert refused.value.code == "appointments_in_time_off"
    assert not visit.doctor.time_off.exists()


def test_a_booking_needs_a_start_unless_it_is_a_walk_in(doctor, patient):
    with pytest.raises(DomainError) as refused:
        services.appointment_book(actor=UserFactory(admin=True), doctor=doctor, patient=patient)

    assert (refused.value.field, refused.value.message) == ("start", "This field is required.")


def test_a_schedule_change_knows_only_refuse_and_cancel(doctor):
    with pytest.raises(DomainError) as refused:
        services.time_off_create(
            doctor=doctor, actor=doctor.user, start=AT_9, end=AT_9 + timedelta(hours=1), on_conflict="ignore"
        )

    assert refused.value.field == "on_conflict"
    assert not doctor.time_off.exists()


def test_an_override_for_a_date_that_has_one_is_a_conflict(doctor):
    services.schedule_override_create(actor=doctor.user, doctor=doctor, date=AT_9.date(), closed=True)

    with pytest.raises(Conflict) as refused:
        services.schedule_override_create(actor=doctor.user, doctor=doctor, date=AT_9.date(), closed=True)

    assert refused.value.code == "override_exists"
