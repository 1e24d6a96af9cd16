"""The summary report's running figures (DayTally, FirstVisit), kept exact in the transaction of
each change to an appointment or a treatment.

Every writer of appointments calls `appointment_changed(before, after)` after its save; the
treatment services call `treatment_cost_changed`. Bulk writers (the demo data, the benchmark's
seed, a data migration) call `rebuild()` afterwards. tests/reports/test_tallies.py compares the
report with a direct aggregate over the same rows, after random changes through the services.

Lock order: these rows are the last a transaction locks, after the doctor, the patient and the
appointments (appointments.services.common): the day rows in (doctor, day) order, then the
first-visit rows in patient order. A transaction that changes several appointments (an absence
that cancels the visits it clashes with) locks those appointments first and applies their
changes together at its end, inside `deferred()`, so it too takes them last and in that order.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import connection
from django.db.models import Min
from django.utils import timezone

from appointments.models import Appointment, DayTally, FirstVisit, Status

RECORDED_TREATMENT = "recorded"  # treatments.models.Treatment.Status.RECORDED (a later app)
# Inside deferred(): the (before, after) changes to apply when it ends.
_pending: ContextVar[list | None] = ContextVar("tally_changes", default=None)


@dataclass(frozen=True)
class Snapshot:
    """What of an appointment the tallies depend on."""

    doctor_id: int
    patient_id: int
    start: datetime
    status: str
    fee: Decimal

    @property
    def day(self) -> date:
        return clinic_day(self.start)

    @property
    def counts_as_visit(self) -> bool:
        """Whether it can be the patient's first visit (the report leaves cancelled ones out)."""
        return self.status != Status.CANCELLED

    def contribution(self) -> dict[str, int]:
        counts = {self.status: 1}
        if self.status == Status.COMPLETED:
            counts["consultation_cents"] = cents(self.fee)
        return counts


def clinic_day(instant: datetime) -> date:
    """The clinic day (CLINIC_TIME_ZONE, the project's TIME_ZONE) an instant falls on."""
    return timezone.localtime(instant).date()


def cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def snapshot(appointment: Appointment) -> Snapshot:
    return Snapshot(
        doctor_id=appointment.doctor_id,
        patient_id=appointment.patient_id,
        start=appointment.start,
        status=appointment.status,
        fee=appointment.fee,
    )


def appointment_changed(before: Snapshot | None, after: Appointment) -> None:
    """Move the appointment's share of the figures from what it was (None: a new booking) to
    what it is now. Call it in the transaction that saved it."""
    change = (before, snapshot(after))
    pending = _pending.get()
    if pending is None:
        _apply([change])
    else:
        pending.append(change)


@contextmanager
def deferred() -> Iterator[None]:
    """Collect the appointment changes made inside and apply them together when it ends (in the
    lock order; see the module). For transactions that change several appointments."""
    pending: list = []
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    _apply(pending)


def _apply(changes: list[tuple[Snapshot | None, Snapshot]]) -> None:
    deltas: dict[tuple[int, date], dict[str, int]] = {}
    earliest_new: dict[int, datetime] = {}  # patient -> their earliest new booking that counts
    refresh: set[int] = set()  # patients whose first visit may have moved later
    for before, now in changes:
        for state, sign in ((before, -1), (now, 1)):
            if state is not None:
                _count(deltas, state, sign)
        if before is None and now.counts_as_visit:
            earliest_new[now.patient_id] = min(now.start, earliest_new.get(now.patient_id, now.start))
        elif before is not None and (before.start != now.start or before.counts_as_visit != now.counts_as_visit):
            refresh.add(now.patient_id)
    for (doctor_id, day), row in sorted(deltas.items()):
        _add(doctor_id, day, row)
    for patient_id in sorted(refresh | set(earliest_new)):
        if patient_id in refresh:
            _refresh_first_visit(patient_id)
        else:
            _first_visit_no_later_than(patient_id, earliest_new[patient_id])  # a booking only brings it forward


def treatment_cost_changed(appointment: Appointment, *, before: Decimal, after: Decimal) -> None:
    """A treatment of this appointment now counts `after` (0 when entered in error) instead of
    `before` (0 when new). Treatments belong to checked-in or completed visits, which never move
    to another day or doctor, so the appointment's own day row holds them."""
    if before != after:
        _add(appointment.doctor_id, clinic_day(appointment.start), {"treatment_cents": cents(after) - cents(before)})


def _count(rows: dict[tuple[int, date], dict[str, int]], state: Snapshot, sign: int = 1) -> None:
    """Add (or with sign=-1 take away) one appointment's share to its (doctor, day) row."""
    row = rows.setdefault((state.doctor_id, state.day), {})
    for column, amount in state.contribution().items():
        row[column] = row.get(column, 0) + sign * amount


def _add(doctor_id: int, day: date, row: dict[str, int]) -> None:
    """Add to one (doctor, day) row, creating it."""
    row = {column: amount for column, amount in row.items() if amount}
    if row:
        day_value = DayTally._meta.get_field("day").get_db_prep_save(day, connection)
        _upsert(DayTally, {"doctor_id": doctor_id, "day": day_value}, row, merge="add")


