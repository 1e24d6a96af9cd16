import pytest

from accounts.models import Role, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_users_filtered_by_role_and_active(admin_api):
    UserFactory(doctor=True, username="doc")
    UserFactory(username="gone", is_active=False)

    doctors = admin_api.get("/api/users/", {"role": "doctor"})
    inactive = admin_api.get("/api/users/", {"is_active": "false"})

    assert [u["username"] for u in doctors.data["results"]] == ["doc"]
    assert [u["username"] for u in inactive.data["results"]] == ["gone"]


def test_admin_searches_users_by_name_and_email(admin_api):
    UserFactory(username="zed", first_name="Zebulon", email="zz@hospital.org")
    UserFactory(username="amy")

    by_name = admin_api.get("/api/users/", {"search": "zebu"})
    by_email = admin_api.get("/api/users/", {"search": "hospital.org"})

    assert [u["username"] for u in by_name.data["results"]] == ["zed"]
    assert [u["username"] for u in by_email.data["results"]] == ["zed"]


def test_admin_creates_another_admin(admin_api):
    response = admin_api.post(
        "/api/users/",
        {"username": "new-admin", "email": "admin2@example.com", "password": "a-long-unusual-phrase", "role": "admin"},
        format="json",
    )

    assert response.status_code == 201, response.data
    user = User.objects.get(username="new-admin")
    assert (user.role, user.is_staff) == ("admin", True)


@pytest.mark.parametrize("role", ["doctor", "patient"])
def test_doctors_and_patients_are_created_with_their_records_not_here(admin_api, role):
    response = admin_api.post(
        "/api/users/",
        {"username": f"new-{role}", "email": f"{role}@example.com", "password": "a-long-unusual-phrase", "role": role},
        format="json",
    )

    assert response.status_code == 400
    assert "doctors/" in str(response.data["role"]) or "not a valid choice" in str(response.data["role"])
    assert not User.objects.filter(username=f"new-{role}").exists()


def test_admin_cannot_change_an_accounts_role(admin_api):
    doc = UserFactory(doctor=True)

    response = admin_api.patch(f"/api/users/{doc.pk}/", {"role": "admin"}, format="json")

    doc.refresh_from_db()
    assert response.status_code == 400
    assert "role" in response.data
    assert doc.role == Role.DOCTOR


def test_admin_updates_and_reactivates_an_account(admin_api):
    user = UserFactory(is_active=False)

    response = admin_api.patch(f"/api/users/{user.pk}/", {"first_name": "Renamed", "is_active": True}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.is_active) == ("Renamed", True)


def test_delete_deactivates_and_keeps_the_row(admin_api):
    user = UserFactory()

    assert admin_api.delete(f"/api/users/{user.pk}/").status_code == 204
    assert User.objects.filter(pk=user.pk, is_active=False).exists()


def test_put_is_not_offered(admin_api):
    user = UserFactory()

    assert admin_api.put(f"/api/users/{user.pk}/", {}, format="json").status_code == 405


@pytest.mark.parametrize("role", [Role.PATIENT, Role.DOCTOR])
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/users/"),
        ("post", "/api/users/"),
        ("get", "/api/users/{id}/"),
        ("patch", "/api/users/{id}/"),
        ("delete", "/api/users/{id}/"),
    ],
)
def test_non_admins_get_403_on_user_management(client_for, role, method, path):
    caller = UserFactory(role=role)
    target = UserFactory()

    response = getattr(client_for(caller), method)(path.format(id=target.pk), {}, format="json")

    assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_admin_create_refuses_a_taken_email_in_any_case(admin_api):
    UserFactory(email="taken@example.com")

    response = admin_api.post(
        "/api/users/",
        {"username": "other", "email": "TAKEN@example.com", "password": "a-long-unusual-phrase", "role": "patient"},
        format="json",
    )

    assert response.status_code == 400
    assert "already exists" in response.data["email"][0]


def test_users_list_query_count_is_fixed(admin_api, django_assert_max_num_queries):
    UserFactory.create_batch(30)

    with django_assert_max_num_queries(3):
        response = admin_api.get("/api/users/", {"page_size": 100})

    assert response.data["count"] == 31


# --- The clinic keeps an admin --------------------------------------------------------------------


def test_an_admin_cannot_deactivate_themselves(admin_api, admin_account):
    UserFactory(admin=True)  # not the last one

    deleted = admin_api.delete(f"/api/users/{admin_account.pk}/")
    patched = admin_api.patch(f"/api/users/{admin_account.pk}/", {"is_active": False}, format="json")

    assert (deleted.status_code, deleted.data["code"]) == (409, "self_deactivation")
    assert (patched.status_code, patched.data["code"]) == (409, "self_deactivation")
    admin_account.refresh_from_db()
    assert admin_account.is_active


def test_the_last_active_admin_cannot_be_deactivated(admin_account):
    from accounts import services
    from config.errors import Conflict

    with pytest.raises(Conflict) as refused:
        services.user_deactivate(user=admin_account)

    assert refused.value.code == "last_admin"


def test_another_admin_may_be_deactivated_while_one_stays(admin_api):
    other = UserFactory(admin=True)

    assert admin_api.delete(f"/api/users/{other.pk}/").status_code == 204
    assert admin_api.delete(f"/api/users/{UserFactory(admin=True, is_active=False).pk}/").status_code == 204


def test_the_admin_site_refuses_demoting_or_deactivating_the_last_admin(client, admin_account):
    client.force_login(admin_account)
    form = {
        "username": admin_account.username,
        "first_name": "",
        "last_name": "",
        "email": admin_account.email,
        "phone": "",
        "date_joined_0": "2030-01-01",
        "date_joined_1": "09:00:00",
    }

    demoted = client.post(f"/admin/accounts/user/{admin_account.pk}/change/", {**form, "role": "receptionist"})
    deactivated = client.post(f"/admin/accounts/user/{admin_account.pk}/change/", {**form, "role": "admin"})

    assert demoted.status_code == deactivated.status_code == 200  # the form again, with the reason
    assert b"your own account" in demoted.content
    assert b"your own account" in deactivated.content
    admin_account.refresh_from_db()
    assert (admin_account.role, admin_account.is_active) == (Role.ADMIN, True)
