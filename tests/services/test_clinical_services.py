"""Service tests: who may record treatments and prescriptions, and on which visits."""

import pytest
from django.db.models import QuerySet

from appointments.models import Status
from config.errors import Conflict, DomainError, NotAllowed
from prescriptions import services as prescription_services
from prescriptions.models import Prescription
from tests.factories import AppointmentFactory, DoctorFactory, PrescriptionFactory, TreatmentFactory, UserFactory
from treatments import services as treatment_services
from treatments.models import Treatment

pytestmark = pytest.mark.django_db

ITEM = {
    "medication_name": "Amoxicillin",
    "strength": "500 mg",
    "frequency": "3x daily",
    "duration_days": 7,
    "quantity": 21,
}


@pytest.fixture
def visit():
    return AppointmentFactory(status=Status.COMPLETED)


@pytest.mark.parametrize("who", ["another doctor", "the patient"])
def test_only_the_visits_doctor_or_an_admin_records_a_treatment(visit, who):
    actor = DoctorFactory().user if who == "another doctor" else visit.patient.user

    with pytest.raises(NotAllowed):
        treatment_services.treatment_create(actor=actor, appointment=visit, diagnosis="Flu")

    assert not Treatment.objects.exists()
    assert treatment_services.treatment_create(actor=UserFactory(admin=True), appointment=visit, diagnosis="Flu")


def test_a_treatment_needs_a_visit_that_took_place(visit):
    booked = AppointmentFactory(doctor=visit.doctor, status=Status.SCHEDULED)

    with pytest.raises(DomainError) as refused:
        treatment_services.treatment_create(actor=booked.doctor.user, appointment=booked, diagnosis="Flu")

    assert refused.value.field == "appointment"


def test_a_treatment_entered_in_error_needs_a_reason_and_then_freezes():
    treatment = TreatmentFactory()
    doctor = treatment.appointment.doctor.user

    with pytest.raises(DomainError) as no_reason:
        treatment_services.treatment_update(actor=doctor, treatment=treatment, status="entered_in_error")
    treatment_services.treatment_update(
        actor=doctor, treatment=treatment, status="entered_in_error", error_reason="Wrong patient"
    )
    with pytest.raises(Conflict) as frozen:
        treatment_services.treatment_update(actor=doctor, treatment=treatment, diagnosis="Changed")

    assert no_reason.value.field == "error_reason"
    assert frozen.value.code == "entered_in_error"
    treatment.refresh_from_db()
    assert (treatment.status, treatment.diagnosis) == ("entered_in_error", "Acute bronchitis")


@pytest.mark.parametrize("who", ["admin", "another doctor", "the patient"])
def test_only_the_visits_doctor_prescribes(visit, who):
    actor = {
        "admin": UserFactory(admin=True),
        "another doctor": DoctorFactory().user,
        "the patient": visit.patient.user,
    }[who]

    with pytest.raises(NotAllowed):
        prescription_services.prescription_issue(actor=actor, appointment=visit, items=[ITEM])

    assert not Prescription.objects.exists()


def test_a_prescription_needs_a_completed_visit_and_an_item(visit):
    checked_in = AppointmentFactory(doctor=visit.doctor, status=Status.CHECKED_IN)
    doctor = visit.doctor.user

    with pytest.raises(DomainError) as not_completed:
        prescription_services.prescription_issue(actor=doctor, appointment=checked_in, items=[ITEM])
    with pytest.raises(DomainError) as no_items:
        prescription_services.prescription_issue(actor=doctor, appointment=visit, items=[])

    assert (not_completed.value.field, no_items.value.field) == ("appointment", "items")
    assert not Prescription.objects.exists()


def test_cancelling_a_prescription_needs_its_prescriber_a_reason_and_an_active_one():
    prescription = PrescriptionFactory()
    prescriber = prescription.doctor.user

    with pytest.raises(NotAllowed):
        prescription_services.prescription_cancel(actor=DoctorFactory().user, prescription=prescription, reason="x")
    with pytest.raises(DomainError) as no_reason:
        prescription_services.prescription_cancel(actor=prescriber, prescription=prescription, reason="  ")
    prescription_services.prescription_cancel(actor=prescriber, prescription=prescription, reason="Allergy")
    with pytest.raises(Conflict) as twice:
        prescription_services.prescription_cancel(actor=prescriber, prescription=prescription, reason="Again")

    assert no_reason.value.field == "reason"
    assert twice.value.code == "invalid_transition"
    prescription.refresh_from_db()
    assert (prescription.status, prescription.cancellation_reason) == ("cancelled", "Allergy")


def test_a_treatment_change_locks_only_the_treatment_row(monkeypatch):
    # FOR UPDATE over the select_related join would also lock the visit and the doctor rows,
    # out of the documented order (doctor, patient, appointments) that booking keeps.
    doctor = UserFactory(role="doctor")
    treatment = TreatmentFactory(appointment__doctor__user=doctor)
    locks = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locks.append((self.model, kwargs.get("of")))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    treatment_services.treatment_update(actor=doctor, treatment=treatment, diagnosis="Changed")
    assert locks == [(Treatment, ("self",))]
