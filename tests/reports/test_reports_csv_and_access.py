"""Reports as CSV with the same figures, and who may read them with what input."""

import csv
import io

import pytest

from appointments.models import Status
from config.renderers import flatten
from tests.factories import (
    AppointmentFactory,
    DoctorFactory,
    PatientFactory,
)
from tests.reports.support import MARCH, at

pytestmark = pytest.mark.django_db


# --- CSV -------------------------------------------------------------------------------------------


def parse(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def as_text(row):
    return {key: "" if value is None else str(value) for key, value in flatten(row).items()}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/reports/summary/", {}),
        ("/api/reports/doctors/", {}),
        ("/api/reports/revenue/", {"group_by": "week"}),
        ("/api/reports/revenue/", {"group_by": "doctor"}),
    ],
)
@pytest.mark.parametrize("ask", ["query", "accept"])
def test_csv_matches_json(admin_api, clinic, path, params, ask):
    json_body = admin_api.get(path, MARCH | params).data
    if ask == "query":
        response = admin_api.get(path, MARCH | params | {"format": "csv"})
    else:
        response = admin_api.get(path, MARCH | params, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment; filename=" in response["Content-Disposition"]
    assert "2031-03-01-to-2031-03-31.csv" in response["Content-Disposition"]
    rows = json_body if isinstance(json_body, list) else [json_body]
    assert parse(response) == [as_text(row) for row in rows]


def test_patient_report_csv_has_a_row_per_appointment(admin_api, clinic):
    response = admin_api.get(f"/api/reports/patients/{clinic['p1'].pk}/", MARCH | {"format": "csv"})

    rows = parse(response)
    assert [row["status"] for row in rows] == ["completed", "cancelled", "completed"]
    assert rows[0]["doctor_full_name"] == clinic["a"].user.get_full_name()


def test_csv_cells_cannot_smuggle_spreadsheet_formulas(admin_api):
    patient = PatientFactory(user__first_name='=HYPERLINK("http://evil")', user__last_name="X")
    AppointmentFactory(patient=patient, start=at(3, 9))

    response = admin_api.get(f"/api/reports/patients/{patient.pk}/", MARCH | {"format": "csv"})

    assert parse(response)  # still a well-formed CSV
    assert ",=HYPERLINK" not in response.content.decode()


# --- Access and input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/reports/summary/",
        "/api/reports/doctors/",
        "/api/reports/revenue/",
        "/api/reports/patients/{p}/",
        "/api/audit-events/",
    ],
)
def test_non_admins_get_403(client_for, doctor, patient, path):
    url = path.format(p=patient.pk)
    for user in (doctor.user, patient.user):
        response = client_for(user).get(url)
        assert response.status_code == 403
        assert response["Content-Type"] == "application/json"
        if "reports" in url:
            assert client_for(user).get(url, {"format": "csv"}).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"date_from": "2031-03-10", "date_to": "2031-03-01"},
        {"date_from": "2020-01-01", "date_to": "2031-01-01"},
        {"date_from": "0001-01-01", "date_to": "0001-01-02"},
        {"date_to": "9999-12-31"},
        {"date_from": "March"},
        {"doctor": "x"},
        {"group_by": "year"},
    ],
)
def test_bad_report_parameters_are_400(admin_api, params):
    response = admin_api.get("/api/reports/revenue/", params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_an_unknown_patient_report_is_404(admin_api):
    assert admin_api.get("/api/reports/patients/999999/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/reports/summary/",
        "/api/reports/doctors/",
        "/api/reports/revenue/?group_by=doctor",
        "/api/reports/revenue/?group_by=month",
    ],
)
def test_report_query_counts_do_not_grow_with_data(admin_api, clinic, path, django_assert_max_num_queries):
    for day in range(1, 29):
        AppointmentFactory(doctor=DoctorFactory(), start=at(day, 15), status=Status.COMPLETED)

    with django_assert_max_num_queries(8):
        assert admin_api.get(path, MARCH).status_code == 200
