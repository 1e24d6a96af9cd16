"""The platform, continued: the admin and Silk behind staff logins, pagination, and SQLite upkeep."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- Admin and Silk ----------------------------------------------------------------------------


def test_admin_login_works_for_admins_only(client):
    admin = UserFactory(admin=True)
    patient = UserFactory()

    client.force_login(patient)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200


@pytest.mark.urls("tests.urls_with_silk")
def test_silk_dashboard_is_for_staff_only(client):
    client.force_login(UserFactory())
    refused = client.get("/silk/")
    client.force_login(UserFactory(admin=True))
    allowed = client.get("/silk/")

    assert refused.status_code in (302, 403)
    assert allowed.status_code == 200


def test_silk_is_off_unless_enabled(client):
    client.force_login(UserFactory(admin=True))

    assert client.get("/silk/").status_code == 404


# --- Pagination --------------------------------------------------------------------------------


def test_counts_stop_at_the_cap_but_every_page_is_still_reachable(admin_api, settings):
    from tests.factories import AppointmentFactory

    settings.LIST_COUNT_CAP = 100
    for _ in range(105):
        AppointmentFactory()

    first = admin_api.get("/api/appointments/", {"page_size": 20})
    last = admin_api.get("/api/appointments/", {"page_size": 20, "page": 6})
    beyond = admin_api.get("/api/appointments/", {"page_size": 20, "page": 7})

    assert (first.data["count"], first.data["count_capped"]) == (100, True)
    assert first.data["next"].endswith("page=2&page_size=20") or "page=2" in first.data["next"]
    assert len(last.data["results"]) == 5
    assert last.data["next"] is None
    assert "page=5" in last.data["previous"]
    assert beyond.status_code == 404


def test_below_the_cap_counts_are_exact(admin_api):
    from tests.factories import AppointmentFactory

    for _ in range(3):
        AppointmentFactory()

    response = admin_api.get("/api/appointments/", {"page_size": 2})

    assert (response.data["count"], response.data["count_capped"]) == (3, False)
    assert response.data["previous"] is None
    assert admin_api.get("/api/appointments/", {"page": "zero"}).status_code == 400


def test_an_absurd_page_number_is_a_404_not_a_database_error(admin_api):
    # Found by the schema fuzzer: an offset past 64 bits made SQLite raise "datatype mismatch".
    response = admin_api.get("/api/specializations/", {"page": 447194428033795776, "page_size": 100})

    assert response.status_code == 404
    assert response.data["detail"] == "Invalid page."


# --- SQLite upkeep -----------------------------------------------------------------------------


@pytest.mark.sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_runs_in_wal_mode_and_gathers_planner_statistics_as_connections_close():
    from django.db import connection

    from appointments.models import Appointment
    from tests.factories import AppointmentFactory

    doctor = AppointmentFactory().doctor
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    connection.close()  # the next connection starts without statistics
    list(Appointment.objects.filter(doctor=doctor, start__year=2026))  # a query that uses an index
    connection.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'appointments_appointment'")
        analysed = {row[0] for row in cursor.fetchall()}
    assert journal_mode == "wal"
    assert "appointments_doctor_start" in analysed
