"""A client-side deadline for database calls of web requests.

The server's statement_timeout cancels a statement that runs too long, but a server that stops
answering altogether (frozen, or its host gone without a reset) cancels nothing: the worker
would wait for ever on the socket, and the next requests behind it. The watchdog is one thread
per process that, when a call has been waiting past its deadline, shuts the connection's socket
down: the waiting call fails at once with OperationalError, the connection is discarded, and
the request answers 503 (config/exceptions.py) in seconds instead of tying up the worker.
"""

import itertools
import logging
import socket
import threading
import time
from contextlib import contextmanager

logger = logging.getLogger(__name__)


class Watchdog:
    def __init__(self, tick: float = 0.25):
        self.tick = tick
        self.lock = threading.Lock()
        self.waiting: dict[int, tuple[float, int]] = {}  # token -> (deadline, socket fd)
        self.tokens = itertools.count()
        self.thread: threading.Thread | None = None

    @contextmanager
    def guard(self, fileno: int, seconds: float):
        """While inside, the socket `fileno` is shut down if the block takes longer than `seconds`."""
        self._start()
        token = next(self.tokens)
        with self.lock:
            self.waiting[token] = (time.monotonic() + seconds, fileno)
        try:
            yield
        finally:
            with self.lock:
                self.waiting.pop(token, None)

    def _start(self):
        if self.thread is None or not self.thread.is_alive():
            with self.lock:
                if self.thread is None or not self.thread.is_alive():
                    self.thread = threading.Thread(target=self._watch, name="db-watchdog", daemon=True)
                    self.thread.start()

    def _watch(self):
        while True:
            time.sleep(self.tick)
            now = time.monotonic()
            with self.lock:
                late = [(token, fileno) for token, (deadline, fileno) in self.waiting.items() if deadline <= now]
                for token, _ in late:
                    self.waiting.pop(token, None)
            for _, fileno in late:
                self._cut(fileno)

    @staticmethod
    def _cut(fileno: int) -> None:
        logger.error("The database has not answered in time: closing the connection (fd %d).", fileno)
        try:
            # A duplicate of the descriptor: shutting it down ends the connection for the waiting
            # call too, and closing the duplicate leaves the original for the driver to close.
            with socket.fromfd(fileno, socket.AF_INET, socket.SOCK_STREAM) as duplicate:
                duplicate.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed


watchdog = Watchdog()
