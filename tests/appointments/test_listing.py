from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from appointments.models import Status
from tests.factories import AppointmentFactory, DoctorFactory, PatientFactory

pytestmark = pytest.mark.django_db


def ids(response):
    return [row["id"] for row in response.data["results"]]


def test_each_role_lists_only_its_own_appointments(client_for, admin_api, doctor, patient):
    mine = AppointmentFactory(doctor=doctor, patient=patient)
    doctors_other = AppointmentFactory(doctor=doctor)
    patients_other = AppointmentFactory(patient=patient)
    strangers = AppointmentFactory()

    assert sorted(ids(client_for(patient.user).get("/api/appointments/"))) == sorted([mine.pk, patients_other.pk])
    assert sorted(ids(client_for(doctor.user).get("/api/appointments/"))) == sorted([mine.pk, doctors_other.pk])
    assert admin_api.get("/api/appointments/").data["count"] == 4
    for user in (patient.user, doctor.user):
        assert client_for(user).get(f"/api/appointments/{strangers.pk}/").status_code == 404


def test_list_rows_carry_names_and_the_recorded_fee(patient_api, patient, doctor):
    AppointmentFactory(doctor=doctor, patient=patient)

    row = patient_api.get("/api/appointments/").data["results"][0]

    assert row["doctor"] == {
        "id": doctor.pk,
        "full_name": doctor.user.get_full_name(),
        "specialization": doctor.specialization.name,
    }
    assert row["patient"]["full_name"] == patient.user.get_full_name()
    assert row["fee"] == "100.00"


def test_filters_doctor_patient_status_and_dates(admin_api):
    doctor, patient = DoctorFactory(), PatientFactory()
    a = AppointmentFactory(doctor=doctor, start=datetime(2031, 3, 1, 9, tzinfo=UTC))
    b = AppointmentFactory(patient=patient, start=datetime(2031, 3, 2, 9, tzinfo=UTC), status=Status.CONFIRMED)
    c = AppointmentFactory(start=datetime(2031, 3, 3, 23, 30, tzinfo=UTC), status=Status.CANCELLED)

    assert ids(admin_api.get("/api/appointments/", {"doctor": doctor.pk})) == [a.pk]
    assert ids(admin_api.get("/api/appointments/", {"patient": patient.pk})) == [b.pk]
    assert ids(admin_api.get("/api/appointments/", {"status": "confirmed,cancelled"})) == [b.pk, c.pk]
    assert ids(admin_api.get("/api/appointments/", {"date_from": "2031-03-02", "date_to": "2031-03-03"})) == [
        b.pk,
        c.pk,
    ]
    assert ids(admin_api.get("/api/appointments/", {"date_to": "2031-03-01"})) == [a.pk]


def test_date_filters_use_the_clinic_day(admin_api, settings):
    settings.TIME_ZONE = "America/New_York"
    late_evening = AppointmentFactory(start=datetime(2031, 3, 4, 2, 0, tzinfo=UTC))  # 3 March, 21:00 in New York

    assert ids(admin_api.get("/api/appointments/", {"date_from": "2031-03-03", "date_to": "2031-03-03"})) == [
        late_evening.pk
    ]


@pytest.mark.parametrize(
    "params", [{"status": "lost"}, {"date_from": "soon"}, {"doctor": "one"}, {"ordering": "price"}]
)
def test_bad_filters_are_400(admin_api, params):
    response = admin_api.get("/api/appointments/", params)

    assert response.status_code == 400


def test_search_by_patient_or_doctor_name_or_reason(admin_api):
    target = AppointmentFactory(patient=PatientFactory(user__last_name="Quixote"), reason="Migraine")
    AppointmentFactory(doctor=DoctorFactory(user__last_name="Zhivago"))

    assert ids(admin_api.get("/api/appointments/", {"search": "quixo"})) == [target.pk]
    assert ids(admin_api.get("/api/appointments/", {"search": "migraine"})) == [target.pk]
    assert admin_api.get("/api/appointments/", {"search": "zhivago"}).data["count"] == 1


def test_ordering_by_start_and_created(admin_api):
    later = AppointmentFactory(start=datetime(2031, 5, 2, tzinfo=UTC))
    earlier = AppointmentFactory(start=datetime(2031, 5, 1, tzinfo=UTC))

    assert ids(admin_api.get("/api/appointments/", {"ordering": "start"})) == [earlier.pk, later.pk]
    assert ids(admin_api.get("/api/appointments/", {"ordering": "-start"})) == [later.pk, earlier.pk]
    assert ids(admin_api.get("/api/appointments/", {"ordering": "-created"})) == [earlier.pk, later.pk]


@pytest.mark.parametrize("page_size", [1, 100])
def test_list_query_count_is_the_same_for_1_and_100_rows(admin_api, page_size, django_assert_num_queries):
    for _ in range(101):  # more than a page: the count is asked for (a last page needs none)
        AppointmentFactory()

    # user, the page's ids, its rows with their doctors, patients and visit types, the count, and
    # one INSERT of the page's audit rows: five however many rows (config/rows.py)
    with django_assert_num_queries(5):
        response = admin_api.get("/api/appointments/", {"page_size": page_size})

    assert len(response.data["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_doctors_list_query_count_is_the_same_for_any_page_size(patient_api, page_size, django_assert_num_queries):
    for _ in range(101):
        DoctorFactory()

    # user, the page (doctors joined with their accounts and specializations), the count
    with django_assert_num_queries(3):
        response = patient_api.get("/api/doctors/", {"page_size": page_size})

    assert len(response.data["results"]) == page_size


@time_machine.travel(datetime(2031, 1, 10, 12, 0, tzinfo=UTC), tick=False)
def test_profile_appointments_lists_upcoming_first_then_past_latest_first(patient_api, patient):
    def at(day, hour=9):
        return AppointmentFactory(patient=patient, start=datetime(2031, 1, day, hour, tzinfo=UTC))

    past_old, past_recent = at(2), at(9)
    soon, later = at(11), at(20)
    AppointmentFactory()  # someone else's

    response = patient_api.get("/api/profile/appointments/")

    assert ids(response) == [soon.pk, later.pk, past_recent.pk, past_old.pk]


def test_profile_appointments_for_a_doctor_lists_their_schedule(doctor_api, doctor):
    mine = AppointmentFactory(doctor=doctor, start=datetime(2031, 1, 1, tzinfo=UTC) + timedelta(days=400))
    AppointmentFactory()

    assert ids(doctor_api.get("/api/profile/appointments/")) == [mine.pk]
