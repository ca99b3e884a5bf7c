"""The inline keyboard under an answer and what its ``callback_data`` says.

A press carries only ``<kind>:<key>:<number>`` (at most 64 bytes, as Telegram allows): the
key of the answer in ``bot.memory.AnswerMemory`` and the page or source it asks for. Data
that does not read this way, from an old bot version or forged by a client, is no press at
all, and the handler answers it with the polite "ask again".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.answers import Answer
from bot.templates import full_article_label, more_sources_label, previous_source_label

MAX_DATA_BYTES = 64


class Kind(Enum):
    PAGE = "p"
    ARTICLE = "a"


@dataclass(frozen=True, slots=True)
class Press:
    kind: Kind
    key: str
    number: int


_DATA = re.compile(r"([pa]):([A-Za-z0-9_-]{1,32}):([0-9]{1,3})")


def encode(press: Press) -> str:
    data = f"{press.kind.value}:{press.key}:{press.number}"
    assert len(data.encode()) <= MAX_DATA_BYTES
    return data


def decode(data: str | None) -> Press | None:
    match = _DATA.fullmatch(data or "")
    if match is None:
        return None
    kind, key, number = match.groups()
    return Press(Kind(kind), key, int(number))


def keyboard(answer: Answer, key: str, page: int) -> InlineKeyboardMarkup | None:
    """ "‹ Back" and "More sources (N)" to move between pages, "Full article" for the
    article quoted on this page; None for an answer with nothing to press."""
    if not answer.found or not answer.citations:
        return None
    left = len(answer.citations) - 1 - page
    moves = []
    if page > 0:
        moves.append(_button(previous_source_label(), Press(Kind.PAGE, key, page - 1)))
    if left > 0:
        moves.append(_button(more_sources_label(left), Press(Kind.PAGE, key, page + 1)))
    rows = [moves] if moves else []
    rows.append([_button(full_article_label(), Press(Kind.ARTICLE, key, page))])
    return InlineKeyboardMarkup(rows)


def _button(label: str, press: Press) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=encode(press))
