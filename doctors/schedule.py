"""When doctors work: their weekly hours laid onto real dates in their time zone, with the
date's override (closed, or its own periods) and the clinic's closures, and their time off.

Wall-clock hours are read in the doctor's zone, so 09:00 stays 09:00 local across a DST change;
the result is intervals in UTC. This module knows nothing of appointments: free time (working
time less bookings) is appointments.availability's, which builds on `WorkingTime`. Loading
takes a fixed number of queries whatever the number of doctors and days.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from doctors.models import ClinicClosure, Doctor, ScheduleOverride, TimeOff, Weekday, WorkingHours

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


def days(first_day: date, last_day: date) -> Iterable[date]:
    day = first_day
    while day <= last_day:
        yield day
        day += timedelta(days=1)


def merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined."""
    joined: list[list[datetime]] = []
    for start, end in sorted(intervals):
        if joined and start <= joined[-1][1]:
            joined[-1][1] = max(joined[-1][1], end)
        else:
            joined.append([start, end])
    return [(start, end) for start, end in joined]


def period_overlaps(periods: Iterable[dict]) -> list[str]:
    """For one day's wall-clock periods ({"start_time", "end_time"}): a message for each pair that
    overlaps ("09:00-12:00 overlaps 11:00-13:00."), none when they do not."""
    ordered = sorted(periods, key=lambda period: period["start_time"])
    return [
        f"{before['start_time']:%H:%M}-{before['end_time']:%H:%M} overlaps "
        f"{after['start_time']:%H:%M}-{after['end_time']:%H:%M}."
        for before, after in pairwise(ordered)
        if after["start_time"] < before["end_time"]
    ]


def overlaps(intervals: Iterable[Interval], start: datetime, end: datetime) -> bool:
    return any(other_start < end and other_end > start for other_start, other_end in intervals)


@dataclass(frozen=True)
class WorkingDay:
    """One local date of one doctor: the periods they work (UTC, sorted), and when there are
    none, why (for a message a patient can act on)."""

    doctor: Doctor
    day: date
    periods: list[Interval]
    day_off_reason: str = ""

    def holds(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies inside one working period."""
        return any(period_start <= start and end <= period_end for period_start, period_end in self.periods)

    def describe_hours(self) -> str:
        zone = self.doctor.zone
        return " and ".join(f"{s.astimezone(zone):%H:%M}-{e.astimezone(zone):%H:%M}" for s, e in self.periods)


@dataclass
class WorkingTime:
    """The working time of some doctors over some of their local days: weekly hours, overrides,
    closures and time off, loaded in five queries. Ask it for one doctor's days or periods."""

    doctors: list[Doctor]
    first_day: date
    last_day: date
    hours: dict[int, list[WorkingHours]] = field(init=False)
    overrides: dict[tuple[int, date], ScheduleOverride] = field(init=False)
    closures: list[ClinicClosure] = field(init=False)
    away: dict[int, list[Interval]] = field(init=False)

    def __post_init__(self):
        ids = [doctor.pk for doctor in self.doctors]
        self.hours = defaultdict(list)
        for period in WorkingHours.objects.filter(doctor_id__in=ids).order_by("start_time"):
            self.hours[period.doctor_id].append(period)
        overrides = ScheduleOverride.objects.filter(
            doctor_id__in=ids, date__gte=self.first_day, date__lte=self.last_day
        ).prefetch_related("periods")
        self.overrides = {(override.doctor_id, override.date): override for override in overrides}
        self.closures = list(ClinicClosure.objects.filter(start_date__lte=self.last_day, end_date__gte=self.first_day))
        self.away = defaultdict(list)
        start, end = any_zone_bounds(self.first_day, self.last_day)
        rows = TimeOff.objects.filter(doctor_id__in=ids, start__lt=end, end__gt=start)
        for doctor_id, away_start, away_end in rows.values_list("doctor_id", "start", "end"):
            self.away[doctor_id].append((away_start, away_end))

    def day(self, doctor: Doctor, day: date) -> WorkingDay:
        """The doctor's periods on one of their local dates: none on a clinic closure; the
        override's on a date that has one; else the weekly hours of that weekday."""
        zone = doctor.zone
        for closure in self.closures:
            if closure.start_date <= day <= closure.end_date:
                return WorkingDay(doctor, day, [], f"the clinic is closed on {day:%A %d %B %Y} ({closure.name})")
        override = self.overrides.get((doctor.pk, day))
        if override is not None:
            if override.closed or not override.periods.all():
                return WorkingDay(doctor, day, [], f"{doctor} does not work on {day:%A %d %B %Y}")
            wall_clock = [(period.start_time, period.end_time) for period in override.periods.all()]
        else:
            weekly = self.hours.get(doctor.pk, [])
            wall_clock = [(p.start_time, p.end_time) for p in weekly if p.weekday == day.weekday()]
            if not wall_clock:
                weekday = Weekday(day.weekday()).label
                return WorkingDay(doctor, day, [], f"{doctor} does not work on {weekday}s")
        # Touching periods join: a visit may run across 12:00 when one period ends and the next starts.
        periods = merged((to_utc(day, start, zone), to_utc(day, end, zone)) for start, end in wall_clock)
        return WorkingDay(doctor, day, periods)

    def working_days(self, doctor: Doctor) -> list[WorkingDay]:
        return [self.day(doctor, day) for day in days(self.first_day, self.last_day)]

    def periods(self, doctor: Doctor) -> list[Interval]:
        return [period for working_day in self.working_days(doctor) for period in working_day.periods]

    def time_off(self, doctor: Doctor) -> list[Interval]:
        return merged(self.away.get(doctor.pk, []))


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
    """Minutes each doctor works between two of their local days (inclusive): weekly hours or the
    date's override, none on closures, less time off. The denominator of utilisation."""
    doctors = list(doctors)
    working = WorkingTime(doctors, first_day, last_day)
    return {doctor.pk: minutes_outside(working.periods(doctor), working.time_off(doctor)) for doctor in doctors}
