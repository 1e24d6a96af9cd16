from datetime import UTC, datetime, timedelta

import pytest

from appointments.models import Status
from tests.factories import (
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    PatientFactory,
    PrescriptionFactory,
    TreatmentFactory,
)

pytestmark = pytest.mark.django_db


def history(api, patient, **params):
    return api.get(f"/api/patients/{patient.pk}/history/", params)


def test_history_mixes_visits_treatments_and_prescriptions_newest_first(patient_api, patient):
    old = AppointmentFactory(patient=patient, start=datetime(2031, 1, 5, 9, tzinfo=UTC), status=Status.COMPLETED)
    treatment = TreatmentFactory(appointment=old)
    treatment.created_at = datetime(2031, 1, 5, 9, 20, tzinfo=UTC)
    treatment.save()
    prescription = PrescriptionFactory(appointment=old, issued_at=datetime(2031, 1, 5, 9, 25, tzinfo=UTC), items=2)
    upcoming = AppointmentFactory(patient=patient, start=datetime(2031, 3, 1, 9, tzinfo=UTC))

    response = history(patient_api, patient)

    assert response.status_code == 200
    entries = response.data["results"]
    assert [(e["kind"], (e["appointment"] or e["treatment"] or e["prescription"])["id"]) for e in entries] == [
        ("appointment", upcoming.pk),
        ("prescription", prescription.pk),
        ("treatment", treatment.pk),
        ("appointment", old.pk),
    ]
    assert entries[0]["appointment"]["status"] == "scheduled"
    assert entries[0]["treatment"] is None
    assert len(entries[1]["prescription"]["items"]) == 2
    assert entries[2]["treatment"]["diagnosis"] == "Acute bronchitis"


@pytest.mark.parametrize(
    ("caller", "target", "expected"),
    [
        ("patient", "self", 200),
        ("patient", "other", 404),
        ("doctor", "had_a_visit", 200),
        ("doctor", "assigned", 200),
        ("doctor", "stranger", 404),
        ("admin", "stranger", 200),
    ],
)
def test_who_may_read_a_history(client_for, admin_account, patient, doctor, caller, target, expected):
    targets = {
        "self": patient,
        "other": PatientFactory(),
        "had_a_visit": AppointmentFactory(doctor=doctor, status=Status.CANCELLED).patient,
        "assigned": AssignmentFactory(doctor=doctor).patient,
        "stranger": PatientFactory(),
    }
    api = client_for({"patient": patient.user, "doctor": doctor.user, "admin": admin_account}[caller])

    assert history(api, targets[target]).status_code == expected


def test_a_doctor_sees_the_whole_history_of_their_patient_including_colleagues_visits(doctor_api, doctor):
    patient = AssignmentFactory(doctor=doctor).patient
    colleagues = TreatmentFactory(
        appointment=AppointmentFactory(patient=patient, doctor=DoctorFactory(), status=Status.COMPLETED)
    )

    kinds = [e["kind"] for e in history(doctor_api, patient).data["results"]]

    assert sorted(kinds) == ["appointment", "treatment"]
    assert colleagues.pk in [
        e["treatment"]["id"] for e in history(doctor_api, patient).data["results"] if e["treatment"]
    ]


def test_history_pages_and_query_count_are_fixed_with_150_entries(patient_api, patient, django_assert_max_num_queries):
    doctor = DoctorFactory()
    start = datetime(2031, 1, 1, 9, tzinfo=UTC)
    for day in range(50):
        visit = AppointmentFactory(
            doctor=doctor, patient=patient, start=start + timedelta(days=day), status=Status.COMPLETED
        )
        TreatmentFactory(appointment=visit)
        PrescriptionFactory(appointment=visit, items=2)

    with django_assert_max_num_queries(9):
        first = history(patient_api, patient, page_size=100)
    with django_assert_max_num_queries(9):
        last = history(patient_api, patient, page_size=100, page=2)

    assert first.data["count"] == 150
    assert len(first.data["results"]) == 100
    assert len(last.data["results"]) == 50
    stamps = [e["at"] for e in first.data["results"] + last.data["results"]]
    assert stamps == sorted(stamps, reverse=True)
    kinds = [e["kind"] for e in first.data["results"] + last.data["results"]]
    assert {kind: kinds.count(kind) for kind in set(kinds)} == {"appointment": 50, "treatment": 50, "prescription": 50}


def test_an_unknown_patient_is_404(admin_api):
    assert admin_api.get("/api/patients/999999/history/").status_code == 404
