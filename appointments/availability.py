"""Free slots: a doctor's working time (doctors.schedule) on their slot grid, minus busy time.

Inside a working period, slots step in absolute time (UTC), so a period that spans the hour the
clocks skip or repeat has neither a missing nor a duplicate slot. Busy time is the doctor's time
off and their active appointments. The same rule serves the slots endpoint, the doctors list's
`available_on` filter and the booking service's check of a start. Every function here runs a
fixed number of queries whatever the date range.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from appointments.models import ACTIVE_STATUSES, Appointment
from doctors import schedule
from doctors.models import Doctor, WorkingHours
from doctors.schedule import Interval

MAX_RANGE_DAYS = 62


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime


def booking_window(now: datetime | None = None) -> Interval:
    """The earliest and latest start a booking may have right now (minimum notice, horizon)."""
    now = now or timezone.now()
    return (
        now + timedelta(minutes=settings.BOOKING_MIN_NOTICE_MINUTES),
        now + timedelta(days=settings.BOOKING_HORIZON_DAYS),
    )


def busy_intervals(doctor_ids: Collection[int], start: datetime, end: datetime) -> dict[int, list[Interval]]:
    """Busy time per doctor overlapping [start, end): time off and active appointments (two queries)."""
    busy: dict[int, list[Interval]] = defaultdict(list)
    for doctor_id, intervals in schedule.time_off_by_doctor(doctor_ids, start, end).items():
        busy[doctor_id].extend(intervals)
    booked = Appointment.objects.filter(
        doctor_id__in=doctor_ids, status__in=ACTIVE_STATUSES, start__lt=end, end__gt=start
    ).values_list("doctor_id", "start", "end")
    for doctor_id, booked_start, booked_end in booked:
        busy[doctor_id].append((booked_start, booked_end))
    return busy


def slot_grid(*, hours: Iterable[WorkingHours], zone, slot_minutes: int, first_day: date, last_day: date) -> list[Slot]:
    """Every slot the weekly hours give between two local dates (inclusive), sorted by start."""
    length = timedelta(minutes=slot_minutes)
    slots = []
    for start, end in schedule.working_periods(hours=hours, zone=zone, first_day=first_day, last_day=last_day):
        while start + length <= end:
            slots.append(Slot(start, start + length))
            start += length
    return slots


def without_busy(slots: list[Slot], busy: Iterable[Interval], earliest: datetime, latest: datetime) -> list[Slot]:
    """Slots inside the booking window that overlap no busy interval (both sorted: one pass)."""
    blocked = schedule.merged(busy)
    free, i = [], 0
    for slot in slots:
        if slot.start < earliest or slot.start > latest:
            continue
        while i < len(blocked) and blocked[i][1] <= slot.start:
            i += 1
        if i < len(blocked) and blocked[i][0] < slot.end:
            continue
        free.append(slot)
    return free


def is_bookable(doctor: Doctor) -> bool:
    return doctor.user.is_active and doctor.is_accepting_patients


def free_slots(*, doctor: Doctor, first_day: date, last_day: date, now: datetime | None = None) -> list[Slot]:
    """Free slots of one doctor between two dates of their zone. Queries: hours, time off, appointments."""
    if not is_bookable(doctor):
        return []
    zone = doctor.zone
    grid = slot_grid(
        hours=WorkingHours.objects.filter(doctor=doctor),
        zone=zone,
        slot_minutes=doctor.slot_minutes,
        first_day=first_day,
        last_day=last_day,
    )
    window_start, window_end = schedule.local_day_bounds(zone, first_day, last_day)
    busy = busy_intervals([doctor.pk], window_start, window_end).get(doctor.pk, [])
    return without_busy(grid, busy, *booking_window(now))


def doctors_free_on(*, doctors: Iterable[Doctor], day: date, now: datetime | None = None) -> set[int]:
    """Ids of the given (bookable) doctors with at least one free slot on `day` of their own zone."""
    doctors = {doctor.pk: doctor for doctor in doctors}
    if not doctors:
        return set()
    hours = schedule.hours_by_doctor(doctors, weekday=day.weekday())
    busy = busy_intervals(list(hours), *schedule.any_zone_bounds(day, day))
    earliest, latest = booking_window(now)
    available = set()
    for doctor_id, periods in hours.items():
        doctor = doctors[doctor_id]
        grid = slot_grid(hours=periods, zone=doctor.zone, slot_minutes=doctor.slot_minutes, first_day=day, last_day=day)
        if without_busy(grid, busy.get(doctor_id, []), earliest, latest):
            available.add(doctor_id)
    return available


def is_on_grid(*, doctor: Doctor, start: datetime) -> bool:
    """Whether `start` begins one of the doctor's slots (on their grid, inside working hours)."""
    local_day = start.astimezone(doctor.zone).date()
    grid = slot_grid(
        hours=WorkingHours.objects.filter(doctor=doctor),
        zone=doctor.zone,
        slot_minutes=doctor.slot_minutes,
        first_day=local_day,
        last_day=local_day,
    )
    return any(slot.start == start for slot in grid)
