"""A small clinic for the FHIR tests: the `doctor` fixture's patient (the `patient` fixture) and
another doctor's patient, each with a completed visit, a treatment and a prescription; the first
also with a visit in every other status (checked in, no-show, cancelled with a reason), a treatment
entered in error, and prescriptions cancelled and entered in error, so that every status mapping
is returned (and validated) by the searches."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class

from appointments.models import Status
from prescriptions.models import Prescription
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, PrescriptionFactory, TreatmentFactory
from treatments.models import Treatment

FHIR_JSON = "application/fhir+json"


@dataclass
class Clinic:
    doctor: object
    patient: object
    other_doctor: object
    other_patient: object
    visit: object
    other_visit: object
    upcoming: object
    treatment: object
    other_treatment: object
    prescription: object
    other_prescription: object
    arrived: object = None
    no_show: object = None
    cancelled: object = None
    erroneous_treatment: object = None
    cancelled_prescription: object = None
    erroneous_prescription: object = None


@pytest.fixture
def clinic(doctor, patient):
    other_doctor = DoctorFactory(weekly_hours=True)
    other_patient = PatientFactory(national_id="NAT-2", insurance_number="INS-2")
    visit = AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)
    other_visit = AppointmentFactory(doctor=other_doctor, patient=other_patient, status=Status.COMPLETED)
    upcoming = AppointmentFactory(doctor=doctor, patient=patient, start=timezone.now() + timedelta(days=30))
    mine = {"doctor": doctor, "patient": patient}
    return Clinic(
        doctor=doctor,
        patient=patient,
        other_doctor=other_doctor,
        other_patient=other_patient,
        visit=visit,
        other_visit=other_visit,
        upcoming=upcoming,
        treatment=TreatmentFactory(appointment=visit),
        other_treatment=TreatmentFactory(appointment=other_visit),
        prescription=PrescriptionFactory(appointment=visit),
        other_prescription=PrescriptionFactory(appointment=other_visit),
        arrived=AppointmentFactory(**mine, status=Status.CHECKED_IN),
        no_show=AppointmentFactory(**mine, status=Status.NO_SHOW),
        cancelled=AppointmentFactory(**mine, status=Status.CANCELLED, cancellation_reason="Moved away"),
        erroneous_treatment=TreatmentFactory(
            appointment=visit,
            status=Treatment.Status.ENTERED_IN_ERROR,
            error_reason="Wrong patient",
            procedure="Spirometry",
        ),
        cancelled_prescription=PrescriptionFactory(
            appointment=visit,
            status=Prescription.Status.CANCELLED,
            cancelled_at=visit.end + timedelta(hours=1),
            cancellation_reason="Dose too high",
        ),
        erroneous_prescription=PrescriptionFactory(
            appointment=visit,
            status=Prescription.Status.ENTERED_IN_ERROR,
            cancelled_at=visit.end + timedelta(hours=2),
            cancellation_reason="Wrong patient",
        ),
    )


def parsed(body: dict):
    """The body as its fhir.resources R4B model (raises if it does not validate)."""
    return get_fhir_model_class(body["resourceType"]).model_validate(body)


def outcome_code(response) -> str:
    body = response.json()
    assert body["resourceType"] == "OperationOutcome", body
    parsed(body)
    return body["issue"][0]["code"]


def slot_query(doctor, days: int = 7) -> str:
    today = timezone.now().astimezone(doctor.zone).date()
    return f"schedule=Schedule/{doctor.pk}&start=ge{today + timedelta(days=1)}&start=lt{today + timedelta(days=days)}"
