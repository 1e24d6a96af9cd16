"""Races: many requests for one slot at the same instant, each on its own database connection.

Runs on SQLite (a file database, so threads share it) and on PostgreSQL. Whichever way the
database decides (a lock, the exclusion constraint, the SQLite triggers), exactly one wins, the
others get 409, and no second row is ever written.
"""

import threading
from datetime import UTC, datetime, time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from appointments.availability import free_slots
from appointments.models import ACTIVE_STATUSES, Appointment
from tests.conftest import TokenClient
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, UserFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db(transaction=True)

RACERS = 20
EVERY_DAY = [(day, time(0), time(23, 30)) for day in range(7)]


def race(requests):
    """Run each callable in its own thread, all released at once; return their results."""
    barrier = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = requests[i]()
        except Exception as exc:  # a crash must fail the test, not vanish with the thread
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def statuses(results):
    assert not [r for r in results if isinstance(r, Exception)], results
    return sorted(response.status_code for response in results)


def free_starts(doctor):
    today = timezone.now().date()
    return [
        slot.start
        for slot in free_slots(
            doctor=doctor,
            visit_type=doctor.offered_visit_types.get().visit_type,
            # From the day after tomorrow: whatever the time of day the suite runs, every start is
            # past the minimum notice and the patients' cancellation cutoff.
            first_day=today + timedelta(days=2),
            last_day=today + timedelta(days=4),
        )
    ]


def test_twenty_patients_racing_for_one_slot_give_one_booking():
    doctor = DoctorFactory(weekly_hours=EVERY_DAY)
    clients = [TokenClient(PatientFactory().user) for _ in range(RACERS)]
    body = {"doctor": doctor.pk, "start": free_starts(doctor)[0].isoformat()}

    results = race([lambda c=c: c.post("/api/appointments/", body, format="json") for c in clients])

    assert statuses(results) == [201] + [409] * (RACERS - 1)
    assert {r.data["code"] for r in results if r.status_code == 409} == {"doctor_busy"}
    assert Appointment.objects.filter(doctor=doctor, status__in=ACTIVE_STATUSES).count() == 1


def test_one_patient_booking_twenty_doctors_at_once_gets_one():
    patient = PatientFactory()
    doctors = [DoctorFactory(weekly_hours=EVERY_DAY) for _ in range(RACERS)]
    start = free_starts(doctors[0])[0]
    bodies = [{"doctor": doctor.pk, "start": start.isoformat()} for doctor in doctors]

    results = race([lambda b=b: TokenClient(patient.user).post("/api/appointments/", b, format="json") for b in bodies])

    assert statuses(results) == [201] + [409] * (RACERS - 1)
    assert {r.data["code"] for r in results if r.status_code == 409} == {"patient_busy"}
    assert Appointment.objects.filter(patient=patient, status__in=ACTIVE_STATUSES).count() == 1


def test_twenty_reschedules_into_one_free_slot_give_one_move():
    doctor = DoctorFactory(weekly_hours=EVERY_DAY)
    starts = free_starts(doctor)
    target = starts[RACERS + 5]
    appointments = [AppointmentFactory(doctor=doctor, start=start) for start in starts[:RACERS]]
    originals = {a.pk: a.start for a in appointments}
    body = {"start": target.isoformat()}

    results = race(
        [
            lambda a=a: TokenClient(a.patient.user).post(f"/api/appointments/{a.pk}/reschedule/", body, format="json")
            for a in appointments
        ]
    )

    assert statuses(results) == [200] + [409] * (RACERS - 1)
    moved = Appointment.objects.filter(doctor=doctor, start=target)
    assert moved.count() == 1
    unmoved = Appointment.objects.exclude(pk=moved.get().pk).filter(doctor=doctor)
    assert all(a.start == originals[a.pk] for a in unmoved)


