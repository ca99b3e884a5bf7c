"""Fitting HTML replies into Telegram messages.

Telegram rejects a message longer than 4096 characters, counted in UTF-16 code units after
the HTML is parsed, and rejects HTML whose tags do not balance. Answers arrive as HTML blocks
that are each complete in themselves, so most of the time whole blocks are simply grouped;
only a block that cannot fit on its own is cut, and then at a tag-aware boundary so that
every message still parses.

It also keeps text valid for Telegram: a lone UTF-16 surrogate (which JSON can carry as a
``\\ud800`` escape and Python then holds in a str) cannot be encoded as UTF-8, so it is
replaced wherever text enters or leaves the bot.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, TypeVar

TELEGRAM_MESSAGE_LIMIT = 4096
BLOCK_SEPARATOR = "\n\n"

# A tag, an HTML entity, or one character: the pieces a message may be cut between.
_TOKEN = re.compile(
    r"<[^<>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|.",
    re.DOTALL,
)
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)[^<>]*>")
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT_CHARACTER = "\ufffd"

_JSON = TypeVar("_JSON")


def clean_text(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, so it encodes as UTF-8."""
    if text.isascii():
        return text
    return _SURROGATE.sub(REPLACEMENT_CHARACTER, text)


def clean_payload(value: _JSON) -> _JSON:
    """Decoded JSON with every string, keys included, passed through ``clean_text``."""
    return _clean(value)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def utf16_length(text: str) -> int:
    """Length as Telegram counts it. Measured on the HTML source, which is never shorter than
    the parsed text, so staying under the limit here keeps the parsed message under it too.
    A lone surrogate counts as the one unit it will be once replaced, instead of raising."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def pack(blocks: Sequence[str], limit: int = TELEGRAM_MESSAGE_LIMIT) -> list[str]:
    """Joins blocks with blank lines into as few messages as possible, each strictly shorter
    than ``limit``, keeping block order. A block too long to fit alone is split over several
    messages with its open tags closed and reopened at every cut.

    Blocks and pieces with no visible text are dropped: Telegram refuses empty messages.
    """
    messages: list[str] = []
    current = ""
    for block in blocks:
        if not visible_text(block).strip():
            continue
        for piece in _fit(block, limit):
            joined = f"{current}{BLOCK_SEPARATOR}{piece}" if current else piece
            if utf16_length(joined) < limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return [m for m in messages if visible_text(m).strip()]


def visible_text(html_text: str) -> str:
    """The text a reader sees: tags removed, entities left as written. Only used to tell
    whether a message would be empty, so entities need not be decoded."""
    return "".join(t for t in _TOKEN.findall(html_text) if not _TAG.fullmatch(t))


def _fit(block: str, limit: int) -> list[str]:
    if utf16_length(block) < limit:
        return [block]
    return split_block(block, limit)


def split_block(block: str, limit: int) -> list[str]:
    """Cuts one HTML block into pieces each shorter than ``limit``.

    Cuts fall between tokens, so never inside a tag, an entity or a surrogate pair, and
    preferably after whitespace in the second half of a piece so words stay whole. Every
    piece closes the tags still open at its end and the next piece reopens them, so the
    concatenated visible text is exactly the block's.
    """
    tokens = [_Token(text) for text in _TOKEN.findall(block)]
    pieces: list[str] = []
    stack: list[_Token] = []  # the opening tags in force
    start = 0
    while start < len(tokens):
        end, stack_at_end = _piece_end(tokens, start, stack, limit)
        body = "".join(t.text for t in tokens[start:end])
        pieces.append(_opening(stack) + body + _closing(stack_at_end))
        start, stack = end, stack_at_end
    return pieces


class _Token:
    """A piece of HTML with what cutting needs to know about it worked out once."""

    __slots__ = ("closing", "name", "text", "units")

    def __init__(self, text: str) -> None:
        self.text = text
        self.units = utf16_length(text)
        tag = _TAG.fullmatch(text) if text[0] == "<" else None
        self.name = tag.group(2).lower() if tag else None
        self.closing = bool(tag and tag.group(1))


def _piece_end(
    tokens: list[_Token], start: int, stack: list[_Token], limit: int
) -> tuple[int, list[_Token]]:
    """Where the piece that starts at ``start`` ends, and the tags open there."""
    used = sum(t.units for t in stack)
    current = list(stack)
    closing_units = _closing_units(current)
    soft_break: tuple[int, list[_Token]] | None = None
    end = start
    while end < len(tokens):
        token = tokens[end]
        following = _apply(current, token)
        following_closing = closing_units if following is current else _closing_units(following)
        if used + token.units + following_closing >= limit:
            break
        used += token.units
        current, closing_units = following, following_closing
        end += 1
        if token.text.isspace() and used * 2 >= limit:
            soft_break = (end, current)
    if end == start:
        raise ValueError(f"tags nest too deeply to fit any text in a {limit}-character message")
    if end < len(tokens) and soft_break is not None:
        return soft_break
    return end, current


def _apply(stack: list[_Token], token: _Token) -> list[_Token]:
    """The open tags after ``token``; the same list object when it is not a tag."""
    if token.name is None:
        return stack
    if not token.closing:
        return [*stack, token]
    for i in range(len(stack) - 1, -1, -1):
        if stack[i].name == token.name:
            return stack[:i] + stack[i + 1 :]
    return stack


def _opening(stack: list[_Token]) -> str:
    return "".join(t.text for t in stack)


def _closing(stack: list[_Token]) -> str:
    return "".join(f"</{t.name}>" for t in reversed(stack))


def _closing_units(stack: list[_Token]) -> int:
    return sum(len(t.name or "") + 3 for t in stack)
