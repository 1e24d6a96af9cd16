"""Django's SQLite backend plus the upkeep SQLite's own docs ask of short-lived connections, and
writers that queue instead of polling.

Statistics. SQLite keeps no statistics unless asked, and without them its planner guesses: on
100,000 appointments it answered "one doctor's completed visits this month" from the (status,
start) index, reading every completed visit of the month, instead of (doctor, start). `PRAGMA
optimize` when a connection closes gathers statistics for the tables that connection used, when
they are missing or stale; `analysis_limit` bounds that work (14 ms on a million rows, once;
microseconds after). See https://sqlite.org/lang_analyze.html#periodically_run_pragma_optimize_.

Writers' turns. One transaction writes at a time (BEGIN IMMEDIATE). A writer that finds the
lock taken is left to SQLite's busy handler, which sleeps 1, 2, 5, 10 ... then 100 ms between
tries: under load a long waiter keeps losing to newcomers, and a booking's p99 reached 0.8-1.4 s
at 8 concurrent clients. So each transaction first takes its turn on an advisory lock file next
to the database (flock: held per connection, released by the kernel if the process dies), tried
every half millisecond, and SQLite's lock is then almost always free. Statements outside a
transaction (a read's audit INSERT) do not queue there; they are single short statements.
"""

import fcntl
import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3 import base

TURN_POLL_SECONDS = 0.0005


class DatabaseWrapper(base.DatabaseWrapper):
    _turn_file = None

    def close(self):
        if self.connection is not None and not self.is_in_memory_db() and not self.in_atomic_block:
            try:
                self.connection.execute("PRAGMA analysis_limit=10000")
                self.connection.execute("PRAGMA optimize")
            except self.Database.Error:
                pass  # upkeep only: never fail a request over it
        super().close()
        self._end_turn()

    def _start_transaction_under_autocommit(self):
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._end_turn()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _take_turn(self):
        if self.is_in_memory_db():
            return
        if self._turn_file is None:
            self._turn_file = open(f"{self.settings_dict['NAME']}-writers.lock", "a")  # noqa: SIM115 - kept open
        deadline = time.monotonic() + settings.SQLITE_BUSY_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(self._turn_file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError("database is locked (waited for the writers' turn)") from None
                time.sleep(TURN_POLL_SECONDS)

    def _end_turn(self):
        if self._turn_file is not None:
            fcntl.flock(self._turn_file.fileno(), fcntl.LOCK_UN)
            if self.connection is None:
                self._turn_file.close()
                self._turn_file = None
