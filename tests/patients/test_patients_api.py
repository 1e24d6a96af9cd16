import pytest

from accounts.models import Role
from patients.models import Patient
from tests.factories import AssignmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return sorted(row["id"] for row in response.data["results"])


# --- Who sees whom -------------------------------------------------------------------------------


def test_a_patient_lists_only_their_own_record(patient_api, patient):
    PatientFactory.create_batch(3)

    assert ids(patient_api.get("/api/patients/")) == [patient.pk]


def test_a_doctor_lists_assigned_patients_only(doctor_api, doctor):
    mine = AssignmentFactory(doctor=doctor).patient
    AssignmentFactory(doctor=doctor, patient=PatientFactory(), is_active=False)
    AssignmentFactory()  # someone else's
    PatientFactory()

    assert ids(doctor_api.get("/api/patients/")) == [mine.pk]


def test_admins_list_everyone(admin_api):
    PatientFactory.create_batch(3)

    assert admin_api.get("/api/patients/").data["count"] == 3


@pytest.mark.parametrize(
    ("caller", "target", "expected"),
    [
        ("patient", "self", 200),
        ("patient", "other", 404),
        ("doctor", "assigned", 200),
        ("doctor", "formerly_assigned", 404),
        ("doctor", "stranger", 404),
        ("admin", "stranger", 200),
    ],
)
def test_patient_detail_matrix(client_for, admin_account, patient, doctor, caller, target, expected):
    records = {
        "self": patient,
        "other": PatientFactory(),
        "assigned": AssignmentFactory(doctor=doctor).patient,
        "formerly_assigned": AssignmentFactory(doctor=doctor, is_active=False).patient,
        "stranger": PatientFactory(),
    }
    api = client_for({"patient": patient.user, "doctor": doctor.user, "admin": admin_account}[caller])

    response = api.get(f"/api/patients/{records[target].pk}/")

    assert response.status_code == expected
    if expected == 404:
        assert response.data == {"detail": "No Patient matches the given query."}


@pytest.mark.parametrize(
    ("caller", "target", "expected"),
    [
        ("patient", "self", 200),
        ("patient", "other", 404),
        ("doctor", "assigned", 403),
        ("doctor", "stranger", 404),
        ("admin", "stranger", 200),
    ],
)
def test_patient_update_matrix(client_for, admin_account, patient, doctor, caller, target, expected):
    records = {
        "self": patient,
        "other": PatientFactory(),
        "assigned": AssignmentFactory(doctor=doctor).patient,
        "stranger": PatientFactory(),
    }
    api = client_for({"patient": patient.user, "doctor": doctor.user, "admin": admin_account}[caller])

    response = api.patch(f"/api/patients/{records[target].pk}/", {"allergies": "Dust"}, format="json")

    assert response.status_code == expected
    records[target].refresh_from_db()
    assert (records[target].allergies == "Dust") == (expected == 200)


def test_a_patient_cannot_write_staff_notes_but_an_admin_can(patient_api, admin_api, patient):
    refused = patient_api.patch(
        f"/api/patients/{patient.pk}/", {"notes": "I am fine", "allergies": "Pollen"}, format="json"
    )
    assert refused.status_code == 400
    assert set(refused.data) == {"notes"}
    patient.refresh_from_db()
    assert (patient.notes, patient.allergies) == ("", "")

    admin_api.patch(f"/api/patients/{patient.pk}/", {"notes": "Prefers mornings"}, format="json")
    patient.refresh_from_db()
    assert patient.notes == "Prefers mornings"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "yesterday"}, "date_of_birth"),
        ({"sex": "robot"}, "sex"),
        ({"blood_group": "C+"}, "blood_group"),
        ({"emergency_contact_phone": "call my mum"}, "emergency_contact_phone"),
        ({"insurance_number": "x" * 10_000}, "insurance_number"),
    ],
)
def test_patient_update_refuses_bad_values(patient_api, patient, body, field):
    response = patient_api.patch(f"/api/patients/{patient.pk}/", body, format="json")

    assert response.status_code == 400
    assert field in response.data


