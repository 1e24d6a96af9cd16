"""The background worker: `python manage.py run_worker` (a systemd service or a container next
to gunicorn, as many as you like).

It runs django-tasks-db's worker in batches and, before each, hands out again the tasks left
"running" by a worker that died (config.tasks.recover_stale_tasks): a worker killed mid-send
loses nothing. Every PRUNE_EVERY_SECONDS it also deletes the Idempotency-Key rows past their
window (config.idempotency.prune_expired_keys). SIGTERM or Ctrl-C stops it once the current task
is done.
"""

import signal
import socket
import time

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from config.idempotency import prune_expired_keys
from config.tasks import recover_stale_tasks

PRUNE_EVERY_SECONDS = 600


class Command(BaseCommand):
    help = "Run queued tasks, and hand out again those of workers that died."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds to wait when the queue is empty.")
        parser.add_argument("--once", action="store_true", help="Recover, run what is queued, and exit.")

    def handle(self, *args, interval: float, once: bool, **options):
        self.running, self.worker = True, None
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        worker_id = f"{socket.gethostname()}-{get_random_string(8)}"
        pruned_at = None
        while self.running:
            recover_stale_tasks()
            if pruned_at is None or time.monotonic() - pruned_at >= PRUNE_EVERY_SECONDS:
                prune_expired_keys()
                pruned_at = time.monotonic()
            self.worker = Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            self.worker.run()  # until the queue is empty (or we are stopped)
            if once:
                return
            time.sleep(interval)

    def stop(self, signum, frame):
        self.running = False
        if self.worker is not None:
            self.worker.running = False  # finish the current task, then return
