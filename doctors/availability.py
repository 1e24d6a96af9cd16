"""Free slots: a doctor's weekly hours laid onto real dates in their time zone, minus busy time.

Slots are generated from wall-clock working hours in the doctor's zone, so 09:00 stays 09:00
local across a DST change. Inside a period, slots step in absolute time (UTC), so a period that
spans the hour the clocks skip or repeat has neither a missing nor a duplicate slot.

Busy time is the doctor's time off plus whatever later apps register with
`register_busy_source` (the appointments app registers active appointments in its
AppConfig.ready). This keeps the import direction doctors -> appointments one way.
Every function here runs a fixed number of queries whatever the date range.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from doctors.models import Doctor, TimeOff, WorkingHours

MAX_RANGE_DAYS = 62

Interval = tuple[datetime, datetime]
# (doctor ids, window start, window end) -> (doctor id, start, end) rows that overlap the window.
BusySource = Callable[[Collection[int], datetime, datetime], Iterable[tuple[int, datetime, datetime]]]

_busy_sources: list[BusySource] = []


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime


def register_busy_source(source: BusySource) -> BusySource:
    """Let a later app mark doctors busy. Registering the same function twice is harmless."""
    if source not in _busy_sources:
        _busy_sources.append(source)
    return source


def time_off_rows(doctor_ids: Collection[int], start: datetime, end: datetime):
    return TimeOff.objects.filter(doctor_id__in=doctor_ids, start__lt=end, end__gt=start).values_list(
        "doctor_id", "start", "end"
    )


def busy_intervals(
    doctor_ids: Collection[int],
    start: datetime,
    end: datetime,
    *,
    include_time_off: bool = True,
    sources: list[BusySource] | None = None,
) -> dict[int, list[Interval]]:
    """Busy time per doctor overlapping [start, end): one query per source (by default time off
    and every registered source)."""
    if sources is None:
        sources = ([time_off_rows] if include_time_off else []) + _busy_sources
    busy: dict[int, list[Interval]] = defaultdict(list)
    for source in sources:
        for doctor_id, busy_start, busy_end in source(doctor_ids, start, end):
            busy[doctor_id].append((busy_start, busy_end))
    return busy


def booking_window(now: datetime | None = None) -> Interval:
    """The earliest and latest start a booking may have right now (minimum notice, horizon)."""
    now = now or timezone.now()
    return (
        now + timedelta(minutes=settings.BOOKING_MIN_NOTICE_MINUTES),
        now + timedelta(days=settings.BOOKING_HORIZON_DAYS),
    )


def local_day_bounds(zone: ZoneInfo, first_day: date, last_day: date) -> Interval:
    """[first_day 00:00, the day after last_day 00:00) in `zone`, as aware UTC datetimes."""
    return _to_utc(first_day, time.min, zone), _to_utc(last_day + timedelta(days=1), time.min, zone)


def _to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    # fold=0: a repeated wall time means its first occurrence; a skipped one moves past the gap.
    return datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)


def working_periods(
    *, hours: Iterable[WorkingHours], zone: ZoneInfo, first_day: date, last_day: date
) -> list[Interval]:
    """The weekly hours laid onto the dates between two local days (inclusive), as UTC intervals."""
    by_weekday: dict[int, list[WorkingHours]] = defaultdict(list)
    for period in hours:
        by_weekday[period.weekday].append(period)
    periods = []
    day = first_day
    while day <= last_day:
        for period in by_weekday.get(day.weekday(), ()):
            periods.append((_to_utc(day, period.start_time, zone), _to_utc(day, period.end_time, zone)))
        day += timedelta(days=1)
    periods.sort()
    return periods


def slot_grid(
    *, hours: Iterable[WorkingHours], zone: ZoneInfo, slot_minutes: int, first_day: date, last_day: date
) -> list[Slot]:
    """Every slot the weekly hours give between two local dates (inclusive), sorted by start."""
    length = timedelta(minutes=slot_minutes)
    slots = []
    for start, end in working_periods(hours=hours, zone=zone, first_day=first_day, last_day=last_day):
        while start + length <= end:
            slots.append(Slot(start, start + length))
            start += length
    return slots


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    merged: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def without_busy(slots: list[Slot], busy: Iterable[Interval], earliest: datetime, latest: datetime) -> list[Slot]:
    """Slots inside the booking window that overlap no busy interval (both sorted: one pass)."""
    blocked = _merged(busy)
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
    """Free slots of one doctor between two dates of their zone. Queries: hours, time off, sources."""
    if not is_bookable(doctor):
        return []
    zone = doctor.zone
    window_start, window_end = local_day_bounds(zone, first_day, last_day)
    grid = slot_grid(
        hours=WorkingHours.objects.filter(doctor=doctor),
        zone=zone,
        slot_minutes=doctor.slot_minutes,
        first_day=first_day,
        last_day=last_day,
    )
    busy = busy_intervals([doctor.pk], window_start, window_end).get(doctor.pk, [])
    return without_busy(grid, busy, *booking_window(now))


def doctors_free_on(*, doctors: Iterable[Doctor], day: date, now: datetime | None = None) -> set[int]:
    """Ids of the given (bookable) doctors with at least one free slot on `day` of their own zone."""
    doctors = {doctor.pk: doctor for doctor in doctors}
    if not doctors:
        return set()
    hours: dict[int, list[WorkingHours]] = defaultdict(list)
    for period in WorkingHours.objects.filter(doctor_id__in=doctors, weekday=day.weekday()):
        hours[period.doctor_id].append(period)
    # Wide enough for every zone on Earth (UTC-12 to UTC+14); each doctor is cut to their own day.
    window = (_to_utc(day, time.min, UTC) - timedelta(hours=14), _to_utc(day, time.max, UTC) + timedelta(hours=12))
    busy = busy_intervals(list(hours), *window)
    earliest, latest = booking_window(now)
    available = set()
    for doctor_id, periods in hours.items():
        doctor = doctors[doctor_id]
        grid = slot_grid(hours=periods, zone=doctor.zone, slot_minutes=doctor.slot_minutes, first_day=day, last_day=day)
        if without_busy(grid, busy.get(doctor_id, []), earliest, latest):
            available.add(doctor_id)
    return available


def is_on_grid(*, doctor: Doctor, start: datetime, hours: Iterable[WorkingHours] | None = None) -> bool:
    """Whether `start` begins one of the doctor's slots (on their grid, inside working hours)."""
    local_day = start.astimezone(doctor.zone).date()
    grid = slot_grid(
        hours=WorkingHours.objects.filter(doctor=doctor) if hours is None else hours,
        zone=doctor.zone,
        slot_minutes=doctor.slot_minutes,
        first_day=local_day,
        last_day=local_day,
    )
    return any(slot.start == start for slot in grid)


