"""What can be booked: the free slots of a doctor for a visit type, and why a start is refused.

A free slot is a start on the doctor's grid (every `slot_minutes` from the start of a working
period, in absolute time, so a DST change neither drops nor repeats one) whose whole blocked
interval (the visit and the visit type's buffers) lies inside one working period of that date
(doctors.schedule: weekly hours or the date's override, none on a closure), outside time off
and outside every other active appointment's blocked interval; for a patient, the visit itself
must also miss their own active appointments. Booking accepts exactly these starts: the slots
endpoint, the doctors list's `available_on`, the booking service, the admin and FHIR all ask
this module. Every function runs a fixed number of queries whatever the date range.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from appointments.models import ACTIVE_STATUSES, Appointment
from config.errors import DomainError
from doctors import schedule
from doctors.models import Doctor, DoctorVisitType, VisitType
from doctors.schedule import Interval, WorkingDay, WorkingTime
from patients.models import Patient

MAX_RANGE_DAYS = 62


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    visit_type: VisitType


class Timeline:
    """Taken time, merged and sorted once, then asked "is [start, end) free?" in O(log n)."""

    def __init__(self, intervals: Iterable[Interval]):
        self.intervals = schedule.merged(intervals)
        self.starts = [start for start, _ in self.intervals]

    def is_free(self, start: datetime, end: datetime) -> bool:
        i = bisect_left(self.starts, end) - 1  # the last taken interval that starts before `end`
        return i < 0 or self.intervals[i][1] <= start


def booking_window(now: datetime | None = None, *, staff: bool = False) -> Interval:
    """The earliest and latest start a booking may have right now: the minimum notice (staff at
    the desk may book inside it) and the horizon."""
    now = now or timezone.now()
    latest = now + timedelta(days=settings.BOOKING_HORIZON_DAYS)
    if staff:
        return now.replace(second=0, microsecond=0), latest  # from the current minute: a walk-in now
    return now + timedelta(minutes=settings.BOOKING_MIN_NOTICE_MINUTES), latest


def is_bookable(doctor: Doctor) -> bool:
    return doctor.user.is_active and doctor.is_accepting_patients


# --- Visit types ---------------------------------------------------------------------------------------


def offered_visit_types(doctor: Doctor, *, online: bool) -> list[DoctorVisitType]:
    """What can be booked with this doctor: the active visit types they offer (for a patient
    booking online, only those bookable online), the default first."""
    offerings = DoctorVisitType.objects.filter(doctor=doctor, visit_type__is_active=True).select_related("visit_type")
    if online:
        offerings = offerings.filter(visit_type__bookable_online=True)
    return list(offerings.order_by("-is_default", "visit_type__name"))


def bookable_visit_type(*, doctor: Doctor, visit_type: VisitType | None, online: bool) -> VisitType:
    """The visit type a booking (or a slots search) is for: the one asked for, or the doctor's
    default. Raises DomainError (400, on `visit_type`) naming the ones that can be booked."""
    offered = offered_visit_types(doctor, online=online)
    for offering in offered:
        if (offering.visit_type_id == visit_type.pk) if visit_type is not None else offering.is_default:
            return offering.visit_type
    names = ", ".join(f"{offering.visit_type.name} (id {offering.visit_type_id})" for offering in offered)
    if not names:
        raise DomainError(f"{doctor} offers no visit types that can be booked here.", field="visit_type")
    if visit_type is None:
        raise DomainError(f"Choose a visit type; {doctor} offers: {names}.", field="visit_type")
    where = "online" if online else "here"
    raise DomainError(
        f"{doctor} does not offer {visit_type.name} for booking {where}; choose one of: {names}.", field="visit_type"
    )


# --- Taken time ------------------------------------------------------------------------------------------


def doctors_taken(doctor_ids: Collection[int], start: datetime, end: datetime) -> dict[int, list[Interval]]:
    """The blocked intervals of these doctors' active appointments that overlap [start, end)."""
    taken: dict[int, list[Interval]] = defaultdict(list)
    rows = Appointment.objects.filter(
        doctor_id__in=doctor_ids, status__in=ACTIVE_STATUSES, blocked_start__lt=end, blocked_end__gt=start
    ).order_by()  # a Timeline sorts them; the model's order would cost a sort in the database
    for doctor_id, taken_start, taken_end in rows.values_list("doctor_id", "blocked_start", "blocked_end"):
        taken[doctor_id].append((taken_start, taken_end))
    return taken


