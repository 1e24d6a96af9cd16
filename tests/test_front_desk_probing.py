"""The front desk cannot learn clinical fields by filtering on them: not through a changelist URL
in the admin, not through the API's filters."""

import pytest

from appointments.models import AppointmentEvent, Status
from tests.admin_support import signed_in
from tests.factories import AppointmentFactory, PatientFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    patient = PatientFactory(notes="HIV positive", allergies="penicillin", blood_group="AB-")
    visit = AppointmentFactory(patient=patient, notes="diabetes review", status=Status.COMPLETED)
    AppointmentEvent.objects.create(appointment=visit, action="completed", note="cancer screening")
    return patient


@pytest.mark.parametrize(
    "url",
    [
        "/admin/patients/patient/?notes__icontains=HIV",
        "/admin/patients/patient/?allergies__icontains=penic",
        "/admin/patients/patient/?blood_group=AB-",
        "/admin/patients/patient/?user__patient_profile__notes__icontains=HIV",
        "/admin/appointments/appointment/?day=any&notes__icontains=diabetes",
        "/admin/appointments/appointmentevent/?note__icontains=cancer",
    ],
)
def test_a_changelist_url_filtering_on_a_clinical_field_is_refused_to_the_desk(desk, records, url):
    assert desk.get(url).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/patients/patient/?sex__exact=female&user__is_active__exact=1",
        "/admin/patients/patient/?created_at__year=2030",
        "/admin/appointments/appointment/?day=any&status__exact=completed",
    ],
)
def test_the_filters_the_page_offers_still_work_for_the_desk(desk, records, url):
    assert desk.get(url).status_code == 200


def test_an_admin_may_filter_on_clinical_fields(client, records):
    admin = signed_in(client, UserFactory(admin=True))

    response = admin.get("/admin/patients/patient/?notes__icontains=HIV")

    assert response.status_code == 200
    assert str(records) in response.content.decode()


def test_the_api_refuses_the_desk_a_blood_group_filter(receptionist_api, records):
    response = receptionist_api.get("/api/patients/", {"blood_group": "AB-"})

    assert response.status_code == 403
    assert "blood_group" in response.data["detail"]


def test_a_blood_group_not_recorded_is_filtered_as_unknown_and_an_empty_value_is_refused(admin_api, records):
    unrecorded = PatientFactory(blood_group="")

    unknown = admin_api.get("/api/patients/", {"blood_group": "unknown"})
    empty = admin_api.get("/api/patients/", {"blood_group": ""})

    assert [row["id"] for row in unknown.data["results"]] == [unrecorded.pk]
    assert empty.status_code == 400


def test_head_is_as_strict_as_get_about_unknown_parameters(admin_api):
    assert admin_api.head("/api/appointments/", {"doctr": "5"}).status_code == 400


@pytest.mark.parametrize("page", ["abc", "0", "-1", ""])
def test_a_page_that_is_not_a_whole_number_from_1_is_a_400(admin_api, page):
    response = admin_api.get("/api/appointments/", {"page": page})

    assert response.status_code == 400
    assert "page" in response.data
