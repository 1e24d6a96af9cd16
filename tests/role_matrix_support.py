"""What the permission-matrix tests share (tests/test_role_matrix*.py): one clinic of every role,
and a request made as one of them. Each table row is (caller, request, expected status): 404 when
the object is out of the caller's scope, 403 when it is visible (or the endpoint exists for
them) but the role may not do this (docs/ARCHITECTURE.md, roles)."""

from tests.factories import AssignmentFactory, DoctorFactory, PatientFactory, UserFactory

ROLES = ("admin", "desk", "a", "b", "p", "r")


def build_world() -> dict:
    """An admin and a receptionist ("desk"); doctor A with patient P, doctor B with patient R
    (both assigned)."""
    a, b = DoctorFactory(weekly_hours=True), DoctorFactory(weekly_hours=True)
    p, r = PatientFactory(), PatientFactory()
    AssignmentFactory(doctor=a, patient=p)
    AssignmentFactory(doctor=b, patient=r)
    return {"admin": UserFactory(admin=True), "desk": UserFactory(receptionist=True), "a": a, "b": b, "p": p, "r": r}


def user_of(world: dict, name: str):
    return world[name] if name in ("admin", "desk") else world[name].user


def request_as(client_for, world, who, method, url, body=None):
    return getattr(client_for(user_of(world, who)), method)(url, body, format="json")
