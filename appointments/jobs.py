"""Periodic jobs, as tasks for a scheduler that runs django-tasks (cron runs the same job with
`manage.py send_reminders`)."""

from django_tasks import task

from appointments.services import reminders_queue_due


@task()
def send_due_reminders() -> int:
    """Claim every due reminder once and queue its messages; returns how many."""
    return reminders_queue_due()
