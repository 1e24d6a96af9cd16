"""Rate limits that hold across every worker and app server: fixed-window counters, each request
counted by one atomic increment in a store they all share.

The store, in order of preference:
- Redis (REDIS_URL): INCR and EXPIRE in one round trip;
- PostgreSQL: an upsert that adds one and returns the count, on the table config_throttlecounter
  (UNLOGGED: no WAL flush per request; config/migrations/0003 says why);
- SQLite: a small SQLite file of its own (THROTTLE_SQLITE_PATH), shared by the workers of the one
  machine a SQLite deployment runs on, so counting a request never takes the main database's
  write lock that bookings queue for.
DRF's own throttles read and then write a cache entry, which lets concurrent requests through
together, and count per process with the default cache. The client is identified by
config.middleware.client_ip: the socket's address unless DJANGO_NUM_PROXIES says otherwise.
"""

import random
import sqlite3
import threading
import time

from django.conf import settings
from django.db import connection
from rest_framework import throttling

from config.middleware import client_ip

_local = threading.local()


class RedisStore:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)

    def incr(self, key: str, window: int, ttl: int) -> int:
        name = f"throttle:{key}:{window}"
        count, _ = self.client.pipeline().incr(name).expire(name, ttl).execute()
        return int(count)

    def clear(self) -> None:
        for name in self.client.scan_iter("throttle:*"):
            self.client.delete(name)


class PostgresStore:
    SQL = (
        "INSERT INTO config_throttlecounter (key, period, count, expires) VALUES (%s, %s, 1, %s) "
        "ON CONFLICT (key, period) DO UPDATE SET count = config_throttlecounter.count + 1 RETURNING count"
    )

    def incr(self, key: str, window: int, ttl: int) -> int:
        now = int(time.time())
        with connection.cursor() as cursor:
            cursor.execute(self.SQL, [key, window, now + ttl])
            count = cursor.fetchone()[0]
            if random.random() < 0.01:  # noqa: S311 - now and then, forget windows long past
                cursor.execute("DELETE FROM config_throttlecounter WHERE expires < %s", [now])
        return count

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM config_throttlecounter")


class SQLiteFileStore:
    def __init__(self, path: str):
        self.path = path

    def _connection(self) -> sqlite3.Connection:
        if getattr(_local, "path", None) != self.path:
            _local.db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            _local.db.execute("PRAGMA journal_mode=WAL")
            # Counters need no fsync at each request: a power cut forgetting the last few counts
            # is harmless, and NORMAL in WAL mode still survives a process that dies.
            _local.db.execute("PRAGMA synchronous=NORMAL")
            _local.db.execute(
                "CREATE TABLE IF NOT EXISTS counter "
                "(key TEXT, period INTEGER, count INTEGER, expires INTEGER, PRIMARY KEY (key, period))"
            )
            _local.path = self.path
        return _local.db

    def incr(self, key: str, window: int, ttl: int) -> int:
        db, now = self._connection(), int(time.time())
        (count,) = db.execute(
            "INSERT INTO counter (key, period, count, expires) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (key, period) DO UPDATE SET count = count + 1 RETURNING count",
            (key, window, now + ttl),
        ).fetchone()
        if random.random() < 0.01:  # noqa: S311
            db.execute("DELETE FROM counter WHERE expires < ?", (now,))
        return count

    def clear(self) -> None:
        self._connection().execute("DELETE FROM counter")


def store():
    """The counter store every worker of this deployment shares (see the module)."""
    if settings.REDIS_URL:
        if getattr(_local, "redis_url", None) != settings.REDIS_URL:
            _local.redis, _local.redis_url = RedisStore(settings.REDIS_URL), settings.REDIS_URL
        return _local.redis
    if connection.vendor == "postgresql":
        return PostgresStore()
    return SQLiteFileStore(settings.THROTTLE_SQLITE_PATH)


class FixedWindowMixin:
    """DRF's rate parsing and scopes; counting by one atomic increment per request, in windows of
    the rate's duration (a client gets at most the rate in each window)."""

    def get_ident(self, request):
        return client_ip(request) or "unknown"

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        count = store().incr(self.key, window, ttl=self.duration * 2)
        self.wait_seconds = (window + 1) * self.duration - now
        return count <= self.num_requests

    def wait(self):
        return self.wait_seconds


class AnonRateThrottle(FixedWindowMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(FixedWindowMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(FixedWindowMixin, throttling.ScopedRateThrottle):
    def allow_request(self, request, view):
        # DRF's reads the view's scope here, then counts; the counting is ours.
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
