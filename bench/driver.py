"""The load benchmark's parent side: scenarios, gunicorn on 127.0.0.1, wrk against it, the tables."""

import os
import re
import subprocess
import sys
from pathlib import Path

from common import BENCH_ENV, RESULTS, start_gunicorn

WORKERS = 4
SCENARIOS = [
    "health",
    "appointments, first page",
    "appointments, filtered page",
    "slots, 31 days",
    "doctors list",
    "booking",
    "summary report",
]
# Our list and the plain DRF list of the same rows it is compared with (bench/floor_urls.py).
FLOOR = {
    "appointments, first page": "/floor/appointments/",
    "appointments, filtered page": "/floor/appointments/?{query}",
    "doctors list": "/floor/doctors/",
}
ALTERNATED = ["health", *FLOOR]
ROLE = {"health": None, "slots, 31 days": "patient", "doctors list": "patient"}
# The project's settings with bench/floor_urls.py as URLs: our API and the floor in one server.
# Tokens are minted in prepare() and must outlive a run.
LOAD_ENV = {"DJANGO_SETTINGS_MODULE": "bench.floor_settings", "JWT_ACCESS_MINUTES": "240"}


def start_server(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV, **LOAD_ENV, "DATABASE_URL": url}
    return start_gunicorn(env, port, workers=WORKERS, stderr=(RESULTS / f"gunicorn-{port}.log").open("w"))


def wrk(url: str, *, duration: int, concurrency: int, token: str | None = None, script: Path | None = None) -> dict:
    command = ["wrk", "--latency", "-t", "2", "-c", str(concurrency), "-d", f"{duration}s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in socket.groups()) if socket else 0,
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


BOOKING_LUA = """
local bookings = {%s}
local counter = 0
local offset, step = 0, 1
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  offset, step = id, 2
end
request = function()
  local index = offset + counter * step + 1
  counter = counter + 1
  if index > #bookings then index = ((index - 1) %% #bookings) + 1 end
  local b = bookings[index]
  return wrk.format("POST", "/api/appointments/", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. b[1]
  }, b[2])
end
"""


def lua_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def measure(base: str, plan: dict, key: str, *, duration: int, concurrency: int) -> dict:
    """One wrk run of a GET scenario; stops the benchmark if any answer was not 2xx/3xx, since
    a flood of 401s or 500s would make the figures meaningless."""
    who = ROLE.get(key.removeprefix("floor: "), "admin")
    result = wrk(
        base + plan["paths"][key], duration=duration, concurrency=concurrency, token=plan[who] if who else None
    )
    if result["non_2xx"]:
        sys.exit(
            f"{key}: {result['non_2xx']} of {result['requests']} answers not 2xx/3xx (see bench/results/gunicorn-*.log)"
        )
    if result["socket_errors"]:
        print(f"  ! {key}: {result['socket_errors']} socket errors (connect/read/write/timeout)", flush=True)
    result["queries"] = plan["queries"].get(key, 1)
    return result


def show(key: str, result: dict) -> None:
    line = f"{result['rps']:>8.1f} req/s  p50 {result['p50']:>7.1f} ms  p99 {result['p99']:>7.1f} ms"
    print(f"  {key:<37} {line}", flush=True)


def floor_table(all_results: dict, rounds: int) -> list[str]:
    lines = [
        f"\n### Ours against the floor (medians of {rounds} alternated runs; req/s)\n",
        "| database | size | scenario | ours | floor | ours / floor | ours / health | floor / health | queries |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for (engine, size), results in sorted(all_results.items()):
        health = results["health"]["rps"]
        lines.append(f"| {engine} | {size:,} | health | {health:.0f} | | | 1 | | {results['health']['queries']} |")
        for scenario in FLOOR:
            ours, floor = results[scenario], results[f"floor: {scenario}"]
            lines.append(
                f"| {engine} | {size:,} | {scenario} | {ours['rps']:.0f} | {floor['rps']:.0f} "
                f"| {ours['rps'] / floor['rps']:.2f}x | {ours['rps'] / health:.3f}x | {floor['rps'] / health:.3f}x "
                f"| {ours['queries']} / {floor['queries']} |"
            )
    return lines


def table(all_results: dict, rounds: int) -> str:
    sizes = sorted({size for (_, size) in all_results})
    lines = []
    for engine in sorted({engine for (engine, _) in all_results}):
        lines.append(f"\n### {engine}\n")
        header = "| scenario | " + " | ".join(f"{size:,}: req/s, p50 / p99 ms" for size in sizes) + " | queries |"
        lines += [header, "|---|" + "---:|" * (len(sizes) + 1)]
        for scenario in SCENARIOS:
            cells = []
            for size in sizes:
                r = all_results.get((engine, size), {}).get(scenario)
                cells.append(f"{r['rps']:.0f}, {r['p50']:.1f} / {r['p99']:.1f}" if r else "")
            queries = next(
                (all_results[(engine, s)][scenario]["queries"] for s in sizes if (engine, s) in all_results), ""
            )
            lines.append(f"| {scenario} | " + " | ".join(cells) + f" | {queries} |")
        for size in sizes:
            booking = all_results.get((engine, size), {}).get("booking")
            if booking:
                lines.append(
                    f"\nBooking at {size:,}: {booking['requests']} requests, {booking['non_2xx']} refused, "
                    f"{booking['double_bookings']} double bookings."
                )
    return "\n".join(lines + floor_table(all_results, rounds))
