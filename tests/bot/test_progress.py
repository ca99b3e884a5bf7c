"""Build progress on the console: a bar on a terminal; elsewhere a line every few seconds,
none for a quick build."""

import io
import logging

from bot.progress import BarProgress, LogProgress, console_progress


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


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_per_stage_with_its_count():
    terminal = Terminal()
    progress = console_progress(logging.getLogger("build"), terminal, delay_seconds=0)
    assert isinstance(progress, BarProgress)
    for stage in ("tokenizing", "finding names"):
        for done in (500, 1000):
            progress(stage, done, 1000)

    shown = terminal.getvalue()
    assert "building the index: tokenizing" in shown and "finding names" in shown
    assert "1.00k/1.00k" in shown


def test_a_log_file_gets_log_lines_not_a_bar():
    assert isinstance(console_progress(logging.getLogger("build"), io.StringIO()), LogProgress)
