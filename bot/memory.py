"""What the bot remembers between messages: answers under their buttons, and each chat
user's follow-up context.

Telegram's ``callback_data`` holds at most 64 bytes, so a button carries only a short key;
the answer it pages through stays here, server-side. Both stores are bounded in count and
age, so a busy bot's memory stays flat, and a press on a forgotten answer is told to ask
again. Time is passed in (``now``), which keeps expiry testable without sleeping.

Both stores turn into plain JSON-ready dicts and back (``snapshot``/``restore``) for
``bot.state_file``; an entry that does not read back is dropped, never fatal.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from bot.answers import Answer, Citation
from bot.followups import Context

log = logging.getLogger(__name__)

KEY_BYTES = 6
"""A button key of 8 URL-safe characters: unguessable enough that a forged press finds
nothing, short enough to leave room in callback_data."""


@dataclass(frozen=True, slots=True)
class Remembered:
    chat_id: int
    answer: Answer
    at: float


class AnswerMemory:
    """The most recent ``limit`` answers sent with buttons, each for ``max_age`` seconds."""

    def __init__(self, limit: int, max_age: float) -> None:
        self._limit = limit
        self._max_age = max_age
        self._answers: OrderedDict[str, Remembered] = OrderedDict()
        self._pages: dict[str, int] = {}
        self.version = 0
        """Bumped on every change, so a saver can tell whether there is anything to write."""

    def __len__(self) -> int:
        return len(self._answers)

    def keep(self, chat_id: int, answer: Answer, now: float) -> str:
        key = secrets.token_urlsafe(KEY_BYTES)
        while key in self._answers:
            key = secrets.token_urlsafe(KEY_BYTES)
        self._answers[key] = Remembered(chat_id, answer, now)
        self._forget_old(now)
        self.version += 1
        return key

    def get(self, key: str, chat_id: int, now: float) -> Answer | None:
        """The answer under ``key`` if it is still kept and was sent to ``chat_id``: a key
        copied into another chat's button finds nothing."""
        found = self._answers.get(key)
        if found is None or now - found.at > self._max_age or found.chat_id != chat_id:
            return None
        return found.answer

    def page(self, key: str) -> int:
        """The page the answer's message shows now: a press asking for that page again (a
        double tap, a client showing an old keyboard) needs no edit."""
        return self._pages.get(key, 0)

    def show_page(self, key: str, page: int) -> None:
        if key in self._answers:
            self._pages[key] = page
            self.version += 1

    def _forget_old(self, now: float) -> None:
        while len(self._answers) > self._limit:
            key, _ = self._answers.popitem(last=False)
            self._pages.pop(key, None)
        while self._answers:
            key, oldest = next(iter(self._answers.items()))
            if now - oldest.at <= self._max_age:
                break
            del self._answers[key]
            self._pages.pop(key, None)

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {
                "key": k,
                "chat_id": r.chat_id,
                "at": r.at,
                "page": self._pages.get(k, 0),
                "answer": answer_to_dict(r.answer),
            }
            for k, r in self._answers.items()
        ]

    def restore(self, entries: object, now: float) -> None:
        for entry in entries if isinstance(entries, list) else []:
            try:
                remembered = Remembered(
                    int(entry["chat_id"]), answer_from_dict(entry["answer"]), float(entry["at"])
                )
                self._answers[str(entry["key"])] = remembered
                self._pages[str(entry["key"])] = int(entry.get("page", 0))
            except (KeyError, TypeError, ValueError, AttributeError):
                log.debug("Dropped an unreadable remembered answer")
        self._forget_old(now)


@dataclass(frozen=True, slots=True)
class _Held:
    context: Context
    at: float


class ContextMemory:
    """Each (chat, user)'s follow-up context for ``max_age`` seconds: another user's "and
    when?" in the same group is about that user's own last question."""

    def __init__(self, limit: int, max_age: float) -> None:
        self._limit = limit
        self._max_age = max_age
        self._held: OrderedDict[tuple[int, int], _Held] = OrderedDict()
        self.version = 0

    def get(self, chat_id: int, user_id: int, now: float) -> Context | None:
        held = self._held.get((chat_id, user_id))
        if held is None or now - held.at > self._max_age:
            return None
        return held.context

    def set(self, chat_id: int, user_id: int, context: Context, now: float) -> None:
        key = (chat_id, user_id)
        self._held.pop(key, None)
        self._held[key] = _Held(context, now)
        while len(self._held) > self._limit:
            self._held.popitem(last=False)
        self.version += 1

    def clear(self, chat_id: int, user_id: int) -> bool:
        """Forgets the context; True when there was one."""
        removed = self._held.pop((chat_id, user_id), None) is not None
        self.version += 1
        return removed

    def snapshot(self) -> list[dict[str, Any]]:
        return [
            {
                "chat_id": chat,
                "user_id": user,
                "at": held.at,
                "question": held.context.question,
                "people": list(held.context.people),
                "shown": list(held.context.shown),
            }
            for (chat, user), held in self._held.items()
        ]

    def restore(self, entries: object, now: float) -> None:
        for entry in entries if isinstance(entries, list) else []:
            try:
                context = Context(
                    str(entry["question"]),
                    tuple(str(p) for p in entry["people"]),
                    tuple(str(s) for s in entry.get("shown", ())),
                )
                at = float(entry["at"])
                if now - at <= self._max_age:
                    self._held[(int(entry["chat_id"]), int(entry["user_id"]))] = _Held(context, at)
            except (KeyError, TypeError, ValueError, AttributeError):
                log.debug("Dropped an unreadable follow-up context")


def answer_to_dict(answer: Answer) -> dict[str, Any]:
    return {
        "question": answer.question,
        "found": answer.found,
        "lead": answer.lead,
        "planned": answer.planned,
        "about": list(answer.about),
        "more_counterparts": list(answer.more_counterparts),
        "citations": [_citation_to_dict(c) for c in answer.citations],
    }


def answer_from_dict(data: dict[str, Any]) -> Answer:
    return Answer(
        question=str(data["question"]),
        found=bool(data["found"]),
        lead=str(data.get("lead", "")),
        citations=tuple(_citation_from_dict(c) for c in data.get("citations", ())),
        planned=bool(data.get("planned", False)),
        about=tuple(str(a) for a in data.get("about", ())),
        more_counterparts=tuple(str(a) for a in data.get("more_counterparts", ())),
    )


def _citation_to_dict(c: Citation) -> dict[str, Any]:
    return {
        "article_id": c.article_id,
        "title": c.title,
        "source": c.source,
        "date": c.date.isoformat() if c.date else None,
        "quote": c.quote,
        "score": c.score,
        "event_date": c.event_date.isoformat() if c.event_date else None,
        "also_in": list(c.also_in),
        "summary": c.summary,
        "subject": c.subject,
        "counterparts": list(c.counterparts),
    }


def _citation_from_dict(data: dict[str, Any]) -> Citation:
    def day(value: object) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None

    return Citation(
        article_id=str(data["article_id"]),
        title=str(data.get("title", "")),
        source=str(data.get("source", "")),
        date=day(data.get("date")),
        quote=str(data["quote"]),
        score=float(data.get("score", 0.0)),
        event_date=day(data.get("event_date")),
        also_in=tuple(str(a) for a in data.get("also_in", ())),
        summary=str(data.get("summary", "")),
        subject=str(data.get("subject", "")),
        counterparts=tuple(str(a) for a in data.get("counterparts", ())),
    )
