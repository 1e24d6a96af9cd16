"""The fast list paths (config.rows) answer exactly what the serializers would for the same rows:
every role, varied rows (each status, a cancellation, notes, visit types with buffers, fees with
cents, names with spaces to strip, an inactive doctor), a clinic zone with DST, UTC, and the
filters, search and ordering the lists take."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from rest_framework.test import APIRequestFactory

from appointments.models import Appointment, Status
from appointments.serializers import AppointmentSerializer
from doctors.models import Doctor
from doctors.serializers import DoctorSerializer
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, UserFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_rows(doctor, patient, admin_account):
    rng = random.Random(19)
    buffered = VisitTypeFactory(
        name="Long visit", duration_minutes=45, buffer_before_minutes=5, buffer_after_minutes=10
    )
    doctor.offered_visit_types.create(visit_type=buffered)
    others = [
        DoctorFactory(user__first_name="", user__last_name="Solo", consultation_fee=Decimal("87.50")),
        DoctorFactory(user__first_name="Ana", user__last_name="Retired", user__is_active=False),
    ]
    patients = [patient, PatientFactory(user__first_name="Émile", user__last_name=""), PatientFactory()]
    statuses = [value for value, _ in Status.choices]
    start = datetime(2031, 3, 28, 23, 30, tzinfo=UTC)  # across Europe/London's spring change
    for n in range(24):
        who = doctor if n % 3 else others[n % 2]
        status = statuses[n % len(statuses)]
        AppointmentFactory(
            doctor=who,
            patient=patients[n % len(patients)],
            visit_type=buffered if who == doctor and n % 2 else who.offered_visit_types.get(is_default=True).visit_type,
            start=start + timedelta(hours=n * 5 + rng.randint(0, 3), minutes=rng.choice([0, 15, 30])),
            status=status,
            notes=f"Clinical note {n}" if n % 4 else "",
            reason=rng.choice(["", "Check-up", "Pain, left knee"]),
            fee=Decimal(rng.choice(["0.00", "99.99", "120.50"])),
            created_by=admin_account if n % 5 == 0 else patients[n % len(patients)].user,
            cancelled_by=admin_account if status == Status.CANCELLED else None,
            cancellation_reason="Unwell" if status == Status.CANCELLED else "",
        )
    return doctor


def serializer_page(api, path: str, serializer_class, model) -> tuple[list, list]:
    """The list's own answer, and the serializer's output for the same rows in the same order."""
    response = api.get(path)
    assert response.status_code == 200, response.content
    fast = response.json()["results"]
    ids = [row["id"] for row in fast]
    objects = model.objects.in_bulk(ids)
    request = APIRequestFactory().get(path)
    request.user = api.user
    slow = serializer_class([objects[pk] for pk in ids], many=True, context={"request": request}).data
    return fast, [dict(row) for row in slow]


APPOINTMENT_LISTS = [
    "/api/appointments/?page_size=100",
    "/api/appointments/?page_size=7&page=2",
    "/api/appointments/?status=cancelled,completed&ordering=-start",
    "/api/appointments/?search=Solo",
    "/api/appointments/?date_from=2031-03-29&date_to=2031-04-02",
    "/api/profile/appointments/?page_size=100",
]


@pytest.mark.parametrize("zone", ["Europe/London", "UTC", "Asia/Kolkata"])
@pytest.mark.parametrize("role", ["admin", "receptionist", "doctor", "patient"])
def test_appointment_lists_equal_the_serializer(role, zone, varied_rows, client_for, request):
    account = {
        "admin": "admin_account",
        "receptionist": "receptionist_account",
        "doctor": "doctor",
        "patient": "patient_account",
    }[role]
    user = request.getfixturevalue(account)
    api = client_for(getattr(user, "user", user))
    with override_settings(TIME_ZONE=zone):
        for path in APPOINTMENT_LISTS:
            fast, slow = serializer_page(api, path, AppointmentSerializer, Appointment)
            assert fast == slow, path
            assert [list(row) for row in fast] == [list(row) for row in slow], "the same keys in the same order"
    listed = api.get("/api/appointments/?page_size=100").json()["results"]
    assert listed, "every role sees some of these rows"
    assert all(("notes" in row) == (role != "receptionist") for row in listed)


@pytest.mark.parametrize("role", ["admin", "receptionist", "doctor", "patient"])
def test_doctor_lists_equal_the_serializer(role, varied_rows, client_for, request):
    DoctorFactory(user__first_name="Zed", bio="Long\nbio", time_zone="America/New_York", is_accepting_patients=False)
    user = UserFactory(**{role: True}) if role != "patient" else PatientFactory().user
    api = client_for(user)
    for path in ["/api/doctors/?page_size=100", "/api/doctors/?search=Solo", "/api/doctors/?page_size=2&page=2"]:
        fast, slow = serializer_page(api, path, DoctorSerializer, Doctor)
        assert fast and fast == slow, path
        assert [list(row) for row in fast] == [list(row) for row in slow]


def test_a_fast_page_is_audited_like_any_read(varied_rows, receptionist_api, receptionist_account):
    from accounts.models import AuditEvent

    page = receptionist_api.get("/api/appointments/?page_size=5").json()["results"]
    reads = AuditEvent.objects.filter(actor=receptionist_account, action="read", object_type="appointment")
    assert sorted(int(event.object_id) for event in reads) == sorted(row["id"] for row in page)
    patients = dict(Appointment.objects.filter(pk__in=[row["id"] for row in page]).values_list("id", "patient_id"))
    assert {int(event.object_id): event.patient_id for event in reads} == patients
    assert {event.role for event in reads} == {"receptionist"}
    assert all(event.ip_address == "127.0.0.1" and event.request_id for event in reads)
