"""The corpus the bot answers from, kept in step with its folder while the bot runs.

A watcher thread polls the folder's listing (names, sizes, modification times: no file is
read) and, when it changed, builds the new corpus beside the one in use and then swaps it in
with one assignment. Questions keep being answered from the old corpus during the build, and
a folder that becomes empty or unreadable keeps the last good corpus rather than leaving the
bot with nothing.

The listing misses an edit that keeps a file's size and modification time (``touch -r``,
some sync tools), so every so often the watcher also fingerprints the files' contents, on its
own thread: hashing releases the GIL, and answers keep coming from the corpus in use.

A start can answer from the index cached for the folder's file names before stat'ing every
file (at 200,000 files, half a second of kernel time): the watcher's first poll, at once,
compares the listing that index was built from with the folder's, so an article edited while
the bot was down is taken in as one edited while it runs would be.

Stopping must not wait for a rebuild (Docker allows 10 s between SIGTERM and SIGKILL): the
event that ``stop`` sets is the one the build's cancel check watches, and every build phase
calls that check between small steps, so a rebuild under way unwinds within a fraction of a
second.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

from retrieval.cancel import Cancelled
from retrieval.corpus import Corpus, NoArticlesError

log = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 1.0
"""How long ``stop`` waits for a rebuild to notice the cancel check, and then again for it to
meet the interruption; past that the daemon thread ends with the process."""


S = TypeVar("S")


class LiveCorpus(Generic[S]):
    def __init__(
        self,
        build: Callable[[S], Corpus],
        state: Callable[[], S],
        content: Callable[[], object] | None = None,
        stopping: threading.Event | None = None,
        fresh: Callable[[S], Corpus] | None = None,
        rebuild: Callable[[S], Corpus] | None = None,
        absorb: Callable[[Corpus, S, S], Corpus | None] | None = None,
        start: Callable[[], tuple[Corpus, Callable[[], S]] | None] | None = None,
    ) -> None:
        """``build`` makes a corpus from the folder as ``state`` just saw it (raising
        NoArticlesError when nothing usable is there, Cancelled once ``stopping`` is set);
        ``state`` tells cheaply whether the folder changed since, and is handed to ``build``
        so a start lists a large folder once; ``content``, which reads the files, tells it
        on full checks when ``state`` cannot, and ``fresh`` (default ``build``) then builds
        without trusting anything keyed by ``state``. ``rebuild`` (default ``build``) is
        what a refresh builds with: elsewhere than in the answering process, perhaps.
        ``absorb`` joins the articles changed between two states to the corpus built from
        the first (retrieval.segments), in seconds, so they are answered while the rebuild
        runs; None when it cannot. A corpus that knows its fingerprint spares the start one
        read of every file. ``start``, when it gives a corpus and what tells the state that
        corpus was built from, replaces the first ``state`` and ``build``: the watcher's first
        poll, then at once, compares that state with the folder's, so the start costs what
        finding the corpus costs (not a listing of the whole folder) and the check comes a
        second later, as for a change made while the bot runs."""
        self._build = rebuild or build
        self._fresh = fresh or self._build
        self._state = state
        self._content = content
        self._stop = stopping or threading.Event()
        self._absorb = absorb
        started = start() if start is not None else None
        self._unchecked: Callable[[], S] | None = None
        if started is None:
            self._seen = state()
            self._corpus = build(self._seen)
            self._base_seen = self._seen
        else:
            self._corpus, self._unchecked = started
        self._base = self._corpus
        self._seen_content = self._fingerprint(self._corpus)
        self._thread: threading.Thread | None = None

    def _fingerprint(self, corpus: Corpus) -> object | None:
        if self._content is None or not corpus.complete:
            return None
        return corpus.fingerprint or self._content()

    def __call__(self) -> Corpus:
        return self._corpus

    def refresh(self, full: bool = False) -> bool:
        """Rebuilds when the folder changed; True when a new corpus is now in use. ``full``
        compares the files' contents too, when the listing looks unchanged."""
        if self._unchecked is not None:
            self._seen = self._base_seen = self._unchecked()
            self._unchecked = None
        seen = self._state()
        content = None
        if seen == self._seen and not self._base.complete:
            log.info("rebuilding the index the changed articles were joined to")
        elif seen == self._seen:
            if not full or self._content is None:
                return False
            content = self._content()
            if content == self._seen_content:
                return False
            log.info("an article changed without changing size or time; rebuilding the index")
        else:
            log.info("the articles changed; rebuilding the index")
        self._seen = seen
        joined = content is None and self._join_changes(seen)
        try:
            corpus = self._fresh(seen) if content is not None else self._build(seen)
        except NoArticlesError as e:
            log.warning("keeping the previous articles: %s", e)
            self._seen_content = content
            return joined
        self._seen_content = self._fingerprint(corpus)
        self._corpus = corpus
        self._base, self._base_seen = corpus, seen
        log.info("now answering from %d articles", len(corpus.articles))
        return True

    def _join_changes(self, seen: S) -> bool:
        """Puts the changed articles joined to the last built corpus in use; True if it did."""
        if self._absorb is None:
            return False
        try:
            corpus = self._absorb(self._base, self._base_seen, seen)
        except Cancelled:
            raise
        except Exception:
            log.exception("could not join the changed articles; they wait for the rebuild")
            return False
        if corpus is None:
            return False
        self._corpus = corpus
        log.info(
            "answering from %d articles, the changed ones joined, until the rebuild ends",
            len(corpus.articles),
        )
        return True

    def watch(self, every_seconds: float, full_check_seconds: float = 0) -> None:
        """Polls in a daemon thread until ``stop``; it never keeps the process alive. Every
        ``full_check_seconds`` (0: never) a poll also compares contents. A corpus from
        ``start`` is checked at once, even when ``every_seconds`` asks for no polls."""
        if self._thread is not None or (every_seconds <= 0 and self._unchecked is None):
            return
        self._thread = threading.Thread(
            target=self._poll,
            args=(every_seconds, full_check_seconds),
            name="articles-watcher",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Cancels a rebuild under way and waits briefly for the watcher to end."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is None:
            return
        thread.join(STOP_WAIT_SECONDS)
        if thread.is_alive():
            log.warning("the index rebuild did not stop in time; it ends with the process")

    def _poll(self, every_seconds: float, full_check_seconds: float) -> None:
        try:
            self._poll_until_stopped(every_seconds, full_check_seconds)
        except Cancelled:
            log.info("index rebuild cancelled: the bot is stopping")

    def _poll_until_stopped(self, every_seconds: float, full_check_seconds: float) -> None:
        next_full = time.monotonic() + full_check_seconds
        wait = 0 if self._unchecked is not None else every_seconds
        while not self._stop.wait(wait):
            wait = every_seconds
            full = full_check_seconds > 0 and time.monotonic() >= next_full
            if full:
                next_full = time.monotonic() + full_check_seconds
            try:
                self.refresh(full)
            except Cancelled:
                raise
            except Exception:
                log.exception("could not reload the articles; answering from the previous ones")
            if every_seconds <= 0:
                return
