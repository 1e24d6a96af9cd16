"""The permission matrix of the clinical records, the reports and the audit log, the front desk
included: (caller, request) -> status for doctor A's completed visit with patient P, its treatment
and its prescription. The desk's answer: 403 on the lists and on creating, 404 on every record
(docs/ARCHITECTURE.md, roles); reports and the audit log are the admins' (403 for the rest)."""

from datetime import UTC, datetime

import pytest

from accounts.models import AuditEvent
from appointments.models import Status
from tests.factories import AppointmentFactory, PrescriptionFactory, TreatmentFactory
from tests.prescriptions.test_prescriptions import ITEM
from tests.role_matrix_support import ROLES, build_world, request_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]

READERS = ("admin", "a", "p")  # who sees the records of A's visit with P


def _rows(method, path, allowed, *, ok=200, visible=READERS, refused=403):
    """Every role: `ok` when allowed, `refused` when it sees the record, else 404."""
    return [(who, method, path, ok if who in allowed else (refused if who in visible else 404)) for who in ROLES]


def _gate(method, path, allowed, ok=200):
    """A whole endpoint: `ok` for the allowed roles, 403 for the rest."""
    return [(who, method, path, ok if who in allowed else 403) for who in ROLES]


TREATMENT_BODY = {"diagnosis": "Acute bronchitis", "icd10_code": "J20.9", "procedure": "Auscultation"}
MATRIX = [
    # Lists: the desk is refused the whole endpoint; everyone else gets their scope (tested below).
    *_gate("get", "/api/treatments/", ("admin", "a", "b", "p", "r")),
    *_gate("get", "/api/prescriptions/", ("admin", "a", "b", "p", "r")),
    *_rows("get", "/api/treatments/{treatment}/", READERS),
    *_rows("get", "/api/treatments/{treatment}/revisions/", READERS),
    *_rows("patch", "/api/treatments/{treatment}/", ("admin", "a")),
    *_rows("patch", "/api/treatments/{treatment}/retract", ("admin", "a")),
    *_rows("get", "/api/prescriptions/{prescription}/", READERS),
    *_rows("get", "/api/prescriptions/{prescription}/pdf/", READERS),
    *_rows("post", "/api/prescriptions/{prescription}/cancel/", ("admin", "a")),
    # Creating on A's other completed visit: its doctor; P sees the visit, B and R do not, and the
    # desk is refused the endpoint. Admins record treatments but never prescribe (a prescription is
    # signed by the doctor of the visit: prescriptions.services).
    *[
        (who, "post", path, {"admin": 201, "a": 201, "p": 403, "desk": 403}.get(who, 404))
        for who in ROLES
        for path in ("/api/treatments/",)
    ],
    *[
        (who, "post", path, {"admin": 403, "a": 201, "p": 403, "desk": 403}.get(who, 404))
        for who in ROLES
        for path in ("/api/prescriptions/", "/api/prescriptions/create/")
    ],
    *_gate("get", "/api/reports/summary/", ("admin",)),
    *_gate("get", "/api/reports/revenue/", ("admin",)),
    *_gate("get", "/api/reports/doctors/", ("admin",)),
    *_gate("get", "/api/reports/patients/{patient}/", ("admin",)),
    *_gate("get", "/api/audit-events/", ("admin",)),
    *_gate("get", "/api/audit-events/{audit}/", ("admin",)),
]


def _body(method, path, unrecorded):
    if method == "get":
        return None
    if path.endswith("cancel/"):
        return {"reason": "Wrong dose"}
    if path.endswith("retract"):
        return {"status": "entered_in_error", "error_reason": "Wrong patient"}
    if method == "patch":
        return {"diagnosis": "Pneumonia", "icd10_code": "J18.9"}
    if path == "/api/treatments/":
        return {"appointment": unrecorded.pk, **TREATMENT_BODY}
    if path.startswith("/api/prescriptions/"):
        return {"appointment": unrecorded.pk, "items": [ITEM]}
    return None


@pytest.fixture
def world():
    world = build_world()
    visit = AppointmentFactory(
        doctor=world["a"], patient=world["p"], status=Status.COMPLETED, start=datetime(2030, 1, 4, 10, tzinfo=UTC)
    )
    world["treatment"] = TreatmentFactory(appointment=visit)
    world["prescription"] = PrescriptionFactory(appointment=visit)
    world["unrecorded"] = AppointmentFactory(
        doctor=world["a"], patient=world["p"], status=Status.COMPLETED, start=datetime(2030, 1, 4, 11, tzinfo=UTC)
    )
    world["audit"] = AuditEvent.objects.create(actor=world["admin"], action="read", object_type="patient")
    return world


@pytest.mark.parametrize(("who", "method", "path", "expected"), MATRIX)
def test_clinical_report_and_audit_endpoints(client_for, world, who, method, path, expected):
    url = path.removesuffix("retract").format(
        treatment=world["treatment"].pk,
        prescription=world["prescription"].pk,
        patient=world["p"].pk,
        audit=world["audit"].pk,
    )

    response = request_as(client_for, world, who, method, url, _body(method, path, world["unrecorded"]))

    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(("who", "sees"), [("admin", True), ("a", True), ("b", False), ("p", True), ("r", False)])
@pytest.mark.parametrize("path", ["/api/treatments/", "/api/prescriptions/"])
def test_clinical_lists_for_each_role(client_for, world, who, sees, path):
    record = world["treatment" if "treatments" in path else "prescription"]

    rows = request_as(client_for, world, who, "get", path).data["results"]

    assert [row["id"] for row in rows] == ([record.pk] if sees else [])
