"""When a doctor works: their weekly hours laid onto real dates in their time zone, less time off.

Wall-clock hours are read in the doctor's zone, so 09:00 stays 09:00 local across a DST change;
the result is intervals in UTC. This module knows nothing of appointments: free time (working
time less bookings) is computed by appointments.availability, which builds on these functions.
Every function here runs a fixed number of queries whatever the date range.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from doctors.models import Doctor, TimeOff, WorkingHours

Interval = tuple[datetime, datetime]


def to_utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    """A wall-clock time on a date in `zone`, as aware UTC. fold=0: a repeated wall time means
    its first occurrence; a skipped one moves past the gap."""
    return datetime.combine(day, at).replace(tzinfo=zone).astimezone(UTC)


def local_day_bounds(zone: ZoneInfo, first_day: date, last_day: date) -> Interval:
    """[first_day 00:00, the day after last_day 00:00) in `zone`, as aware UTC datetimes."""
    return to_utc(first_day, time.min, zone), to_utc(last_day + timedelta(days=1), time.min, zone)


def any_zone_bounds(first_day: date, last_day: date) -> Interval:
    """A UTC window wide enough to hold these local days in every zone on Earth (UTC-12 to
    UTC+14): one query can then serve doctors in different zones, each cut to their own days."""
    return (
        to_utc(first_day, time.min, UTC) - timedelta(hours=14),
        to_utc(last_day, time.max, UTC) + timedelta(hours=12),
    )


def hours_by_doctor(doctor_ids: Collection[int], *, weekday: int | None = None) -> dict[int, list[WorkingHours]]:
    """The weekly hours of these doctors (of one weekday, when given), in one query."""
    rows = WorkingHours.objects.filter(doctor_id__in=doctor_ids)
    if weekday is not None:
        rows = rows.filter(weekday=weekday)
    hours: dict[int, list[WorkingHours]] = defaultdict(list)
    for period in rows:
        hours[period.doctor_id].append(period)
    return hours


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
            periods.append((to_utc(day, period.start_time, zone), to_utc(day, period.end_time, zone)))
        day += timedelta(days=1)
    periods.sort()
    return periods


def time_off_by_doctor(doctor_ids: Collection[int], start: datetime, end: datetime) -> dict[int, list[Interval]]:
    """Time off of these doctors overlapping [start, end), in one query."""
    away: dict[int, list[Interval]] = defaultdict(list)
    rows = TimeOff.objects.filter(doctor_id__in=doctor_ids, start__lt=end, end__gt=start)
    for doctor_id, away_start, away_end in rows.values_list("doctor_id", "start", "end"):
        away[doctor_id].append((away_start, away_end))
    return away


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined."""
    joined: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]


def minutes_outside(periods: Iterable[Interval], blocked: Iterable[Interval]) -> int:
    """Whole minutes of `periods` (sorted, not overlapping) that no `blocked` interval covers."""
    blocked, i, total = merged(blocked), 0, timedelta()
    for start, end in periods:
        total += end - start
        while i < len(blocked) and blocked[i][1] <= start:
            i += 1
        j = i
        while j < len(blocked) and blocked[j][0] < end:
            total -= min(end, blocked[j][1]) - max(start, blocked[j][0])
            j += 1
    return int(total.total_seconds() // 60)


def capacity_minutes(*, doctors: Iterable[Doctor], first_day: date, last_day: date) -> dict[int, int]:
    """Minutes each doctor works between two of their local days (inclusive), less time off:
    the denominator of utilisation. Two queries (hours, time off) whatever the number of doctors."""
    doctors = {doctor.pk: doctor for doctor in doctors}
    hours = hours_by_doctor(doctors)
    away = time_off_by_doctor(doctors, *any_zone_bounds(first_day, last_day))
    return {
        doctor_id: minutes_outside(
            working_periods(hours=hours[doctor_id], zone=doctor.zone, first_day=first_day, last_day=last_day),
            away.get(doctor_id, []),
        )
        for doctor_id, doctor in doctors.items()
    }
