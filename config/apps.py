from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's plumbing as an app, for the few tables it needs: what has been sent, the
    Idempotency-Key answers, and the shared throttle counters. No business data lives here."""

    name = "config"
    verbose_name = "Plumbing"
    default_auto_field = "django.db.models.BigAutoField"
