"""Progress of a long index build: a bar on a terminal, log lines elsewhere.

A build over a large archive takes minutes; a console that stays silent that long looks
hung. On a terminal each stage gets a tqdm bar with its rate and time left; in a log (a
service, a container, a file) one line per stage every few seconds says how far it got and
how long the stage has left at its pace so far, without flooding the log of a small build,
which finishes before the first line is due.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from tqdm import tqdm


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


class BarProgress:
    """One bar per build stage, closed when the next stage reports or the build ends.

    A small build would only flash bars by: none is shown before ``delay_seconds``."""

    def __init__(self, stream: TextIO, delay_seconds: float = 1.0) -> None:
        self._stream = stream
        self._delay = delay_seconds
        self._stage = ""
        self._bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        # Imported on a build's first report: a warm start never pays tqdm's ~30 ms.
        from tqdm import tqdm

        if stage != self._stage or self._bar is None:
            self.close()
            self._stage = stage
            self._bar = tqdm(
                total=total,
                desc=f"building the index: {stage}",
                file=self._stream,
                delay=self._delay,
                unit_scale=True,
                leave=True,
                dynamic_ncols=True,
            )
        self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def console_progress(
    log: logging.Logger, stream: TextIO, delay_seconds: float = 1.0
) -> Callable[[str, int, int], None]:
    """A bar when ``stream`` is a terminal someone watches, else log lines."""
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return BarProgress(stream, delay_seconds)
    return LogProgress(log)


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min"
