from datetime import UTC, datetime

import pytest

from appointments.models import Status
from prescriptions.models import Prescription, PrescriptionItem
from tests.factories import AppointmentFactory, AssignmentFactory, DoctorFactory, PatientFactory, PrescriptionFactory

pytestmark = pytest.mark.django_db

ITEM = {
    "medication_name": "Amoxicillin",
    "strength": "500 mg",
    "route": "oral",
    "frequency": "three times daily",
    "duration_days": 7,
    "quantity": 21,
    "refills": 0,
    "instructions": "Take with food.",
}


def issue(api, visit, items=None, **extra):
    body = {"appointment": visit.pk, "items": [ITEM] if items is None else items, "notes": "Finish the course."}
    return api.post("/api/prescriptions/", body | extra, format="json")


@pytest.fixture
def completed_visit(doctor, patient):
    return AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)


# --- Issuing --------------------------------------------------------------------------------------


def test_the_visits_doctor_issues_a_prescription_with_items(doctor_api, doctor, patient, completed_visit):
    second = ITEM | {"medication_name": "Paracetamol", "strength": "1 g", "frequency": "as needed", "quantity": 10}

    response = issue(doctor_api, completed_visit, items=[ITEM, second])

    assert response.status_code == 201, response.data
    prescription = Prescription.objects.get(pk=response.data["id"])
    assert (prescription.doctor, prescription.patient, prescription.status) == (doctor, patient, "active")
    assert [item["medication_name"] for item in response.data["items"]] == ["Amoxicillin", "Paracetamol"]
    assert response.data["doctor"]["licence_number"] == doctor.licence_number


def test_the_create_alias_does_the_same(doctor_api, completed_visit):
    response = doctor_api.post(
        "/api/prescriptions/create/", {"appointment": completed_visit.pk, "items": [ITEM]}, format="json"
    )

    assert response.status_code == 201


@pytest.mark.parametrize(
    "status", [Status.SCHEDULED, Status.CONFIRMED, Status.CHECKED_IN, Status.CANCELLED, Status.NO_SHOW]
)
def test_only_completed_visits_get_prescriptions(doctor_api, doctor, status):
    visit = AppointmentFactory(doctor=doctor, status=status)

    response = issue(doctor_api, visit)

    assert response.status_code == 400
    assert "completed visits" in response.data["appointment"][0]


def test_another_doctors_visit_is_404(doctor_api):
    assert issue(doctor_api, AppointmentFactory(status=Status.COMPLETED)).status_code == 404


@pytest.mark.parametrize("role", ["patient", "admin"])
def test_patients_and_admins_do_not_prescribe(client_for, admin_account, patient, completed_visit, role):
    user = {"patient": patient.user, "admin": admin_account}[role]

    assert issue(client_for(user), completed_visit).status_code == 403
    assert not Prescription.objects.exists()


@pytest.mark.parametrize(
    "bad_item",
    [
        {"medication_name": ""},
        {"medication_name": "   "},
        {"duration_days": 0},
        {"duration_days": -3},
        {"quantity": 0},
        {"quantity": "many"},
        {"refills": 13},
        {"route": "by osmosis"},
        {"strength": ""},
    ],
)
def test_item_fields_are_validated_and_nothing_is_issued(doctor_api, completed_visit, bad_item):
    response = issue(doctor_api, completed_visit, items=[ITEM, ITEM | bad_item])

    assert response.status_code == 400
    field = next(iter(bad_item))
    assert set(response.data["items"]) == {1}  # errors keyed by the index of the bad item
    assert field in response.data["items"][1]
    assert not Prescription.objects.exists()
    assert not PrescriptionItem.objects.exists()


@pytest.mark.parametrize("items", [[], None, "Amoxicillin", [{}]])
def test_at_least_one_proper_item_is_needed(doctor_api, completed_visit, items):
    body = {"appointment": completed_visit.pk, "items": items}

    response = doctor_api.post("/api/prescriptions/", body, format="json")

    assert response.status_code == 400
    assert "items" in response.data


def test_a_failure_while_saving_items_leaves_no_prescription(doctor_api, completed_visit, monkeypatch):
    from prescriptions import services

    def exploding_bulk_create(rows, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.PrescriptionItem.objects, "bulk_create", exploding_bulk_create)

    with pytest.raises(RuntimeError):
        issue(doctor_api, completed_visit)

    assert not Prescription.objects.exists()


# --- Immutable, cancelled instead ------------------------------------------------------------------


