"""The corpus the bot answers from, kept in step with its folder while the bot runs.

A watcher thread polls the folder's listing (names, sizes, modification times: no file is
read) and, when it changed, builds the new corpus beside the one in use and then swaps it in
with one assignment. Questions keep being answered from the old corpus during the build, and
a folder that becomes empty or unreadable keeps the last good corpus rather than leaving the
bot with nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from retrieval.corpus import Corpus, NoArticlesError

log = logging.getLogger(__name__)


class LiveCorpus:
    def __init__(self, build: Callable[[], Corpus], state: Callable[[], object]) -> None:
        """``build`` makes a corpus from the folder as it is now (raising NoArticlesError when
        nothing usable is there); ``state`` tells whether the folder changed since."""
        self._build = build
        self._state = state
        self._seen = state()
        self._corpus = build()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(self) -> Corpus:
        return self._corpus

    def refresh(self) -> bool:
        """Rebuilds when the folder changed; True when a new corpus is now in use."""
        seen = self._state()
        if seen == self._seen:
            return False
        self._seen = seen
        log.info("the articles changed; rebuilding the index")
        try:
            corpus = self._build()
        except NoArticlesError as e:
            log.warning("keeping the previous articles: %s", e)
            return False
        self._corpus = corpus
        log.info("now answering from %d articles", len(corpus.articles))
        return True

    def watch(self, every_seconds: float) -> None:
        """Polls in a daemon thread until ``stop``; it never keeps the process alive."""
        if self._thread is not None or every_seconds <= 0:
            return
        self._thread = threading.Thread(
            target=self._poll, args=(every_seconds,), name="articles-watcher", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _poll(self, every_seconds: float) -> None:
        while not self._stop.wait(every_seconds):
            try:
                self.refresh()
            except Exception:
                log.exception("could not reload the articles; answering from the previous ones")
