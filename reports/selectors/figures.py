"""The summary and doctors reports. Every figure is an SQL aggregate (COUNT, SUM, GROUP BY);
Python only merges a handful of grouped rows and divides. The one exception is a doctor's
available minutes (utilisation's denominator), which is schedule arithmetic (doctors.schedule):
each date's weekly hours or its override, none on clinic closures, less time off; not a loop
over appointments."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from appointments.models import Status
from config.filters import clinic_day_start
from doctors import schedule
from reports.selectors.scope import STATUSES, ZERO, ReportScope, SecondsBetween, by_status, rate


def summary_figures(scope: ReportScope) -> dict:
    """Appointments by status, completion/cancellation/no-show rates, new patients, revenue."""
    counts = scope.appointments().aggregate(
        total=Count("id"), consultation=Sum("fee", filter=Q(status=Status.COMPLETED)), **by_status()
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
        "completion_rate": rate(counts[Status.COMPLETED], total),
        "cancellation_rate": rate(counts[Status.CANCELLED], total),
        "no_show_rate": rate(counts[Status.NO_SHOW], total),
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
            **by_status(),
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
    capacity = schedule.capacity_minutes(doctors=doctors, first_day=scope.date_from, last_day=scope.date_to)
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
