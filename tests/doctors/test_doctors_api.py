from datetime import UTC, datetime, time
from decimal import Decimal

import pytest
import time_machine

from accounts.models import Role, User
from doctors.models import Doctor, DoctorVisitType, Specialization, WorkingHours
from tests.factories import DoctorFactory, SpecializationFactory, TimeOffFactory, VisitTypeFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [row["last_name"] for row in response.data["results"]]


def new_doctor_body(**overrides):
    return {
        "user": {
            "username": "dr.new",
            "email": "dr.new@example.com",
            "password": "a-long-unusual-phrase",
            "first_name": "Nora",
            "last_name": "New",
        },
        "specialization": SpecializationFactory(name="Cardiology").pk,
        "licence_number": "LIC-NEW-1",
        "consultation_fee": "95.50",
        "years_of_experience": 7,
        "time_zone": "Europe/London",
        "working_hours": [{"weekday": 0, "start_time": "09:00", "end_time": "12:00"}],
    } | overrides


# --- Listing and finding -----------------------------------------------------------------------


def test_every_role_lists_active_doctors_with_specialization_and_fee(client_for, patient, doctor):
    DoctorFactory(user__is_active=False)

    response = client_for(patient.user).get("/api/doctors/")

    assert response.status_code == 200
    assert response.data["count"] == 1
    row = response.data["results"][0]
    assert row["id"] == doctor.pk
    assert row["specialization"]["name"] == doctor.specialization.name
    assert row["consultation_fee"] == "100.00"
    assert row["currency"] == "EUR"
    assert "email" not in row


def test_admins_also_see_inactive_doctors(admin_api, doctor):
    DoctorFactory(user__is_active=False)

    assert admin_api.get("/api/doctors/").data["count"] == 2
    assert admin_api.get("/api/doctors/", {"is_active": "false"}).data["count"] == 1


@pytest.mark.parametrize("how", ["id", "name", "NAME"])
def test_filter_by_specialization_id_or_name(patient_api, how):
    cardio = DoctorFactory(specialization=SpecializationFactory(name="Cardiology"), user__last_name="Heart")
    DoctorFactory(specialization=SpecializationFactory(name="Dermatology"), user__last_name="Skin")
    value = {"id": cardio.specialization_id, "name": "cardiology", "NAME": "CARDIOLOGY"}[how]

    assert names(patient_api.get("/api/doctors/", {"specialization": value})) == ["Heart"]


def test_filter_by_location_fee_range_and_accepting(patient_api):
    DoctorFactory(user__last_name="Cheap", consultation_fee=Decimal("50"), location="Riverside clinic")
    DoctorFactory(user__last_name="Mid", consultation_fee=Decimal("100"), location="Main building")
    DoctorFactory(user__last_name="Dear", consultation_fee=Decimal("200"), is_accepting_patients=False)

    assert names(patient_api.get("/api/doctors/", {"location": "riverside"})) == ["Cheap"]
    assert names(patient_api.get("/api/doctors/", {"min_fee": "60", "max_fee": "150"})) == ["Mid"]
    assert names(patient_api.get("/api/doctors/", {"accepting": "false"})) == ["Dear"]


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_filter_available_on_a_day(patient_api):
    DoctorFactory(user__last_name="Free", weekly_hours=True)
    busy = DoctorFactory(user__last_name="Away", weekly_hours=True)
    TimeOffFactory(doctor=busy, start=datetime(2027, 1, 5, tzinfo=UTC), end=datetime(2027, 1, 6, tzinfo=UTC))
    DoctorFactory(user__last_name="Closed", weekly_hours=True, is_accepting_patients=False)
    DoctorFactory(user__last_name="Weekend", weekly_hours=[(5, time(9), time(12))])

    response = patient_api.get("/api/doctors/", {"available_on": "2027-01-05"})

    assert names(response) == ["Free"]
    assert names(patient_api.get("/api/doctors/", {"available_on": "2027-01-09"})) == ["Weekend"]


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_filter_available_on_counts_for_a_patient_only_what_they_may_book_online(patient_api, admin_api):
    desk_only = VisitTypeFactory(name="Desk only", bookable_online=False)
    DoctorFactory(user__last_name="Desk", weekly_hours=True, default_visit_type=desk_only)
    mixed = DoctorFactory(user__last_name="Mixed", weekly_hours=True, default_visit_type=desk_only)
    DoctorVisitType.objects.create(doctor=mixed, visit_type=VisitTypeFactory(name="Online", duration_minutes=60))

    as_patient = patient_api.get("/api/doctors/", {"available_on": "2027-01-05"})
    as_admin = admin_api.get("/api/doctors/", {"available_on": "2027-01-05"})

    assert names(as_patient) == ["Mixed"]
    assert sorted(names(as_admin)) == ["Desk", "Mixed"]


