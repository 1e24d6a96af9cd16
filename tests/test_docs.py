"""The README tells the truth about the demo: every account seed_demo makes is in its table."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

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
