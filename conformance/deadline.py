"""The wall-clock limit of one run, whatever its instruction budget says.

A ``Deadline`` calls ``stop()`` from a watcher thread once its time is up, and again
every ``REPEAT`` seconds until it is closed, since a request that lands while the
engine is between two slices of its run is not seen by the next one. The engine
checks ``expired`` when it returns: a run stopped that way is reported as a timeout,
never as a result (where it stopped depends on the host's speed).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

REPEAT = 0.05  # seconds between two stop requests after the deadline


class Deadline:
    def __init__(self, seconds: float, stop: Callable[[], object]):
        self.seconds = seconds
        self.expired = False
        self._stop = stop
        self._closed = threading.Event()
        self._lock = threading.Lock()  # close() waits for a stop() under way
        self._thread = threading.Thread(target=self._watch, name="run-deadline", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        if self._closed.wait(self.seconds):
            return
        self.expired = True
        while True:
            with self._lock:
                if self._closed.is_set():
                    return
                with contextlib.suppress(Exception):  # a failed request is made again
                    self._stop()
            if self._closed.wait(REPEAT):
                return

    def close(self) -> None:
        """No stop request after this returns."""
        with self._lock:
            self._closed.set()
        self._thread.join()

    def __enter__(self) -> Deadline:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
