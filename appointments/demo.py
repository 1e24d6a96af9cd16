"""Demo appointments for `manage.py seed_demo`: three months of history and two weeks ahead.

History is written directly (the booking rules refuse the past, as they should); upcoming
appointments are booked through the booking service, like any patient would.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from appointments import availability, services
from appointments.models import Appointment, AppointmentEvent, Status
from config.errors import DomainError
from doctors import schedule
from doctors.models import Doctor
from patients.demo import RECENT
from patients.models import Patient

HISTORY_DAYS = 90
RECENT_DAYS = 20
PER_DOCTOR_DAY = 4
Action = AppointmentEvent.Action
REASONS = ["Check-up", "Follow-up", "Persistent cough", "Back pain", "Headaches", "Blood pressure review", "Rash"]


def seed(*, admin: User, doctors: list[Doctor], patients: list[Patient]) -> int:
    if Appointment.objects.filter(doctor__in=doctors).exists():
        return 0
    rng = random.Random(2026)  # the same demo every time
    _absences(admin, doctors)
    return _history(rng, doctors, patients) + _upcoming(rng, doctors, patients)


def _absences(admin: User, doctors: list[Doctor]) -> None:
    """A free afternoon next week for everyone and, for the cardiologist, a congress; and an extra
    Saturday morning clinic for the paediatrician (a date override)."""
    today = timezone.localdate()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    ross = next(doctor for doctor in doctors if doctor.user.username == "dr.ross")
    services.schedule_override_create(
        actor=admin,
        doctor=ross,
        date=saturday,
        periods=[{"start_time": time(9), "end_time": time(13)}],
        reason="Extra Saturday clinic (winter season)",
    )
    next_week = today + timedelta(days=7 - today.weekday() + 2)
    for doctor in doctors:
        start = timezone.make_aware(datetime.combine(next_week, time(13)), doctor.zone)
        services.time_off_create(
            doctor=doctor, actor=admin, start=start, end=start + timedelta(hours=5), reason="Admin afternoon"
        )
        if doctor.user.username == "dr.lee":
            congress = timezone.make_aware(datetime.combine(today + timedelta(days=21), time(0)), doctor.zone)
            services.time_off_create(
                doctor=doctor,
                actor=admin,
                start=congress,
                end=congress + timedelta(days=3),
                reason="Cardiology congress",
            )


def _history(rng, doctors, patients) -> int:
    today = timezone.localdate()
    taken_by_patient: set[tuple[int, object]] = set()
    appointments, outcomes = [], []
    first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    working = schedule.WorkingTime(doctors, first, last)
    for doctor in doctors:
        visit_type = availability.bookable_visit_type(doctor=doctor, visit_type=None, online=False)
        for working_day in working.working_days(doctor):
            starts = availability.grid_starts(working_day, step_minutes=doctor.slot_minutes, visit_type=visit_type)
            for start in sorted(rng.sample(starts, min(PER_DOCTOR_DAY, len(starts)))):
                slot = availability.Slot(start, start + visit_type.duration, visit_type)
                patient = rng.choice(patients)
                if patient.user.username in RECENT and slot.start.date() < today - timedelta(days=RECENT_DAYS):
                    continue  # they had not joined yet
                if (patient.pk, slot.start) in taken_by_patient:
                    continue
                taken_by_patient.add((patient.pk, slot.start))
                status = rng.choices([Status.COMPLETED, Status.NO_SHOW, Status.CANCELLED], weights=[75, 10, 15])[0]
                cancelled = status == Status.CANCELLED
                blocked_start, blocked_end = visit_type.blocked(slot.start)
                appointments.append(
                    Appointment(
                        doctor=doctor,
                        patient=patient,
                        visit_type=visit_type,
                        start=slot.start,
                        end=slot.end,
                        blocked_start=blocked_start,
                        blocked_end=blocked_end,
                        status=status,
                        reason=rng.choice(REASONS),
                        fee=doctor.consultation_fee,
                        created_by=patient.user,
                        cancelled_by=patient.user if cancelled else None,
                        cancelled_at=slot.start - timedelta(days=1) if cancelled else None,
                        cancellation_reason="Could not make it" if cancelled else "",
                    )
                )
                outcomes.append(status)
    Appointment.objects.bulk_create(appointments, batch_size=500)
    final = {Status.COMPLETED: Action.COMPLETED, Status.NO_SHOW: Action.NO_SHOW, Status.CANCELLED: Action.CANCELLED}
    events = []
    history = Appointment.objects.filter(doctor__in=doctors).select_related(
        "doctor__user", "created_by", "cancelled_by"
    )
    for appointment in history:
        events.append(
            AppointmentEvent(
                appointment=appointment,
                actor=appointment.created_by,
                action=Action.BOOKED,
                to_status=Status.SCHEDULED,
                new_start=appointment.start,
            )
        )
        events.append(
            AppointmentEvent(
                appointment=appointment,
                actor=appointment.cancelled_by if appointment.status == Status.CANCELLED else appointment.doctor.user,
                action=final[appointment.status],
                from_status=Status.SCHEDULED,
                to_status=appointment.status,
                note=appointment.cancellation_reason,
            )
        )
    AppointmentEvent.objects.bulk_create(events, batch_size=1000)
    return len(appointments)


def _upcoming(rng, doctors, patients) -> int:
    today = timezone.localdate()
    booked = 0
    for doctor in doctors:
        visit_type = availability.bookable_visit_type(doctor=doctor, visit_type=None, online=True)
        slots = availability.free_slots(
            doctor=doctor,
            visit_type=visit_type,
            first_day=today + timedelta(days=1),
            last_day=today + timedelta(days=14),
        )
        for slot in rng.sample(slots, min(6, len(slots))):
            patient = rng.choice(patients)
            try:
                appointment = services.appointment_book(
                    actor=patient.user, doctor=doctor, patient=patient, start=slot.start, reason=rng.choice(REASONS)
                )
            except DomainError:  # e.g. the patient already has another booking then: skip it
                continue
            booked += 1
            if rng.random() < 0.5:
                services.appointment_transition(actor=doctor.user, appointment=appointment, action=Action.CONFIRMED)
    return booked
