"""The database: DATABASE_URL (default a SQLite file next to the project)."""

import dj_database_url

from config.env import env_int, env_str
from config.settings.base import BASE_DIR

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: every atomic() takes the write lock at BEGIN, so booking transactions are
    # serialised instead of failing with "database is locked" when they upgrade a read lock.
    # WAL: readers no longer wait for a booking's write lock, nor block it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL",
    }
    # Statistics for the query planner, kept up to date as connections close (see the module).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # SQLite connections are cheap and not thread-shareable; persistence gains nothing.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
