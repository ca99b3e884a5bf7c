"""The corpus follows its folder while the bot runs, without ever leaving it without answers."""

import logging
import multiprocessing
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import live_corpus
from config import Settings
from retrieval.cancel import Cancelled
from retrieval.corpus import Corpus, load_corpus
from retrieval.entities import EntityIndex
from retrieval.listing import FolderState, folder_state
from retrieval.live import LiveCorpus
from retrieval.search import find
from retrieval.segments import absorb
from retrieval.store import CorpusCache, corpus_key

SEEDS = Path(__file__).parents[2] / "seeds"
NEW_ARTICLE = " date 2024-05-06 Ministers meet\nPetra Novakova met Jonas Lindqvist in Oslo.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    return articles


def live(folder: Path) -> LiveCorpus:
    return LiveCorpus(lambda _: load_corpus(folder, 5_000_000), lambda: folder_state(folder))


def test_nothing_is_rebuilt_while_the_folder_is_unchanged(folder):
    corpus = live(folder)
    before = corpus()
    assert corpus.refresh() is False
    assert corpus() is before


def test_a_new_article_is_answered_after_a_refresh(folder):
    corpus = live(folder)
    assert not find(corpus(), "Who did Petra Novakova meet?").findings

    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    assert corpus.refresh() is True
    assert "Lindqvist" in find(corpus(), "Who did Petra Novakova meet?").findings[0].counterparts[0]


def test_removed_articles_are_no_longer_quoted(folder):
    corpus = live(folder)
    gone = sorted(folder.glob("*.txt"))[0]
    gone.unlink()
    assert corpus.refresh() is True
    assert gone.stem not in corpus().articles


def test_a_folder_emptied_by_mistake_keeps_the_last_good_articles(folder):
    corpus = live(folder)
    count = len(corpus().articles)
    for path in folder.glob("*.txt"):
        path.unlink()
    assert corpus.refresh() is False
    assert len(corpus().articles) == count


def held_rebuild(
    folder: Path, release: threading.Event, building: threading.Event
) -> Callable[[object], Corpus]:
    """A build whose second and later runs (the rebuilds) wait for ``release``, having set
    ``building``."""
    builds = []

    def build(_: object) -> Corpus:
        builds.append(1)
        if len(builds) > 1:
            building.set()
            release.wait(10)
        return load_corpus(folder, 5_000_000)

    return build


def test_questions_are_answered_from_the_old_corpus_during_a_rebuild(folder):
    release, building = threading.Event(), threading.Event()
    build = held_rebuild(folder, release, building)

    corpus = LiveCorpus(build, lambda: folder_state(folder))
    first = corpus()
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    refresher = threading.Thread(target=corpus.refresh)
    refresher.start()
    assert building.wait(10)

    assert corpus() is first
    assert find(corpus(), "Who did Jin Pyo Kim meet?").findings

    release.set()
    refresher.join(10)
    assert "zz_new" in corpus().articles


def test_a_new_article_is_answered_before_the_rebuild_ends(folder):
    """The changed articles are joined to the corpus in use first (retrieval.segments)."""
    release, building = threading.Event(), threading.Event()
    build = held_rebuild(folder, release, building)

    def join(base: Corpus, before: FolderState, after: FolderState) -> Corpus | None:
        return absorb(base, before, after, folder, 5_000_000)

    corpus = LiveCorpus(build, lambda: folder_state(folder), absorb=join)
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    refresher = threading.Thread(target=corpus.refresh)
    refresher.start()
    assert building.wait(10)

    assert "Lindqvist" in find(corpus(), "Who did Petra Novakova meet?").findings[0].counterparts[0]
    joined = corpus()
    release.set()
    refresher.join(10)
    assert corpus() is not joined and "zz_new" in corpus().articles


