"""Progress of a long index build, as log lines on the console.

A build over a large archive takes minutes; a console that stays silent that long looks
hung. One line per stage every few seconds says how far it got, without flooding the log of
a small build, which finishes before the first line is due.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class LogProgress:
    def __init__(
        self,
        log: logging.Logger,
        every_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._log = log
        self._every = every_seconds
        self._clock = clock
        self._started = clock()
        self._last: dict[str, float] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self._clock()
        last = self._last.get(stage, self._started)
        if now - last < self._every and (done < total or stage not in self._last):
            return
        self._last[stage] = now
        percent = 100 * done // total if total else 100
        self._log.info(
            "building the index: %s %d%% (%s of %s)", stage, percent, f"{done:,}", f"{total:,}"
        )
