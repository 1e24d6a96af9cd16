"""Test settings: production settings (debug off) with test-friendly environment defaults.

Everything still comes from config.settings; only what a test run needs differs: no HTTPS
redirect, plain static storage (no collectstatic), a fast password hasher, a file SQLite test
database (so threads in the concurrency tests share it), in-memory e-mail.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-key-" + "x" * 50)
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DJANGO_SECURE_COOKIES", "0")
os.environ.setdefault("SILK_ENABLED", "0")
# Production requires a second factor of admins; tests that log in as one would each need to
# enrol. The rule itself is tested with override_settings (tests/accounts/test_mfa.py).
os.environ.setdefault("MFA_REQUIRED_ROLES", "none")

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, DATABASES, STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Files of one test run (the SQLite database, throttle counters) carry the run's id, so two runs
# side by side do not share them; processes a test starts inherit the id and open the same files.
RUN_ID = os.environ.setdefault("PYTEST_DB_RUN_ID", str(os.getpid()))
if DATABASES["default"]["ENGINE"] == "config.sqlite":
    # xdist adds _gw0, _gw1, ... per worker.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".pytest-db-{RUN_ID}.sqlite3")}
# Throttle counters (on SQLite, in a file of their own): one file per test worker.
THROTTLE_SQLITE_PATH = str(
    BASE_DIR / f".pytest-throttle-{RUN_ID}-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.sqlite3"
)

# Serve static files from the apps (as runserver does) instead of a collectstatic folder.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SMS_BACKEND = "config.sms.LocMemSmsBackend"
