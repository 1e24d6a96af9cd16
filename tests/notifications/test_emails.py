"""E-mails on every change, each with a calendar entry that updates the same event."""

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from icalendar import Calendar

from appointments import services
from appointments.models import Appointment, Status
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

EVERY_DAY = [(day, time(0), time(23, 30)) for day in range(7)]
NOW = datetime(2030, 3, 1, 8, 0, tzinfo=UTC)


def ics_of(message) -> tuple[str, Calendar]:
    """(the MIME method parameter, the parsed calendar) of a message's .ics attachment."""
    [part] = [a for a in message.attachments if getattr(a, "get_content_type", lambda: "")() == "text/calendar"]
    return part.get_param("method"), Calendar.from_ical(part.get_payload(decode=True))


def event_of(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event


@pytest.fixture
def people():
    doctor = DoctorFactory(weekly_hours=EVERY_DAY, time_zone="America/New_York", user__email="doc@example.com")
    patient = PatientFactory(user__email="pat@example.com", time_zone="Europe/London")
    return doctor, patient


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


def post(client_for, user, url, body, capture):
    with capture(execute=True):
        return client_for(user).post(url, body, format="json")


def test_booking_emails_patient_and_doctor_with_a_calendar_invitation(
    now, client_for, people, django_capture_on_commit_callbacks
):
    doctor, patient = people

    response = post(
        client_for,
        patient.user,
        "/api/appointments/",
        {"doctor": doctor.pk, "start": "2030-03-04T14:00:00Z"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 201
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"pat@example.com", "doc@example.com"}
    to_patient, to_doctor = by_recipient["pat@example.com"], by_recipient["doc@example.com"]
    assert "booked" in to_patient.subject
    # Each in their own time zone: 14:00 UTC is 14:00 in London and 09:00 in New York.
    assert "Monday 04 March 2030, 14:00" in to_patient.body
    assert "Monday 04 March 2030, 09:00" in to_doctor.body
    assert f"Dr {doctor.user.get_full_name()}" in to_patient.body
    assert patient.user.get_full_name() in to_doctor.body
    assert to_patient.alternatives[0][1] == "text/html"
    method, calendar = ics_of(to_patient)
    event = event_of(calendar)
    assert (method, str(calendar["METHOD"])) == ("REQUEST", "REQUEST")
    assert event["UID"] == f"appointment-{response.data['id']}@example.com"
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(2030, 3, 4, 14, 0, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2030, 3, 4, 14, 30, tzinfo=UTC)


def test_confirm_reschedule_and_cancel_update_the_same_event(
    now, client_for, people, django_capture_on_commit_callbacks
):
    doctor, patient = people
    booked = post(
        client_for,
        patient.user,
        "/api/appointments/",
        {"doctor": doctor.pk, "start": "2030-03-04T14:00:00Z"},
        django_capture_on_commit_callbacks,
    )
    url = f"/api/appointments/{booked.data['id']}/"

    steps = [
        (doctor.user, "confirm/", {}),
        (patient.user, "reschedule/", {"start": "2030-03-05T10:00:00Z"}),
        (patient.user, "cancel/", {"reason": "Travelling for work"}),
    ]
    sent = []
    for user, action, body in steps:
        mail.outbox.clear()
        assert post(client_for, user, url + action, body, django_capture_on_commit_callbacks).status_code == 200
        sent.append({message.to[0]: message for message in mail.outbox})

    confirmed, moved, cancelled = (s["pat@example.com"] for s in sent)
    uids = {str(event_of(ics_of(m)[1])["UID"]) for m in (confirmed, moved, cancelled)}
    assert len(uids) == 1
    assert [event_of(ics_of(m)[1])["SEQUENCE"] for m in (confirmed, moved, cancelled)] == [1, 2, 3]
    assert "confirmed" in confirmed.subject
    assert "Tuesday 05 March 2030, 10:00" in moved.body and "Monday 04 March 2030, 14:00" in moved.body
    assert event_of(ics_of(moved)[1]).decoded("DTSTART") == datetime(2030, 3, 5, 10, 0, tzinfo=UTC)
    assert ics_of(cancelled)[0] == "CANCEL"
    assert str(event_of(ics_of(cancelled)[1])["STATUS"]) == "CANCELLED"
    assert "Travelling for work" in cancelled.body
    assert patient.user.get_full_name() in cancelled.body  # who cancelled
    assert all(set(s) == {"pat@example.com", "doc@example.com"} for s in sent)


def test_a_refused_booking_sends_nothing(now, client_for, people, django_capture_on_commit_callbacks):
    doctor, patient = people
    AppointmentFactory(doctor=doctor, start=datetime(2030, 3, 4, 14, 0, tzinfo=UTC))

    response = post(
        client_for,
        patient.user,
        "/api/appointments/",
        {"doctor": doctor.pk, "start": "2030-03-04T14:00:00Z"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 409
    assert mail.outbox == []


def test_a_booking_rolled_back_by_an_outer_transaction_sends_nothing(now, people, django_capture_on_commit_callbacks):
    doctor, patient = people

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.appointment_book(
            actor=patient.user, doctor=doctor, patient=patient, start=datetime(2030, 3, 4, 14, 0, tzinfo=UTC)
        )
        raise RuntimeError("something later in the same transaction failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not Appointment.objects.exists()


def test_no_email_for_check_in_complete_or_no_show(people, django_capture_on_commit_callbacks):
    doctor, patient = people
    appointment = AppointmentFactory(
        doctor=doctor, patient=patient, start=datetime(2030, 3, 4, 14, tzinfo=UTC), status=Status.CONFIRMED
    )

    with (
        time_machine.travel(datetime(2030, 3, 4, 13, 50, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.appointment_transition(actor=doctor.user, appointment=appointment, action="checked_in")
        services.appointment_transition(actor=doctor.user, appointment=appointment, action="completed")

    assert mail.outbox == []


def test_a_failing_send_is_retried_a_bounded_number_of_times_and_never_fails_the_request(
    now, client_for, people, django_capture_on_commit_callbacks, monkeypatch, settings, caplog
):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    attempts = []

    def broken_send(self, fail_silently=False):
        attempts.append(self.to[0])
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    doctor, patient = people

    response = post(
        client_for,
        patient.user,
        "/api/appointments/",
        {"doctor": doctor.pk, "start": "2030-03-04T14:00:00Z"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 201
    assert sorted(attempts) == ["doc@example.com"] * 3 + ["pat@example.com"] * 3
    assert "giving up" in caplog.text


def test_someone_without_an_email_address_is_skipped(now, client_for, django_capture_on_commit_callbacks):
    doctor = DoctorFactory(weekly_hours=EVERY_DAY, user__email="doc@example.com")
    walk_in = PatientFactory(user__email="")
    admin = UserFactory(admin=True)

    response = post(
        client_for,
        admin,
        "/api/appointments/",
        {"doctor": doctor.pk, "patient": walk_in.pk, "start": "2030-03-04T14:00:00Z"},
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 201
    assert [message.to for message in mail.outbox] == [["doc@example.com"]]


def test_a_new_prescription_emails_the_patient_without_naming_the_medication(
    client_for, django_capture_on_commit_callbacks
):
    doctor = DoctorFactory(user__email="doc@example.com")
    patient = PatientFactory(user__email="pat@example.com")
    visit = AppointmentFactory(doctor=doctor, patient=patient, status=Status.COMPLETED)
    body = {
        "appointment": visit.pk,
        "items": [
            {
                "medication_name": "Sertraline",
                "strength": "50 mg",
                "frequency": "daily",
                "duration_days": 30,
                "quantity": 30,
            }
        ],
    }

    response = post(client_for, doctor.user, "/api/prescriptions/", body, django_capture_on_commit_callbacks)

    assert response.status_code == 201
    [message] = mail.outbox
    assert message.to == ["pat@example.com"]
    assert "prescription" in message.subject
    everything = message.subject + message.body + message.alternatives[0][0]
    assert "Sertraline" not in everything and "50 mg" not in everything