def patient_visits(patient: Patient, start: datetime, end: datetime) -> list[Interval]:
    """The patient's active visits (with any doctor) that overlap [start, end)."""
    rows = Appointment.objects.filter(patient=patient, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start)
    return list(rows.order_by().values_list("start", "end"))


# --- Free slots -----------------------------------------------------------------------------------------


def grid_starts(working_day: WorkingDay, *, step_minutes: int, visit_type: VisitType) -> list[datetime]:
    """The starts on the doctor's grid that day whose blocked interval fits inside one period."""
    step, starts = timedelta(minutes=step_minutes), []
    before, after = visit_type.blocked_offsets()
    for period_start, period_end in working_day.periods:
        start = period_start
        while start + after <= period_end:
            if start - before >= period_start:
                starts.append(start)
            start += step
    return starts


def _free(
    working: WorkingTime,
    doctor: Doctor,
    visit_type: VisitType,
    *,
    taken: Timeline,
    patient_busy: Timeline | None,
    window: Interval,
) -> Iterable[Slot]:
    earliest, latest = window
    (before, after), duration = visit_type.blocked_offsets(), visit_type.duration
    for working_day in working.working_days(doctor):
        for start in grid_starts(working_day, step_minutes=doctor.slot_minutes, visit_type=visit_type):
            if not earliest <= start <= latest or not taken.is_free(start - before, start + after):
                continue
            end = start + duration
            if patient_busy is None or patient_busy.is_free(start, end):
                yield Slot(start, end, visit_type)


def free_slots(
    *,
    doctor: Doctor,
    visit_type: VisitType,
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    patient: Patient | None = None,
    staff: bool = False,
) -> list[Slot]:
    """Free slots of one doctor for one visit type between two dates of their zone. With a
    patient, their own busy times are left out too. Queries: the working time (five), the
    doctor's bookings, and the patient's."""
    found = free_slots_of_doctors(
        visit_types={doctor: visit_type}, first_day=first_day, last_day=last_day, now=now, patient=patient, staff=staff
    )
    return found[doctor.pk]


def free_slots_of_doctors(
    *,
    visit_types: dict[Doctor, VisitType],
    first_day: date,
    last_day: date,
    now: datetime | None = None,
    patient: Patient | None = None,
    staff: bool = False,
) -> dict[int, list[Slot]]:
    """`free_slots` for several doctors at once, each for its own visit type (the admin's day
    sheet): doctor id -> free slots. The same queries as for one doctor, whatever their number."""
    found: dict[int, list[Slot]] = {doctor.pk: [] for doctor in visit_types}
    doctors = [doctor for doctor in visit_types if is_bookable(doctor)]
    if not doctors:
        return found
    working = WorkingTime(doctors, first_day, last_day)
    bounds = [schedule.local_day_bounds(doctor.zone, first_day, last_day) for doctor in doctors]
    window_start, window_end = min(start for start, _ in bounds), max(end for _, end in bounds)
    margin = max(
        timedelta(minutes=visit_type.buffer_before_minutes + visit_type.buffer_after_minutes)
        for visit_type in visit_types.values()
    )
    booked = doctors_taken([doctor.pk for doctor in doctors], window_start - margin, window_end + margin)
    patient_busy = Timeline(patient_visits(patient, window_start, window_end)) if patient is not None else None
    window = booking_window(now, staff=staff)
    for doctor in doctors:
        taken = Timeline([*working.time_off(doctor), *booked.get(doctor.pk, [])])
        visit_type = visit_types[doctor]
        found[doctor.pk] = list(
            _free(working, doctor, visit_type, taken=taken, patient_busy=patient_busy, window=window)
        )
    return found


