"""What a report covers (a range of clinic days, optionally one doctor or specialization), and
the pieces every report's SQL shares.

Definitions (documented in the README):
- An appointment belongs to the range when it starts on one of its clinic days.
- Consultation revenue: the fee recorded at booking, of completed appointments.
- Treatment revenue: the cost of treatments recorded for the range's appointments (not those
  entered in error).
- Rates are shares of all the range's appointments.
- A new patient is one whose first appointment in scope (cancelled ones aside) is in the range.
- Booked minutes: the length of the range's appointments that were not cancelled.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Func, IntegerField, Q, QuerySet

from appointments.models import Appointment, DayTally, Status
from config.filters import clinic_day_start
from doctors.models import Doctor
from doctors.selectors import specialization_q
from treatments.models import Treatment

ZERO = Decimal("0.00")
STATUSES = [value for value, _ in Status.choices]


class SecondsBetween(Func):
    """Whole seconds from the first datetime to the second, computed by the database.

    Django's `F("end") - F("start")` on SQLite calls a Python function for every row, which made
    the doctors report spend 0.5 s parsing 72,000 pairs of timestamps; julianday() is native.
    """

    arity = 2
    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        (start, start_params), (end, end_params) = (compiler.compile(e) for e in self.get_source_expressions())
        if connection.vendor == "sqlite":
            sql = f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS integer)"
        else:
            sql = f"CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS integer)"
        return sql, (*end_params, *start_params)


@dataclass(frozen=True)
class ReportScope:
    date_from: date
    date_to: date
    doctor_id: int | None = None
    specialization: str = ""  # an id or a name

    def doctors(self) -> QuerySet[Doctor]:
        doctors = Doctor.objects.all()
        if self.doctor_id is not None:
            doctors = doctors.filter(pk=self.doctor_id)
        if self.specialization:
            doctors = doctors.filter(specialization_q(self.specialization))
        return doctors

    def all_appointments(self) -> QuerySet[Appointment]:
        """Every appointment of the doctors in scope, whenever it is."""
        appointments = Appointment.objects.all()
        if self.doctor_id is not None or self.specialization:
            appointments = appointments.filter(doctor__in=self.doctors())
        return appointments

    @property
    def range_start(self) -> datetime:
        return clinic_day_start(self.date_from)

    @property
    def range_end(self) -> datetime:
        """The instant after the range (midnight after its last clinic day)."""
        return clinic_day_start(self.date_to, days_after=1)

    def appointments(self) -> QuerySet[Appointment]:
        """The appointments in scope that start in the range (clinic days, inclusive)."""
        return self.all_appointments().filter(start__gte=self.range_start, start__lt=self.range_end)

    def day_tallies(self) -> QuerySet[DayTally]:
        """The daily tallies of the doctors in scope for the range's clinic days."""
        tallies = DayTally.objects.filter(day__gte=self.date_from, day__lte=self.date_to)
        if self.doctor_id is not None or self.specialization:
            tallies = tallies.filter(doctor__in=self.doctors())
        return tallies

    def treatments(self) -> QuerySet[Treatment]:
        return Treatment.objects.filter(appointment__in=self.appointments(), status=Treatment.Status.RECORDED)


def by_status() -> dict:
    return {status: Count("id", filter=Q(status=status)) for status in STATUSES}


def from_cents(cents: int | None) -> Decimal:
    return (Decimal(cents or 0) / 100).quantize(ZERO)


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0