def test_an_issued_prescription_cannot_be_patched_or_deleted(doctor_api, doctor, completed_visit):
    prescription = PrescriptionFactory(appointment=completed_visit)

    assert doctor_api.patch(f"/api/prescriptions/{prescription.pk}/", {"notes": "x"}, format="json").status_code == 405
    assert doctor_api.put(f"/api/prescriptions/{prescription.pk}/", {"notes": "x"}, format="json").status_code == 405
    assert doctor_api.delete(f"/api/prescriptions/{prescription.pk}/").status_code == 405
    prescription.refresh_from_db()
    assert prescription.notes == ""


def test_the_prescriber_cancels_with_a_reason_and_it_is_kept(doctor_api, doctor, completed_visit):
    prescription = PrescriptionFactory(appointment=completed_visit)

    no_reason = doctor_api.post(f"/api/prescriptions/{prescription.pk}/cancel/", {}, format="json")
    cancelled = doctor_api.post(
        f"/api/prescriptions/{prescription.pk}/cancel/", {"reason": "Wrong dose"}, format="json"
    )
    again = doctor_api.post(f"/api/prescriptions/{prescription.pk}/cancel/", {"reason": "Again"}, format="json")

    assert no_reason.status_code == 400
    assert cancelled.status_code == 200
    assert (cancelled.data["status"], cancelled.data["cancellation_reason"]) == ("cancelled", "Wrong dose")
    assert again.status_code == 409
    assert Prescription.objects.filter(pk=prescription.pk).exists()


def test_entered_in_error_is_a_kind_of_cancellation(admin_api):
    prescription = PrescriptionFactory()

    response = admin_api.post(
        f"/api/prescriptions/{prescription.pk}/cancel/",
        {"reason": "Wrong patient", "entered_in_error": True},
        format="json",
    )

    assert response.data["status"] == "entered_in_error"


def test_only_the_prescriber_or_an_admin_cancels(client_for, patient):
    prescription = PrescriptionFactory(appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED))
    colleague = DoctorFactory()
    AssignmentFactory(doctor=colleague, patient=patient)

    assert (
        client_for(colleague.user)
        .post(f"/api/prescriptions/{prescription.pk}/cancel/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(patient.user)
        .post(f"/api/prescriptions/{prescription.pk}/cancel/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )


# --- Reading -------------------------------------------------------------------------------------------


def test_each_role_sees_only_the_prescriptions_it_may(client_for, admin_api, doctor, patient):
    mine = PrescriptionFactory(appointment=AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED))
    colleagues_for_my_patient = PrescriptionFactory(
        appointment=AppointmentFactory(patient=patient, status=Status.COMPLETED)
    )
    strangers = PrescriptionFactory()

    def ids(user):
        return sorted(row["id"] for row in client_for(user).get("/api/prescriptions/").data["results"])

    assert ids(patient.user) == sorted([mine.pk, colleagues_for_my_patient.pk])
    assert ids(doctor.user) == sorted([mine.pk, colleagues_for_my_patient.pk])
    assert admin_api.get("/api/prescriptions/").data["count"] == 3
    for user in (patient.user, doctor.user, PatientFactory().user):
        assert client_for(user).get(f"/api/prescriptions/{strangers.pk}/").status_code == 404
        assert client_for(user).get(f"/api/prescriptions/{strangers.pk}/pdf/").status_code == 404


def test_filters(admin_api):
    target = PrescriptionFactory(
        appointment=AppointmentFactory(start=datetime(2031, 1, 6, 9, tzinfo=UTC), status=Status.COMPLETED)
    )
    cancelled = PrescriptionFactory(
        appointment=AppointmentFactory(start=datetime(2031, 1, 6, 11, tzinfo=UTC), status=Status.COMPLETED),
        status=Prescription.Status.CANCELLED,
        cancelled_at=target.issued_at,
        cancellation_reason="x",
    )
    PrescriptionFactory(
        appointment=AppointmentFactory(start=datetime(2031, 1, 9, 9, tzinfo=UTC), status=Status.COMPLETED)
    )

    def ids(**params):
        return [row["id"] for row in admin_api.get("/api/prescriptions/", params).data["results"]]

    assert ids(appointment=target.appointment_id) == [target.pk]
    assert ids(patient=target.patient_id) == [target.pk]
    assert ids(doctor=target.doctor_id) == [target.pk]
    assert ids(status="cancelled") == [cancelled.pk]
    assert ids(date_from="2031-01-06", date_to="2031-01-06") == [cancelled.pk, target.pk]  # latest first


def test_prescription_list_query_count_is_fixed(admin_api, django_assert_max_num_queries):
    for _ in range(30):
        PrescriptionFactory(items=3)

    # user, count, page, items, doctors, patients, one INSERT of audit rows
    with django_assert_max_num_queries(7):
        response = admin_api.get("/api/prescriptions/", {"page_size": 100})

    assert response.data["count"] == 30
    assert all(len(row["items"]) == 3 for row in response.data["results"])