def capacity_minutes(*, doctors: Iterable[Doctor], first_day: date, last_day: date) -> dict[int, int]:
    """Minutes each doctor works between two of their local days (inclusive), less time off:
    the denominator of utilisation. Two queries (hours, time off) whatever the number of doctors."""
    doctors = {doctor.pk: doctor for doctor in doctors}
    hours: dict[int, list[WorkingHours]] = defaultdict(list)
    for period in WorkingHours.objects.filter(doctor_id__in=doctors):
        hours[period.doctor_id].append(period)
    window = (
        _to_utc(first_day, time.min, UTC) - timedelta(hours=14),
        _to_utc(last_day, time.max, UTC) + timedelta(hours=12),
    )
    away = busy_intervals(list(doctors), *window, sources=[time_off_rows])
    capacity = {}
    for doctor_id, doctor in doctors.items():
        blocked, i, total = _merged(away.get(doctor_id, [])), 0, timedelta()
        for start, end in working_periods(
            hours=hours[doctor_id], zone=doctor.zone, first_day=first_day, last_day=last_day
        ):
            total += end - start
            while i < len(blocked) and blocked[i][1] <= start:
                i += 1
            j = i
            while j < len(blocked) and blocked[j][0] < end:
                total -= min(end, blocked[j][1]) - max(start, blocked[j][0])
                j += 1
        capacity[doctor_id] = int(total.total_seconds() // 60)
    return capacity
