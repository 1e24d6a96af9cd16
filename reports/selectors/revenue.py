"""Revenue as a series (every day, week or month of the range, zeros included) or a breakdown
by doctor or specialization."""

from datetime import date, timedelta

from django.db.models import Count, F, Sum
from django.db.models.functions import TruncDate, TruncMonth, TruncWeek
from django.utils import timezone

from appointments.models import Status
from doctors.models import Doctor, Specialization
from reports.selectors.scope import ZERO, ReportScope

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
