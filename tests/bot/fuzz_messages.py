"""Generated messages of every awkward kind, as Telegram would deliver them, for fuzzing the
bot through the Bot API stand-in (``benchmarks/fuzz_telegram.py``; a sample in the tests).

Each ``FuzzCase`` is an update to push and whether a reply is owed: every message in a
private chat gets one (an answer, a hint, the help), a button press gets its
answerCallbackQuery.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from telegram_stand_in import (
    TelegramStandIn,
    callback_query,
    command,
    document_message,
    photo_message,
    text_message,
)

from bot.telegram_text import clean_text

QUESTIONS = [
    "When did Bayramov meet Zhang Ming?",
    "Who did Sahiba Gafarova meet?",
    "What did they discuss?",
    "Who met the Speaker of the Milli Majlis?",
    "What is the population of Brazil?",
    "Who did Emmanuel Macron meet?",
    "gafarva met whom",
    "When was the meeting in Baku",
]
WORDS = "who what when where met meeting minister president talks Baku Seoul Kim news".split()
COMMANDS = [
    "/start",
    "/help",
    "/start@OtherBot",
    "/help@news_test_bot",
    "/start@news_test_bot extra",
    "/weather",
    "/weather@other_bot in Oslo",
    "/",
    "/" + "x" * 40,
    "/start@",
]
EMOJI = ["🙂", "👨‍👩‍👧", "🇳🇴", "🏳️‍🌈", "👍🏽", "🧑🏿‍🚀", "❤️", "🤷‍♀️", "🫠", "©", "™"]
MARKUP = [
    "<b>",
    "</b>",
    "<i>x</i>",
    "&",
    "&amp;",
    "&#0;",
    "&nbsp;",
    "<",
    ">",
    "*",
    "_",
    "`",
    "```",
    "[a](b)",
    "~",
    "||",
    "\\",
    '"',
    "'",
    "<script>",
    "</blockquote>",
    "<a href=x>",
]
CONTROL = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\u200b",
    "\u200d",
    "\ufffe",
    "\uffff",
    "\r",
    "\t",
    "\n",
]
RTL = [
    "مرحبا من التقى بالوزير؟",
    "מי נפגש עם השר?",
    "\u202eBayramov\u202c",
    "\u200f",
    "\u200e",
    "\u2067عربى\u2069",
    "بايراموف",
]
SURROGATES = ["\ud800", "\udfff", "\udbff", "\udc00", "\ud83d", "\ude00", "\ud83d\ud83d"]
COMBINING = [chr(c) for c in range(0x300, 0x370)] + ["\u20dd", "\u0489"]


def _zalgo(rng: random.Random, text: str) -> str:
    return "".join(ch + "".join(rng.choices(COMBINING, k=rng.randint(1, 12))) for ch in text)


def _noisy(rng: random.Random, text: str) -> str:
    pieces = list(text)
    for _ in range(rng.randint(1, 6)):
        pool = rng.choice([EMOJI, MARKUP, CONTROL, RTL, SURROGATES, WORDS])
        pieces.insert(rng.randint(0, len(pieces)), rng.choice(pool))
    return "".join(pieces)


def _question(rng: random.Random) -> str:
    return rng.choice(QUESTIONS) if rng.random() < 0.7 else " ".join(rng.choices(WORDS, k=5))


_TEXT_KINDS: list[tuple[str, Callable[[random.Random], str]]] = [
    ("plain", _question),
    ("noisy", lambda r: _noisy(r, _question(r))),
    ("surrogates", lambda r: _noisy(r, _question(r)) + r.choice(SURROGATES)),
    ("zalgo", lambda r: _zalgo(r, _question(r))),
    ("emoji", lambda r: "".join(r.choices(EMOJI, k=r.randint(1, 30)))),
    ("markup", lambda r: "".join(r.choices(MARKUP + WORDS, k=r.randint(1, 40)))),
    ("control", lambda r: "".join(r.choices(CONTROL + WORDS, k=r.randint(1, 30)))),
    ("rtl", lambda r: " ".join(r.choices(RTL + WORDS, k=r.randint(1, 8)))),
    ("huge", lambda r: (_question(r) + " ") * r.randint(50, 400)),
    ("huge zalgo", lambda r: _zalgo(r, _question(r)) * r.randint(5, 20)),
    ("empty", lambda r: r.choice(["", " ", "\n\n", "\t", "\u3000", "\u200b"])),
    ("long word", lambda r: "a" * r.randint(500, 5000)),
]


@dataclass(frozen=True)
class FuzzCase:
    kind: str
    update: dict[str, Any]
    """As for ``TelegramStandIn.push``."""

    @property
    def is_button(self) -> bool:
        return "callback_query" in self.update


def fuzz_cases(count: int, seed: int = 0) -> Iterator[FuzzCase]:
    rng = random.Random(seed)
    for _ in range(count):
        roll = rng.random()
        if roll < 0.08:
            text = rng.choice(COMMANDS)
            if rng.random() < 0.3:
                text = _noisy(rng, text)
            if text.startswith("/") and len(text) > 1:
                yield FuzzCase("command", command(text))
            else:
                yield FuzzCase("command-like", text_message(text))
        elif roll < 0.12:
            caption = rng.choice([_question(rng), _noisy(rng, _question(rng)), "🙂", ""])
            make = rng.choice([photo_message, document_message])
            yield FuzzCase("caption", make(caption=caption or None))
        elif roll < 0.14:
            data = rng.choice([None, "", "x", _noisy(rng, "data"), "9" * 64])
            yield FuzzCase("button", callback_query(data))
        else:
            kind, make_text = rng.choice(_TEXT_KINDS)
            text = make_text(rng)
            if not text:
                # Telegram delivers no empty text messages; the nearest is whitespace.
                text = " "
            yield FuzzCase(kind, text_message(text))


@dataclass
class FuzzReport:
    """What came back for a batch of cases, judged the way a user would."""

    messages: int = 0
    buttons: int = 0
    replies: int = 0
    apologies: int = 0
    unanswered: int = 0
    unanswered_buttons: int = 0
    rejected: int = 0
    tracebacks: int = 0
    error_lines: int = 0
    apologised_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not (
            self.apologies
            or self.unanswered
            or self.unanswered_buttons
            or self.rejected
            or self.tracebacks
            or self.error_lines
        )


def judge(
    cases: list[tuple[FuzzCase, dict[str, Any]]],
    telegram: TelegramStandIn,
    records: list[logging.LogRecord],
    apology: str,
) -> FuzzReport:
    """``cases`` paired with the updates as pushed (ids filled in); ``records``: every log
    record of the run."""
    first_reply: dict[int, str] = {}
    for sent in telegram.sent:
        replied_to = (sent.reply_parameters or {}).get("message_id")
        if replied_to is not None:
            first_reply.setdefault(replied_to, sent.plain_text)
    answered_queries = {
        c.params.get("callback_query_id")
        for c in telegram.calls_to("answerCallbackQuery")
        if c.status == 200
    }
    report = FuzzReport(rejected=len(telegram.rejected))
    report.replies = len(telegram.sent)
    for case, pushed in cases:
        if case.is_button:
            report.buttons += 1
            query_id = pushed["callback_query"]["id"]
            # As the bot got it: JSON joins two escaped halves of a pair into one character.
            if clean_text(json.loads(json.dumps(query_id))) not in answered_queries:
                report.unanswered_buttons += 1
            continue
        report.messages += 1
        reply = first_reply.get(pushed["message"]["message_id"])
        if reply is None:
            report.unanswered += 1
        elif reply == apology:
            report.apologies += 1
            report.apologised_kinds[case.kind] = report.apologised_kinds.get(case.kind, 0) + 1
    report.tracebacks = sum(1 for r in records if r.exc_info or r.exc_text or r.stack_info)
    report.error_lines = sum(1 for r in records if r.levelno >= logging.ERROR)
    return report
