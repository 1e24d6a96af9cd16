"""The front desk's day in the admin, in a real browser: a receptionist signs in, opens today's
day sheet, books a patient into a free gap, checks a patient in, and cannot open a clinical
record. Screenshots go to the test's temporary folder; with DOCS_SCREENSHOTS=1 to docs/ (the README
shows them), so a test run leaves the tree as it was."""

import os
import re

import pytest

from tests.browser.support import AVAILABLE, ROOT, UNAVAILABLE, admin_login, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

if not AVAILABLE:
    pytest.skip(UNAVAILABLE, allow_module_level=True)


def test_the_front_desk_books_into_a_gap_checks_in_and_sees_no_clinical_record(page, server, tmp_path):
    if not server["today_visit"]:
        pytest.skip("Too late in the day for a free start today (the override ends at 23:30).")
    docs = ROOT / "docs" if os.environ.get("DOCS_SCREENSHOTS") == "1" else tmp_path
    admin_login(page, server, username="desk")
    expect(page.locator("#content")).not_to_contain_text("Treatments")
    expect(page.locator("#content")).not_to_contain_text("Prescriptions")

    page.goto(f"{server['base']}/admin/appointments/appointment/day-sheet/")
    expect(page.locator("#content h1")).to_contain_text("Day sheet")
    expect(page.locator(".zone-note")).to_contain_text("Times in")
    house = page.locator(".doctor-column", has_text="Dr Gregory House")
    visit = house.locator(f'.visit[data-appointment="{server["today_visit"]}"]')
    expect(visit).to_contain_text("Bob Martin")
    expect(visit.locator(".status-label")).to_have_text("Confirmed")
    expect(house.locator(".gap").first).to_contain_text("Free")
    page.screenshot(path=docs / "front-desk-day-sheet.png")

    # Book Carol into the first free start of Dr House's first gap.
    house.locator(".gap .book-link").first.click()
    expect(page.locator("#content h1")).to_contain_text("Add appointment")
    expect(page.locator("#id_doctor option:checked")).to_have_text("Dr Gregory House")
    start = page.locator("#id_start option:checked").inner_text()
    assert re.match(r"^\d\d:\d\d - \d\d:\d\d$", start), start
    page.locator(".field-patient .select2-selection").click()
    page.locator(".select2-search__field").fill("Carol")
    page.locator(".select2-results__option", has_text="Carol Nguyen").click()
    page.fill("#id_reason", "Walked up to the desk")
    page.screenshot(path=docs / "front-desk-book.png", full_page=True)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("Booked: Carol Nguyen with Dr Gregory House")
    booked = house.locator(".visit", has_text="Carol Nguyen")
    expect(booked).to_contain_text(start.split(" - ")[0])
    expect(booked.locator(".status-label")).to_have_text("Scheduled")

    # Check Bob in: one click on the day sheet, through the same service as the API.
    visit.get_by_role("button", name="Check in").click()
    expect(page.locator(".messagelist")).to_contain_text("checked in")
    expect(visit.locator(".status-label")).to_have_text("Checked in")
    expect(visit.get_by_role("button", name="Check in")).to_have_count(0)
    page.screenshot(path=docs / "front-desk-checked-in.png")

    # Today's list at a 1366-pixel screen: every column fits, no sideways scrolling.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server['base']}/admin/appointments/appointment/")
    expect(page.locator("#changelist-filter li.selected", has_text="Today")).to_be_visible()
    expect(page.locator("#result_list")).to_contain_text("Carol Nguyen")
    expect(page.locator("#result_list .status-label", has_text="Checked in")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=tmp_path / "front-desk-today.png")

    # Clinical records are not the desk's: the pages refuse, whatever the id.
    for path in ("treatments/treatment/", "treatments/treatment/1/change/", "prescriptions/prescription/1/change/"):
        response = page.goto(f"{server['base']}/admin/{path}")
        assert response.status == 403, path
        expect(page.locator("body")).to_contain_text("403")
    page.screenshot(path=tmp_path / "front-desk-treatment-refused.png")
