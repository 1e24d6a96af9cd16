import pytest

from accounts.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_profile_returns_the_callers_own_account(patient_api, patient_account):
    response = patient_api.get("/api/profile/")

    assert response.status_code == 200
    assert response.data["username"] == patient_account.username
    assert response.data["role"] == "patient"


def test_profile_patch_changes_own_fields_but_never_the_role(patient_api, patient_account):
    response = patient_api.patch(
        "/api/profile/",
        {"first_name": "Pat", "phone": "+44 20 7946 0000", "role": "admin", "username": "root"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.data) == {"role", "username"}

    response = patient_api.patch("/api/profile/", {"first_name": "Pat", "phone": "+44 20 7946 0000"}, format="json")

    assert response.status_code == 200
    patient_account.refresh_from_db()
    assert patient_account.first_name == "Pat"
    assert patient_account.phone == "+44 20 7946 0000"
    assert patient_account.role == Role.PATIENT
    assert patient_account.username == "pat"


def test_profile_patch_refuses_someone_elses_email(patient_api):
    UserFactory(email="else@example.com")

    response = patient_api.patch("/api/profile/", {"email": "Else@Example.com"}, format="json")

    assert response.status_code == 400
    assert "email" in response.data


@pytest.mark.parametrize(
    "body",
    [{"phone": "call me"}, {"email": "not-an-email"}, {"first_name": "x" * 10_000}, {"first_name": ["a"]}],
)
def test_profile_patch_refuses_bad_values_with_field_messages(patient_api, body):
    response = patient_api.patch("/api/profile/", body, format="json")

    assert response.status_code == 400
    assert set(response.data) == set(body)
