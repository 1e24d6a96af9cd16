"""The Django admin as a staff tool: every registered model's pages render for an admin."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent, User
from appointments.models import Appointment, AppointmentEvent, Status
from doctors.models import ClinicClosure, Doctor, ScheduleOverride, Specialization, TimeOff, VisitType
from patients.models import Assignment, Patient
from prescriptions.models import Prescription
from tests.factories import (
    AppointmentFactory,
    AssignmentFactory,
    DoctorFactory,
    PatientFactory,
    PrescriptionFactory,
    SpecializationFactory,
    TimeOffFactory,
    TreatmentFactory,
    UserFactory,
    VisitTypeFactory,
)
from treatments.models import Treatment, TreatmentRevision

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "doctors", "patients", "appointments", "treatments", "prescriptions", "reports"}


def our_model_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in OUR_APPS
    ]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(admin=True))
    # The first page after signing in stamps the session's last activity (a write that later
    # requests within a minute skip: accounts.middleware.StaffSessionIdleMiddleware).
    client.get("/admin/")
    return client


def test_every_changelist_add_and_change_page_renders(staff_client):
    for model, _ in our_model_admins():
        _rows(model, 1)

    for model, model_admin in our_model_admins():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        assert staff_client.get(base).status_code == 200, base
        obj = model._default_manager.first()
        assert obj is not None, f"no {model.__name__} row to open"
        assert staff_client.get(f"{base}{obj.pk}/change/").status_code == 200, base
        request = staff_client.get(base).wsgi_request
        if model_admin.has_add_permission(request):
            assert staff_client.get(f"{base}add/").status_code == 200, base
        else:
            assert staff_client.get(f"{base}add/").status_code == 403, base


def test_non_staff_cannot_open_the_admin(client):
    client.force_login(UserFactory(doctor=True))

    assert client.get("/admin/doctors/doctor/").status_code == 302


def test_editing_a_treatment_in_the_admin_keeps_a_revision(staff_client):
    treatment = TreatmentFactory()
    url = f"/admin/treatments/treatment/{treatment.pk}/change/"
    form = {
        "diagnosis": "Corrected diagnosis",
        "icd10_code": treatment.icd10_code,
        "procedure": treatment.procedure,
        "clinical_notes": "",
        "follow_up": "",
        "cost": "20.00",
        "status": "recorded",
        "error_reason": "",
        "revisions-TOTAL_FORMS": "0",
        "revisions-INITIAL_FORMS": "0",
    }

    response = staff_client.post(url, form)

    assert response.status_code == 302, response.content[:2000]
    treatment.refresh_from_db()
    assert treatment.diagnosis == "Corrected diagnosis"
    revision = TreatmentRevision.objects.get(treatment=treatment)
    assert revision.previous == {"diagnosis": "Acute bronchitis"}


# --- Every changelist with 100 rows in a fixed number of queries -------------------------------------


def _appointments(n):
    doctor = DoctorFactory()
    return [AppointmentFactory(doctor=doctor) for _ in range(n)]


def _rows(model, n):
    """n rows of `model`, made the cheapest way that still fills every column the changelist shows."""
    if model is User:
        UserFactory.create_batch(n)
    elif model is Specialization:
        SpecializationFactory.create_batch(n)
    elif model is Doctor:
        DoctorFactory.create_batch(n)
    elif model is TimeOff:
        doctor = DoctorFactory()
        for day in range(n):
            TimeOffFactory(
                doctor=doctor,
                start=datetime(2030, 1, 1, tzinfo=UTC).replace(day=1 + day % 28, hour=day % 24),
                end=datetime(2030, 2, 1, tzinfo=UTC),
            )
    elif model is Patient:
        PatientFactory.create_batch(n)
    elif model is VisitType:
        for minutes in range(n):
            VisitTypeFactory(name=f"Visit type {VisitType.objects.count()}", duration_minutes=5 + minutes % 100)
    elif model is ScheduleOverride:
        doctor = DoctorFactory()
        for day in range(n):
            override = ScheduleOverride.objects.create(doctor=doctor, date=date(2030, 1, 1) + timedelta(days=day))
            override.periods.create(start_time=time(9), end_time=time(12))
    elif model is ClinicClosure:
        ClinicClosure.objects.bulk_create(
            ClinicClosure(
                name=f"Holiday {i}",
                start_date=date(2030, 1, 1) + timedelta(days=i),
                end_date=date(2030, 1, 1) + timedelta(days=i),
            )
            for i in range(n)
        )
    elif model is Assignment:
        AssignmentFactory.create_batch(n)
    elif model is Appointment:
        _appointments(n)
    elif model is AppointmentEvent:
        for appointment in _appointments(n):
            AppointmentEvent.objects.create(appointment=appointment, actor=appointment.patient.user, action="booked")
    elif model is Treatment:
        for appointment in _appointments(n):
            TreatmentFactory(appointment=appointment)
    elif model is TreatmentRevision:
        treatment = TreatmentFactory()
        TreatmentRevision.objects.bulk_create(
            TreatmentRevision(treatment=treatment, changed_by=treatment.created_by, changed_fields=["cost"])
            for _ in range(n)
        )
    elif model is Prescription:
        for appointment in _appointments(n):
            PrescriptionFactory(appointment=appointment, items=2)
    elif model is AuditEvent:
        actor = UserFactory()
        AuditEvent.objects.bulk_create(
            AuditEvent(actor=actor, action="read", object_type="patient", object_id=str(i), patient_id=i)
            for i in range(n)
        )
    else:
        raise AssertionError(f"tests/test_admin.py: add a way to make {model.__name__} rows")


@pytest.mark.parametrize("model", [model for model, _ in our_model_admins()], ids=lambda m: m.__name__)
def test_changelists_run_the_same_queries_for_5_rows_and_100(staff_client, model):
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    if model is Appointment:
        url += "?day=any"  # the list opens on today; these rows are in 2031
    _rows(model, 5)
    with CaptureQueriesContext(connection) as few:
        assert staff_client.get(url).status_code == 200
    _rows(model, 95)
    with CaptureQueriesContext(connection) as many:
        response = staff_client.get(url)

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"][:120] for q in many.captured_queries]
    assert len(many.captured_queries) <= 15


FRONT_DESK_LISTS = [Doctor, Specialization, VisitType, ClinicClosure, Patient, Appointment, AppointmentEvent]


@pytest.mark.parametrize("model", FRONT_DESK_LISTS, ids=lambda m: m.__name__)
def test_the_front_desks_changelists_run_the_same_queries_for_5_rows_and_100(client, model):
    client.force_login(UserFactory(receptionist=True))
    client.get("/admin/")  # stamps the session's last activity
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/" + ("?day=any" if model is Appointment else "")
    _rows(model, 5)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _rows(model, 95)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200

    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"][:120] for q in many.captured_queries]


# --- Admin actions go through the services ---------------------------------------------------------


@pytest.fixture
def bookable_appointments():
    doctor = DoctorFactory()
    return [
        AppointmentFactory(doctor=doctor, start=datetime(2031, 5, 5, 9, tzinfo=UTC), status=Status.SCHEDULED),
        AppointmentFactory(doctor=doctor, start=datetime(2031, 5, 5, 10, tzinfo=UTC), status=Status.COMPLETED),
    ]


def test_the_confirm_action_obeys_the_lifecycle(staff_client, bookable_appointments):
    scheduled, completed = bookable_appointments

    # The list opens on today; actions apply to the rows of the list the form was on.
    response = staff_client.post(
        "/admin/appointments/appointment/?day=any",
        {"action": "confirm_selected", "_selected_action": [scheduled.pk, completed.pk]},
        follow=True,
    )

    scheduled.refresh_from_db()
    completed.refresh_from_db()
    assert (scheduled.status, completed.status) == ("confirmed", "completed")
    text = response.content.decode()
    assert "1 appointment(s) confirmed" in text
    assert "cannot be confirmed" in text
    assert scheduled.events.get().actor.is_admin


def test_the_cancel_action_asks_for_a_reason_then_cancels(staff_client, bookable_appointments):
    scheduled, _ = bookable_appointments
    url = "/admin/appointments/appointment/?day=any"

    asked = staff_client.post(url, {"action": "cancel_selected", "_selected_action": [scheduled.pk]})
    no_reason = staff_client.post(url, {"action": "cancel_selected", "_selected_action": [scheduled.pk], "apply": "1"})
    done = staff_client.post(
        url, {"action": "cancel_selected", "_selected_action": [scheduled.pk], "apply": "1", "reason": "Clinic closed"}
    )

    assert asked.status_code == 200 and "reason" in asked.content.decode()
    assert no_reason.status_code == 200
    assert done.status_code == 302
    scheduled.refresh_from_db()
    assert (scheduled.status, scheduled.cancellation_reason) == ("cancelled", "Clinic closed")
    assert AuditEvent.objects.filter(object_type="appointment", action="cancel", object_id=str(scheduled.pk)).exists()


# --- Schedule changes in the admin go through the same services ----------------------------------------


def test_time_off_in_the_admin_over_a_booked_visit_is_a_form_error_or_cancels_it(staff_client):
    doctor = DoctorFactory(weekly_hours=True)
    visit = AppointmentFactory(doctor=doctor, start=datetime(2031, 5, 5, 9, tzinfo=UTC))
    form = {
        "doctor": doctor.pk,
        "start_0": "2031-05-05",
        "start_1": "08:00",
        "end_0": "2031-05-05",
        "end_1": "12:00",
        "reason": "Ill",
    }

    refused = staff_client.post("/admin/doctors/timeoff/add/", form)
    cancelled = staff_client.post(
        "/admin/doctors/timeoff/add/", form | {"cancel_clashing": "on", "patient_message": "Sorry"}
    )

    assert refused.status_code == 200
    assert f"1 active appointment(s) fall in this period: {visit.pk}" in refused.content.decode()
    assert cancelled.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.cancellation_reason) == ("cancelled", "Sorry")
    assert TimeOff.objects.get().created_by.is_admin


def test_a_date_override_in_the_admin_is_saved_by_the_service(staff_client):
    doctor = DoctorFactory()
    form = {
        "doctor": doctor.pk,
        "date": "2031-05-10",
        "closed": "",
        "periods_text": "09:00-12:00, 13:00-15:00",
        "reason": "Extra",
    }

    bad = staff_client.post("/admin/doctors/scheduleoverride/add/", form | {"periods_text": "09:00-12:00, 11:00-13:00"})
    saved = staff_client.post("/admin/doctors/scheduleoverride/add/", form)

    assert bad.status_code == 200 and "09:00-12:00 overlaps 11:00-13:00." in bad.content.decode()
    assert saved.status_code == 302
    override = ScheduleOverride.objects.get()
    assert [str(period) for period in override.periods.all()] == ["09:00-12:00", "13:00-15:00"]
    assert override.created_by.is_admin
