"""The Django admin as a staff tool: every registered model's pages render for an admin."""

from datetime import UTC, datetime

import pytest
from django.contrib import admin

from tests.factories import (
    AssignmentFactory,
    DoctorFactory,
    TimeOffFactory,
    TreatmentFactory,
    UserFactory,
)
from treatments.models import TreatmentRevision

pytestmark = pytest.mark.django_db

OUR_APPS = {"accounts", "doctors", "patients", "appointments", "treatments", "prescriptions", "reports"}


def our_model_admins():
    return [
        (model, model_admin) for model, model_admin in admin.site._registry.items() if model._meta.app_label in OUR_APPS
    ]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def test_every_changelist_add_and_change_page_renders(staff_client):
    assignment = AssignmentFactory(doctor=DoctorFactory(weekly_hours=True))
    TimeOffFactory(
        doctor=assignment.doctor, start=datetime(2030, 1, 1, tzinfo=UTC), end=datetime(2030, 1, 2, tzinfo=UTC)
    )

    for model, _ in our_model_admins():
        opts = model._meta
        base = f"/admin/{opts.app_label}/{opts.model_name}/"
        changelist = staff_client.get(base)
        assert changelist.status_code == 200, base
        obj = model._default_manager.first()
        if obj is not None:
            assert staff_client.get(f"{base}{obj.pk}/change/").status_code == 200, base


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
