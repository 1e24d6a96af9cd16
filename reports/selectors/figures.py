"""The admins' reports. Every figure is an SQL aggregate (COUNT, SUM, GROUP BY); Python only
merges a handful of grouped rows and divides. The one exception is a doctor's available minutes
(utilisation's denominator), which is schedule arithmetic over their weekly hours and time off,
not a loop over appointments.

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
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from appointments.models import Appointment, Status
from config.filters import clinic_day_start
from doctors import availability
from doctors.models import Doctor, Specialization
from patients.models import Patient
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
    specialization_id: int | None = None
    specialization_name: str | None = None

    def doctors(self) -> QuerySet[Doctor]:
        doctors = Doctor.objects.all()
        if self.doctor_id is not None:
            doctors = doctors.filter(pk=self.doctor_id)
        if self.specialization_id is not None:
            doctors = doctors.filter(specialization_id=self.specialization_id)
        if self.specialization_name:
            doctors = doctors.filter(specialization__name__iexact=self.specialization_name)
        return doctors

    def all_appointments(self) -> QuerySet[Appointment]:
        """Every appointment of the doctors in scope, whenever it is."""
        appointments = Appointment.objects.all()
        if self.doctor_id is not None or self.specialization_id is not None or self.specialization_name:
            appointments = appointments.filter(doctor__in=self.doctors())
        return appointments

    def appointments(self) -> QuerySet[Appointment]:
        """The appointments in scope that start in the range (clinic days, inclusive)."""
        return self.all_appointments().filter(
            start__gte=clinic_day_start(self.date_from), start__lt=clinic_day_start(self.date_to, days_after=1)
        )

    def treatments(self) -> QuerySet[Treatment]:
        return Treatment.objects.filter(appointment__in=self.appointments(), status=Treatment.Status.RECORDED)


def _by_status() -> dict:
    return {status: Count("id", filter=Q(status=status)) for status in STATUSES}


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def summary_figures(scope: ReportScope) -> dict:
    """Appointments by status, completion/cancellation/no-show rates, new patients, revenue."""
    counts = scope.appointments().aggregate(
        total=Count("id"), consultation=Sum("fee", filter=Q(status=Status.COMPLETED)), **_by_status()
    )
    treatment_revenue = scope.treatments().aggregate(total=Sum("cost"))["total"] or ZERO
    # First visits in the range: a (not cancelled) appointment in it and none before it. The
    # NOT EXISTS is an index probe per patient (patient, start), not a scan of all history.
    earlier = (
        scope.all_appointments()
        .filter(patient_id=OuterRef("patient_id"), start__lt=clinic_day_start(scope.date_from))
        .exclude(status=Status.CANCELLED)
    )
    new_patients = (
        scope.appointments()
        .exclude(status=Status.CANCELLED)
        .filter(~Exists(earlier))
        .values("patient_id")
        .distinct()
        .count()
    )
    total = counts["total"]
    consultation = counts["consultation"] or ZERO
    return {
        "date_from": scope.date_from,
        "date_to": scope.date_to,
        "appointments": total,
        "by_status": {status: counts[status] for status in STATUSES},
        "completion_rate": _rate(counts[Status.COMPLETED], total),
        "cancellation_rate": _rate(counts[Status.CANCELLED], total),
        "no_show_rate": _rate(counts[Status.NO_SHOW], total),
        "new_patients": new_patients,
        "revenue": {
            "consultations": consultation,
            "treatments": treatment_revenue,
            "total": consultation + treatment_revenue,
        },
    }


def doctor_figures(scope: ReportScope) -> list[dict]:
    """Per doctor: appointments by status, distinct patients, revenue and utilisation."""
    appointments = {
        row["doctor_id"]: row
        for row in scope.appointments()
        .values("doctor_id")
        .annotate(
            total=Count("id"),
            patients=Count("patient_id", distinct=True),
            consultation=Sum("fee", filter=Q(status=Status.COMPLETED)),
            booked_seconds=Sum(SecondsBetween("start", "end"), filter=~Q(status=Status.CANCELLED)),
            **_by_status(),
        )
        .order_by()
    }
    treatments = dict(
        scope.treatments()
        .values("appointment__doctor_id")
        .annotate(total=Sum("cost"))
        .order_by()
        .values_list("appointment__doctor_id", "total")
    )
    doctors = list(
        scope.doctors()
        .filter(Q(user__is_active=True) | Q(pk__in=list(appointments)))
        .select_related("user", "specialization")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    capacity = availability.capacity_minutes(doctors=doctors, first_day=scope.date_from, last_day=scope.date_to)
    rows = []
    for doctor in doctors:
        counts = appointments.get(doctor.pk, {})
        consultation = counts.get("consultation") or ZERO
        treatment = treatments.get(doctor.pk) or ZERO
        booked_minutes = (counts.get("booked_seconds") or 0) // 60
        available = capacity.get(doctor.pk, 0)
        rows.append(
            {
                "doctor": {
                    "id": doctor.pk,
                    "full_name": doctor.user.get_full_name(),
                    "specialization": doctor.specialization.name,
                },
                "appointments": counts.get("total", 0),
                "by_status": {status: counts.get(status, 0) for status in STATUSES},
                "distinct_patients": counts.get("patients", 0),
                "revenue": {"consultations": consultation, "treatments": treatment, "total": consultation + treatment},
                "booked_minutes": booked_minutes,
                "available_minutes": available,
                "utilisation": round(booked_minutes / available, 4) if available else None,
            }
        )
    return rows


TRUNC = {"day": TruncDate, "week": TruncWeek, "month": TruncMonth}


def _periods(group_by: str, first: date, last: date) -> list[date]:
    """Every period start between two days, so quiet periods show as zero rather than vanish."""
    if group_by == "day":
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if group_by == "week":
        start = first - timedelta(days=first.weekday())
        return [start + timedelta(weeks=n) for n in range((last - start).days // 7 + 1)]
    periods, month = [], first.replace(day=1)
    while month <= last:
        periods.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return periods


def revenue_series(scope: ReportScope, group_by: str) -> list[dict]:
    """Revenue per day, week or month (clinic zone), or per doctor or specialization."""
    if group_by in TRUNC:
        zone = timezone.get_current_timezone()
        key = TRUNC[group_by]("start", tzinfo=zone)
        treatment_key = TRUNC[group_by]("appointment__start", tzinfo=zone)
    elif group_by == "doctor":
        key, treatment_key = F("doctor_id"), F("appointment__doctor_id")
    else:
        key, treatment_key = F("doctor__specialization_id"), F("appointment__doctor__specialization_id")
    consultations = {
        _plain(row["key"]): row
        for row in scope.appointments()
        .filter(status=Status.COMPLETED)
        .annotate(key=key)
        .values("key")
        .annotate(completed=Count("id"), revenue=Sum("fee"))
        .order_by()
    }
    treatments = {
        _plain(row["key"]): row["revenue"]
        for row in scope.treatments().annotate(key=treatment_key).values("key").annotate(revenue=Sum("cost")).order_by()
    }
    if group_by in TRUNC:
        keys = _periods(group_by, scope.date_from, scope.date_to)
        labels = {k: {"period": k} for k in keys}
    else:
        keys, labels = _group_labels(group_by, set(consultations) | set(treatments))
    rows = []
    for k in keys:
        consultation = (consultations.get(k) or {}).get("revenue") or ZERO
        treatment = treatments.get(k) or ZERO
        rows.append(
            {
                **labels[k],
                "completed_appointments": (consultations.get(k) or {}).get("completed", 0),
                "consultations": consultation,
                "treatments": treatment,
                "total": consultation + treatment,
            }
        )
    return rows


def _plain(key):
    """Trunc gives a datetime for weeks and months; the period is its (local) date."""
    return key.date() if hasattr(key, "date") and callable(key.date) else key


def _group_labels(group_by: str, keys: set) -> tuple[list, dict]:
    if group_by == "doctor":
        doctors = Doctor.objects.filter(pk__in=keys).select_related("user").order_by("user__last_name", "pk")
        return [d.pk for d in doctors], {
            d.pk: {"doctor": {"id": d.pk, "full_name": d.user.get_full_name()}} for d in doctors
        }
    specializations = Specialization.objects.filter(pk__in=keys).order_by("name")
    return [s.pk for s in specializations], {
        s.pk: {"specialization": {"id": s.pk, "name": s.name}} for s in specializations
    }


def patient_appointments(scope: ReportScope, patient: Patient) -> dict:
    """A patient's appointments in the range with their treatments, and the totals."""
    appointments = (
        scope.appointments()
        .filter(patient=patient)
        .select_related("doctor__user", "doctor__specialization")
        .prefetch_related(Prefetch("treatments", queryset=Treatment.objects.filter(status=Treatment.Status.RECORDED)))
        .annotate(prescription_count=Count("prescriptions"))
        .order_by("start", "pk")
    )
    totals = (
        scope.appointments()
        .filter(patient=patient)
        .aggregate(total=Count("id"), consultation=Sum("fee", filter=Q(status=Status.COMPLETED)), **_by_status())
    )
    treatment_total = (
        scope.treatments().filter(appointment__patient=patient).aggregate(total=Sum("cost"))["total"] or ZERO
    )
    consultation = totals["consultation"] or ZERO
    return {
        "patient": {"id": patient.pk, "full_name": patient.user.get_full_name()},
        "date_from": scope.date_from,
        "date_to": scope.date_to,
        "appointments": list(appointments),
        "totals": {
            "appointments": totals["total"],
            "by_status": {status: totals[status] for status in STATUSES},
            "consultations": consultation,
            "treatments": treatment_total,
            "total": consultation + treatment_total,
        },
    }
