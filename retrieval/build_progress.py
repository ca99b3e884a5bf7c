"""How a long build tells how far it got: every few thousand items, and at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

Progress = Callable[[str, int, int], None]
"""Told how far a long build has got: the stage, items done, items in all."""
Count = Callable[[int, int], None]
"""Told how far one stage has got: items done, items in all."""
EVERY = 5000


def reported(items: Iterable[T], total: int, count: Count | None) -> Iterator[T]:
    """The items, with ``count`` told after every ``EVERY``-th one and after the last."""
    for number, item in enumerate(items, 1):
        yield item
        if count is not None and (number % EVERY == 0 or number == total):
            count(number, total)
