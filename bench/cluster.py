"""A throwaway PostgreSQL cluster on a free port, for bench/faults.py (never the shared server)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(next(Path("/usr/lib/postgresql").glob("*/bin")))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command: str) -> None:
    runner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*runner, *command], check=True, capture_output=True)


class Cluster:
    def __init__(self):
        self.home = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.port = free_port()
        shutil.chown(self.home, "postgres") if os.geteuid() == 0 else None
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.home / "data"), "-A", "trust", "-U", "postgres")
        self.start()
        subprocess.run(["psql", f"{self.url('postgres')}", "-q", "-c", "CREATE DATABASE faults"], check=True)

    def url(self, name="faults") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        options = f"-p {self.port} -k {self.home} -c listen_addresses=127.0.0.1 -c max_connections=200"
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.home / "data"),
            "-o",
            options,
            "-w",
            "-l",
            str(self.home / "log"),
            "start",
        )

    def restart(self):
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.home / "data"), "-m", "fast", "-w", "stop")
        time.sleep(1.0)  # down for a second: requests in that second answer 503
        self.start()

    def destroy(self):
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.home / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.home, ignore_errors=True)
