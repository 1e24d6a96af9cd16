"""Input that once made the API answer 500, or say more than it should. Each stays a clean 4xx."""

import pytest

from appointments.models import Appointment
from tests.factories import AppointmentFactory, AssignmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["[" * 100_000, '{"a":' * 50_000, "[" * 5000 + "]" * 5000])
@pytest.mark.parametrize("path", ["/api/auth/register/", "/api/token/"])
def test_deeply_nested_json_is_400(anon, path, body):
    response = anon.post(path, body, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize(
    "raw", ['{"doctor": 1e999, "start": "2030-01-07T09:00:00Z"}', '{"doctor": NaN}', '{"doctor": Infinity}']
)
def test_non_finite_numbers_are_400(patient_api, raw):
    response = patient_api.post("/api/appointments/", raw, content_type="application/json")

    assert response.status_code == 400


@pytest.mark.parametrize("value", [1.5, True, "1.0", "²", 10**30, -1, 0, [1], {"id": 1}])
def test_an_id_must_be_a_whole_number_in_range(patient_api, doctor, value):
    response = patient_api.post("/api/appointments/", {"doctor": value, "start": "2030-01-07T09:00:00Z"}, format="json")

    assert response.status_code == 400
    assert "doctor" in response.data
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/appointments/", {"doctor": "99999999999999999999999999"}),
        ("/api/appointments/", {"patient": "-99999999999999999999"}),
        ("/api/assignments/", {"doctor": "1e30"}),
        ("/api/treatments/", {"appointment": "1.5"}),
        ("/api/prescriptions/", {"patient": "x"}),
        ("/api/audit-events/", {"actor": "99999999999999999999999"}),
        ("/api/doctors/", {"min_fee": "1e400"}),
        ("/api/doctors/{doctor}/slots/", {"date_from": "9999-12-30", "date_to": "9999-12-31"}),
    ],
)
def test_out_of_range_query_values_are_400(admin_api, doctor, path, params):
    response = admin_api.get(path.format(doctor=doctor.pk), params)

    assert response.status_code == 400, response.content[:300]


@pytest.mark.parametrize(
    ("path", "params", "rows"),
    [
        ("/api/appointments/", {"date_to": "9999-12-31"}, 1),
        ("/api/appointments/", {"date_from": "0001-01-01"}, 1),
        ("/api/appointments/", {"date_from": "9999-01-01"}, 0),
        ("/api/doctors/", {"available_on": "9999-12-31"}, 0),
        ("/api/doctors/", {"available_on": "0001-01-01"}, 0),
    ],
)
def test_far_dates_in_filters_are_read_as_the_edge_of_the_calendar(admin_api, path, params, rows):
    # 1900 and 2200 bound every record: the answer is what the far date means, with no overflow.
    AppointmentFactory()

    response = admin_api.get(path, params)

    assert response.status_code == 200, response.content[:300]
    assert len(response.data["results"]) == rows


@pytest.mark.parametrize("value", ["²", "123456789012345678901234567890", "Cardiology"])
def test_odd_specialization_filters_do_not_fail(patient_api, value):
    assert patient_api.get("/api/doctors/", {"specialization": value}).status_code == 200


@pytest.mark.parametrize("path", ["/api/appointments/", "/api/doctors/", "/api/patients/", "/api/users/"])
def test_thousands_of_search_terms_are_cut_short_not_a_500(admin_api, path):
    assert admin_api.get(path, {"search": " ".join(["x"] * 3000)}).status_code == 200


@pytest.mark.parametrize("start", ["9999-12-31T23:45:00Z", "0001-01-01T00:00:00Z", "1899-12-31T09:00:00"])
def test_booking_far_outside_the_calendar_is_400(patient_api, doctor, start):
    response = patient_api.post("/api/appointments/", {"doctor": doctor.pk, "start": start}, format="json")

    assert response.status_code == 400
    assert "start" in response.data


def test_rescheduling_far_outside_the_calendar_is_400(patient_api, patient):
    appointment = AppointmentFactory(patient=patient)

    response = patient_api.post(
        f"/api/appointments/{appointment.pk}/reschedule/", {"start": "9999-12-31T23:45:00Z"}, format="json"
    )

    assert response.status_code == 400


def test_unknown_api_urls_answer_json_404(patient_api):
    response = patient_api.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_an_admin_cannot_patch_a_doctor_section_they_do_not_have(admin_api):
    response = admin_api.patch("/api/profile/", {"doctor": {"bio": "hi"}, "patient": {"allergies": "x"}}, format="json")

    assert response.status_code == 400
    assert "doctor" in response.data


def test_a_doctor_does_not_see_patients_of_ended_assignments(doctor_api, doctor):
    ended = AssignmentFactory(doctor=doctor, is_active=False, patient=PatientFactory(user__last_name="Secret"))
    current = AssignmentFactory(doctor=doctor)

    rows = doctor_api.get("/api/assignments/").data["results"]

    assert [row["id"] for row in rows] == [current.pk]
    assert doctor_api.get(f"/api/assignments/{ended.pk}/").status_code == 404


def test_an_admin_cancelling_by_patch_is_told_which_field_needs_the_reason(admin_api):
    appointment = AppointmentFactory(start=AppointmentFactory().start.replace(year=2032))

    response = admin_api.patch(f"/api/appointments/{appointment.pk}/", {"status": "cancelled"}, format="json")

    assert response.status_code == 400
    assert "cancellation_reason" in response.data


def test_booking_an_inactive_doctor_reads_as_unknown_to_patients(patient_api):
    gone = DoctorFactory(weekly_hours=True, user__is_active=False, user__last_name="Hidden")

    response = patient_api.post(
        "/api/appointments/", {"doctor": gone.pk, "start": "2030-01-07T09:00:00Z"}, format="json"
    )

    assert response.status_code == 400
    assert "Hidden" not in str(response.data)
