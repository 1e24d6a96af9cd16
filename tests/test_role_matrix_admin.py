"""The permission matrix of users, assignments, reference data (closures, specializations, visit
types), doctors' schedule changes (overrides, time off) and the caller's profile, the front desk
included. Admins write reference data and users; a doctor changes their own schedule; an
endpoint a role may not write answers 403 whatever the id (only admins pass the gate)."""

import pytest

from doctors.models import ClinicClosure, ScheduleOverride, TimeOff, VisitType
from patients.models import Assignment
from tests.factories import SpecializationFactory
from tests.role_matrix_support import ROLES, build_world, request_as

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]


def _only(allowed, method, path, body=None, ok=200):
    return [(who, method, path, body, ok if who in allowed else 403) for who in ROLES]


NEW_USER = {
    "username": "newdesk",
    "email": "newdesk@example.com",
    "password": "Sturdy-desk-password-42",
    "role": "receptionist",
    "first_name": "Nora",
    "last_name": "Desk",
}
VISIT_TYPE = {"name": "Procedure", "duration_minutes": 60, "buffer_after_minutes": 15, "fee": "200.00"}
CLOSED_DAY = {"date": "2030-02-04", "closed": True}
TIME_OFF = {"start": "2030-02-05T09:00Z", "end": "2030-02-05T12:00Z"}
ADMIN = ("admin",)
OWN_SCHEDULE = ("admin", "a")  # doctor A's schedule

MATRIX = [
    *_only(ADMIN, "get", "/api/users/"),
    *_only(ADMIN, "get", "/api/users/{user}/"),
    *_only(ADMIN, "post", "/api/users/", NEW_USER, ok=201),
    # Assignments: everyone reads their scope; A-P is visible to the staff, A and P, not to B or R.
    *_only(ROLES, "get", "/api/assignments/"),
    *[(who, "get", "/api/assignments/{assignment}/", None, 404 if who in ("b", "r") else 200) for who in ROLES],
    *_only(ADMIN, "post", "/api/assignments/", "new assignment", ok=201),
    *_only(ADMIN, "patch", "/api/assignments/{assignment}/", {"reason_for_assignment": "Diabetes care"}),
    *_only(ADMIN, "delete", "/api/assignments/{assignment}/", ok=204),
    # Reference data: everyone reads, admins write.
    *_only(ROLES, "get", "/api/closures/"),
    *_only(ADMIN, "post", "/api/closures/", {"name": "Strike", "start_date": "2030-02-01"}, ok=201),
    *_only(ADMIN, "delete", "/api/closures/{closure}/", ok=204),
    *_only(ADMIN, "post", "/api/specializations/", {"name": "Oncology"}, ok=201),
    *_only(ADMIN, "patch", "/api/specializations/{specialization}/", {"name": "Renamed"}),
    *_only(ADMIN, "post", "/api/visit-types/", VISIT_TYPE, ok=201),
    *_only(ADMIN, "patch", "/api/visit-types/{visit_type}/", {"fee": "90.00"}),
    # Doctor A's schedule: A and admins change it; the desk, B and the patients only read it.
    *_only(ROLES, "get", "/api/doctors/{a}/schedule-overrides/"),
    *_only(OWN_SCHEDULE, "post", "/api/doctors/{a}/schedule-overrides/", CLOSED_DAY, ok=201),
    *_only(OWN_SCHEDULE, "patch", "/api/doctors/{a}/schedule-overrides/{override}/", {"reason": "Half day"}),
    *_only(OWN_SCHEDULE, "delete", "/api/doctors/{a}/schedule-overrides/{override}/", ok=204),
    *_only(ROLES, "get", "/api/doctors/{a}/time-off/"),
    *_only(OWN_SCHEDULE, "post", "/api/doctors/{a}/time-off/", TIME_OFF, ok=201),
    *_only(OWN_SCHEDULE, "delete", "/api/doctors/{a}/time-off/{time_off}/", ok=204),
    # Everyone keeps their own profile.
    *_only(ROLES, "get", "/api/profile/"),
    *_only(ROLES, "patch", "/api/profile/", {"phone": "+44 20 7946 0001"}),
]


@pytest.fixture
def world():
    world = build_world()
    a = world["a"]
    world.update(
        user=world["r"].user,
        assignment=Assignment.objects.get(doctor=a, patient=world["p"]),
        closure=ClinicClosure.objects.create(name="Holiday", start_date="2030-03-01", end_date="2030-03-01"),
        specialization=SpecializationFactory(name="Dermatology"),
        visit_type=VisitType.objects.create(name="Long visit", duration_minutes=45),
        override=ScheduleOverride.objects.create(doctor=a, date="2030-02-11", closed=True, created_by=a.user),
        time_off=TimeOff.objects.create(doctor=a, start="2030-02-12T09:00Z", end="2030-02-12T12:00Z"),
    )
    return world


@pytest.mark.parametrize(("who", "method", "path", "body", "expected"), MATRIX)
def test_users_assignments_reference_data_schedules_and_profile(client_for, world, who, method, path, body, expected):
    url = path.format(**{name: getattr(world[name], "pk", None) for name in world})
    if body == "new assignment":
        body = {"doctor": world["b"].pk, "patient": world["p"].pk}

    response = request_as(client_for, world, who, method, url, body)

    assert response.status_code == expected, response.content[:300]


def test_the_desk_reads_no_assignment_reason(client_for, world):
    rows = request_as(client_for, world, "desk", "get", "/api/assignments/").data["results"]

    assert len(rows) == 2 and all("reason_for_assignment" not in row for row in rows)
