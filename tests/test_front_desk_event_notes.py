"""An appointment event's note is the doctor's on completing or marking a no-show: the front desk
never reads it, through the API or the admin; a cancellation's reason is theirs to read."""

import pytest

from appointments.models import AppointmentEvent, Status
from tests.admin_support import signed_in
from tests.factories import AppointmentFactory, UserFactory

pytestmark = pytest.mark.django_db

Action = AppointmentEvent.Action
DOCTORS_NOTE, NO_SHOW_NOTE, REASON = "Rash improving, recheck bloods", "Third miss: discuss", "Patient has flu"


@pytest.fixture
def visit():
    visit = AppointmentFactory(status=Status.COMPLETED)
    doctor = visit.doctor.user
    for action, note in [(Action.COMPLETED, DOCTORS_NOTE), (Action.NO_SHOW, NO_SHOW_NOTE), (Action.CANCELLED, REASON)]:
        AppointmentEvent.objects.create(appointment=visit, actor=doctor, action=action, note=note)
    return visit


def test_the_api_leaves_the_doctors_notes_out_for_the_desk(visit, receptionist_api, admin_api):
    url = f"/api/appointments/{visit.pk}/events/"

    desk = {row["action"]: row for row in receptionist_api.get(url).data}
    boss = {row["action"]: row.get("note") for row in admin_api.get(url).data}

    assert "note" not in desk["completed"] and "note" not in desk["no_show"]
    assert desk["cancelled"]["note"] == REASON
    assert boss == {"completed": DOCTORS_NOTE, "no_show": NO_SHOW_NOTE, "cancelled": REASON}


def test_the_schema_has_the_event_note_optional(admin_api):
    schema = admin_api.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    event = schema["components"]["schemas"]["AppointmentEvent"]
    assert "note" in event["properties"] and "note" not in event.get("required", [])


def test_the_admin_pages_leave_the_doctors_notes_out_for_the_desk(client, receptionist_account, visit):
    desk = signed_in(client, receptionist_account)
    completed = visit.events.get(action=Action.COMPLETED)

    visit_page = desk.get(f"/admin/appointments/appointment/{visit.pk}/change/").content.decode()
    event_page = desk.get(f"/admin/appointments/appointmentevent/{completed.pk}/change/").content.decode()
    searched = desk.get("/admin/appointments/appointmentevent/", {"q": "Rash"}).context["cl"].result_list

    assert DOCTORS_NOTE not in visit_page and NO_SHOW_NOTE not in visit_page and REASON in visit_page
    assert event_page and DOCTORS_NOTE not in event_page
    assert list(searched) == []


def test_the_admin_shows_an_admin_every_note(client, visit):
    boss = signed_in(client, UserFactory(admin=True))
    completed = visit.events.get(action=Action.COMPLETED)

    visit_page = boss.get(f"/admin/appointments/appointment/{visit.pk}/change/").content.decode()
    event_page = boss.get(f"/admin/appointments/appointmentevent/{completed.pk}/change/").content.decode()
    searched = boss.get("/admin/appointments/appointmentevent/", {"q": "Rash"}).context["cl"].result_list

    assert DOCTORS_NOTE in visit_page and NO_SHOW_NOTE in visit_page and REASON in visit_page
    assert DOCTORS_NOTE in event_page
    assert [event.pk for event in searched] == [completed.pk]
