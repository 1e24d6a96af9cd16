"""The admin answers from the role: what a receptionist may open (and what not, whatever the
id), the clinical fields left out of their pages; readable and linked records; staff sessions
that end when idle; the demo's receptionist."""

from datetime import timedelta

import pytest
from django.contrib import admin

from accounts import demo as accounts_demo
from accounts.models import AuditEvent, Role, User
from appointments.models import Appointment, AppointmentEvent, Status
from patients.models import Patient
from tests.admin_support import ADD, SHEET, TEN, signed_in
from tests.factories import AppointmentFactory, PatientFactory, PrescriptionFactory, TreatmentFactory, UserFactory
from tests.test_admin import _rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]


# --- Who may open what -----------------------------------------------------------------------------------

OUR_APPS = {"accounts", "doctors", "patients", "appointments", "treatments", "prescriptions", "reports"}
FRONT_DESK_READS = {
    "doctor",
    "specialization",
    "visittype",
    "clinicclosure",
    "patient",
    "appointment",
    "appointmentevent",
}


def _one_of_each():
    visit = AppointmentFactory(start=TEN - timedelta(days=3), status=Status.COMPLETED)
    treatment = TreatmentFactory(appointment=visit)
    PrescriptionFactory(appointment=visit)
    treatment.revisions.create(changed_by=visit.doctor.user, changed_fields=["cost"], previous={"cost": "1.00"})
    AppointmentEvent.objects.create(appointment=visit, actor=visit.doctor.user, action="booked")
    AuditEvent.objects.create(actor=visit.doctor.user, action="read", object_type="patient", patient_id=1)
    return visit


def _admin_models():
    return sorted((m for m in admin.site._registry if m._meta.app_label in OUR_APPS), key=lambda m: m._meta.label_lower)


@pytest.mark.parametrize("model", _admin_models(), ids=lambda m: m._meta.model_name)
def test_receptionist_admin_pages_by_model(desk, model):
    _rows(model, 1)
    obj = model._default_manager.first()
    base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    reads = model._meta.model_name in FRONT_DESK_READS

    listed = desk.get(base + ("?day=any" if model is Appointment else ""))
    opened = desk.get(f"{base}{obj.pk}/change/")
    missing = desk.get(f"{base}999999/change/")
    added = desk.get(f"{base}add/")

    if reads:
        assert (listed.status_code, opened.status_code) == (200, 200)
    else:
        # The same answer for a record that exists and one that does not: ids cannot be probed.
        assert (listed.status_code, opened.status_code, missing.status_code) == (403, 403, 403)
    # The desk books visits and registers walk-ins (tests/test_admin_walk_in.py).
    assert added.status_code == (200 if model in (Appointment, Patient) else 403)


def test_the_desk_admin_index_lists_no_clinical_model(desk):
    page = desk.get("/admin/").content.decode()

    assert "/admin/appointments/appointment/" in page and "/admin/patients/patient/" in page
    for hidden in ("treatments/treatment/", "prescriptions/prescription/", "accounts/auditevent/", "accounts/user/"):
        assert hidden not in page


def test_the_desk_sees_no_clinical_field_on_patient_and_appointment_pages(desk, doctor):
    patient = PatientFactory(allergies="Penicillin", notes="Anxious", blood_group="O+")
    visit = AppointmentFactory(doctor=doctor, patient=patient, start=TEN, notes="Check the rash")

    patient_page = desk.get(f"/admin/patients/patient/{patient.pk}/change/").content.decode()
    visit_page = desk.get(f"/admin/appointments/appointment/{visit.pk}/change/").content.decode()

    assert (
        "Penicillin" not in patient_page and "Anxious" not in patient_page and 'name="blood_group"' not in patient_page
    )
    assert 'name="insurance_number"' in patient_page
    assert "Check the rash" not in visit_page and 'name="reason"' in visit_page


