"""Every read of patient data under /fhir/ is audited like the REST reads: reads, searches, and the
Patients a search `_include`s."""

import pytest

from accounts.models import AuditEvent

pytestmark = pytest.mark.django_db


def audited(user) -> set[tuple[str, str, int]]:
    events = AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.READ)
    return set(events.values_list("object_type", "object_id", "patient_id"))


def test_reads_and_searches_of_patient_data_are_audited(clinic, doctor_api):
    doctor_api.get(f"/fhir/Patient/{clinic.patient.pk}")
    doctor_api.get(f"/fhir/Condition?patient=Patient/{clinic.patient.pk}")
    doctor_api.get("/fhir/MedicationRequest")

    events = AuditEvent.objects.filter(actor=clinic.doctor.user, action=AuditEvent.Action.READ)
    assert set(events.values_list("object_type", "patient_id")) == {
        ("patient", clinic.patient.pk),
        ("treatment", clinic.patient.pk),
        ("prescription_item", clinic.patient.pk),
    }


@pytest.mark.parametrize(
    ("resource_type", "object_type", "of"),
    [
        ("Appointment", "appointment", lambda clinic: clinic.visit.pk),
        ("Encounter", "appointment", lambda clinic: clinic.visit.pk),
        ("Procedure", "treatment", lambda clinic: clinic.treatment.pk),
        ("Condition", "treatment", lambda clinic: clinic.treatment.pk),
    ],
)
def test_each_clinical_read_is_audited_as_its_row(clinic, doctor_api, resource_type, object_type, of):
    pk = of(clinic)

    response = doctor_api.get(f"/fhir/{resource_type}/{pk}")

    assert response.status_code == 200, response.content
    assert audited(clinic.doctor.user) == {(object_type, str(pk), clinic.patient.pk)}


def test_included_patients_are_audited_as_patient_reads(clinic, admin_api, admin_account):
    query = f"_id={clinic.visit.pk},{clinic.other_visit.pk}&_include=Appointment:patient"

    response = admin_api.get(f"/fhir/Appointment?{query}")

    assert response.status_code == 200, response.content
    assert audited(admin_account) == {
        ("appointment", str(clinic.visit.pk), clinic.patient.pk),
        ("appointment", str(clinic.other_visit.pk), clinic.other_patient.pk),
        ("patient", str(clinic.patient.pk), clinic.patient.pk),
        ("patient", str(clinic.other_patient.pk), clinic.other_patient.pk),
    }


def test_a_search_without_include_audits_no_patient_read(clinic, admin_api, admin_account):
    admin_api.get(f"/fhir/Appointment?_id={clinic.visit.pk}")

    assert audited(admin_account) == {("appointment", str(clinic.visit.pk), clinic.patient.pk)}
