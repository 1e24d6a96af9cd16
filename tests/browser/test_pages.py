"""The pages people look at, in a real browser: Swagger UI, ReDoc, the Django admin and Silk.

A production-like server (gunicorn, debug off, whitenoise serving collected static files, Silk
on) runs on 127.0.0.1 with the demo data; Debian's Chromium is driven by Playwright. Each test
saves a screenshot in its temporary folder and checks what is on the screen, not just a status,
and that the browser reported no Content-Security-Policy violation on any page it opened.
Skipped, with the reason, where Chromium or Playwright is missing (`.ci/run` installs Chromium).
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# One live server for the module, on one xdist worker (make test runs with --dist loadgroup):
# these tests only read the demo data, so they can share it.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "clinic-demo-pass"
TAGS = ["auth", "users", "doctors", "patients", "appointments", "clinical records", "reports", "audit", "system"]

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the dev requirements install it
    sync_playwright = None

if sync_playwright is None or not Path(CHROMIUM).exists():
    pytest.skip(
        f"Browser tests need Playwright and Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it).",
        allow_module_level=True,
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
    yield {"base": base, "patient_session": patient_session, "otp_key": otp_key}
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser():
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


# Collects every Content-Security-Policy violation the page reports (the event fires for blocked
# scripts, styles, images, workers and frames alike).
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`);
});
"""


def csp_violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")


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


def token_for(server, username: str) -> str:
    body = json.dumps({"username": username, "password": PASSWORD}).encode()
    request = urllib.request.Request(
        f"{server['base']}/api/token/", data=body, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["access"]


def admin_login(page, server, username="admin", otp=""):
    page.goto(f"{server['base']}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    if otp:
        page.fill("#id_otp", otp)
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_contain_text("administration")


# --- Swagger UI and ReDoc ---------------------------------------------------------------------------


def test_swagger_ui_renders_every_tag_authorizes_and_tries_the_doctors_list(page, server, tmp_path):
    page.goto(f"{server['base']}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Hospital appointments")
    for tag in TAGS:
        expect(page.locator(f'.opblock-tag[data-tag="{tag}"]')).to_be_visible()
    page.screenshot(path=tmp_path / "swagger.png", full_page=False)

    page.click("button.authorize")
    # The first scheme is the access token (the second, the MFA enrolment token).
    jwt_auth = page.locator(".auth-container").first
    jwt_auth.locator("input").fill(token_for(server, "admin"))
    jwt_auth.locator(".auth-btn-wrapper button.authorize").click()
    expect(jwt_auth).to_contain_text("Authorized")
    page.click("button.btn-done")

    operation = page.locator("#operations-doctors-doctors_list")
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    response = operation.locator(".live-responses-table .response")
    expect(response.locator(".response-col_status").first).to_contain_text("200")
    expect(response.locator(".response-col_description")).to_contain_text("House")
    page.screenshot(path=tmp_path / "swagger-try-it-out.png", full_page=False)


def test_redoc_renders_the_whole_api(page, server, tmp_path):
    page.goto(f"{server['base']}/api/redoc/")

    expect(page.locator("h1").first).to_contain_text("Hospital appointments and treatments API")
    for tag in TAGS:
        expect(page.get_by_role("menuitem", name=tag, exact=True)).to_be_visible()
    expect(page.locator("h2", has_text="Book a visit").first).to_be_visible()
    page.screenshot(path=tmp_path / "redoc.png")


# --- The Django admin ---------------------------------------------------------------------------------


def test_admin_filters_appointments_by_status_and_opens_one(page, server, tmp_path):
    admin_login(page, server)
    page.goto(f"{server['base']}/admin/appointments/appointment/")
    expect(page.locator("#content h1")).to_contain_text("appointment")
    page.screenshot(path=tmp_path / "admin-appointments.png")

    page.locator("#changelist-filter").get_by_role("link", name="Completed").click()
    expect(page).to_have_url(re.compile(r"status__exact=completed"))
    # Read the rows only once the filtered page has replaced the first one.
    expect(page.locator("#changelist-filter li.selected", has_text="Completed")).to_be_visible()
    statuses = page.locator("#result_list td.field-status")
    expect(statuses.first).to_be_visible()
    expect(statuses.filter(has_not_text="Completed")).to_have_count(0)
    assert statuses.count() > 0
    page.screenshot(path=tmp_path / "admin-completed.png")

    page.locator("#result_list th.field-start a").first.click()
    expect(page.locator("#content h1")).to_contain_text("Change appointment")
    expect(page.locator(".inline-group")).to_contain_text("Completed")
    page.screenshot(path=tmp_path / "admin-appointment.png", full_page=True)


def test_admin_sign_in_asks_for_the_code_of_an_enrolled_account(page, server, tmp_path):
    from binascii import unhexlify

    from django_otp.oath import TOTP

    page.goto(f"{server['base']}/admin/login/")
    page.fill("#id_username", "desk.otp")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("Enter the code from your authenticator app")
    page.screenshot(path=tmp_path / "admin-login-code.png")

    time.sleep(1.5)  # django-otp lets a second try come only after a pause
    admin_login(page, server, username="desk.otp", otp=f"{TOTP(unhexlify(server['otp_key'])).token():06d}")
    page.screenshot(path=tmp_path / "admin-signed-in-with-code.png")


def test_the_account_pages_render_under_the_policy(page, server, tmp_path):
    page.goto(f"{server['base']}/account/password-reset/?uid=MQ&token=x-y")
    expect(page.locator("h1")).to_contain_text("Choose a new password")
    page.fill("#id_new_password", "a-fresh-long-phrase-1")
    page.fill("#id_repeat", "a-fresh-long-phrase-1")
    page.click("button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("invalid, already used or expired")
    page.screenshot(path=tmp_path / "account-reset.png")


# --- Silk ---------------------------------------------------------------------------------------------


def test_silk_lists_the_requests_just_made(page, server, tmp_path):
    token = token_for(server, "admin")
    request = urllib.request.Request(f"{server['base']}/api/doctors/", headers={"Authorization": f"Bearer {token}"})
    urllib.request.urlopen(request, timeout=10).read()
    admin_login(page, server)

    page.goto(f"{server['base']}/silk/requests/")

    expect(page.locator("body")).to_contain_text("/api/doctors/")
    page.screenshot(path=tmp_path / "silk.png")


def test_silk_refuses_anonymous_and_non_staff_users(browser, server, tmp_path):
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{server['base']}/silk/")
    expect(anonymous.locator("#id_username")).to_be_visible()  # sent to the login page
    assert "/silk/" not in anonymous.url.split("?")[0]
    anonymous.screenshot(path=tmp_path / "silk-anonymous.png")

    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": server["patient_session"], "url": server["base"]}])
    patient = context.new_page()
    response = patient.goto(f"{server['base']}/silk/")

    assert response.status == 403
    expect(patient.locator("body")).not_to_contain_text("/api/")
    patient.screenshot(path=tmp_path / "silk-patient.png")
