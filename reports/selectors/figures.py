"""The summary and doctors reports. Every figure is an SQL aggregate (COUNT, SUM, GROUP BY), the
summary's over the daily tallies;
Python only merges a handful of grouped rows and divides. The one exception is a doctor's
available minutes (utilisation's denominator), which is schedule arithmetic (doctors.schedule):
each date's weekly hours or its override, none on clinic closures, less time off; not a loop
over appointments."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from appointments.models import FirstVisit, Status
from doctors import schedule
from reports.selectors.scope import STATUSES, ZERO, ReportScope, SecondsBetween, by_status, from_cents, rate


def summary_figures(scope: ReportScope) -> dict:
    """Appointments by status, completion/cancellation/no-show rates, new patients, revenue.

    Read from the daily tallies (appointments.tallies keeps them with every change): one row per
    doctor and day of the range, a few thousand rows for a month of a large clinic, however many
    appointments they count. tests/reports/test_tallies.py holds these figures equal to a direct
    aggregate over the appointments."""
    sums = scope.day_tallies().aggregate(
        **{column: Sum(column) for column in (*STATUSES, "consultation_cents", "treatment_cents")}
    )
    by_status_counts = {status: sums[status] or 0 for status in STATUSES}
    total = sum(by_status_counts.values())
    consultation = from_cents(sums["consultation_cents"])
    treatment_revenue = from_cents(sums["treatment_cents"])
    return {
        "date_from": scope.date_from,
        "date_to": scope.date_to,
        "appointments": total,
        "by_status": by_status_counts,
        "completion_rate": rate(by_status_counts[Status.COMPLETED], total),
        "cancellation_rate": rate(by_status_counts[Status.CANCELLED], total),
        "no_show_rate": rate(by_status_counts[Status.NO_SHOW], total),
        "new_patients": new_patients(scope),
        "revenue": {
            "consultations": consultation,
            "treatments": treatment_revenue,
            "total": consultation + treatment_revenue,
        },
    }


def new_patients(scope: ReportScope) -> int:
    """Patients whose first appointment in scope (cancelled ones aside) starts in the range. For
    the whole clinic, from each patient's first visit (a range count on one index); for a doctor
    or a specialization, whose first visit in scope may be a later one, from the appointments."""
    if scope.doctor_id is None and not scope.specialization:
        return FirstVisit.objects.filter(start__gte=scope.range_start, start__lt=scope.range_end).count()
    # The NOT EXISTS is an index probe per patient (patient, start), not a scan of all history.
    earlier = (
        scope.all_appointments()
        .filter(patient_id=OuterRef("patient_id"), start__lt=scope.range_start)
        .exclude(status=Status.CANCELLED)
    )
    return (
        scope.appointments()
        .exclude(status=Status.CANCELLED)
        .filter(~Exists(earlier))
        .values("patient_id")
        .distinct()
        .count()
    )


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
