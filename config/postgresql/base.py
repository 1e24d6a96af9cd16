"""Django's PostgreSQL backend, with a client-side deadline on every call a web request makes
(config/db_watchdog.py): a database that stops answering is a 503 in seconds, not a hung worker.

Only in web processes (DJANGO_WEB_PROCESS, set by config/wsgi.py and asgi.py): migrations and
management commands wait as long as they need.
"""

from django.conf import settings
from django.db.backends.postgresql import base

from config.db_watchdog import watchdog

GRACE_SECONDS = 2  # beyond the server's statement_timeout, which should answer first


def _deadline() -> float | None:
    if not settings.WEB_PROCESS or not settings.DATABASE_STATEMENT_TIMEOUT_MS:
        return None
    return settings.DATABASE_STATEMENT_TIMEOUT_MS / 1000 + GRACE_SECONDS


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deadline = _deadline()
        if self.deadline:
            self.execute_wrappers.append(self._guarded)

    def _guarded(self, execute, sql, params, many, context):
        with watchdog.guard(self.connection.fileno(), self.deadline):
            return execute(sql, params, many, context)

    def is_usable(self):
        # The check of a kept connection before reuse runs outside the execute wrappers.
        if not self.deadline or self.connection is None:
            return super().is_usable()
        with watchdog.guard(self.connection.fileno(), settings.DATABASE_CONNECT_TIMEOUT):
            return super().is_usable()