def _first_visit_no_later_than(patient_id: int, start: datetime) -> None:
    value = FirstVisit._meta.get_field("start").get_db_prep_save(start, connection)
    _upsert(FirstVisit, {"patient_id": patient_id}, {"start": value}, merge="earlier")


def _refresh_first_visit(patient_id: int) -> None:
    # The row first, locked: another change to this patient's visits waits here, and this one then
    # reads their appointments as that one left them (PostgreSQL's READ COMMITTED).
    list(FirstVisit.objects.select_for_update().filter(patient_id=patient_id).values_list("pk"))
    first = (
        Appointment.objects.filter(patient_id=patient_id)
        .exclude(status=Status.CANCELLED)
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    if first is None:
        FirstVisit.objects.filter(patient_id=patient_id).delete()
    else:
        start = FirstVisit._meta.get_field("start").get_db_prep_save(first, connection)
        _upsert(FirstVisit, {"patient_id": patient_id}, {"start": start}, merge="replace")


MERGES = {
    "add": "{old} + {new}",
    "replace": "{new}",
    "earlier": "CASE WHEN {new} < {old} THEN {new} ELSE {old} END",
}


def _upsert(model, key: dict, values: dict, *, merge: str) -> None:
    """INSERT ... ON CONFLICT (key) DO UPDATE: one statement, the same SQL on PostgreSQL and
    SQLite, that creates the row or merges `values` into it (MERGES: add them, replace, keep the
    earlier). Only the model's own column names go into the text; values are parameters."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in [*key, *values])
    placeholders = ", ".join(["%s"] * (len(key) + len(values)))
    updates = ", ".join(
        f"{quote(c)} = " + MERGES[merge].format(old=f"{table}.{quote(c)}", new=f"excluded.{quote(c)}") for c in values
    )
    conflict = ", ".join(quote(c) for c in key)
    sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders}) ON CONFLICT ({conflict}) DO UPDATE SET {updates}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [*key.values(), *values.values()])


COLUMNS = [value for value, _ in Status.choices] + ["consultation_cents", "treatment_cents"]


def recount() -> tuple[dict[tuple[int, date], dict[str, int]], dict[int, datetime]]:
    """The tallies as the appointments and treatments say they should be: day rows by (doctor,
    day), and each patient's first visit. Reads every appointment once."""
    rows: dict[tuple[int, date], dict[str, int]] = {}
    fields = ("doctor_id", "patient_id", "start", "status", "fee")
    for values in Appointment.objects.values_list(*fields).order_by().iterator(chunk_size=5000):
        _count(rows, Snapshot(*values))
    # Through the reverse relation: the treatments app comes after this one and is not imported.
    recorded = Appointment.objects.filter(treatments__status=RECORDED_TREATMENT)
    for doctor_id, start, cost in recorded.values_list("doctor_id", "start", "treatments__cost").iterator(
        chunk_size=5000
    ):
        row = rows.setdefault((doctor_id, clinic_day(start)), {})
        row["treatment_cents"] = row.get("treatment_cents", 0) + cents(cost)
    firsts = (
        Appointment.objects.exclude(status=Status.CANCELLED)
        .values("patient_id")
        .annotate(first=Min("start"))
        .order_by()
        .values_list("patient_id", "first")
    )
    return rows, dict(firsts.iterator(chunk_size=5000))


def differences() -> list[str]:
    """Where the stored tallies differ from a recount (none, unless something wrote past the
    services, or CLINIC_TIME_ZONE changed since they were counted)."""
    rows, firsts = recount()
    stored = {
        (doctor_id, day): dict(zip(COLUMNS, values, strict=True))
        for doctor_id, day, *values in DayTally.objects.values_list("doctor_id", "day", *COLUMNS)
    }
    found = []
    for key in sorted(set(rows) | set(stored)):
        expected = {column: rows.get(key, {}).get(column, 0) for column in COLUMNS}
        if stored.get(key, dict.fromkeys(COLUMNS, 0)) != expected:
            found.append(f"doctor {key[0]} on {key[1]}: stored {stored.get(key)}, counted {expected}")
    stored_firsts = dict(FirstVisit.objects.values_list("patient_id", "start"))
    for patient_id in sorted(set(firsts) | set(stored_firsts)):
        if stored_firsts.get(patient_id) != firsts.get(patient_id):
            found.append(
                f"patient {patient_id}: first visit stored {stored_firsts.get(patient_id)}, "
                f"counted {firsts.get(patient_id)}"
            )
    return found


def rebuild() -> None:
    """Recount everything from the appointments and treatments (after bulk writes that bypass the
    services, or a change of CLINIC_TIME_ZONE). Run it in a transaction, or with writers stopped."""
    rows, firsts = recount()
    DayTally.objects.all().delete()
    FirstVisit.objects.all().delete()
    DayTally.objects.bulk_create(
        (DayTally(doctor_id=doctor_id, day=day, **row) for (doctor_id, day), row in rows.items()), batch_size=2000
    )
    FirstVisit.objects.bulk_create(
        (FirstVisit(patient_id=patient_id, start=first) for patient_id, first in firsts.items()), batch_size=2000
    )
