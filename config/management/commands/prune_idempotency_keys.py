"""`python manage.py prune_idempotency_keys`: delete Idempotency-Key rows past their window.

run_worker runs it every few minutes; run it from cron where no worker runs."""

from django.core.management.base import BaseCommand

from config.idempotency import prune_expired_keys


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than IDEMPOTENCY_KEY_HOURS."

    def handle(self, *args, **options):
        count = prune_expired_keys()
        if options["verbosity"] > 0:
            self.stdout.write(f"Pruned {count} idempotency key(s).")
