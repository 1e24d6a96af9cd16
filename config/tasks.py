"""Bounded retries for background tasks: a failure is logged and tried again later, a bounded
number of times, and never reaches the request that queued the task."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY_DELAY = timedelta(seconds=30)


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
