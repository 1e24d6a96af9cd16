"""Send the reminders that are due: `manage.py send_reminders`, from cron every few minutes.

Safe to run from several machines at once, and to kill at any moment: each appointment is
reminded exactly once (appointments.services.reminders).
"""

from django.core.management.base import BaseCommand

from appointments.services import reminders_queue_due


class Command(BaseCommand):
    help = "Queue reminders for appointments starting within REMINDER_HOURS_BEFORE (each exactly once)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="Appointments claimed per transaction.")

    def handle(self, *args, batch_size: int, **options):
        count = reminders_queue_due(batch_size=batch_size)
        self.stdout.write(f"{count} reminder(s) queued.")