def test_twenty_bookings_whose_times_overlap_only_through_a_buffer_give_one(settings):
    """Half race for a 60-minute visit at 09:00 that clears up until 10:15, half for a 15-minute
    visit at 10:05 (on a 5-minute grid): the visits themselves never overlap, only the doctor's
    blocked time does, and the database still lets exactly one through."""
    settings.BOOKING_MAX_UPCOMING_PER_PATIENT = 100
    doctor = DoctorFactory(weekly_hours=EVERY_DAY, slot_minutes=5)
    long = VisitTypeFactory(name="Procedure", duration_minutes=60, buffer_after_minutes=15)
    short = VisitTypeFactory(name="Quick look", duration_minutes=15)
    doctor.offered_visit_types.create(visit_type=long)
    doctor.offered_visit_types.create(visit_type=short)
    day = timezone.now().date() + timedelta(days=2)
    nine = datetime.combine(day, time(9), tzinfo=UTC)
    bodies = [
        {"doctor": doctor.pk, "visit_type": long.pk, "start": nine.isoformat()}
        if i % 2
        else {"doctor": doctor.pk, "visit_type": short.pk, "start": (nine + timedelta(minutes=65)).isoformat()}
        for i in range(RACERS)
    ]
    clients = [TokenClient(PatientFactory().user) for _ in range(RACERS)]

    results = race(
        [lambda c=c, b=b: c.post("/api/appointments/", b, format="json") for c, b in zip(clients, bodies, strict=True)]
    )

    assert statuses(results) == [201] + [409] * (RACERS - 1)
    assert {r.data["code"] for r in results if r.status_code == 409} == {"doctor_busy"}
    active = list(Appointment.objects.filter(doctor=doctor, status__in=ACTIVE_STATUSES))
    assert len(active) == 1


def test_a_patient_racing_for_twenty_slots_never_holds_more_than_the_quota(settings):
    """One patient, twenty distinct free slots at once: the patient row's lock serialises their
    bookings, so the upcoming-appointments limit holds (on PostgreSQL it did not, before)."""
    settings.BOOKING_MAX_UPCOMING_PER_PATIENT = 5
    patient = PatientFactory()
    doctor = DoctorFactory(weekly_hours=EVERY_DAY)
    bodies = [{"doctor": doctor.pk, "start": start.isoformat()} for start in free_starts(doctor)[:RACERS]]

    results = race([lambda b=b: TokenClient(patient.user).post("/api/appointments/", b, format="json") for b in bodies])

    assert statuses(results) == [201] * 5 + [400] * (RACERS - 5)
    assert Appointment.objects.filter(patient=patient, status__in=ACTIVE_STATUSES).count() == 5


@pytest.mark.parametrize("rounds", [10])
def test_cancel_reschedule_and_confirm_at_once_answer_only_200_or_409(rounds):
    """One appointment, three changes at the same instant (its patient moves it, its doctor
    confirms it, the front desk cancels it), ten times over: every answer is 200 or 409, never a
    deadlock's 500, and the appointment ends in a state one of them could have left it in."""
    doctor = DoctorFactory(weekly_hours=EVERY_DAY)
    desk = UserFactory(receptionist=True)
    starts = free_starts(doctor)
    for round_number in range(rounds):
        appointment = AppointmentFactory(doctor=doctor, start=starts[2 * round_number])
        url = f"/api/appointments/{appointment.pk}"
        target = {"start": starts[2 * round_number + 1].isoformat()}
        patient = appointment.patient.user
        results = race(
            [
                lambda u=url, t=target, p=patient: TokenClient(p).post(f"{u}/reschedule/", t, format="json"),
                lambda u=url: TokenClient(doctor.user).post(f"{u}/confirm/", {}, format="json"),
                lambda u=url: TokenClient(desk).post(f"{u}/cancel/", {"reason": "Called in"}, format="json"),
            ]
        )

        assert set(statuses(results)) <= {200, 409}, [r.data for r in results]
        appointment.refresh_from_db()
        assert appointment.events.count() == sum(r.status_code == 200 for r in results)
