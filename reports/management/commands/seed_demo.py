"""Load demo data: `manage.py seed_demo`. Safe to run again: it only adds what is missing.

It lives in `reports`, the app that may read every other app; each app seeds its own part
through its `demo.py`, in dependency order.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as accounts_demo
from appointments import demo as appointments_demo
from appointments import tallies
from doctors import demo as doctors_demo
from patients import demo as patients_demo
from prescriptions import demo as prescriptions_demo
from treatments import demo as treatments_demo


class Command(BaseCommand):
    help = "Create demo accounts and data (idempotent) and print the logins."

    def handle(self, *args, **options):
        # Demo bookings go through the real services; their e-mails would be news to nobody.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), transaction.atomic():
            admin = accounts_demo.seed()
            desk = accounts_demo.seed_receptionist()
            doctors = doctors_demo.seed()
            patients = patients_demo.seed(admin=admin, doctors=doctors)
            appointments = appointments_demo.seed(admin=admin, doctors=doctors, patients=patients)
            treatments = treatments_demo.seed(doctors=doctors)
            prescriptions = prescriptions_demo.seed(
                diagnosed_visits=[(treatment.appointment, treatment.icd10_code) for treatment in treatments]
            )
            # The demo's history is written in bulk, past the services: count it once.
            tallies.rebuild()
        self.stdout.write(self.style.SUCCESS("Demo data ready. Every login's password: " + accounts_demo.DEMO_PASSWORD))
        self.stdout.write(f"  admin    {admin.username}")
        self.stdout.write(f"  desk     {desk.username:<12} receptionist (the admin's day sheet)")
        for doctor in doctors:
            self.stdout.write(f"  doctor   {doctor.user.username:<12} {doctor.specialization.name}")
        for patient in patients:
            self.stdout.write(f"  patient  {patient.user.username}")
        if appointments:
            self.stdout.write(
                f"Added {appointments} appointments (three months of history, two weeks ahead), "
                f"{len(treatments)} treatments and {prescriptions} prescriptions."
            )
