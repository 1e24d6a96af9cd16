"""Registering a walk-in patient from the admin's add page goes through the API's service
(patients.services.patient_register_walk_in): the same record, the same audit row, and its
refusals (a national id on file, a possible duplicate) as form errors."""

from datetime import date

import pytest

from accounts.models import AuditEvent
from patients.models import Patient
from tests.admin_support import signed_in
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

ADD_PATIENT = "/admin/patients/patient/add/"


def _form(**overrides):
    return {
        "username": "walkin",
        "first_name": "Wanda",
        "last_name": "Walker",
        "email": "",
        "phone": "+44 20 7946 0000",
        "date_of_birth": "1980-04-02",
        "sex": "female",
        "national_id": "NI-777",
        "insurance_provider": "",
        "insurance_number": "INS-1",
        "address": "",
        "emergency_contact_name": "",
        "emergency_contact_phone": "",
        "time_zone": "UTC",
        "email_reminders": "on",
        **overrides,
    }


@pytest.fixture(params=["admin", "receptionist"])
def staff(request, client):
    return signed_in(client, UserFactory(**{request.param: True}))


def test_staff_register_a_walk_in_with_the_api_audit_row(staff):
    assert staff.get(ADD_PATIENT).status_code == 200

    response = staff.post(ADD_PATIENT, _form())

    assert response.status_code == 302, response.context["adminform"].form.errors
    patient = Patient.objects.get(national_id="NI-777")
    actor = staff.session["_auth_user_id"]
    assert (patient.user.get_full_name(), patient.user.has_usable_password()) == ("Wanda Walker", False)
    assert AuditEvent.objects.filter(
        actor_id=actor, action=AuditEvent.Action.CREATE, object_type="patient", object_id=patient.pk
    ).exists()


def test_the_desk_add_page_has_no_clinical_field(client, receptionist_account):
    page = signed_in(client, receptionist_account).get(ADD_PATIENT).content.decode()

    assert 'name="national_id"' in page and 'name="confirm_duplicate"' in page
    for clinical in Patient.CLINICAL_FIELDS:
        assert f'name="{clinical}"' not in page


def test_a_national_id_on_file_is_a_form_error(staff):
    PatientFactory(national_id="NI-777")

    response = staff.post(ADD_PATIENT, _form(confirm_duplicate="on"))

    assert response.status_code == 200
    assert "already on file" in str(response.context["adminform"].form.errors)
    assert Patient.objects.filter(national_id="NI-777").count() == 1


def test_a_possible_duplicate_is_a_form_error_until_confirmed(staff):
    PatientFactory(user__first_name="Wanda", user__last_name="Walker", date_of_birth=date(1980, 4, 2))

    refused = staff.post(ADD_PATIENT, _form())
    confirmed = staff.post(ADD_PATIENT, _form(confirm_duplicate="on"))

    assert refused.status_code == 200
    assert "confirm_duplicate" in str(refused.context["adminform"].form.errors)
    assert confirmed.status_code == 302
    assert Patient.objects.filter(user__last_name="Walker").count() == 2