@pytest.mark.parametrize("role", [Role.DOCTOR, Role.PATIENT])
def test_doctors_and_patients_cannot_open_the_admin(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(SHEET).status_code == 302
    assert client.get(ADD).status_code == 302


# --- Readable, linked records ----------------------------------------------------------------------------


@pytest.fixture
def boss(client):
    return signed_in(client, UserFactory(admin=True))


def test_appointment_treatment_and_prescription_pages_link_to_each_other(boss):
    visit = _one_of_each()
    treatment, prescription = visit.treatments.get(), visit.prescriptions.get()

    visit_page = boss.get(f"/admin/appointments/appointment/{visit.pk}/change/").content.decode()
    treatment_page = boss.get(f"/admin/treatments/treatment/{treatment.pk}/change/").content.decode()
    prescription_page = boss.get(f"/admin/prescriptions/prescription/{prescription.pk}/change/").content.decode()

    assert f"/admin/treatments/treatment/{treatment.pk}/change/" in visit_page
    assert f"/admin/prescriptions/prescription/{prescription.pk}/change/" in visit_page
    assert f"/admin/appointments/appointment/{visit.pk}/change/" in treatment_page
    assert f"/admin/prescriptions/prescription/{prescription.pk}/change/" in treatment_page
    assert f"/admin/treatments/treatment/{treatment.pk}/change/" in prescription_page


def test_the_desk_sees_no_link_to_clinical_records(desk):
    visit = _one_of_each()

    page = desk.get(f"/admin/appointments/appointment/{visit.pk}/change/").content.decode()

    assert "/admin/treatments/" not in page and "/admin/prescriptions/" not in page


def test_treatment_revisions_read_field_before_and_after(boss):
    treatment = TreatmentFactory()
    form = {
        "diagnosis": "Corrected diagnosis",
        "icd10_code": treatment.icd10_code,
        "procedure": treatment.procedure,
        "clinical_notes": "",
        "follow_up": "",
        "cost": "25.00",
        "status": "recorded",
        "error_reason": "",
        "revisions-TOTAL_FORMS": "1",
        "revisions-INITIAL_FORMS": "0",
    }
    assert boss.post(f"/admin/treatments/treatment/{treatment.pk}/change/", form).status_code == 302

    page = boss.get(f"/admin/treatments/treatment/{treatment.pk}/change/").content.decode()
    listed = boss.get("/admin/treatments/treatmentrevision/").content.decode()

    for text in (page, listed):
        assert "diagnosis: Acute bronchitis -&gt; Corrected diagnosis" in text
        assert "cost: 20.00 -&gt; 25.00" in text


def test_audit_events_name_the_patient_with_a_link(boss, patient):
    AuditEvent.objects.create(actor=patient.user, action="read", object_type="patient", patient_id=patient.pk)

    page = boss.get("/admin/accounts/auditevent/").content.decode()

    assert (
        f'<a href="/admin/patients/patient/{patient.pk}/change/">{patient.user.get_full_name()} (#{patient.pk})</a>'
        in page
    )


# --- Sessions and demo data --------------------------------------------------------------------------


def test_an_admin_session_ends_after_the_idle_minutes(desk, monday_8am, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    monday_8am.shift(timedelta(minutes=29))
    assert desk.get(SHEET).status_code == 200

    monday_8am.shift(timedelta(minutes=31))
    response = desk.get(SHEET)

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_seed_demo_has_one_receptionist():
    accounts_demo.seed_receptionist()
    accounts_demo.seed_receptionist()

    assert list(User.objects.filter(role=Role.RECEPTIONIST).values_list("username", flat=True)) == ["desk"]


def test_an_admin_creates_a_receptionist_who_can_then_sign_in_to_the_admin(boss, client):
    form = {
        "username": "frontdesk2",
        "email": "frontdesk2@example.com",
        "role": Role.RECEPTIONIST,
        "password1": "Sturdy-desk-password-42",
        "password2": "Sturdy-desk-password-42",
    }
    assert boss.post("/admin/accounts/user/add/", form).status_code == 302
    created = User.objects.get(username="frontdesk2")
    assert (created.role, created.is_staff, created.is_active) == (Role.RECEPTIONIST, True, True)
    boss.logout()

    signed = client.post(
        "/admin/login/?next=/admin/",
        {"username": "frontdesk2", "password": "Sturdy-desk-password-42", "otp": ""},
    )
    index = client.get("/admin/")

    assert signed.status_code == 302 and signed["Location"] == "/admin/"
    assert index.status_code == 200 and "/admin/appointments/appointment/" in index.content.decode()
    assert "/admin/accounts/user/" not in index.content.decode()
