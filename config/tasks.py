"""Background tasks: queued with the change that causes them, sent at most once per message key,
retried a bounded number of times, and never lost when a process dies.

- `enqueue` queues a task as part of the current transaction. With the database backend (the
  production setting) the task row is written in that same transaction: the change and its
  notification commit together or not at all, a transactional outbox. With the immediate backend
  (development, tests) the task runs once the transaction has committed.
- `send_once` records a message's key with its send, so a task that runs again (its worker was
  killed, the lease expired, someone re-ran the job) sends nothing twice. The one window left:
  a worker killed after the mail server accepted a message and before the key was recorded
  sends that message again. At-least-once is the honest promise over SMTP.
- A task still "running" TASK_LEASE_SECONDS after it started belongs to a dead worker;
  `manage.py run_worker` hands it out again (`recover_stale_tasks`).
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from config.models import SentMessage

logger = logging.getLogger(__name__)

RETRY_DELAY = timedelta(seconds=30)


def enqueue(task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` with the current transaction (see the module)."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=True)


def send_once(key: str, send: Callable[[], object]) -> bool:
    """Call `send()` unless a message with this key was sent already; record the key after it.
    Returns whether it sent."""
    if SentMessage.objects.filter(key=key).exists():
        logger.info("Not sending %s again: it was sent already.", key)
        return False
    send()
    try:
        SentMessage.objects.create(key=key)
    except IntegrityError:  # another run sent it at the same moment: the window of the module
        logger.warning("%s was sent twice by two runs at once.", key)
    return True


def retry_later(task, *args, attempt: int, error: Exception) -> None:
    """Queue `task(*args, attempt=attempt + 1)` after a pause, or give up after the last attempt."""
    name = task.name
    if attempt >= settings.NOTIFICATION_MAX_ATTEMPTS:
        logger.error("%s%r failed on attempt %d, giving up: %s", name, args, attempt, error)
        return
    logger.warning("%s%r failed on attempt %d, retrying: %s", name, args, attempt, error)
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + RETRY_DELAY * attempt)
    task.enqueue(*args, attempt=attempt + 1)


def recover_stale_tasks(*, now=None) -> int:
    """Hand out again the tasks still marked running past their lease: their worker died. Returns
    how many."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    stale = DBTaskResult.objects.running().filter(started_at__lt=now - timedelta(seconds=settings.TASK_LEASE_SECONDS))
    count = stale.update(status="READY", started_at=None, run_after=now)
    if count:
        logger.warning("Handed out again %d task(s) whose worker died.", count)
    return count
