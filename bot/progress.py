"""Progress of a long index build, as log lines on the console.

A build over a large archive takes minutes; a console that stays silent that long looks
hung. One line per stage every few seconds says how far it got and how long the stage has
left at its pace so far, without flooding the log of a small build, which finishes before the
first line is due.
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
        self._began: dict[str, tuple[float, int]] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = self._clock()
        # A stage is timed from its first report: the items counted then came almost free.
        began_at, began_with = self._began.setdefault(stage, (now, done))
        last = self._last.get(stage, self._started)
        if now - last < self._every and (done < total or stage not in self._last):
            return
        self._last[stage] = now
        percent = 100 * done // total if total else 100
        elapsed = now - began_at
        if done >= total:
            timing = f" in {_duration(elapsed)}"
        elif done > began_with:
            left = elapsed / (done - began_with) * (total - done)
            timing = f", about {_duration(left)} left"
        else:
            timing = ""
        self._log.info(
            "building the index: %s %d%% (%s of %s)%s",
            stage,
            percent,
            f"{done:,}",
            f"{total:,}",
            timing,
        )


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
