"""Changes to when doctors work that can take booked time away: time off, a date's override
(closed, or other hours), and clinic closures.

None of them silently orphans a booked visit. Each finds the active appointments in the period it
changes whose blocked time the schedule would no longer hold (outside the date's working periods,
or in time off), and then, by `on_conflict`:
- "refuse" (the default): 409 `appointments_in_time_off` with their ids, and nothing changes;
- "cancel": in the same transaction the change is stored and each of those visits is cancelled
  (the actor recorded, `patient_message` as the reason the patient reads, an event each, the
  cancellation e-mail with a link to the doctor's free slots). A visit already checked in is
  never cancelled this way: it refuses the change instead.
(Removing time off or a closure only gives time back: doctors.services.time_off_delete and
clinic_closure_delete need no check.)
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from appointments import tallies
from appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent, Status
from appointments.services.common import lock_doctor
from appointments.services.lifecycle import appointment_transition
from config.errors import Conflict, DomainError
from doctors import schedule
from doctors.models import ClinicClosure, Doctor, ScheduleOverride, ScheduleOverridePeriod, TimeOff

ON_CONFLICT = ("refuse", "cancel")
DEFAULT_PATIENT_MESSAGE = "Your doctor is unavailable at this time"
MAX_CLOSURE_DAYS = 366


@dataclass(frozen=True)
class Outcome:
    """What a schedule change did: the row it stored (None for a removal) and the visits it cancelled."""

    stored: object
    cancelled: list[int]


def _fitting(doctors: list[Doctor], appointments: list[Appointment], first_day: date, last_day: date) -> set[int]:
    """Ids of the appointments whose blocked time the doctors' schedule holds right now: inside a
    working period of its date, outside time off."""
    working = schedule.WorkingTime(doctors, first_day, last_day)
    by_id = {doctor.pk: doctor for doctor in doctors}
    fitting = set()
    for appointment in appointments:
        doctor = by_id[appointment.doctor_id]
        day = working.day(doctor, appointment.blocked_start.astimezone(doctor.zone).date())
        blocked = (appointment.blocked_start, appointment.blocked_end)
        if day.holds(*blocked) and not schedule.overlaps(working.time_off(doctor), *blocked):
            fitting.add(appointment.pk)
    return fitting


def _guarded(
    *,
    actor: User,
    doctors: list[Doctor],
    window: tuple[datetime, datetime],
    change: Callable[[], object],
    on_conflict: str,
    patient_message: str,
) -> Outcome:
    """Make `change` (a function that writes it) unless it takes booked time away; see the module."""
    if on_conflict not in ON_CONFLICT:
        raise DomainError(f"on_conflict is one of {', '.join(ON_CONFLICT)}.", field="on_conflict")
    doctors = [lock_doctor(doctor.pk) for doctor in sorted(doctors, key=lambda d: d.pk)]  # the lock order
    start, end = window
    booked = list(
        Appointment.objects.filter(
            doctor__in=doctors, status__in=ACTIVE_STATUSES, blocked_start__lt=end, blocked_end__gt=start
        ).order_by("start", "pk")
    )
    first_day, last_day = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
    stored = change()
    fitting = _fitting(doctors, booked, first_day, last_day)
    clashes = [appointment for appointment in booked if appointment.pk not in fitting]
    ids = [appointment.pk for appointment in clashes]
    in_progress = [appointment.pk for appointment in clashes if appointment.status == Status.CHECKED_IN]
    if in_progress:
        raise Conflict(
            f"A visit in progress (checked in) would fall outside the doctor's time: appointment(s) "
            f"{', '.join(map(str, in_progress))}; complete it first.",
            code="appointments_in_time_off",
            extra={"appointments": ids},
        )
    if clashes and on_conflict == "refuse":
        raise Conflict(
            f"{len(ids)} active appointment(s) fall in this period: {', '.join(map(str, ids))}. Move or cancel "
            "them first, or send on_conflict=cancel to cancel them and tell their patients.",
            code="appointments_in_time_off",
            extra={"appointments": ids},
        )
    message = patient_message.strip() or DEFAULT_PATIENT_MESSAGE
    # Every clashing visit locked before any is cancelled, and the summary's tallies changed
    # together at the end: a step on one of them elsewhere waits, never deadlocks (appointments.tallies).
    list(Appointment.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk").values_list("pk"))
    with tallies.deferred():
        for appointment in clashes:
            appointment_transition(
                actor=actor, appointment=appointment, action=AppointmentEvent.Action.CANCELLED, note=message
            )
    return Outcome(stored, ids)


def _day_window(doctor: Doctor, first_day: date, last_day: date) -> tuple[datetime, datetime]:
    return schedule.local_day_bounds(doctor.zone, first_day, last_day)


# --- Time off ------------------------------------------------------------------------------------------


@transaction.atomic
def time_off_create(
    *,
    doctor: Doctor,
    actor: User,
    start: datetime,
    end: datetime,
    reason: str = "",
    on_conflict: str = "refuse",
    patient_message: str = "",
) -> Outcome:
    """Block a period (its `reason` stays private to the doctor and admins). Raises Conflict (409,
    appointments_in_time_off, with their ids) over booked visits unless on_conflict is "cancel";
    ValidationError for a period that ends before it starts."""
    time_off = TimeOff(doctor=doctor, start=start, end=end, reason=reason, created_by=actor)
    time_off.full_clean()

    def change():
        time_off.save()
        return time_off

    return _guarded(
        actor=actor,
        doctors=[doctor],
        window=(start, end),
        change=change,
        on_conflict=on_conflict,
        patient_message=patient_message,
    )


# --- One date's override -------------------------------------------------------------------------------


def _check_periods(*, closed: bool, periods: list[dict]) -> None:
    """An override is closed with no periods, or open with periods that do not overlap."""
    if closed and periods:
        raise DomainError("A closed day has no working periods; send closed: false to give it hours.", field="periods")
    if not closed and not periods:
        raise DomainError("Give the day's working periods, or send closed: true.", field="periods")
    for period in periods:
        if period["end_time"] <= period["start_time"]:
            raise DomainError("A working period must end after it starts.", field="periods")
    if overlaps := schedule.period_overlaps(periods):
        raise DomainError(" ".join(overlaps), field="periods")


def _write_override(override: ScheduleOverride, periods: list[dict]) -> ScheduleOverride:
    override.full_clean(validate_constraints=False)
    override.save()
    override.periods.all().delete()
    ScheduleOverridePeriod.objects.bulk_create(
        ScheduleOverridePeriod(override=override, start_time=p["start_time"], end_time=p["end_time"]) for p in periods
    )
    return override


@transaction.atomic
def schedule_override_create(
    *,
    actor: User,
    doctor: Doctor,
    date: date,
    closed: bool = False,
    periods: list[dict] | None = None,
    reason: str = "",
    on_conflict: str = "refuse",
    patient_message: str = "",
) -> Outcome:
    """Give one date of the doctor's zone its own hours, or close it. Raises DomainError (400) for
    inconsistent periods, Conflict (409 override_exists) when the date has an override already,
    Conflict (409 appointments_in_time_off) over booked visits unless on_conflict is "cancel"."""
    periods = periods or []
    _check_periods(closed=closed, periods=periods)
    lock_doctor(doctor.pk)
    if ScheduleOverride.objects.filter(doctor=doctor, date=date).exists():
        raise Conflict(f"{doctor} already has a schedule override for {date}; change that one.", code="override_exists")
    override = ScheduleOverride(doctor=doctor, date=date, closed=closed, reason=reason, created_by=actor)
    return _guarded(
        actor=actor,
        doctors=[doctor],
        window=_day_window(doctor, date, date),
        change=lambda: _write_override(override, periods),
        on_conflict=on_conflict,
        patient_message=patient_message,
    )


@transaction.atomic
def schedule_override_update(
    *,
    actor: User,
    override: ScheduleOverride,
    closed: bool | None = None,
    periods: list[dict] | None = None,
    reason: str | None = None,
    on_conflict: str = "refuse",
    patient_message: str = "",
) -> Outcome:
    """Change a date's override (what is not given stays). The same refusals as creating one."""
    override = ScheduleOverride.objects.select_related("doctor__user").get(pk=override.pk)
    closed = override.closed if closed is None else closed
    if periods is None:
        periods = (
            [] if closed else [{"start_time": p.start_time, "end_time": p.end_time} for p in override.periods.all()]
        )
    _check_periods(closed=closed, periods=periods)
    override.closed = closed
    if reason is not None:
        override.reason = reason
    doctor = override.doctor
    return _guarded(
        actor=actor,
        doctors=[doctor],
        window=_day_window(doctor, override.date, override.date),
        change=lambda: _write_override(override, periods),
        on_conflict=on_conflict,
        patient_message=patient_message,
    )


