"""Check or recount the summary report's tallies: `manage.py rebuild_tallies [--check]`.

The services keep them exact with every change (appointments.tallies). Run it after writing
appointments or treatments past the services (a bulk import, a hand-written data fix), after
changing CLINIC_TIME_ZONE (days are counted in it), or with `--check` from monitoring, which
exits 1 and lists the differences if there are any.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appointments import tallies


class Command(BaseCommand):
    help = "Recount the summary report's daily tallies from the appointments (or --check them)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; exit 1 if they differ.")

    def handle(self, *args, check: bool, **options):
        if check:
            found = tallies.differences()
            for line in found[:50]:
                self.stdout.write(line)
            if found:
                raise CommandError(f"{len(found)} tally difference(s); run manage.py rebuild_tallies.")
            self.stdout.write("The tallies match the appointments.")
            return
        with transaction.atomic():
            tallies.rebuild()
        self.stdout.write("Tallies recounted.")