def test_the_watcher_thread_picks_up_changes_on_its_own(folder):
    corpus = live(folder)
    corpus.watch(0.05)
    try:
        (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
        deadline = time.monotonic() + 20
        while "zz_new" not in corpus().articles and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "zz_new" in corpus().articles
    finally:
        corpus.stop()


def test_a_zero_interval_turns_watching_off(folder):
    corpus = live(folder)
    corpus.watch(0)
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    time.sleep(0.2)
    assert "zz_new" not in corpus().articles
    corpus.stop()


def same_size_same_time_edit(path: Path, old: str, new: str) -> None:
    """An edit that ``touch -r`` or a sync tool could make: size and mtime as they were."""
    assert len(old.encode()) == len(new.encode())
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size


def content_live(folder: Path) -> LiveCorpus:
    return LiveCorpus(
        lambda _: load_corpus(folder, 5_000_000),
        lambda: folder_state(folder),
        content=lambda: corpus_key(folder, 5_000_000),
    )


def edited_article(folder: Path) -> Path:
    path = folder / "zz_new.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    return path


def test_an_edit_keeping_size_and_mtime_is_found_by_a_full_check(folder):
    path = edited_article(folder)
    corpus = content_live(folder)
    same_size_same_time_edit(path, "Jonas Lindqvist", "Karin Sundqvist")

    assert corpus.refresh() is False
    assert corpus.refresh(full=True) is True
    assert "Sundqvist" in find(corpus(), "Who did Petra Novakova meet?").findings[0].counterparts[0]
    assert corpus.refresh(full=True) is False


def test_the_watcher_runs_full_checks_on_its_own(folder):
    path = edited_article(folder)
    corpus = content_live(folder)
    corpus.watch(0.02, full_check_seconds=0.1)
    try:
        same_size_same_time_edit(path, "Jonas Lindqvist", "Karin Sundqvist")
        deadline = time.monotonic() + 20
        while "Sundqvist" not in corpus().articles["zz_new"].paragraphs[0]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        corpus.stop()


def test_the_bots_corpus_does_full_checks_when_configured(folder, tmp_path):
    path = edited_article(folder)
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    corpus = live_corpus(settings)
    same_size_same_time_edit(path, "Jonas Lindqvist", "Karin Sundqvist")
    assert corpus.refresh(full=True) is True
    assert "Sundqvist" in corpus().articles["zz_new"].paragraphs[0]

    off = Settings(
        _env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache", full_check_seconds=0
    )
    corpus = live_corpus(off)
    same_size_same_time_edit(path, "Karin Sundqvist", "Jonas Lindqvist")
    assert corpus.refresh(full=True) is False


def test_a_cache_entry_found_damaged_after_the_start_is_rebuilt_by_the_watcher(folder, tmp_path):
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    live_corpus(settings, cache=CorpusCache(settings.cache_dir))
    [entry] = settings.cache_dir.iterdir()
    texts = entry / "passages.deflate"
    texts.write_bytes(bytes(b ^ 0xFF for b in texts.read_bytes()))
    cache = CorpusCache(settings.cache_dir, check_later_bytes=0)

    corpus = live_corpus(settings, cache=cache)
    cache.wait_for_checks(10)

    assert cache.damaged == 1
    assert corpus.refresh() is True
    assert find(corpus(), "Who did Jin Pyo Kim meet?").findings
    assert corpus.refresh() is False
    rechecked = CorpusCache(settings.cache_dir, check_later_bytes=0)
    live_corpus(settings, cache=rechecked)
    rechecked.wait_for_checks(10)
    assert rechecked.damaged == 0


def test_a_running_bot_rebuilds_in_a_child_process_and_opens_what_it_cached(
    folder, tmp_path, caplog
):
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    corpus = live_corpus(settings)
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    with caplog.at_level(logging.INFO):
        assert corpus.refresh() is True

    [child] = [r for r in caplog.records if r.getMessage().startswith("rebuilding the index in")]
    assert str(os.getpid()) not in child.getMessage()
    assert "loaded the index of" in caplog.text and "building the index of" not in caplog.text
    assert "Lindqvist" in find(corpus(), "Who did Petra Novakova meet?").findings[0].counterparts[0]


def test_a_start_that_joined_changed_articles_rebuilds_them_in_the_background(folder, tmp_path):
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    live_corpus(settings)
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    corpus = live_corpus(settings)

    assert not corpus().complete
    assert "zz_new" in corpus().articles
    assert corpus.refresh() is True
    assert corpus().complete and "zz_new" in corpus().articles
    assert corpus.refresh() is False


def test_a_child_build_is_killed_when_the_bot_stops(folder, tmp_path):
    stopping = threading.Event()
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    corpus = live_corpus(settings, stopping)
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    stopping.set()
    started = time.monotonic()

    with pytest.raises(Cancelled):
        corpus.refresh()

    assert time.monotonic() - started < 5
    assert not multiprocessing.active_children()


def test_every_build_phase_calls_off_a_cancelled_build():
    """A stopping bot must not wait for any phase, name grouping included (seconds at
    15,000 articles): each one calls the check between small steps."""
    texts = [f"Minister Ola Strand{n} met Envoy Anna Berg{n} in Oslo." for n in range(200)]
    calls = 0

    def check_then_cancel(after: int):
        def check() -> None:
            nonlocal calls
            calls += 1
            if calls > after:
                raise Cancelled

        return check

    EntityIndex(texts, check=check_then_cancel(10**9))
    total = calls
    for after in (5, len(texts) + 5, total - 5):
        calls = 0
        with pytest.raises(Cancelled):
            EntityIndex(texts, check=check_then_cancel(after))


def test_a_quick_start_neither_lists_nor_builds_and_its_first_poll_comes_at_once(folder):
    built = load_corpus(folder, 5_000_000)
    calls = []

    def state() -> FolderState:
        calls.append("state")
        return folder_state(folder)

    def build(_: FolderState) -> Corpus:
        calls.append("build")
        return load_corpus(folder, 5_000_000)

    old_listing = folder_state(folder)
    corpus = LiveCorpus(build, state, start=lambda: (built, lambda: old_listing))
    assert corpus() is built and calls == []

    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    corpus.watch(60)
    try:
        deadline = time.monotonic() + 20
        while "zz_new" not in corpus().articles:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        corpus.stop()
    assert calls == ["state", "build"]


def test_a_quick_start_is_checked_once_even_with_watching_off(folder):
    built = load_corpus(folder, 5_000_000)
    old_listing = folder_state(folder)
    corpus = LiveCorpus(
        lambda _: load_corpus(folder, 5_000_000),
        lambda: folder_state(folder),
        start=lambda: (built, lambda: old_listing),
    )
    (folder / "zz_new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    corpus.watch(0)
    deadline = time.monotonic() + 20
    while "zz_new" not in corpus().articles:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    corpus.stop()


def test_a_quick_start_with_nothing_cached_builds_as_usual(folder):
    corpus = LiveCorpus(
        lambda _: load_corpus(folder, 5_000_000), lambda: folder_state(folder), start=lambda: None
    )
    assert find(corpus(), "Who did Jin Pyo Kim meet?").findings
    assert corpus.refresh() is False


def test_the_bot_starts_from_the_cached_names_and_catches_an_edit_made_while_it_was_down(
    folder, tmp_path, caplog
):
    path = edited_article(folder)
    settings = Settings(_env_file=None, articles_dir=folder, cache_dir=tmp_path / "cache")
    live_corpus(settings)
    text = path.read_text(encoding="utf-8").replace("Jonas Lindqvist", "Karin Sundqvist-Berg")
    path.write_text(text, encoding="utf-8")

    with caplog.at_level(logging.INFO):
        corpus = live_corpus(settings, quick_start=True)

    assert "building the index" not in caplog.text
    assert "Lindqvist" in corpus().articles["zz_new"].paragraphs[0]
    assert corpus.refresh() is True
    assert "Sundqvist-Berg" in corpus().articles["zz_new"].paragraphs[0]
    assert corpus.refresh() is False
