"""The permission matrix of the appointments endpoints, the front desk included: (caller,
request) -> status for doctor A's visit with patient P, seen by the admin, the desk, A and P and
by nobody else (B and R get 404). tests/role_matrix_support.py builds the clinic."""

from datetime import UTC, datetime

import pytest

from appointments.models import Status
from tests.factories import AppointmentFactory
from tests.role_matrix_support import ROLES, build_world, request_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]  # Monday 2030-01-07 08:00 UTC

VISIBLE = ("admin", "desk", "a", "p")
# The visit each request acts on: (status, start), so that the step is due and only the role decides.
LATER = (Status.SCHEDULED, datetime(2030, 1, 9, 10, tzinfo=UTC))
SCENES = {
    "check-in": (Status.CONFIRMED, datetime(2030, 1, 7, 10, tzinfo=UTC)),
    "complete": (Status.CHECKED_IN, datetime(2030, 1, 7, 7, tzinfo=UTC)),
    "no-show": (Status.SCHEDULED, datetime(2030, 1, 7, 7, tzinfo=UTC)),
}
BODIES = {
    "cancel": {"reason": "Unwell"},
    "reschedule": {"start": "2030-01-10T10:00:00Z"},
}


def _rows(method, path, allowed, *, ok=200, refused=403):
    """Every role: `ok` when allowed, 404 out of scope, else `refused`."""
    return [(who, method, path, ok if who in allowed else (refused if who in VISIBLE else 404)) for who in ROLES]


MATRIX = [
    *_rows("get", "", VISIBLE),
    *_rows("get", "events/", VISIBLE),
    *_rows("get", "ics/", VISIBLE),
    *_rows("post", "confirm/", ("admin", "desk", "a")),
    *_rows("post", "check-in/", ("admin", "desk", "a")),
    *_rows("post", "no-show/", ("admin", "desk", "a")),
    *_rows("post", "complete/", ("admin", "a")),
    *_rows("post", "cancel/", VISIBLE),
    *_rows("post", "reschedule/", VISIBLE),
    *_rows("patch", "reason", VISIBLE),
    # A field the role may not edit is refused on the field (400), as any invalid input.
    *_rows("patch", "notes", ("admin", "a"), refused=400),
]


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize(("who", "method", "path", "expected"), MATRIX)
def test_appointment_endpoints(client_for, world, who, method, path, expected):
    status, start = SCENES.get(path.rstrip("/"), LATER)
    visit = AppointmentFactory(doctor=world["a"], patient=world["p"], status=status, start=start)
    if method == "patch":
        url, body = f"/api/appointments/{visit.pk}/", {path: "Changed"}
    else:
        url, body = f"/api/appointments/{visit.pk}/{path}", BODIES.get(path.rstrip("/"), {})

    response = request_as(client_for, world, who, method, url, body)

    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("who", ROLES)
def test_appointment_list_for_each_role(client_for, world, who):
    visit = AppointmentFactory(doctor=world["a"], patient=world["p"], start=LATER[1])

    response = request_as(client_for, world, who, "get", "/api/appointments/")

    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == ([visit.pk] if who in VISIBLE else [])


# Booking A's Tuesday 10:00 (26 hours ahead) for the caller's own patient: P for A and the staff,
# R for B (not A's schedule), and each patient for themselves.
BOOKERS = {"admin": "p", "desk": "p", "a": "p", "b": "r", "p": "p", "r": "r"}
BOOK_MATRIX = [
    (who, path, 403 if who == "b" else 201)
    for who in ROLES
    for path in ("/api/appointments/", "/api/appointments/book/")
]


@pytest.mark.parametrize(("who", "path", "expected"), BOOK_MATRIX)
def test_booking(client_for, world, who, path, expected):
    body = {"doctor": world["a"].pk, "patient": world[BOOKERS[who]].pk, "start": "2030-01-08T10:00:00Z"}

    response = request_as(client_for, world, who, "post", path, body)

    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize(("who", "other"), [("p", "r"), ("r", "p")])
def test_a_patient_books_for_nobody_else(client_for, world, who, other):
    """Another patient is not visible to a patient: their id reads as "does not exist" (400 on the
    field, as every id in a body out of the caller's scope)."""
    body = {"doctor": world["a"].pk, "patient": world[other].pk, "start": "2030-01-08T10:00:00Z"}

    response = request_as(client_for, world, who, "post", "/api/appointments/", body)

    assert response.status_code == 400 and "patient" in response.data
