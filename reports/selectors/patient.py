"""One patient's appointments in the range, with their treatments and the totals."""

from django.db.models import Count, Prefetch, Q, Sum

from appointments.models import Status
from patients.models import Patient
from reports.selectors.scope import STATUSES, ZERO, ReportScope, by_status
from treatments.models import Treatment


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
        .aggregate(total=Count("id"), consultation=Sum("fee", filter=Q(status=Status.COMPLETED)), **by_status())
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
