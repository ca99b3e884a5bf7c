"""Build progress on the console: a line every few seconds, none for a quick build."""

import logging

from bot.progress import LogProgress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_quick_build_logs_nothing(caplog):
    clock = Clock()
    progress = LogProgress(logging.getLogger("build"), every_seconds=2, clock=clock)
    with caplog.at_level(logging.INFO):
        for done in range(0, 101, 10):
            clock.now += 0.01
            progress("tokenizing", done, 100)
    assert caplog.records == []


def test_a_long_build_logs_its_percentage_and_its_end(caplog):
    clock = Clock()
    progress = LogProgress(logging.getLogger("build"), every_seconds=2, clock=clock)
    with caplog.at_level(logging.INFO):
        for done in (25, 50, 75, 100):
            clock.now += 1.5
            progress("tokenizing", done, 100)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "building the index: tokenizing 50% (50 of 100), about 3 s left",
        "building the index: tokenizing 100% (100 of 100) in 4 s",
    ]
