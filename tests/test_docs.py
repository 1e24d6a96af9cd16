"""The README tells the truth about the demo: every account seed_demo makes is in its table."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.demo import DEMO_PASSWORD
from accounts.models import User

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_demo_table_lists_every_seeded_account():
    call_command("seed_demo", verbosity=0)
    readme = (ROOT / "README.md").read_text()
    table = readme.split("### Demo logins", 1)[1].split("###", 1)[0]
    listed = set(re.findall(r"`([\w.]+)`", table))

    seeded = set(User.objects.values_list("username", flat=True))

    assert seeded - listed == set(), "add these demo accounts to the README's table"


def test_with_mfa_required_of_admins_the_demo_admin_is_asked_to_enrol_and_the_others_log_in(settings):
    # What the README says of a demo run with production settings (`MFA_REQUIRED_ROLES=admin`).
    settings.MFA_REQUIRED_ROLES = frozenset({"admin"})
    call_command("seed_demo", verbosity=0)

    def login(username):
        return APIClient().post("/api/token/", {"username": username, "password": DEMO_PASSWORD}, format="json")

    admin, doctor, patient = login("admin"), login("dr.house"), login("alice")

    assert (admin.status_code, admin.data["code"]) == (403, "mfa_enrolment_required")
    assert admin.data["enrolment_token"]
    assert "access" not in admin.data
    assert (doctor.status_code, patient.status_code) == (200, 200)
    assert doctor.data["access"] and patient.data["access"]
