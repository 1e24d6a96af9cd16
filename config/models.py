"""Tables of the plumbing (config is an installed app for them alone)."""

from django.db import models


class SentMessage(models.Model):
    """A notification that was handed to the mail server (or SMS provider): its key is recorded
    with the send, so a task that runs again (a worker killed, a retry) does not send it twice."""

    key = models.CharField(max_length=200, unique=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at"], name="config_sentmessage_sent_at")]

    def __str__(self):
        return self.key


class IdempotencyRecord(models.Model):
    """One Idempotency-Key of one caller for one POST: while the first request runs, and then the
    answer it got, replayed to a retry with the same body for IDEMPOTENCY_KEY_HOURS."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"

    owner = models.CharField(max_length=100, help_text='"user:<id>", or "ip:<address>" for anonymous callers.')
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64, help_text="HMAC-SHA256 (under SECRET_KEY) of the request body as parsed JSON."
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.IN_PROGRESS)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "method", "path", "key"],
                name="config_idempotency_one_per_key",
                violation_error_code="idempotency_in_progress",
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="config_idempotency_created")]

    def __str__(self):
        return f"{self.owner} {self.method} {self.path} {self.key}"


class ThrottleCounter(models.Model):
    """Requests counted in one fixed window, shared by every app server on PostgreSQL (with Redis
    the counters live there instead; config/throttling.py)."""

    key = models.CharField(max_length=200)
    period = models.BigIntegerField(help_text="The window's number: its start in seconds over its length.")
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(help_text="When the row may go (seconds since the epoch).")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "period"], name="config_throttle_one_per_period")]

    def __str__(self):
        return f"{self.key} #{self.period}: {self.count}"
