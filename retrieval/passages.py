"""Cutting articles into quotable passages: paragraphs, long ones split between sentences.

A passage is what the bot quotes, so it must read as a complete statement (never cut
mid-sentence) and be short enough to read in a chat bubble.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from retrieval.articles import Article

MAX_PASSAGE_CHARS = 700
"""Paragraphs longer than this are split; a typical news paragraph is well under it."""

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof st sr jr gen lt col maj capt sgt adm gov sen rep rev hon pres
    messrs mme mm co corp inc ltd bros no nos vs etc approx dept est fig jan feb mar apr jun
    jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun ft mt ave
    """.split()
)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.]+)[.!?][\"'”’)\]]*$")
_WORD_REACH = 80
"""Characters before a full stop that can hold the word it ends; searching further back
would make splitting a paragraph quadratic in its length."""
_NOT_LETTERS = re.compile(r"[\d_]|[^\w\s]")
_WORDS = re.compile(r"[^\W\d_]{2,}")
_BOILERPLATE = re.compile(
    r"\b(cookies?|subscribe|newsletter|all rights reserved|share this|follow us|sign up|"
    r"log ?in|click here|read more|advertisement|copyright|©)\b",
    re.IGNORECASE,
)


class Passage(NamedTuple):
    article_id: str
    paragraph: int
    """Index of the paragraph in the article, so neighbouring passages can be found."""
    text: str
    clipped: bool = False
    """A piece of a sentence too long to quote whole (a run-on page or table): the reply
    marks the cut."""


def _is_abbreviation(head: str) -> bool:
    """Whether the text before a full stop ends in an abbreviation ("Mr.", "U.S.", "J.")."""
    match = _LAST_WORD.search(head[-_WORD_REACH:])
    if not match:
        return False
    word = match.group(1).rstrip(".")
    if "." in word:
        return True
    return word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper())


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; a full stop after "Mr", "U.S" or an initial does not end one."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        head = text[start : match.start() + 1]
        if text[match.start()] == "." and _is_abbreviation(head):
            continue
        out.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def sentence_spans(text: str) -> list[tuple[int, int, str]]:
    """Each sentence of a passage with where it starts and ends in the passage's text."""
    spans, position = [], 0
    for sentence in sentences(text):
        start = text.find(sentence, position)
        position = start + len(sentence)
        spans.append((start, position, sentence))
    return spans


def is_quotable(text: str) -> bool:
    """Whether a paragraph is prose worth quoting rather than page residue like "+ ↺ − 16 px",
    an agency code or a share-button line."""
    words = _WORDS.findall(text)
    if len(words) < 5:
        return False
    visible = sum(map(len, text.split()))
    if visible - len(_NOT_LETTERS.findall(text)) < 0.6 * visible:
        return False
    return not (len(words) < 15 and _BOILERPLATE.search(text))


_CLAUSE_END = re.compile(r"[,;:)]\s|\s[–—-]\s")
"""Where a sentence too long to quote may be cut: after a clause, else at a space."""


def _chunks(paragraph: str, limit: int) -> Iterator[tuple[str, bool]]:
    """The paragraph in pieces of at most ``limit`` characters, whole sentences where they
    fit; a sentence longer than that is cut between clauses (True: a cut piece)."""
    if len(paragraph) <= limit:
        yield paragraph, False
        return
    current = ""
    for sentence in sentences(paragraph):
        if len(sentence) > limit:
            if current:
                yield current, False
                current = ""
            yield from ((piece, True) for piece in _clauses(sentence, limit))
        elif current and len(current) + 1 + len(sentence) > limit:
            yield current, False
            current = sentence
        else:
            current = f"{current} {sentence}" if current else sentence
    if current:
        yield current, False


def _clauses(sentence: str, limit: int) -> Iterator[str]:
    """Verbatim pieces of an over-long sentence, each cut at the last clause end (or space)
    in its second half, so no piece ends mid-word unless the text has no spaces at all."""
    rest = sentence
    while len(rest) > limit:
        window = rest[:limit]
        ends = [m.end() for m in _CLAUSE_END.finditer(window) if m.end() > limit // 2]
        cut = ends[-1] if ends else window.rfind(" ") + 1 or limit
        if cut <= limit // 2:
            cut = limit
        yield rest[:cut].strip()
        rest = rest[cut:].lstrip()
    if rest:
        yield rest


def split_passages(article: Article, limit: int = MAX_PASSAGE_CHARS) -> list[Passage]:
    return [
        Passage(article.id, number, chunk, clipped)
        for number, paragraph in enumerate(article.paragraphs)
        if is_quotable(paragraph)
        for chunk, clipped in _chunks(paragraph, limit)
    ]


def all_passages(articles: Iterable[Article], limit: int = MAX_PASSAGE_CHARS) -> list[Passage]:
    return [p for article in articles for p in split_passages(article, limit)]
