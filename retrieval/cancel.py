"""Calling off a long build: a stopping bot must not wait for an index it will never use.

A build runs for seconds to minutes, on the main thread at start-up and on the watcher
thread afterwards, and Python cannot interrupt another thread. So a build is handed a
``check`` callable that it calls between small steps (an article read, a passage tokenized);
once the bot is stopping, ``check`` raises ``Cancelled`` and the build unwinds, keeping
nothing. A new build phase only needs to call ``check`` in its loops, or to iterate its
input through ``checked`` / ``CheckedSequence``, which call it for every item.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, overload

T = TypeVar("T")

Check = Callable[[], None]
"""Raises Cancelled once the build should stop; cheap enough (~0.1 µs) to call per item."""


class Cancelled(Exception):
    """The build was called off because the bot is stopping; what it had made is dropped."""


def never() -> None:
    """The check of a build that nothing stops (tests, scripts)."""


def cancelled_by(event: threading.Event) -> Check:
    def check() -> None:
        if event.is_set():
            raise Cancelled

    return check


def checked(items: Iterable[T], check: Check) -> Iterator[T]:
    """The items, with a check before each: for loops in code that takes no check itself."""
    for item in items:
        check()
        yield item


class CheckedSequence(Sequence[T]):
    """A read-only view that checks on every item read, for a build step that takes a
    sequence (and may both iterate it and index it) but no check of its own."""

    def __init__(self, items: Sequence[T], check: Check) -> None:
        self._items = items
        self._check = check

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        self._check()
        if isinstance(index, slice):
            return CheckedSequence(self._items[index], self._check)
        return self._items[index]

    def __iter__(self) -> Iterator[T]:
        return checked(self._items, self._check)
