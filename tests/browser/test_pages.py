"""The pages people look at, in a real browser: Swagger UI, ReDoc, the Django admin and Silk.

The server and the browser are tests/browser/conftest.py's. Each test saves a screenshot in its
temporary folder and checks what is on the screen, not just a status, and that the browser
reported no Content-Security-Policy violation on any page it opened. Skipped, with the reason,
where Chromium or Playwright is missing (`.ci/run` installs Chromium).
"""

import re
import time
import urllib.request

import pytest

from tests.browser.support import AVAILABLE, PASSWORD, UNAVAILABLE, admin_login, expect, token_for

# One live server for the session, on one xdist worker (make test runs with --dist loadgroup):
# these tests only read the demo data, so they can share it.
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TAGS = ["auth", "users", "doctors", "patients", "appointments", "clinical records", "reports", "audit", "system"]

if not AVAILABLE:
    pytest.skip(UNAVAILABLE, allow_module_level=True)


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
    page.goto(f"{server['base']}/admin/appointments/appointment/?day=any")  # it opens on today
    expect(page.locator("#content h1")).to_contain_text("appointment")
    page.screenshot(path=tmp_path / "admin-appointments.png")

    page.locator("#changelist-filter").get_by_role("link", name="Completed").click()
    expect(page).to_have_url(re.compile(r"status__exact=completed"))
    # Read the rows only once the filtered page has replaced the first one.
    expect(page.locator("#changelist-filter li.selected", has_text="Completed")).to_be_visible()
    statuses = page.locator("#result_list td.field-status_label")
    expect(statuses.first).to_be_visible()
    expect(statuses.filter(has_not_text="Completed")).to_have_count(0)
    assert statuses.count() > 0
    page.screenshot(path=tmp_path / "admin-completed.png")

    page.locator("#result_list th.field-when a").first.click()
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
