"""What the browser tests share: where Chromium is, the demo password, and the small steps many
tests take (signing in to the admin, getting a token, reading the CSP violations)."""

import json
import os
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "clinic-demo-pass"

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - the dev requirements install it
    expect = sync_playwright = None

AVAILABLE = sync_playwright is not None and Path(CHROMIUM).exists()
UNAVAILABLE = f"Browser tests need Playwright and Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)."


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