def test_filter_available_on_refuses_a_malformed_date(patient_api):
    response = patient_api.get("/api/doctors/", {"available_on": "next tuesday"})

    assert response.status_code == 400
    assert "available_on" in response.data


def test_search_by_name_or_specialization_and_ordering(patient_api):
    DoctorFactory(user__last_name="Adams", consultation_fee=Decimal("90"), years_of_experience=3)
    DoctorFactory(
        user__last_name="Baker",
        consultation_fee=Decimal("60"),
        years_of_experience=30,
        specialization=SpecializationFactory(name="Neurology"),
    )

    assert names(patient_api.get("/api/doctors/", {"search": "neuro"})) == ["Baker"]
    assert names(patient_api.get("/api/doctors/", {"search": "adam"})) == ["Adams"]
    assert names(patient_api.get("/api/doctors/", {"ordering": "fee"})) == ["Baker", "Adams"]
    assert names(patient_api.get("/api/doctors/", {"ordering": "-experience"})) == ["Baker", "Adams"]
    assert names(patient_api.get("/api/doctors/", {"ordering": "-name"})) == ["Baker", "Adams"]


@time_machine.travel(datetime(2027, 1, 4, 6, 0, tzinfo=UTC), tick=False)
def test_doctor_list_query_count_does_not_grow_with_rows(patient_api, django_assert_max_num_queries):
    for _ in range(25):
        DoctorFactory(weekly_hours=True)

    with django_assert_max_num_queries(3):
        response = patient_api.get("/api/doctors/", {"page_size": 100})
    # available_on adds, whatever the number of doctors: the bookable doctors, their default visit
    # types, their hours, overrides, closures, time off and bookings.
    with django_assert_max_num_queries(10):
        available = patient_api.get("/api/doctors/", {"page_size": 100, "available_on": "2027-01-05"})

    assert response.data["count"] == 25
    assert available.data["count"] == 25


# --- Creating, editing, deactivating -----------------------------------------------------------


