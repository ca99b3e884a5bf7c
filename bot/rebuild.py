"""Index rebuilds of a running bot, in a process of their own.

A rebuild in a thread of the bot shares the interpreter lock with the answers: at a million
passages every question waits behind minutes of tokenizing, and the build's gigabytes sit on
top of the corpus in use. A child process builds the folder's cache entry instead, on the
other core, and exits, handing back its memory; the bot then opens the new entry as any
warm start does (memory-mapped, in under a second) and swaps it in. When the child cannot
produce the entry (the folder changed under it, no article is usable, the cache cannot be
written) the bot builds in-process as before, so nothing depends on the child succeeding.

``spawn`` rather than ``fork``: the bot has threads (the watcher, the Telegram loop), and a
forked child would inherit their locks in whatever state they were.
"""

from __future__ import annotations

import logging
import multiprocessing
from pathlib import Path

from bot.logs import configure_logging
from bot.progress import LogProgress
from retrieval.cancel import Check, never
from retrieval.corpus import NoArticlesError
from retrieval.store import CorpusCache, open_corpus

log = logging.getLogger(__name__)

POLL_SECONDS = 0.1
"""How often the waiting bot calls its cancel check: a stopping bot kills the child."""


def build_in_child(
    folder: Path,
    max_article_bytes: int,
    cache: CorpusCache,
    check: Check = never,
    verify: bool = False,
    log_level: str = "INFO",
) -> bool:
    """Builds and caches the folder's corpus in a child process; True when it exited
    cleanly. ``check`` raising (the bot is stopping) kills the child and propagates."""
    context = multiprocessing.get_context("spawn")
    child = context.Process(
        target=_build_entry,
        args=(folder, max_article_bytes, cache.root, verify, log_level),
        name="index-build",
        daemon=True,
    )
    child.start()
    log.info("rebuilding the index in process %s; answering from the current one", child.pid)
    try:
        while child.is_alive():
            check()
            child.join(POLL_SECONDS)
    except BaseException:
        child.kill()
        child.join()
        raise
    return child.exitcode == 0


def _build_entry(
    folder: Path, max_article_bytes: int, root: Path, verify: bool, log_level: str
) -> None:
    """The child's work: the bot's own cache entry, built as a start would build it."""
    configure_logging(log_level, [])
    progress = LogProgress(logging.getLogger("bot.cli"))
    try:
        open_corpus(folder, max_article_bytes, CorpusCache(root), progress, verify=verify)
    except NoArticlesError as e:
        log.info("nothing to index: %s", e)
