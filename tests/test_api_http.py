"""api.http runs top to bottom against the demo data: every request, in order, answers the status
written above it (`# expect: NNN`), on a live server loaded with `manage.py seed_demo`.

The clock is set to a Wednesday morning in clinic hours, so the walk-in and check-in examples
find the doctor on duty whatever the hour the suite runs at; the demo data is made relative to
that day, as `make run` makes it relative to the day it runs."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from tests.tools.http_file import Runner, parse

ROOT = Path(__file__).resolve().parent.parent
REQUESTS, VARIABLES = parse((ROOT / "api.http").read_text())

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_every_request_says_what_status_it_expects():
    missing = [f"line {request.line}: {request.method} {request.url}" for request in REQUESTS if request.expect is None]

    assert len(REQUESTS) > 100
    assert missing == [], "add a `# expect: NNN` line above each of these requests"


@time_machine.travel(datetime(2027, 3, 10, 9, 30, tzinfo=UTC), tick=True)
def test_api_http_runs_top_to_bottom_against_the_demo_data(live_server):
    call_command("seed_demo", verbosity=0)
    runner = Runner(VARIABLES, overrides={"host": live_server.url})
    failures = []

    for request in REQUESTS:
        try:
            response = runner.send(request)
        except KeyError as missing:  # a variable from an earlier response that failed
            failures.append(f"line {request.line} {request.method} {request.url}: {missing}")
            continue
        if response.status != request.expect:
            shown = str(response.body)[:400]
            failures.append(
                f"line {request.line} {request.method} {runner.resolve(request.url)}: "
                f"expected {request.expect}, got {response.status}: {shown}"
            )

    assert failures == [], "\n".join(failures)
