"""Who may do what to whose object, for every doctor and patient endpoint: one table per resource,
(caller, the object's relation to them, request) -> status. 404 when the object is not visible
to the caller, 403 when it is visible but the caller may not do this."""

from datetime import UTC, datetime

import pytest

from tests.factories import (
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    PatientFactory,
    TimeOffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WEEK = [{"weekday": 0, "start_time": "09:00", "end_time": "12:00"}]


@pytest.fixture
def world():
    """An admin; doctor A with patient P (assigned) and patient Q (one past visit); doctor B with
    patient R; and an inactive doctor C."""
    a, b = DoctorFactory(weekly_hours=True), DoctorFactory(weekly_hours=True)
    c = DoctorFactory(user__is_active=False)
    p, q, r = PatientFactory(), PatientFactory(), PatientFactory()
    AssignmentFactory(doctor=a, patient=p)
    AppointmentFactory(doctor=a, patient=q)
    AssignmentFactory(doctor=b, patient=r)
    time_off = TimeOffFactory(doctor=a, start=datetime(2031, 1, 1, tzinfo=UTC), end=datetime(2031, 1, 2, tzinfo=UTC))
    return {
        "admin": UserFactory(admin=True),
        "desk": UserFactory(receptionist=True),
        "a": a,
        "b": b,
        "c": c,
        "p": p,
        "q": q,
        "r": r,
        "time_off": time_off,
    }


def caller(world, name):
    return world[name] if name in ("admin", "desk") else world[name].user


# --- Doctors -------------------------------------------------------------------------------------------

DOCTOR_MATRIX = [
    # (caller, target doctor, method, path, expected)
    *[(who, "a", "get", "/api/doctors/{id}/", 200) for who in ("admin", "a", "b", "p", "r")],
    *[(who, "c", "get", "/api/doctors/{id}/", 404) for who in ("a", "p")],
    ("admin", "c", "get", "/api/doctors/{id}/", 200),
    ("admin", "a", "patch", "/api/doctors/{id}/", 200),
    ("a", "a", "patch", "/api/doctors/{id}/", 200),
    ("b", "a", "patch", "/api/doctors/{id}/", 403),
    ("p", "a", "patch", "/api/doctors/{id}/", 403),
    ("a", "a", "delete", "/api/doctors/{id}/", 403),
    ("p", "a", "delete", "/api/doctors/{id}/", 403),
    *[(who, "a", "get", "/api/doctors/{id}/working-hours/", 200) for who in ("admin", "a", "b", "p")],
    ("admin", "a", "put", "/api/doctors/{id}/working-hours/", 200),
    ("a", "a", "put", "/api/doctors/{id}/working-hours/", 200),
    ("b", "a", "put", "/api/doctors/{id}/working-hours/", 403),
    ("p", "a", "put", "/api/doctors/{id}/working-hours/", 403),
    *[(who, "a", "get", "/api/doctors/{id}/time-off/", 200) for who in ("admin", "a", "b", "p")],
    ("a", "a", "post", "/api/doctors/{id}/time-off/", 201),
    ("admin", "a", "post", "/api/doctors/{id}/time-off/", 201),
    ("b", "a", "post", "/api/doctors/{id}/time-off/", 403),
    ("p", "a", "post", "/api/doctors/{id}/time-off/", 403),
    ("b", "a", "delete", "/api/doctors/{id}/time-off/{time_off}/", 403),
    ("p", "a", "delete", "/api/doctors/{id}/time-off/{time_off}/", 403),
    ("a", "a", "delete", "/api/doctors/{id}/time-off/{time_off}/", 204),
    *[(who, "a", "get", "/api/doctors/{id}/slots/", 200) for who in ("admin", "a", "b", "p")],
    ("p", "c", "get", "/api/doctors/{id}/slots/", 404),
    # The front desk reads every doctor's schedule and changes none of it.
    *[("desk", "a", "get", path, 200) for path in ("/api/doctors/{id}/", "/api/doctors/{id}/working-hours/")],
    *[("desk", "a", "get", path, 200) for path in ("/api/doctors/{id}/time-off/", "/api/doctors/{id}/slots/")],
    *[
        ("desk", "a", "get", path, 200)
        for path in ("/api/doctors/{id}/visit-types/", "/api/doctors/{id}/schedule-overrides/")
    ],
    ("desk", "c", "get", "/api/doctors/{id}/", 404),
    ("desk", "a", "patch", "/api/doctors/{id}/", 403),
    ("desk", "a", "put", "/api/doctors/{id}/working-hours/", 403),
    ("desk", "a", "post", "/api/doctors/{id}/time-off/", 403),
    ("desk", "a", "delete", "/api/doctors/{id}/time-off/{time_off}/", 403),
    ("desk", "a", "delete", "/api/doctors/{id}/", 403),
    ("admin", "a", "delete", "/api/doctors/{id}/", 204),
]


def _body(method, path):
    if method == "get":
        return None
    if path.endswith("working-hours/"):
        return WEEK
    if path.endswith("time-off/"):
        return {"start": "2032-01-01T09:00:00Z", "end": "2032-01-01T12:00:00Z"}
    if method == "patch":
        return {"bio": "Updated"}
    return {}


@pytest.mark.parametrize(("who", "target", "method", "path", "expected"), DOCTOR_MATRIX)
def test_doctor_endpoints(client_for, world, who, target, method, path, expected):
    url = path.format(id=world[target].pk, time_off=world["time_off"].pk)

    response = getattr(client_for(caller(world, who)), method)(url, _body(method, path), format="json")

    assert response.status_code == expected, response.content[:300]


# --- Patients ------------------------------------------------------------------------------------------

PATIENT_MATRIX = [
    # (caller, target patient, method, path, expected): A sees P (assigned) and Q (a visit), not R.
    ("admin", "r", "get", "/api/patients/{id}/", 200),
    ("p", "p", "get", "/api/patients/{id}/", 200),
    ("p", "q", "get", "/api/patients/{id}/", 404),
    ("a", "p", "get", "/api/patients/{id}/", 200),
    ("a", "q", "get", "/api/patients/{id}/", 200),
    ("a", "r", "get", "/api/patients/{id}/", 404),
    ("b", "p", "get", "/api/patients/{id}/", 404),
    ("p", "p", "patch", "/api/patients/{id}/", 200),
    ("p", "q", "patch", "/api/patients/{id}/", 404),
    ("a", "p", "patch", "/api/patients/{id}/", 403),
    ("a", "r", "patch", "/api/patients/{id}/", 404),
    ("admin", "p", "patch", "/api/patients/{id}/", 200),
    ("p", "p", "delete", "/api/patients/{id}/", 403),
    ("a", "p", "delete", "/api/patients/{id}/", 403),
    ("a", "r", "delete", "/api/patients/{id}/", 403),  # only admins delete: the same 403 for any id
    ("p", "p", "get", "/api/patients/{id}/history/", 200),
    ("p", "q", "get", "/api/patients/{id}/history/", 404),
    ("a", "q", "get", "/api/patients/{id}/history/", 200),
    ("a", "r", "get", "/api/patients/{id}/history/", 404),
    ("b", "r", "get", "/api/patients/{id}/history/", 200),
    ("admin", "r", "get", "/api/patients/{id}/history/", 200),
    # The front desk sees every patient's demographics, keeps them, and never their history.
    *[("desk", who, "get", "/api/patients/{id}/", 200) for who in ("p", "q", "r")],
    ("desk", "r", "patch", "/api/patients/{id}/", 200),
    ("desk", "r", "delete", "/api/patients/{id}/", 403),
    *[("desk", who, "get", "/api/patients/{id}/history/", 403) for who in ("p", "r")],
    ("admin", "r", "delete", "/api/patients/{id}/", 204),
]


@pytest.mark.parametrize(("who", "target", "method", "path", "expected"), PATIENT_MATRIX)
def test_patient_endpoints(client_for, world, who, target, method, path, expected):
    url = path.format(id=world[target].pk)
    body = ({"address": "1 New Street"} if who == "desk" else {"allergies": "Dust"}) if method == "patch" else {}

    response = getattr(client_for(caller(world, who)), method)(url, body, format="json")

    assert response.status_code == expected, response.content[:300]


# --- Lists never include others' rows ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("admin", {"p", "q", "r"}),
        ("desk", {"p", "q", "r"}),
        ("a", {"p", "q"}),
        ("b", {"r"}),
        ("p", {"p"}),
        ("q", {"q"}),
        ("r", {"r"}),
    ],
)
def test_patient_list_for_each_role(client_for, world, who, expected):
    rows = client_for(caller(world, who)).get("/api/patients/", {"page_size": 100}).data["results"]

    assert {row["id"] for row in rows} == {world[name].pk for name in expected}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", {("a", "p"), ("b", "r")}), ("a", {("a", "p")}), ("b", {("b", "r")}), ("p", {("a", "p")}), ("q", set())],
)
def test_assignment_list_for_each_role(client_for, world, who, expected):
    rows = client_for(caller(world, who)).get("/api/assignments/").data["results"]

    doctors = {world[n].pk: n for n in ("a", "b")}
    patients = {world[n].pk: n for n in ("p", "q", "r")}
    assert {(doctors[row["doctor"]["id"]], patients[row["patient"]["id"]]) for row in rows} == expected


@pytest.mark.parametrize("who", ["admin", "desk", "a", "p"])
def test_doctor_list_shows_active_doctors_to_all_and_inactive_to_admins(client_for, world, who):
    ids = {row["id"] for row in client_for(caller(world, who)).get("/api/doctors/").data["results"]}

    assert {world["a"].pk, world["b"].pk} <= ids
    assert (world["c"].pk in ids) == (who == "admin")