@transaction.atomic
def schedule_override_delete(
    *, actor: User, override: ScheduleOverride, on_conflict: str = "refuse", patient_message: str = ""
) -> Outcome:
    """Give the date back to the weekly hours, which may not hold what was booked on its own
    hours (an extra Saturday clinic): the same refusals as creating one."""
    doctor = override.doctor
    return _guarded(
        actor=actor,
        doctors=[doctor],
        window=_day_window(doctor, override.date, override.date),
        change=override.delete,
        on_conflict=on_conflict,
        patient_message=patient_message,
    )


# --- Clinic closures ---------------------------------------------------------------------------------


@transaction.atomic
def clinic_closure_create(
    *,
    actor: User,
    name: str,
    start_date: date,
    end_date: date | None = None,
    on_conflict: str = "refuse",
    patient_message: str = "",
) -> Outcome:
    """Close the whole clinic for a day or a range of days (inclusive): every doctor's day off.
    Raises ValidationError for a range that ends before it starts or is longer than a year,
    Conflict (409 appointments_in_time_off) over booked visits unless on_conflict is "cancel"."""
    end_date = end_date or start_date
    closure = ClinicClosure(name=name, start_date=start_date, end_date=end_date, created_by=actor)
    closure.full_clean()
    if (end_date - start_date).days + 1 > MAX_CLOSURE_DAYS:
        raise ValidationError({"end_date": [f"A closure lasts at most {MAX_CLOSURE_DAYS} days."]})
    window = schedule.any_zone_bounds(start_date, end_date)
    doctors = list(Doctor.objects.filter(user__is_active=True).select_related("user"))

    def change():
        closure.save()
        return closure

    return _guarded(
        actor=actor,
        doctors=doctors,
        window=window,
        change=change,
        on_conflict=on_conflict,
        patient_message=patient_message,
    )
