"""The browser tests' live server and browser: one production-like server (gunicorn, debug off,
whitenoise serving collected static files, Silk on) on 127.0.0.1 with the demo data, shared by
every browser test module on one xdist worker (their tests carry xdist_group("browser")), and
Debian's Chromium driven by Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CSP_LISTENER,
    PASSWORD,
    ROOT,
    csp_violations,
    expect,
    sync_playwright,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """gunicorn on 127.0.0.1 with demo data: migrated, seeded and collected into a fresh folder."""
    home = tmp_path_factory.mktemp("server")
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": "browser-tests-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(home / "static"),
        "SILK_ENABLED": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        # As `make run`: the demo admin logs in without a second factor (one test enrols a user).
        "MFA_REQUIRED_ROLES": "none",
    }
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "seed_demo")
    _manage(env, "collectstatic", "--noinput", "-v", "0")
    # A receptionist with a confirmed authenticator app, to sign in to the admin with a code.
    otp_key = _manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from accounts import services; from django_otp.plugins.otp_totp.models import TOTPDevice; "
        "u = services.user_create(username='desk.otp', password='" + PASSWORD + "', role='receptionist'); "
        "d = TOTPDevice.objects.create(user=u, name='app', confirmed=True); print(d.key)",
    ).strip()
    # The front desk's day: Dr House also works all of today (a date override), and Bob has a
    # confirmed visit at the first free start from now, for the receptionist to check in.
    today_visit = _manage(
        env, "shell", "--no-imports", "-c", (ROOT / "tests" / "browser" / "front_desk_day.py").read_text()
    ).strip()
    # A signed-in session for a patient, to show Silk refuses people who are not staff.
    patient_session = _manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.sessions.backends.db import SessionStore; from accounts.models import User; "
        "u = User.objects.get(username='alice'); s = SessionStore(); s['_auth_user_id'] = str(u.pk); "
        "s['_auth_user_backend'] = 'accounts.backends.UsernameOrEmailBackend'; "
        "s['_auth_user_hash'] = u.get_session_auth_hash(); s.create(); print(s.session_key)",
    ).strip()
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [gunicorn, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--no-control-socket"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(home / "gunicorn.log", "w"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/api/health/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("gunicorn did not start: " + (home / "gunicorn.log").read_text())
    yield {"base": base, "patient_session": patient_session, "otp_key": otp_key, "today_visit": today_visit}
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    # Generous: on a 2-core CI machine beside other test workers, ReDoc took over 5 s (expect's
    # default) to lay out the whole schema.
    page.set_default_timeout(20_000)
    expect.set_options(timeout=20_000)
    yield page
    reported = csp_violations(page) + [text for text in console if "Content Security Policy" in text]
    context.close()
    assert reported == [], "the Content-Security-Policy blocked something these pages need"