def doctors_free_on(
    *, doctors: Iterable[Doctor], day: date, now: datetime | None = None, online: bool = False
) -> set[int]:
    """Ids of the given (bookable) doctors with at least one free slot of their default visit
    type on `day` of their own zone; `online` (a patient asking): of their default when it is
    bookable online, else of the first (by name) that is. Seven queries whatever the number of
    doctors."""
    doctors = {doctor.pk: doctor for doctor in doctors}
    if not doctors:
        return set()
    which = {"visit_type__bookable_online": True} if online else {"is_default": True}
    offerings = DoctorVisitType.objects.filter(doctor_id__in=doctors, visit_type__is_active=True, **which)
    visit_types = {}
    for offering in offerings.select_related("visit_type").order_by("-is_default", "visit_type__name"):
        visit_types.setdefault(offering.doctor_id, offering.visit_type)
    working = WorkingTime(list(doctors.values()), day, day)
    booked = doctors_taken(list(doctors), *schedule.any_zone_bounds(day, day))
    window = booking_window(now)
    available = set()
    for doctor_id, visit_type in visit_types.items():
        doctor = doctors[doctor_id]
        taken = Timeline([*working.time_off(doctor), *booked.get(doctor_id, [])])
        if next(_free(working, doctor, visit_type, taken=taken, patient_busy=None, window=window), None):
            available.add(doctor_id)
    return available


# --- Why a start cannot be booked -------------------------------------------------------------------------


def _at(moment: datetime, doctor: Doctor) -> str:
    local = moment.astimezone(doctor.zone)
    return f"{local:%H:%M:%S}" if local.second or local.microsecond else f"{local:%H:%M}"


def start_refusal(
    *, doctor: Doctor, visit_type: VisitType, start: datetime, now: datetime, staff: bool = False, on_grid: bool = True
) -> DomainError | None:
    """None when a visit of this type may start then (other bookings aside: those the database
    decides, answering 409), else the DomainError (400, on `start`) that says why and what to do.
    `on_grid=False` (a walk-in starting now) lifts only the grid rule."""
    earliest, latest = booking_window(now, staff=staff)
    if start < now.replace(second=0, microsecond=0):
        return DomainError("That time has already passed; pick a future slot.", field="start")
    if start < earliest:
        return DomainError(
            f"Appointments must be booked at least {settings.BOOKING_MIN_NOTICE_MINUTES} minutes ahead; "
            "pick a later slot or call the clinic.",
            field="start",
        )
    if start > latest:
        return DomainError(
            f"Appointments can be booked at most {settings.BOOKING_HORIZON_DAYS} days ahead.", field="start"
        )
    local_day = start.astimezone(doctor.zone).date()
    working = WorkingTime([doctor], local_day, local_day)
    working_day = working.day(doctor, local_day)
    if not working_day.periods:
        reason = working_day.day_off_reason
        return DomainError(
            f"{reason[0].upper()}{reason[1:]}; pick another day from /api/doctors/{doctor.pk}/slots/.", field="start"
        )
    blocked_start, blocked_end = visit_type.blocked(start)
    if not working_day.holds(blocked_start, blocked_end):
        return DomainError(
            f"That is outside {doctor}'s working hours: on {local_day:%A %d %B %Y} they work "
            f"{working_day.describe_hours()} ({doctor.time_zone}), and a {visit_type.describe()} starting at "
            f"{_at(start, doctor)} does not fit; pick a slot from /api/doctors/{doctor.pk}/slots/.",
            field="start",
        )
    if schedule.overlaps(working.time_off(doctor), blocked_start, blocked_end):
        return DomainError(f"{doctor} is away at that time; pick another slot.", field="start")
    if on_grid and start not in grid_starts(working_day, step_minutes=doctor.slot_minutes, visit_type=visit_type):
        free = free_slots(
            doctor=doctor, visit_type=visit_type, first_day=local_day, last_day=local_day, now=now, staff=staff
        )
        nearest = sorted(sorted(free, key=lambda slot: abs(slot.start - start))[:2], key=lambda slot: slot.start)
        if nearest:
            hint = f"the nearest free starts are {' and '.join(_at(slot.start, doctor) for slot in nearest)}"
        else:
            hint = "there is no free start left that day"
        return DomainError(
            f"{doctor}'s appointments start every {doctor.slot_minutes} minutes from the start of their hours, "
            f"and {_at(start, doctor)} is not one of them; {hint} ({doctor.time_zone}, all free starts at "
            f"/api/doctors/{doctor.pk}/slots/).",
            field="start",
        )
    return None
