"""Load demo data: `manage.py seed_demo`. Safe to run again: it only adds what is missing.

It lives in `reports`, the app that may read every other app; each app seeds its own part
through its `demo.py`, in dependency order.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Create demo accounts and data (idempotent) and print the logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            accounts = accounts_demo.seed()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Logins (password for all: {accounts_demo.DEMO_PASSWORD}):")
        )
        for user in accounts:
            self.stdout.write(f"  {user.role:<8} {user.username}")
