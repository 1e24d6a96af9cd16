"""Read-side views across the apps. `reports` may read every other app; nothing imports it."""

from django.db.models import CharField, F, QuerySet, Value

from appointments.models import Appointment
from patients.models import Patient
from prescriptions.models import Prescription
from treatments.models import Treatment

KINDS = ("appointment", "treatment", "prescription")


def _entries(queryset: QuerySet, kind: str, at: str) -> QuerySet:
    return queryset.annotate(kind=Value(kind, output_field=CharField()), at=F(at)).values_list("kind", "id", "at")


def patient_timeline(*, patient: Patient) -> QuerySet:
    """(kind, id, at) of every appointment (at its start), treatment (when recorded) and
    prescription (when issued) of the patient, newest first: one UNION query, so pages are cut
    in the database and the page's rows are loaded with a fixed number of queries."""
    appointments = _entries(Appointment.objects.filter(patient=patient).order_by(), "appointment", "start")
    treatments = _entries(Treatment.objects.filter(appointment__patient=patient).order_by(), "treatment", "created_at")
    prescriptions = _entries(Prescription.objects.filter(patient=patient).order_by(), "prescription", "issued_at")
    return appointments.union(treatments, prescriptions, all=True).order_by("-at", "kind", "-id")


def timeline_rows(*, entries) -> list[dict]:
    """The page's (kind, id, at) entries with their objects: three queries plus one for items."""
    ids = {kind: [pk for k, pk, _ in entries if k == kind] for kind in KINDS}
    objects = {
        "appointment": Appointment.objects.select_related(
            "doctor__user", "doctor__specialization", "patient__user", "visit_type"
        ).in_bulk(ids["appointment"]),
        "treatment": Treatment.objects.select_related(
            "appointment__doctor__user", "appointment__doctor__specialization", "appointment__patient__user"
        ).in_bulk(ids["treatment"]),
        "prescription": Prescription.objects.select_related("doctor__user", "doctor__specialization", "patient__user")
        .prefetch_related("items")
        .in_bulk(ids["prescription"]),
    }
    return [
        {"kind": kind, "at": at, **{name: objects[name][pk] if name == kind else None for name in KINDS}}
        for kind, pk, at in entries
    ]
