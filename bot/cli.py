"""Command line: Telegram when a token is set, else a console chat; ``ask`` for scripts.

``python -m bot ask --json`` is the machine interface: exactly one JSON line per input line,
in order, whatever the line holds, so a caller can zip questions with answers.

SIGTERM stops every mode promptly, as Ctrl-C does: in a container the bot is often PID 1,
which the kernel spares signals it has no handler for, and Docker kills after 10 s.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from types import FrameType
from typing import TextIO

from bot.answers import Answer, Answerer, Answering
from bot.logs import configure_logging
from bot.progress import console_progress
from bot.templates import PLAIN, empty_question, help_text, internal_error, render_plain
from config import Settings
from retrieval.cancel import Cancelled, cancelled_by
from retrieval.corpus import Corpus, NoArticlesError
from retrieval.listing import FolderState, folder_state
from retrieval.live import LiveCorpus
from retrieval.segments import absorb
from retrieval.store import CorpusCache, corpus_key, open_corpus

log = logging.getLogger(__name__)

_LINE_BREAKING = re.compile("[\x85\u2028\u2029\ud800-\udfff]")
"""What json.dumps leaves raw that a reader could split a line at (str.splitlines() breaks at
U+0085, U+2028 and U+2029) or that UTF-8 cannot encode at all (lone surrogates)."""
_SURROGATE = re.compile("[\ud800-\udfff]")


def answer_to_json(answer: Answer) -> dict[str, object]:
    return {
        "question": answer.question,
        "found": answer.found,
        "answer": render_plain(answer),
        "passages": [
            {
                "article_id": c.article_id,
                "title": c.title,
                "source": c.source,
                "date": c.date.isoformat() if c.date else None,
                "quote": c.quote,
                "score": c.score,
                "features": dict(c.features),
            }
            for c in answer.citations
        ],
    }


def _safe_answer(answerer: Answering, question: str) -> Answer | None:
    """The answer, or None when answering failed; one bad question must not end the session."""
    try:
        return answerer.answer(question)
    except Exception:
        log.exception("failed to answer a question")
        return None


def json_line(record: dict[str, object]) -> str:
    """One JSON object on exactly one line for any line splitter, still readable UTF-8: only
    the characters some readers break lines at, and lone surrogates, are \\u-escaped (inside
    a JSON string, where json.dumps puts every such character, the escape means the same)."""
    text = json.dumps(record, ensure_ascii=False)
    return _LINE_BREAKING.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def ask_lines(answerer: Answering, lines: Iterable[str], as_json: bool, out: TextIO) -> None:
    for line in lines:
        # A lone surrogate can neither be tokenized nor written out as UTF-8.
        question = _SURROGATE.sub("\ufffd", line.rstrip("\r\n")).strip()
        answer = _safe_answer(answerer, question) if question else None
        if as_json:
            if answer is None:
                reason = empty_question(PLAIN) if not question else internal_error(PLAIN)
                record: dict[str, object] = {
                    "question": question,
                    "found": False,
                    "answer": reason,
                    "passages": [],
                }
            else:
                record = answer_to_json(answer)
            out.write(json_line(record))
        else:
            if answer is None:
                text = internal_error(PLAIN) if question else empty_question(PLAIN)
            else:
                text = render_plain(answer)
            out.write(f"{text}\n\n")
        out.flush()


def _stdin_lines() -> Iterator[str]:
    """Lines of standard input decoded leniently: a stray non-UTF-8 byte must not stop a batch."""
    for raw in sys.stdin.buffer:
        yield raw.decode("utf-8", errors="replace")


def console_chat(answerer: Answering, settings: Settings) -> None:
    count, folder = answerer.article_count, settings.articles_dir
    print(f"News bot, console mode: {count} articles from {folder}.")
    print(help_text(answerer.examples(), PLAIN))
    print("(No TELEGRAM_BOT_TOKEN is set, so we chat here. Ctrl-D or /quit to leave.)\n")
    while True:
        try:
            question = input("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if question in {"/quit", "/exit"}:
            return
        if question in {"/help", "/start"}:
            print(help_text(answerer.examples(), PLAIN), end="\n\n")
            continue
        question = question[: settings.max_question_chars]
        answer = _safe_answer(answerer, question) if question else None
        if answer is None:
            print(f"bot> {internal_error(PLAIN) if question else empty_question(PLAIN)}\n")
        else:
            print(f"bot> {render_plain(answer)}\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("chat", help="chat in the console even when a token is set")
    ask = commands.add_parser("ask", help="answer the questions on stdin, one per line")
    ask.add_argument("--json", action="store_true", help="print one JSON object per line")
    return parser


class Terminated(BaseException):
    """SIGTERM arrived: unwinds the main thread from wherever it is (a build, ``input()``, a
    read of stdin), as KeyboardInterrupt does, past handlers of ordinary exceptions."""


def _on_sigterm(stopping: threading.Event) -> Callable[[int, FrameType | None], None]:
    def handler(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        raise Terminated

    return handler


def main(argv: list[str] | None = None) -> int:
    """Exits 0, or 2 without usable articles; SIGTERM ends it with 0, except during ``ask``,
    whose caller must learn that its batch is incomplete (143, as a killed process)."""
    args = _parser().parse_args(argv)
    settings = Settings()
    token = settings.telegram_bot_token
    configure_logging(settings.log_level, [token.get_secret_value()] if token else [])
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, _on_sigterm(stopping))
    try:
        return _run(args, settings, stopping)
    except (Terminated, Cancelled):
        log.info("stopped by SIGTERM")
        return 128 + signal.SIGTERM if args.command == "ask" else 0


def _run(args: argparse.Namespace, settings: Settings, stopping: threading.Event) -> int:
    watching = args.command != "ask" and settings.reload_seconds > 0
    try:
        corpus = live_corpus(settings, stopping, full_checks=watching, quick_start=watching)
    except NoArticlesError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    answerer = Answerer(corpus, reload=partial(corpus.refresh, True))
    if args.command == "ask":
        ask_lines(answerer, _stdin_lines(), args.json, sys.stdout)
        return 0
    corpus.watch(settings.reload_seconds, settings.full_check_seconds)
    try:
        if args.command == "chat" or settings.telegram_bot_token is None:
            console_chat(answerer, settings)
        else:
            from bot.telegram_app import run_bot

            run_bot(settings, answerer)
    finally:
        corpus.stop()
    return 0


def live_corpus(
    settings: Settings,
    stopping: threading.Event | None = None,
    full_checks: bool = True,
    cache: CorpusCache | None = None,
    quick_start: bool = False,
) -> LiveCorpus[tuple[FolderState, int]]:
    """The articles folder's corpus, from the index cache when it is current, kept current
    once ``watch`` is called; setting ``stopping`` cancels a build under way. ``full_checks``
    off spares a process that never watches the folder one read of every file. A cache entry
    found damaged after loading counts as a change of the folder: the watcher rebuilds.
    ``quick_start``, for a process that watches, answers from the entry cached for the
    folder's file names until the watcher's first poll has compared their sizes and times;
    ``ask`` never does, since a batch is answered before any poll."""
    folder, limit = settings.articles_dir, settings.max_article_bytes
    stopping = stopping or threading.Event()
    check = cancelled_by(stopping)
    cache = cache or CorpusCache(settings.cache_dir)
    progress = console_progress(log, sys.stderr)

    def state() -> tuple[FolderState, int]:
        return folder_state(folder), cache.damaged

    def build(seen: tuple[FolderState, int], verify: bool = False, aside: bool = False) -> Corpus:
        if aside and settings.rebuild_in_child:
            # Imported here: multiprocessing is a tenth of the imports of a start that
            # never rebuilds (``ask``).
            from bot.rebuild import build_in_child

            build_in_child(folder, limit, cache, check, verify, settings.log_level)
        listing = seen[0]
        return open_corpus(folder, limit, cache, progress, check, verify, listing, join=not aside)

    def join(
        base: Corpus, before: tuple[FolderState, int], after: tuple[FolderState, int]
    ) -> Corpus | None:
        return absorb(base, before[0], after[0], folder, limit, check)

    def start() -> tuple[Corpus, Callable[[], tuple[FolderState, int]]] | None:
        damaged = cache.damaged
        found = cache.recent(folder, limit)
        if found is None:
            return None
        corpus, listing = found
        log.info(
            "loaded the index of %d articles from the cache; checking the files' sizes and times",
            len(corpus.articles),
        )
        return corpus, lambda: (listing(), damaged)

    content = None
    if full_checks and settings.full_check_seconds > 0:
        content = partial(corpus_key, folder, limit, check)
    return LiveCorpus(
        build,
        state,
        content,
        stopping,
        fresh=partial(build, verify=True, aside=True),
        rebuild=partial(build, aside=True),
        absorb=join,
        start=start if quick_start else None,
    )
