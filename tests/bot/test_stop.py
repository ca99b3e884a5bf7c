"""Stopping never waits for an index build: SIGTERM (or ``LiveCorpus.stop``) ends the bot
within seconds whether it is building its first index, rebuilding in the background or idle."""

from __future__ import annotations

import logging
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from telegram_stand_in import TOKEN

from bot.cli import live_corpus
from config import Settings

ROOT = Path(__file__).parents[2]
SEEDS = ROOT / "seeds"
GRACE = 5.0
"""Well inside Docker's 10 s between SIGTERM and SIGKILL."""


def write_articles(folder: Path, count: int, seed: int = 3) -> None:
    """Short made-up articles with names, enough for a build of several seconds."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    words = ["".join(rng.choices(syllables, k=3)) for _ in range(4000)]
    names = [w.capitalize() for w in words[:500]]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        paragraphs = [
            f"Minister {rng.choice(names)} {rng.choice(names)} met "
            f"{rng.choice(names)} {rng.choice(names)} in {rng.choice(names)}. "
            + " ".join(rng.choices(words, k=40))
            + "."
            for _ in range(5)
        ]
        (folder / f"gen{number:05d}.txt").write_text(
            f" date 2024-01-{1 + number % 28:02d} Talks number {number}\n\n"
            + "\n\n".join(paragraphs)
            + "\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    write_articles(folder, 1200)
    return folder


class Bot:
    """``python -m bot`` in its own process, its log collected line by line as it comes."""

    def __init__(self, articles: Path, cache: Path, *args: str, **env: str) -> None:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        environment |= {
            "ARTICLES_DIR": str(articles),
            "CACHE_DIR": str(cache),
            "RELOAD_SECONDS": "0.1",
            **env,
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=ROOT,
            env=environment,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.lines):
            assert self.process.poll() is None, self.log
            assert time.monotonic() < deadline, f"no {text!r} in\n{self.log}"
            time.sleep(0.01)

    def terminate(self) -> tuple[float, int]:
        """Seconds from SIGTERM to exit, and the exit code."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(30)
        finally:
            self.process.kill()
        self._reader.join(5)
        return time.monotonic() - started, code

    @property
    def log(self) -> str:
        return "".join(self.lines)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    return articles


def start_rebuild(bot: Bot, folder: Path, generated: Path) -> None:
    """Adds the generated articles (as hard links: instant) and waits for the rebuild."""
    for path in generated.iterdir():
        os.link(path, folder / path.name)
    bot.wait_for("rebuilding the index")
    time.sleep(0.3)


def test_sigterm_while_idle_stops_at_once(folder, tmp_path):
    bot = Bot(folder, tmp_path / "cache", "chat")
    bot.wait_for("console mode")

    seconds, code = bot.terminate()

    assert seconds < GRACE and code == 0, bot.log
    assert "stopped by SIGTERM" in bot.log and "Traceback" not in bot.log


def test_sigterm_during_the_first_build_stops_it(generated, tmp_path):
    bot = Bot(generated, tmp_path / "cache", "chat")
    bot.wait_for("building the index of")
    time.sleep(0.3)

    seconds, code = bot.terminate()

    assert seconds < GRACE and code == 0, bot.log
    assert "console mode" not in bot.log and "Traceback" not in bot.log
    assert not any((tmp_path / "cache").glob("*/checksums.json"))


def test_sigterm_during_a_background_rebuild_cancels_it(folder, generated, tmp_path):
    bot = Bot(folder, tmp_path / "cache", "chat")
    bot.wait_for("console mode")
    start_rebuild(bot, folder, generated)

    seconds, code = bot.terminate()

    assert seconds < GRACE and code == 0, bot.log
    assert "index rebuild cancelled" in bot.log and "now answering" not in bot.log
    assert "Traceback" not in bot.log


def test_sigterm_during_ask_says_the_batch_is_incomplete(generated, tmp_path):
    bot = Bot(generated, tmp_path / "cache", "ask", "--json")
    bot.wait_for("building the index of")

    seconds, code = bot.terminate()

    assert seconds < GRACE and code == 128 + signal.SIGTERM, bot.log


async def test_sigterm_in_telegram_mode_does_not_wait_for_a_rebuild(
    telegram, folder, generated, tmp_path
):
    bot = Bot(
        folder,
        tmp_path / "cache",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_BASE_URL=telegram.base_url,
    )
    try:
        await telegram.wait_until(lambda: bool(telegram.calls_to("getUpdates")), "a poll", 20)
    finally:
        start_rebuild(bot, folder, generated)
        seconds, code = bot.terminate()

    assert seconds < GRACE and code == 0, bot.log
    assert "index rebuild cancelled" in bot.log and "now answering" not in bot.log


@pytest.fixture
def quiet_cli_log() -> Iterator[None]:
    logger = logging.getLogger("bot.cli")
    level = logger.level
    logger.setLevel(logging.WARNING)
    yield
    logger.setLevel(level)


def test_stop_cancels_a_rebuild_under_way(folder, generated, tmp_path, caplog, quiet_cli_log):
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    corpus = live_corpus(settings)
    first = corpus()
    caplog.set_level(logging.INFO, logger="retrieval.live")
    corpus.watch(0.02)
    for path in generated.iterdir():
        os.link(path, folder / path.name)
    deadline = time.monotonic() + 20
    while "rebuilding" not in caplog.text:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)

    started = time.monotonic()
    corpus.stop()

    assert time.monotonic() - started < 1.0
    assert "index rebuild cancelled" in caplog.text
    assert corpus() is first
    assert not [t for t in threading.enumerate() if t.name == "articles-watcher"]
