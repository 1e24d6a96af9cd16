"""The printable prescription: what it names, and a watermark on one that must not be dispensed."""

from io import BytesIO

import pytest
from django.utils import timezone
from pypdf import PdfReader

from appointments.models import Status
from tests.factories import AppointmentFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db


# --- The printable PDF -----------------------------------------------------------------------------------


def pdf_text(response):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)


@pytest.mark.parametrize("how", ["accept", "action"])
def test_the_pdf_names_clinic_doctor_patient_date_and_every_medication(patient_api, patient, how, settings):
    settings.CLINIC_NAME = "St. Example Hospital"
    prescription = PrescriptionFactory(
        appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED), items=2
    )

    if how == "accept":
        response = patient_api.get(f"/api/prescriptions/{prescription.pk}/", HTTP_ACCEPT="application/pdf")
    else:
        response = patient_api.get(f"/api/prescriptions/{prescription.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert "St. Example Hospital" in text
    assert patient.user.get_full_name() in text
    assert prescription.doctor.licence_number in text
    assert "Medication 0" in text and "Medication 1" in text
    assert prescription.issued_at.strftime("%d %B %Y") in text


def test_json_is_still_the_default_for_one_prescription(patient_api, patient):
    prescription = PrescriptionFactory(appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED))

    response = patient_api.get(f"/api/prescriptions/{prescription.pk}/")

    assert response["Content-Type"] == "application/json"
    assert response.data["id"] == prescription.pk


def test_asking_for_a_pdf_of_something_invisible_answers_json_404(patient_api):
    response = patient_api.get(f"/api/prescriptions/{PrescriptionFactory().pk}/", HTTP_ACCEPT="application/pdf")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("status", "label"),
    [("cancelled", "CANCELLED - NOT VALID FOR DISPENSING"), ("entered_in_error", "ENTERED IN ERROR - NOT VALID")],
)
def test_a_withdrawn_prescription_is_watermarked_on_every_page_and_has_no_signature_line(
    patient_api, patient, status, label
):
    prescription = PrescriptionFactory(
        appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED),
        items=40,  # long enough for a second page
        status=status,
        cancellation_reason="Wrong dose",
        cancelled_at=timezone.now(),
    )

    response = patient_api.get(f"/api/prescriptions/{prescription.pk}/pdf/")

    pages = [page.extract_text() for page in PdfReader(BytesIO(response.content)).pages]
    assert len(pages) >= 2
    assert all(label in page for page in pages)
    assert "Signature" not in "".join(pages)


def test_an_active_prescription_has_a_signature_line_and_no_watermark(patient_api, patient):
    prescription = PrescriptionFactory(appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED))

    text = pdf_text(patient_api.get(f"/api/prescriptions/{prescription.pk}/pdf/"))

    assert "Signature" in text
    assert "NOT VALID" not in text
