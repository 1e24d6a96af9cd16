from decimal import Decimal

import pytest

from doctors.models import WorkingHours

pytestmark = pytest.mark.django_db


def test_a_doctors_profile_shows_details_and_weekly_hours(doctor_api, doctor):
    response = doctor_api.get("/api/profile/")

    assert response.status_code == 200
    assert response.data["role"] == "doctor"
    assert response.data["patient"] is None
    assert response.data["doctor"]["licence_number"] == doctor.licence_number
    assert len(response.data["doctor"]["working_hours"]) == 10


def test_a_doctor_updates_account_details_and_hours_in_one_request(doctor_api, doctor):
    response = doctor_api.patch(
        "/api/profile/",
        {
            "first_name": "Gregory",
            "doctor": {
                "bio": "Diagnostics.",
                "slot_minutes": 20,
                "working_hours": [{"weekday": 4, "start_time": "10:00", "end_time": "14:00"}],
            },
        },
        format="json",
    )

    assert response.status_code == 200, response.data
    doctor.refresh_from_db()
    doctor.user.refresh_from_db()
    assert doctor.user.first_name == "Gregory"
    assert (doctor.bio, doctor.slot_minutes) == ("Diagnostics.", 20)
    assert list(WorkingHours.objects.filter(doctor=doctor).values_list("weekday", flat=True)) == [4]
    assert response.data["doctor"]["working_hours"] == [{"weekday": 4, "start_time": "10:00", "end_time": "14:00"}]


def test_a_bad_period_rolls_back_the_whole_profile_update(doctor_api, doctor):
    response = doctor_api.patch(
        "/api/profile/",
        {
            "first_name": "Changed",
            "doctor": {
                "bio": "Changed",
                "working_hours": [
                    {"weekday": 1, "start_time": "09:00", "end_time": "12:00"},
                    {"weekday": 1, "start_time": "10:00", "end_time": "11:00"},
                ],
            },
        },
        format="json",
    )

    assert response.status_code == 400
    doctor.refresh_from_db()
    doctor.user.refresh_from_db()
    assert doctor.user.first_name != "Changed"
    assert doctor.bio != "Changed"
    assert WorkingHours.objects.filter(doctor=doctor).count() == 10


def test_a_doctor_cannot_change_fee_licence_or_role_through_the_profile(doctor_api, doctor):
    doctor_api.patch(
        "/api/profile/",
        {"role": "admin", "doctor": {"consultation_fee": "1.00", "licence_number": "NEW", "is_active": False}},
        format="json",
    )

    doctor.refresh_from_db()
    doctor.user.refresh_from_db()
    assert doctor.consultation_fee == Decimal("100.00")
    assert doctor.licence_number != "NEW"
    assert doctor.user.role == "doctor"
    assert doctor.user.is_active


def test_a_patients_profile_shows_and_updates_their_record(patient_api, patient):
    shown = patient_api.get("/api/profile/")
    refused = patient_api.patch("/api/profile/", {"patient": {"allergies": "Latex", "notes": "mine"}}, format="json")
    changed = patient_api.patch("/api/profile/", {"patient": {"allergies": "Latex"}}, format="json")

    assert shown.data["doctor"] is None
    assert shown.data["patient"]["id"] == patient.pk  # the id patients/{id}/history/ takes
    assert shown.data["patient"]["allergies"] == ""
    assert refused.status_code == 400
    assert set(refused.data["patient"]) == {"notes"}
    assert changed.status_code == 200
    patient.refresh_from_db()
    assert (patient.allergies, patient.notes) == ("Latex", "")


def test_a_patient_cannot_send_a_doctor_section(patient_api):
    response = patient_api.patch("/api/profile/", {"doctor": {"bio": "I am a doctor now"}}, format="json")

    assert response.status_code == 400
    assert "doctor" in response.data


def test_an_admins_profile_has_neither_section(admin_api):
    response = admin_api.get("/api/profile/")

    assert (response.data["role"], response.data["doctor"], response.data["patient"]) == ("admin", None, None)
