"""The audit trail: every read of patient data and every change, with who, what, where from."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from appointments.models import Status
from tests.factories import AppointmentFactory, AssignmentFactory, PatientFactory, PrescriptionFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


def audit_inserts(queries):
    return [q for q in queries if q["sql"].startswith('INSERT INTO "accounts_auditevent"')]


def test_reading_a_history_as_a_doctor_writes_exactly_one_event_with_the_right_fields(doctor_api, doctor):
    patient = AssignmentFactory(doctor=doctor).patient
    AppointmentFactory.create_batch(3, patient=patient)

    before = timezone.now()
    response = doctor_api.get(
        f"/api/patients/{patient.pk}/history/", HTTP_X_REQUEST_ID="req-42", REMOTE_ADDR="10.1.2.3"
    )
    after = timezone.now()

    assert response.status_code == 200
    [event] = AuditEvent.objects.all()
    assert (event.actor, event.role, event.action) == (doctor.user, "doctor", "read")
    assert (event.object_type, event.object_id, event.patient_id) == ("patient_history", str(patient.pk), patient.pk)
    assert (event.ip_address, event.request_id) == ("10.1.2.3", "req-42")
    assert before <= event.at <= after


def test_listing_100_appointments_writes_100_events_in_one_insert(admin_api):
    for _ in range(100):
        AppointmentFactory()

    with CaptureQueriesContext(connection) as queries:
        response = admin_api.get("/api/appointments/", {"page_size": 100})

    assert len(response.data["results"]) == 100
    assert len(audit_inserts(queries.captured_queries)) == 1
    assert AuditEvent.objects.filter(action="read", object_type="appointment").count() == 100
    assert set(AuditEvent.objects.values_list("patient_id", flat=True)) == {
        row["patient"]["id"] for row in response.data["results"]
    }


@pytest.mark.parametrize(
    ("path", "object_type"),
    [
        ("/api/patients/{patient}/", "patient"),
        ("/api/treatments/{treatment}/", "treatment"),
        ("/api/prescriptions/{prescription}/", "prescription"),
        ("/api/prescriptions/{prescription}/pdf/", "prescription"),
        ("/api/appointments/{appointment}/", "appointment"),
        ("/api/reports/patients/{patient}/", "patient_report"),
    ],
)
def test_each_read_of_patient_data_is_recorded(admin_api, path, object_type):
    treatment = TreatmentFactory()
    prescription = PrescriptionFactory(appointment=treatment.appointment)
    ids = {
        "patient": treatment.appointment.patient_id,
        "treatment": treatment.pk,
        "prescription": prescription.pk,
        "appointment": treatment.appointment_id,
    }

    assert admin_api.get(path.format(**ids)).status_code == 200

    event = AuditEvent.objects.get()
    assert (event.object_type, event.patient_id) == (object_type, ids["patient"])


def test_a_refused_read_writes_nothing(client_for):
    stranger = PatientFactory()

    assert client_for(PatientFactory().user).get(f"/api/patients/{stranger.pk}/").status_code == 404
    assert not AuditEvent.objects.exists()


@time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False)
def test_changes_are_recorded_by_the_services(patient_api, patient, doctor, doctor_api):
    booked = patient_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "start": "2030-01-07T11:00:00Z"}, format="json"
    )
    doctor_api.post(f"/api/appointments/{booked.data['id']}/confirm/", {}, format="json")
    patient_api.post(f"/api/appointments/{booked.data['id']}/cancel/", {"reason": "x"}, format="json")
    visit = AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)
    treatment = doctor_api.post("/api/treatments/", {"appointment": visit.pk, "diagnosis": "Flu"}, format="json")
    doctor_api.patch(f"/api/treatments/{treatment.data['id']}/", {"cost": "10.00"}, format="json")
    item = {"medication_name": "X", "strength": "1 mg", "frequency": "daily", "duration_days": 1, "quantity": 1}
    prescription = doctor_api.post("/api/prescriptions/", {"appointment": visit.pk, "items": [item]}, format="json")
    doctor_api.post(f"/api/prescriptions/{prescription.data['id']}/cancel/", {"reason": "x"}, format="json")

    writes = list(
        AuditEvent.objects.exclude(action="read")
        .order_by("id")
        .values_list("object_type", "action", "role", "patient_id")
    )
    assert writes == [
        ("appointment", "create", "patient", patient.pk),
        ("appointment", "update", "doctor", patient.pk),
        ("appointment", "cancel", "patient", patient.pk),
        ("treatment", "create", "doctor", patient.pk),
        ("treatment", "update", "doctor", patient.pk),
        ("prescription", "create", "doctor", patient.pk),
        ("prescription", "cancel", "doctor", patient.pk),
    ]


@time_machine.travel(datetime(2030, 1, 7, 6, 0, tzinfo=UTC), tick=False)
def test_a_refused_change_leaves_no_audit_row(patient_api, doctor):
    AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 7, 11, 0, tzinfo=UTC))

    response = patient_api.post(
        "/api/appointments/", {"doctor": doctor.pk, "start": "2030-01-07T11:00:00Z"}, format="json"
    )

    assert response.status_code == 409
    assert not AuditEvent.objects.exists()


# --- The trail itself ---------------------------------------------------------------------------------


def test_admins_read_and_filter_the_trail(admin_api, admin_account):
    patient = PatientFactory()
    admin_api.get(f"/api/patients/{patient.pk}/")
    AuditEvent.objects.create(actor=None, action="read", object_type="patient", object_id="9", patient_id=9)

    by_patient = admin_api.get("/api/audit-events/", {"patient": patient.pk})
    by_actor = admin_api.get("/api/audit-events/", {"actor": admin_account.pk, "action": "read"})
    by_day = admin_api.get("/api/audit-events/", {"date_from": "2000-01-01", "date_to": "2000-01-02"})

    assert [row["patient_id"] for row in by_patient.data["results"]] == [patient.pk]
    assert by_actor.data["results"][0]["actor_name"] == admin_account.get_full_name()
    assert by_day.data["count"] == 0


def test_the_trail_cannot_be_changed_through_the_api_or_the_admin(admin_api, client):
    event = AuditEvent.objects.create(action="read", object_type="patient", object_id="1", patient_id=1)
    admin = admin_api.user

    assert admin_api.patch(f"/api/audit-events/{event.pk}/", {"action": "update"}, format="json").status_code == 405
    assert admin_api.delete(f"/api/audit-events/{event.pk}/").status_code == 405
    assert admin_api.post("/api/audit-events/", {}, format="json").status_code == 405
    client.force_login(admin)
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "update"}).status_code == 403
    event.refresh_from_db()
    assert event.action == "read"


def test_reading_ones_own_profile_as_a_patient_is_recorded(patient_api, patient):
    response = patient_api.get("/api/profile/")

    assert response.status_code == 200
    event = AuditEvent.objects.get()
    assert (event.actor, event.action, event.object_type, event.object_id, event.patient_id) == (
        patient.user,
        AuditEvent.Action.READ,
        "patient",
        str(patient.pk),
        patient.pk,
    )


def test_a_profile_without_a_patient_record_writes_no_event(doctor_api):
    assert doctor_api.get("/api/profile/").status_code == 200
    assert not AuditEvent.objects.exists()
