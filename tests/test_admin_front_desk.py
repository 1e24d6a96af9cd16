"""The admin as the front desk's day tool: booking and every lifecycle step go through the API's
services (the same events, audit rows and e-mails), refusals are form errors, the pages answer
from the role, and the day sheet runs a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from accounts.models import AuditEvent
from appointments.models import Appointment, AppointmentEvent, Status
from tests.admin_support import ADD, SHEET, TEN, signed_in
from tests.clock import MONDAY_8AM
from tests.factories import (
    AppointmentFactory,
    DoctorFactory,
    PatientFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("monday_8am")]


@pytest.fixture
def pair():
    """Two doctors with the same hours and two patients: one pair for the admin, one for the API,
    so both paths can do the same thing at the same time."""
    return [(DoctorFactory(weekly_hours=True), PatientFactory()) for _ in range(2)]


def trail(appointment: Appointment) -> dict:
    """What a change leaves behind, without the ids that differ between the two paths."""
    patient, doctor = appointment.patient.user, appointment.doctor.user
    roles = {patient.email: "patient", doctor.email: "doctor"}
    events = AppointmentEvent.objects.filter(appointment=appointment).order_by("at", "id")
    audit = AuditEvent.objects.filter(object_type="appointment", object_id=str(appointment.pk)).exclude(action="read")
    return {
        "events": [(e.action, e.from_status, e.to_status, e.actor.role, e.note) for e in events],
        "audit": sorted((a.action, a.role, a.patient_id == appointment.patient_id) for a in audit),
        "mails": sorted((roles.get(m.to[0], m.to[0]), m.subject) for m in mail.outbox if m.to[0] in roles),
    }


def book_in_admin(client, doctor, patient, start, **extra):
    body = {"doctor": doctor.pk, "day": start.date().isoformat(), "patient": patient.pk, "start": start.isoformat()}
    return client.post(ADD, body | extra)


# --- Booking ------------------------------------------------------------------------------------------


def test_booking_in_the_admin_leaves_what_booking_through_the_api_leaves(
    desk, receptionist_api, pair, django_capture_on_commit_callbacks
):
    (d1, p1), (d2, p2) = pair

    with django_capture_on_commit_callbacks(execute=True):
        response = book_in_admin(desk, d1, p1, TEN, reason="Back pain")
    in_admin = Appointment.objects.get(doctor=d1)
    by_admin = trail(in_admin)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api = receptionist_api.post("/api/appointments/", {"doctor": d2.pk, "patient": p2.pk, "start": TEN.isoformat()})
    by_api = trail(Appointment.objects.get(doctor=d2))

    assert response.status_code == 302 and response["Location"] == f"{SHEET}?date=2030-01-07"
    assert api.status_code == 201
    assert (in_admin.start, in_admin.status, in_admin.reason, in_admin.created_by.role) == (
        TEN,
        "scheduled",
        "Back pain",
        "receptionist",
    )
    assert by_admin == by_api
    assert by_admin["events"] == [("booked", "", "scheduled", "receptionist", "")]
    assert [kind for kind, _ in by_admin["mails"]] == ["doctor", "patient"]
    assert ("create", "receptionist", True) in by_admin["audit"]


def test_the_add_form_offers_the_free_slots_the_api_offers(desk, receptionist_api, doctor):
    AppointmentFactory(doctor=doctor, start=TEN)

    page = desk.get(ADD, {"doctor": doctor.pk, "day": "2030-01-07"}).content.decode()
    api = receptionist_api.get(f"/api/doctors/{doctor.pk}/slots/", {"date_from": "2030-01-07", "date_to": "2030-01-07"})

    starts = [slot["start"] for slot in api.data["slots"]]
    assert len(starts) == 13  # 09:00-12:00 and 13:00-17:00 on the half hour, less 10:00
    for start in starts:
        assert f'value="{datetime.fromisoformat(start).astimezone(UTC).isoformat()}"' in page
    assert f'value="{TEN.isoformat()}"' not in page


def test_a_slot_taken_while_the_form_was_open_is_a_form_error(desk, doctor, patient):
    assert desk.get(ADD, {"doctor": doctor.pk, "day": "2030-01-07"}).status_code == 200
    AppointmentFactory(doctor=doctor, start=TEN)  # someone else, a moment earlier

    response = book_in_admin(desk, doctor, patient, TEN)

    assert response.status_code == 200
    assert "The doctor already has an appointment at this time" in response.content.decode()
    assert Appointment.objects.filter(patient=patient).count() == 0


def test_a_booking_rule_is_a_form_error_never_a_500(desk, doctor, patient):
    off_grid = book_in_admin(desk, doctor, patient, TEN + timedelta(minutes=10))
    sunday = book_in_admin(desk, doctor, patient, TEN + timedelta(days=6))
    nonsense = desk.post(ADD, {"doctor": doctor.pk, "day": "2030-01-07", "patient": patient.pk, "start": "soon"})

    assert [r.status_code for r in (off_grid, sunday, nonsense)] == [200, 200, 200]
    assert "is not one of them" in off_grid.content.decode()
    assert "does not work on Sundays" in sunday.content.decode()
    assert "Pick one of the free times shown." in nonsense.content.decode()
    assert not Appointment.objects.exists()


# --- Every step, through the same services ---------------------------------------------------------------

STEPS = [
    # (admin step, API action, status before, start, form body)
    ("confirm", "confirm", Status.SCHEDULED, TEN, {}),
    ("check-in", "check-in", Status.CONFIRMED, TEN, {}),
    ("no-show", "no-show", Status.CONFIRMED, MONDAY_8AM - timedelta(hours=1), {}),
    ("cancel", "cancel", Status.SCHEDULED, TEN, {"reason": "Feeling better"}),
    ("reschedule", "reschedule", Status.CONFIRMED, TEN, {"start": "2030-01-08T14:00:00+00:00"}),
]


@pytest.mark.parametrize(("step", "api_action", "status", "start", "body"), STEPS, ids=[s[0] for s in STEPS])
def test_each_step_in_the_admin_leaves_what_the_api_leaves(
    desk, receptionist_api, pair, django_capture_on_commit_callbacks, step, api_action, status, start, body
):
    here, there = (AppointmentFactory(doctor=d, patient=p, start=start, status=status) for d, p in pair)

    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(f"/admin/appointments/appointment/{here.pk}/act/{step}/", body | {"next": SHEET})
    by_admin = trail(here)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        api = receptionist_api.post(f"/api/appointments/{there.pk}/{api_action}/", body)
    by_api = trail(there)

    assert (response.status_code, response["Location"]) == (302, SHEET)
    assert api.status_code == 200, api.data
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.status, here.start, here.cancellation_reason) == (there.status, there.start, there.cancellation_reason)
    assert by_admin == by_api
    assert by_admin["events"] and by_admin["audit"]


def test_completing_is_for_admins_and_a_refusal_shows_on_the_page(desk, client_for, doctor, patient):
    visit = AppointmentFactory(doctor=doctor, patient=patient, start=TEN, status=Status.CHECKED_IN)
    url = f"/admin/appointments/appointment/{visit.pk}/act/complete/"

    refused = desk.post(url)
    visit.refresh_from_db()
    assert refused.status_code == 200 and "Only the doctor or an admin completes a visit." in refused.content.decode()
    assert visit.status == Status.CHECKED_IN

    boss = signed_in(desk.__class__(), UserFactory(admin=True))
    assert boss.post(url).status_code == 302
    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED


def test_a_step_the_lifecycle_refuses_is_an_error_on_the_page(desk, doctor):
    visit = AppointmentFactory(doctor=doctor, start=TEN, status=Status.SCHEDULED)  # not confirmed yet

    response = desk.post(f"/admin/appointments/appointment/{visit.pk}/act/check-in/")

    assert response.status_code == 200
    assert "A scheduled appointment cannot be checked in." in response.content.decode()


def test_the_reschedule_page_offers_the_free_slots_of_that_doctor_and_visit_type(desk, doctor):
    visit = AppointmentFactory(doctor=doctor, start=TEN)
    AppointmentFactory(doctor=doctor, start=TEN + timedelta(days=1, hours=1))

    page = desk.get(
        f"/admin/appointments/appointment/{visit.pk}/act/reschedule/", {"day": "2030-01-08"}
    ).content.decode()

    assert 'value="2030-01-08T09:00:00+00:00"' in page
    assert 'value="2030-01-08T11:00:00+00:00"' not in page  # taken


# --- The list and the day sheet --------------------------------------------------------------------------


def test_the_list_opens_on_today_in_start_order_with_the_status_labelled(desk, doctor):
    later = AppointmentFactory(doctor=doctor, start=TEN + timedelta(hours=3), status=Status.CONFIRMED)
    earlier = AppointmentFactory(doctor=doctor, start=TEN)
    AppointmentFactory(doctor=doctor, start=TEN + timedelta(days=1))

    page = desk.get("/admin/appointments/appointment/").content.decode()

    assert page.count('class="status-label') == 2
    assert '<span class="status-label status-confirmed">Confirmed</span>' in page
    assert page.index("2030-01-07 10:00 UTC") < page.index("2030-01-07 13:00 UTC")
    rows = page.split('id="result_list"')[1]
    assert "2030-01-08" not in rows
    assert rows.index(f"/appointment/{earlier.pk}/change/") < rows.index(f"/appointment/{later.pk}/change/")


def _listed(desk, **query) -> set[int]:
    rows = desk.get("/admin/appointments/appointment/", query).context["cl"].result_list
    return {row.pk for row in rows}


def test_today_is_the_clinic_zones_today_just_after_local_midnight(
    client, receptionist_account, monday_8am, settings, doctor
):
    settings.CLINIC_TIME_ZONE = settings.TIME_ZONE = "Europe/Berlin"
    yesterday = AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 7, 21, 0, tzinfo=UTC))  # 22:00 CET
    today = AppointmentFactory(doctor=doctor, start=datetime(2030, 1, 8, 8, 0, tzinfo=UTC))  # 09:00 CET
    monday_8am.move_to(datetime(2030, 1, 7, 23, 30, tzinfo=UTC))  # 00:30 Tuesday in Berlin, Monday in UTC

    listed = _listed(signed_in(client, receptionist_account))

    assert listed == {today.pk} and yesterday.pk not in listed


def test_the_tomorrow_and_this_week_quick_filters(desk, doctor):
    on = {
        day: AppointmentFactory(doctor=doctor, start=datetime(2030, 1, day, 10, 0, tzinfo=UTC)).pk
        for day in (6, 7, 8, 11, 13, 14)  # Sunday before, Monday (today), Tuesday, Friday, Sunday, next Monday
    }

    assert _listed(desk, day="tomorrow") == {on[8]}
    assert _listed(desk, day="week") == {on[7], on[8], on[11], on[13]}
    assert _listed(desk) == {on[7]}


def _sheet_world(doctors: int, visits_each: int):
    for _ in range(doctors):
        doctor = DoctorFactory(weekly_hours=True)
        for n in range(visits_each):
            AppointmentFactory(doctor=doctor, start=TEN + timedelta(hours=n))


@pytest.mark.parametrize(("doctors", "visits_each"), [(1, 1), (6, 5)])
def test_the_day_sheet_runs_the_same_queries_whatever_its_size(desk, django_assert_num_queries, doctors, visits_each):
    _sheet_world(doctors, visits_each)

    with django_assert_num_queries(10):
        response = desk.get(SHEET, {"date": "2030-01-07"})

    assert response.status_code == 200
    assert response.content.decode().count('class="doctor-column"') == doctors


def test_the_day_sheet_shows_visits_and_the_free_slots_the_api_offers(desk, receptionist_api, doctor):
    visit = AppointmentFactory(doctor=doctor, start=TEN, status=Status.CONFIRMED)

    page = desk.get(SHEET, {"date": "2030-01-07"}).content.decode()
    api = receptionist_api.get(f"/api/doctors/{doctor.pk}/slots/", {"date_from": "2030-01-07", "date_to": "2030-01-07"})

    assert f"/admin/appointments/appointment/{visit.pk}/act/check-in/" in page
    assert "Free 09:00-10:00" in page and "Free 10:30-12:00" in page and "Free 13:00-17:00" in page
    assert page.count('class="book-link"') == len(api.data["slots"]) == 13
    assert "Times in UTC." in page