def test_national_id_is_unique_when_given_but_may_be_blank_for_many(admin_api, patient):
    PatientFactory(national_id="X-1")
    PatientFactory(national_id="")

    taken = admin_api.patch(f"/api/patients/{patient.pk}/", {"national_id": "X-1"}, format="json")
    same_again = admin_api.patch(f"/api/patients/{patient.pk}/", {"national_id": "Y-2"}, format="json")
    unchanged = admin_api.patch(f"/api/patients/{patient.pk}/", {"national_id": "Y-2"}, format="json")

    assert taken.status_code == 400
    assert "national_id" in taken.data
    assert same_again.status_code == 200
    assert unchanged.status_code == 200


def test_a_patient_cannot_set_their_national_id_so_ids_cannot_be_probed(patient_api, patient):
    PatientFactory(national_id="X-1")

    direct = patient_api.patch(f"/api/patients/{patient.pk}/", {"national_id": "X-1"}, format="json")
    profile = patient_api.patch("/api/profile/", {"patient": {"national_id": "X-1"}}, format="json")

    assert direct.status_code == 400
    assert set(direct.data) == {"national_id"}
    assert profile.status_code == 400
    assert profile.data["patient"]["national_id"] == ["This field is read-only."]
    patient.refresh_from_db()
    assert patient.national_id == ""


def test_search_patients_by_name_email_phone_national_id_and_insurance(admin_api):
    target = PatientFactory(
        user__first_name="Zelda",
        user__email="zelda@mail.example",
        user__phone="+1 555 0100",
        national_id="NI-777",
        insurance_number="INS-42",
    )
    PatientFactory(user__first_name="Other")

    for term in ["zeld", "mail.example", "555 0100", "NI-777", "INS-42"]:
        assert ids(admin_api.get("/api/patients/", {"search": term})) == [target.pk], term


def test_admin_registers_a_walk_in_patient_without_email_or_password(admin_api):
    response = admin_api.post(
        "/api/patients/",
        {"user": {"username": "walkin", "first_name": "Walk", "last_name": "In"}, "date_of_birth": "1950-01-01"},
        format="json",
    )

    assert response.status_code == 201, response.data
    patient = Patient.objects.get(pk=response.data["id"])
    assert patient.user.role == Role.PATIENT
    assert not patient.user.has_usable_password()


def test_only_admins_create_or_deactivate_patients(patient_api, doctor_api, patient):
    body = {"user": {"username": "x", "first_name": "X", "last_name": "Y"}}

    assert patient_api.post("/api/patients/", body, format="json").status_code == 403
    assert doctor_api.post("/api/patients/", body, format="json").status_code == 403
    assert patient_api.delete(f"/api/patients/{patient.pk}/").status_code == 403


def test_deactivating_a_patient_keeps_the_record(admin_api, patient):
    assert admin_api.delete(f"/api/patients/{patient.pk}/").status_code == 204

    patient.refresh_from_db()
    assert not patient.user.is_active
    assert admin_api.get(f"/api/patients/{patient.pk}/").data["is_active"] is False


def test_patient_list_query_count_does_not_grow_with_rows(admin_api, doctor_api, doctor, django_assert_max_num_queries):
    for _ in range(30):
        AssignmentFactory(doctor=doctor)

    # user, count, page, one INSERT of audit rows; a doctor's scope needs their profile too
    with django_assert_max_num_queries(4):
        admin_rows = admin_api.get("/api/patients/", {"page_size": 100})
    with django_assert_max_num_queries(5):
        doctor_rows = doctor_api.get("/api/patients/", {"page_size": 100})

    assert admin_rows.data["count"] == 30
    assert doctor_rows.data["count"] == 30


def test_a_doctor_without_assignments_sees_no_patients(client_for):
    PatientFactory.create_batch(2)

    assert client_for(DoctorFactory().user).get("/api/patients/").data["count"] == 0
