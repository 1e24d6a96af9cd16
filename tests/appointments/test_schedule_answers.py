"""What the schedule endpoints answer (time off, date overrides): the visits a write cancelled, in
the write's answer only; the caller's right checked before the body; and the e-mail's link back
to the doctor's free slots."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from doctors.models import ScheduleOverride
from tests.factories import AppointmentFactory, DoctorFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2030, 1, 7, tzinfo=UTC)


@pytest.fixture(autouse=True)
def the_week_before():
    with time_machine.travel(MONDAY - timedelta(days=3), tick=False):
        yield


def at(hour, minute=0):
    return MONDAY + timedelta(hours=hour, minutes=minute)


def time_off(api, doctor, start, end, **extra):
    body = {"start": start.isoformat(), "end": end.isoformat(), "reason": "Surgery of my own"} | extra
    return api.post(f"/api/doctors/{doctor.pk}/time-off/", body, format="json")


def overrides(doctor):
    return f"/api/doctors/{doctor.pk}/schedule-overrides/"


def test_the_rebooking_link_names_the_visit_type_only_when_patients_may_book_it(
    doctor_api, doctor, django_capture_on_commit_callbacks
):
    standard = doctor.offered_visit_types.get().visit_type
    desk_only = VisitTypeFactory(name="Desk only", bookable_online=False)
    online_visit = AppointmentFactory(doctor=doctor, start=at(9))
    desk_visit = AppointmentFactory(doctor=doctor, visit_type=desk_only, start=at(10))

    with django_capture_on_commit_callbacks(execute=True):
        time_off(doctor_api, doctor, at(8), at(12), on_conflict="cancel")

    bodies = {message.to[0]: message.body for message in mail.outbox}
    slots = f"/api/doctors/{doctor.pk}/slots/"
    assert f"{slots}?visit_type={standard.pk}" in bodies[online_visit.patient.user.email]
    assert slots in bodies[desk_visit.patient.user.email]
    assert f"{slots}?visit_type" not in bodies[desk_visit.patient.user.email]


def test_removing_an_override_without_cancel_answers_204(doctor_api, doctor):
    closed = doctor_api.post(overrides(doctor), {"date": "2030-01-12", "closed": True}, format="json")

    removed = doctor_api.delete(f"{overrides(doctor)}{closed.data['id']}/")

    assert (removed.status_code, removed.data) == (204, None)
    assert not ScheduleOverride.objects.exists()


def test_cancelled_appointments_is_in_write_answers_only(doctor_api, doctor):
    visit = AppointmentFactory(doctor=doctor, start=at(11))
    created = time_off(doctor_api, doctor, at(11), at(12), on_conflict="cancel")
    override = doctor_api.post(overrides(doctor), {"date": "2030-01-12", "closed": True}, format="json")
    changed = doctor_api.patch(f"{overrides(doctor)}{override.data['id']}/", {"reason": "Moving"}, format="json")

    assert created.data["cancelled_appointments"] == [visit.pk]
    assert (override.data["cancelled_appointments"], changed.data["cancelled_appointments"]) == ([], [])
    assert "cancelled_appointments" not in doctor_api.get(f"/api/doctors/{doctor.pk}/time-off/").data["results"][0]
    assert "cancelled_appointments" not in doctor_api.get(overrides(doctor)).data[0]
    assert "cancelled_appointments" not in doctor_api.get(f"{overrides(doctor)}{override.data['id']}/").data


def test_another_doctors_override_post_is_403_before_its_body_is_read(client_for, doctor):
    other_doctor = client_for(DoctorFactory().user)

    response = other_doctor.post(overrides(doctor), {"date": "not a date", "closed": "maybe"}, format="json")

    assert response.status_code == 403
    assert not ScheduleOverride.objects.exists()
