"""The database: DATABASE_URL (default a SQLite file next to the project), and how long a web
request may wait for it."""

import dj_database_url

from config.env import env_bool, env_int, env_str
from config.settings.base import BASE_DIR

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}

# How long a web request waits for the database before it answers 503 (seconds). A management
# command (a migration, the task worker) is not a web request and waits as long as it takes.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=1)
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 10_000, minimum=0)
# Set by config/wsgi.py and asgi.py: only web processes get the statement timeout and watchdog.
WEB_PROCESS = env_bool("DJANGO_WEB_PROCESS", False)
# SQLite: how long a write waits for another connection's write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_SECONDS = env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1)
# /api/health/ gives the database this long to answer SELECT 1 before it says 503.
HEALTH_TIMEOUT_SECONDS = env_int("HEALTH_TIMEOUT_SECONDS", 2, minimum=1)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE: every atomic() takes the write lock at BEGIN, so booking transactions are
    # serialised instead of failing with "database is locked" when they upgrade a read lock.
    # WAL: readers no longer wait for a booking's write lock, nor block it.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
        "init_command": "PRAGMA journal_mode=WAL",
    }
    # Statistics for the query planner, kept up to date as connections close (see the module).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    # Kept between requests like PostgreSQL's (DATABASE_CONN_MAX_AGE): a new connection per
    # request cost 2-4 ms of a 4 ms list (opening, the WAL pragma, a cold page cache, the
    # planner upkeep at close), measured for issue 19. Connections are per thread, never shared.
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with the query watchdog in web processes (see the module).
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Parameters bound by the server, and each statement a connection runs twice prepared
        # (psycopg): planning a list's seven-table join cost more than running it. Measured for
        # issue 19: an appointments page 6.5 -> 5.2 ms, free slots 9.9 -> 8.6 ms. Turn it off
        # behind a pooler in transaction mode that cannot keep prepared statements (PgBouncer
        # before 1.21), and restart web processes after a migration, as always.
        options["server_side_binding"] = True
        options["prepare_threshold"] = 2
    if WEB_PROCESS and DATABASE_STATEMENT_TIMEOUT_MS:
        # The server cancels a statement that runs longer (a lock held too long, a slow plan);
        # a server that stops answering at all is the query watchdog's (config/db_watchdog.py).
        options["options"] = f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
