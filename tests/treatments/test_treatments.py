from decimal import Decimal

import pytest

from appointments.models import Status
from tests.factories import AppointmentFactory, AssignmentFactory, DoctorFactory, PatientFactory, TreatmentFactory
from treatments.models import Treatment, TreatmentRevision

pytestmark = pytest.mark.django_db

BODY = {"diagnosis": "Acute bronchitis", "icd10_code": "j20.9", "procedure": "Auscultation", "cost": "35.00"}


def record(api, visit, **overrides):
    return api.post("/api/treatments/", {"appointment": visit.pk, **BODY, **overrides}, format="json")


# --- Recording --------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.CHECKED_IN, Status.COMPLETED])
def test_the_visits_doctor_records_a_treatment(doctor_api, doctor, status):
    visit = AppointmentFactory(doctor=doctor, status=status)

    response = record(doctor_api, visit)

    assert response.status_code == 201, response.data
    treatment = Treatment.objects.get(pk=response.data["id"])
    assert (treatment.appointment, treatment.created_by, treatment.icd10_code) == (visit, doctor.user, "J20.9")
    assert treatment.cost == Decimal("35.00")
    assert response.data["patient"]["id"] == visit.patient_id


@pytest.mark.parametrize("status", [Status.SCHEDULED, Status.CONFIRMED, Status.CANCELLED, Status.NO_SHOW])
def test_a_visit_in_the_wrong_status_is_400_with_a_message(doctor_api, doctor, status):
    visit = AppointmentFactory(doctor=doctor, status=status)

    response = record(doctor_api, visit)

    assert response.status_code == 400
    assert "checked in or completed" in response.data["appointment"][0]
    assert not Treatment.objects.exists()


def test_another_doctors_visit_is_404_even_for_a_shared_patient(doctor_api, doctor):
    shared_patient = AppointmentFactory(doctor=doctor, status=Status.COMPLETED).patient
    theirs = AppointmentFactory(patient=shared_patient, status=Status.COMPLETED)

    assert record(doctor_api, theirs).status_code == 404
    assert not Treatment.objects.filter(appointment=theirs).exists()


def test_a_patient_cannot_record_a_treatment(patient_api, patient):
    visit = AppointmentFactory(patient=patient, status=Status.COMPLETED)

    assert record(patient_api, visit).status_code == 403


def test_an_admin_records_for_any_visit(admin_api):
    assert record(admin_api, AppointmentFactory(status=Status.COMPLETED)).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("icd10_code", "bronchitis"),
        ("icd10_code", "J2"),
        ("icd10_code", "J20.12345"),
        ("cost", "-1"),
        ("cost", "abc"),
        ("diagnosis", ""),
        ("appointment", "x"),
        ("appointment", 0),
    ],
)
def test_bad_fields_are_400(doctor_api, doctor, field, value):
    visit = AppointmentFactory(doctor=doctor, status=Status.COMPLETED)

    response = record(doctor_api, visit, **{field: value})

    assert response.status_code == 400
    assert field in response.data


def test_an_unknown_visit_is_404(doctor_api):
    assert doctor_api.post("/api/treatments/", {"appointment": 999999, **BODY}, format="json").status_code == 404


# --- Reading ------------------------------------------------------------------------------------------


def test_each_role_sees_only_the_treatments_it_may(client_for, admin_api, doctor, patient):
    mine = TreatmentFactory(appointment=AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED))
    by_colleague = TreatmentFactory(appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED))
    assigned = AssignmentFactory(doctor=doctor).patient
    of_assigned = TreatmentFactory(appointment=AppointmentFactory(patient=assigned, status=Status.COMPLETED))
    strangers = TreatmentFactory()

    def ids(user):
        return sorted(row["id"] for row in client_for(user).get("/api/treatments/").data["results"])

    assert ids(patient.user) == sorted([mine.pk, by_colleague.pk])
    assert ids(doctor.user) == sorted([mine.pk, by_colleague.pk, of_assigned.pk])
    assert admin_api.get("/api/treatments/").data["count"] == 4
    assert client_for(patient.user).get(f"/api/treatments/{strangers.pk}/").status_code == 404
    assert client_for(doctor.user).get(f"/api/treatments/{strangers.pk}/").status_code == 404


def test_filters_and_search(admin_api):
    target = TreatmentFactory(diagnosis="Migraine", icd10_code="G43.0")
    TreatmentFactory()

    for params in (
        {"patient": target.appointment.patient_id},
        {"doctor": target.appointment.doctor_id},
        {"appointment": target.appointment_id},
        {"search": "migr"},
        {"search": "G43"},
    ):
        assert [row["id"] for row in admin_api.get("/api/treatments/", params).data["results"]] == [target.pk], params


