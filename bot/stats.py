"""Counts for the operator's /stats: questions answered, how many found nothing, and how
long answers took, since the process started."""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

KEPT_TIMES = 10_000
"""Answer times kept for the percentiles: the most recent, so a long-running bot reports
how it does now."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    questions: int
    not_found: int
    p50: float | None
    p95: float | None


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile: a value that was actually measured."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


class Stats:
    def __init__(self) -> None:
        self.questions = 0
        self.not_found = 0
        self._times: deque[float] = deque(maxlen=KEPT_TIMES)

    def record(self, found: bool, seconds: float) -> None:
        self.questions += 1
        if not found:
            self.not_found += 1
        self._times.append(seconds)

    def snapshot(self) -> Snapshot:
        times = list(self._times)
        return Snapshot(
            self.questions, self.not_found, percentile(times, 0.5), percentile(times, 0.95)
        )
