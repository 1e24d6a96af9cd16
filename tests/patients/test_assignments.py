import pytest

from patients.models import Assignment
from tests.factories import AssignmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


def test_admin_assigns_a_doctor_to_a_patient(admin_api, admin_account, doctor, patient):
    response = admin_api.post(
        "/api/assignments/",
        {"doctor": doctor.pk, "patient": patient.pk, "reason_for_assignment": "Diabetes follow-up"},
        format="json",
    )

    assert response.status_code == 201, response.data
    assignment = Assignment.objects.get(pk=response.data["id"])
    assert (assignment.doctor, assignment.patient, assignment.assigned_by) == (doctor, patient, admin_account)
    assert assignment.is_active
    assert response.data["doctor"]["full_name"] == doctor.user.get_full_name()


def test_a_second_active_assignment_of_the_same_pair_is_refused(admin_api, doctor, patient):
    AssignmentFactory(doctor=doctor, patient=patient)

    response = admin_api.post("/api/assignments/", {"doctor": doctor.pk, "patient": patient.pk}, format="json")

    assert response.status_code == 400
    assert "already assigned" in str(response.data)
    assert Assignment.objects.filter(doctor=doctor, patient=patient).count() == 1


def test_after_ending_an_assignment_the_pair_can_be_assigned_again(admin_api, doctor, patient):
    first = AssignmentFactory(doctor=doctor, patient=patient)

    ended = admin_api.patch(f"/api/assignments/{first.pk}/", {"is_active": False}, format="json")
    again = admin_api.post("/api/assignments/", {"doctor": doctor.pk, "patient": patient.pk}, format="json")

    assert ended.status_code == 200
    assert ended.data["is_active"] is False
    assert ended.data["ended_at"]
    assert again.status_code == 201


def test_ending_an_ended_assignment_is_a_conflict(admin_api):
    ended = AssignmentFactory(is_active=False)

    response = admin_api.delete(f"/api/assignments/{ended.pk}/")

    assert response.status_code == 409
    assert response.data["code"] == "assignment_ended"


def test_delete_ends_the_assignment_and_keeps_it(admin_api):
    assignment = AssignmentFactory()

    assert admin_api.delete(f"/api/assignments/{assignment.pk}/").status_code == 204
    assignment.refresh_from_db()
    assert not assignment.is_active


def test_an_assignment_cannot_be_restarted(admin_api):
    ended = AssignmentFactory(is_active=False)

    response = admin_api.patch(f"/api/assignments/{ended.pk}/", {"is_active": True}, format="json")

    assert response.status_code == 400
    assert "is_active" in response.data


def test_doctors_and_patients_list_their_own_assignments_only(client_for, doctor, patient):
    mine = AssignmentFactory(doctor=doctor, patient=patient)
    AssignmentFactory()

    for user in (doctor.user, patient.user):
        response = client_for(user).get("/api/assignments/")
        assert [row["id"] for row in response.data["results"]] == [mine.pk]


def test_others_assignments_answer_404(client_for, doctor, patient):
    theirs = AssignmentFactory()

    assert client_for(doctor.user).get(f"/api/assignments/{theirs.pk}/").status_code == 404
    assert client_for(patient.user).get(f"/api/assignments/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["doctor", "patient"])
def test_only_admins_create_change_or_end_assignments(client_for, doctor, patient, role):
    mine = AssignmentFactory(doctor=doctor, patient=patient)
    api = client_for({"doctor": doctor.user, "patient": patient.user}[role])

    assert (
        api.post("/api/assignments/", {"doctor": doctor.pk, "patient": PatientFactory().pk}, format="json").status_code
        == 403
    )
    assert api.patch(f"/api/assignments/{mine.pk}/", {"is_active": False}, format="json").status_code == 403
    assert api.delete(f"/api/assignments/{mine.pk}/").status_code == 403
    mine.refresh_from_db()
    assert mine.is_active


def test_assigning_an_unknown_or_inactive_doctor_is_400(admin_api, patient):
    gone = DoctorFactory(user__is_active=False)

    assert (
        admin_api.post("/api/assignments/", {"doctor": 999999, "patient": patient.pk}, format="json").status_code == 400
    )
    assert (
        admin_api.post("/api/assignments/", {"doctor": gone.pk, "patient": patient.pk}, format="json").status_code
        == 400
    )


def test_assignment_filters(admin_api, doctor):
    kept = AssignmentFactory(doctor=doctor)
    AssignmentFactory(doctor=doctor, is_active=False)
    AssignmentFactory()

    response = admin_api.get("/api/assignments/", {"doctor": doctor.pk, "is_active": "true"})

    assert [row["id"] for row in response.data["results"]] == [kept.pk]


def test_assignment_list_query_count_is_fixed(admin_api, django_assert_max_num_queries):
    for _ in range(20):
        AssignmentFactory()

    with django_assert_max_num_queries(3):
        response = admin_api.get("/api/assignments/", {"page_size": 100})

    assert response.data["count"] == 20