def test_date_filters_use_the_visit_day(admin_api):
    from datetime import UTC, datetime

    early = TreatmentFactory(
        appointment=AppointmentFactory(start=datetime(2031, 1, 5, 9, tzinfo=UTC), status=Status.COMPLETED)
    )
    late = TreatmentFactory(
        appointment=AppointmentFactory(start=datetime(2031, 2, 5, 9, tzinfo=UTC), status=Status.COMPLETED)
    )

    response = admin_api.get("/api/treatments/", {"date_from": "2031-02-01", "date_to": "2031-02-28"})

    assert [row["id"] for row in response.data["results"]] == [late.pk]
    assert early.pk not in [row["id"] for row in response.data["results"]]


def test_treatment_list_query_count_is_fixed(admin_api, django_assert_max_num_queries):
    for _ in range(30):
        TreatmentFactory()

    # user, count, page, one INSERT of audit rows
    with django_assert_max_num_queries(4):
        response = admin_api.get("/api/treatments/", {"page_size": 100})

    assert response.data["count"] == 30


# --- Correcting, never deleting ------------------------------------------------------------------


def test_each_change_keeps_a_revision_with_the_previous_values(doctor_api, doctor):
    treatment = TreatmentFactory(appointment=AppointmentFactory(doctor=doctor, status=Status.COMPLETED))

    first = doctor_api.patch(
        f"/api/treatments/{treatment.pk}/", {"diagnosis": "Pneumonia", "icd10_code": "J18.9"}, format="json"
    )
    second = doctor_api.patch(f"/api/treatments/{treatment.pk}/", {"cost": "50.00"}, format="json")
    unchanged = doctor_api.patch(f"/api/treatments/{treatment.pk}/", {"cost": "50.00"}, format="json")
    revisions = doctor_api.get(f"/api/treatments/{treatment.pk}/revisions/")

    assert [r.status_code for r in (first, second, unchanged)] == [200, 200, 200]
    assert TreatmentRevision.objects.filter(treatment=treatment).count() == 2
    assert revisions.data[0]["changed_fields"] == ["cost"]
    assert revisions.data[0]["previous"] == {"cost": "20.00"}
    assert revisions.data[1]["previous"] == {"diagnosis": "Acute bronchitis", "icd10_code": "J20.9"}
    assert revisions.data[1]["changed_by"]["id"] == doctor.user_id
    treatment.refresh_from_db()
    assert (treatment.diagnosis, treatment.cost) == ("Pneumonia", Decimal("50.00"))


def test_a_wrong_record_is_marked_entered_in_error_with_a_reason_and_kept(doctor_api, doctor):
    treatment = TreatmentFactory(appointment=AppointmentFactory(doctor=doctor, status=Status.COMPLETED))

    no_reason = doctor_api.patch(f"/api/treatments/{treatment.pk}/", {"status": "entered_in_error"}, format="json")
    marked = doctor_api.patch(
        f"/api/treatments/{treatment.pk}/",
        {"status": "entered_in_error", "error_reason": "Wrong patient"},
        format="json",
    )
    after = doctor_api.patch(f"/api/treatments/{treatment.pk}/", {"diagnosis": "x"}, format="json")

    assert no_reason.status_code == 400
    assert marked.status_code == 200
    assert marked.data["status"] == "entered_in_error"
    assert after.status_code == 409
    assert Treatment.objects.filter(pk=treatment.pk).exists()


def test_treatments_cannot_be_deleted(admin_api):
    treatment = TreatmentFactory()

    assert admin_api.delete(f"/api/treatments/{treatment.pk}/").status_code == 405
    assert Treatment.objects.filter(pk=treatment.pk).exists()


def test_only_the_visits_doctor_or_an_admin_corrects(client_for, admin_api, patient):
    treatment = TreatmentFactory(appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED))
    colleague = DoctorFactory()
    AssignmentFactory(doctor=colleague, patient=patient)  # may read it, may not change it

    assert client_for(colleague.user).get(f"/api/treatments/{treatment.pk}/").status_code == 200
    assert (
        client_for(colleague.user).patch(f"/api/treatments/{treatment.pk}/", {"cost": "1"}, format="json").status_code
        == 403
    )
    assert (
        client_for(patient.user).patch(f"/api/treatments/{treatment.pk}/", {"cost": "1"}, format="json").status_code
        == 403
    )
    assert admin_api.patch(f"/api/treatments/{treatment.pk}/", {"cost": "1.00"}, format="json").status_code == 200


def test_a_stranger_patient_cannot_see_a_treatment(client_for):
    treatment = TreatmentFactory()

    assert client_for(PatientFactory().user).get(f"/api/treatments/{treatment.pk}/revisions/").status_code == 404