def test_admin_creates_a_doctor_with_the_user_account_and_hours(admin_api):
    response = admin_api.post("/api/doctors/", new_doctor_body(), format="json")

    assert response.status_code == 201, response.data
    doctor = Doctor.objects.get(pk=response.data["id"])
    assert doctor.user.role == Role.DOCTOR
    assert doctor.user.check_password("a-long-unusual-phrase")
    assert doctor.consultation_fee == Decimal("95.50")
    assert doctor.time_zone == "Europe/London"
    assert list(WorkingHours.objects.filter(doctor=doctor).values_list("weekday", "start_time")) == [(0, time(9))]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"licence_number": "LIC-TAKEN"}, "licence_number"),
        ({"time_zone": "Mars/Base"}, "time_zone"),
        ({"consultation_fee": "-1"}, "consultation_fee"),
        ({"slot_minutes": 4}, "slot_minutes"),
        ({"slot_minutes": 241}, "slot_minutes"),
        ({"specialization": 999999}, "specialization"),
        ({"working_hours": [{"weekday": 7, "start_time": "09:00", "end_time": "10:00"}]}, "working_hours"),
    ],
)
def test_doctor_create_refuses_bad_fields_and_creates_no_account(admin_api, change, field):
    DoctorFactory(licence_number="LIC-TAKEN")

    response = admin_api.post("/api/doctors/", new_doctor_body(**change), format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not User.objects.filter(username="dr.new").exists()


def test_doctor_create_with_a_weak_password_creates_nothing(admin_api):
    body = new_doctor_body()
    body["user"]["password"] = "123"

    response = admin_api.post("/api/doctors/", body, format="json")

    assert response.status_code == 400
    assert "password" in response.data["user"]
    assert not Doctor.objects.exists()


@pytest.mark.parametrize("role", ["doctor", "patient"])
def test_only_admins_create_or_deactivate_doctors(client_for, role, doctor, patient):
    caller = {"doctor": doctor.user, "patient": patient.user}[role]
    api = client_for(caller)

    assert api.post("/api/doctors/", new_doctor_body(), format="json").status_code == 403
    assert api.delete(f"/api/doctors/{doctor.pk}/").status_code == 403
    doctor.user.refresh_from_db()
    assert doctor.user.is_active


def test_a_doctor_edits_their_own_profile_fields_but_not_fee_or_licence(doctor_api, doctor):
    refused = doctor_api.patch(
        f"/api/doctors/{doctor.pk}/",
        {"bio": "Listening first.", "slot_minutes": 20, "consultation_fee": "999", "licence_number": "FAKE"},
        format="json",
    )
    response = doctor_api.patch(
        f"/api/doctors/{doctor.pk}/", {"bio": "Listening first.", "slot_minutes": 20}, format="json"
    )

    assert refused.status_code == 400
    assert set(refused.data) == {"consultation_fee", "licence_number"}
    assert "the fields you may send are: years_of_experience, location, bio" in refused.data["consultation_fee"][0]
    assert response.status_code == 200
    doctor.refresh_from_db()
    assert (doctor.bio, doctor.slot_minutes) == ("Listening first.", 20)
    assert doctor.consultation_fee == Decimal("100.00")
    assert doctor.licence_number != "FAKE"


def test_a_doctor_cannot_edit_another_doctor_and_a_patient_cannot_edit_any(client_for, doctor, patient):
    other = DoctorFactory()

    assert client_for(doctor.user).patch(f"/api/doctors/{other.pk}/", {"bio": "x"}, format="json").status_code == 403
    assert client_for(patient.user).patch(f"/api/doctors/{doctor.pk}/", {"bio": "x"}, format="json").status_code == 403
    other.refresh_from_db()
    assert other.bio == ""


def test_admin_edits_fee_and_specialization(admin_api, doctor):
    neuro = SpecializationFactory(name="Neurology")

    response = admin_api.patch(
        f"/api/doctors/{doctor.pk}/", {"consultation_fee": "130.00", "specialization": neuro.pk}, format="json"
    )

    assert response.status_code == 200
    doctor.refresh_from_db()
    assert (doctor.consultation_fee, doctor.specialization) == (Decimal("130.00"), neuro)


def test_deactivating_a_doctor_keeps_the_row_and_hides_it_from_patients(admin_api, patient_api, doctor):
    assert admin_api.delete(f"/api/doctors/{doctor.pk}/").status_code == 204

    assert Doctor.objects.filter(pk=doctor.pk).exists()
    doctor.user.refresh_from_db()
    assert not doctor.user.is_active
    assert patient_api.get(f"/api/doctors/{doctor.pk}/").status_code == 404
    assert admin_api.get(f"/api/doctors/{doctor.pk}/").data["is_active"] is False


# --- Specializations ----------------------------------------------------------------------------


def test_everyone_reads_specializations_and_only_admins_write(patient_api, admin_api):
    SpecializationFactory(name="Cardiology")

    assert patient_api.get("/api/specializations/").data["count"] == 1
    assert patient_api.post("/api/specializations/", {"name": "X"}, format="json").status_code == 403
    assert admin_api.post("/api/specializations/", {"name": "Oncology"}, format="json").status_code == 201
    duplicate = admin_api.post("/api/specializations/", {"name": "cardiology"}, format="json")
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.data["name"][0]


def test_a_specialization_in_use_cannot_be_deleted(admin_api, doctor):
    response = admin_api.delete(f"/api/specializations/{doctor.specialization_id}/")

    assert response.status_code == 409
    assert Specialization.objects.filter(pk=doctor.specialization_id).exists()


def test_an_unused_specialization_can_be_deleted(admin_api):
    unused = SpecializationFactory()

    assert admin_api.delete(f"/api/specializations/{unused.pk}/").status_code == 204
