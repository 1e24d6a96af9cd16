"""Send the reminders that are due: `manage.py send_reminders`, from cron every few minutes.

Safe to run from several machines at once: each appointment is reminded exactly once.
"""

from django.core.management.base import BaseCommand

from appointments.services import reminders_queue_due


class Command(BaseCommand):
    help = "Queue reminders for appointments starting within REMINDER_HOURS_BEFORE (each exactly once)."

    def handle(self, *args, **options):
        count = reminders_queue_due()
        self.stdout.write(f"{count} reminder(s) queued.")
