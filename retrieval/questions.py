"""What a question asks: a meeting, its date, a topic or a plain fact, and about whom."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from retrieval.entities import EntityIndex, NameMatch
from retrieval.names import ORG_WORDS, TITLES
from retrieval.tokens import STOPWORDS, stem_all, words

MIN_NAME_SCORE = 75.0

_MEETING_WORDS = frozenset(
    """
    meet meets met meeting meetings talks talk talked held hold holds received receive
    receives welcomed welcome welcomes hosted host hosts visited visit visits visitor
    visitors sat sit down confer conferred counterpart guest guests discussions audience
    """.split()
)
_TOPIC = re.compile(
    r"\b(discuss\w*|talk(?:ed|s)? about|sa(?:y|id) about|agree\w*|topics?|subjects?|"
    r"what (?:did|was|were|do|does)|about what)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(r"\b(when|what (?:date|day|time)|which (?:date|day)|on what)\b", re.IGNORECASE)
_FILLER = frozenset("whom anyone someone people person one ones".split())
_TOPIC_WORDS = frozenset(
    "discuss discussed discussing discussion talk talked say said agree agreed topic topics "
    "subject subjects issue issues".split()
)
"""Words that ask about a conversation's content but need not appear in the answer."""


class Intent(enum.Enum):
    MEETING = "meeting"
    WHEN = "when"
    TOPIC = "topic"
    FACT = "fact"


@dataclass(frozen=True)
class Question:
    text: str
    intent: Intent
    names: tuple[NameMatch, ...]
    """Entities the question names, best match first."""
    role_words: tuple[str, ...]
    """Words describing someone by role ("soviet", "foreign", "minister") when no one is named."""
    terms: tuple[str, ...]
    """Stemmed search terms of the whole question."""
    topic_terms: tuple[str, ...]
    """Stemmed terms beyond the names and the meeting words: places, subjects, qualifiers."""


def parse_question(text: str, entities: EntityIndex) -> Question:
    plain = [w for w in words(text) if w not in STOPWORDS and w not in _FILLER]
    names = tuple(m for m in entities.match(text) if m.score >= MIN_NAME_SCORE)
    named = {w for m in names for w in m.words}
    named_people = {w for m in names if entities.entities[m.entity].person for w in m.words}
    has_meeting_word = any(w in _MEETING_WORDS for w in plain)
    if _WHEN.search(text) and (has_meeting_word or len(names) >= 2):
        intent = Intent.WHEN
    elif _TOPIC.search(text) and not re.search(r"\bwho\b", text, re.IGNORECASE):
        intent = Intent.TOPIC
    elif has_meeting_word:
        intent = Intent.MEETING
    else:
        intent = Intent.FACT
    role_words = tuple(
        w for w in plain if w not in named_people and w not in _MEETING_WORDS and not w.isdigit()
    )
    if not any(w in TITLES or w in ORG_WORDS for w in role_words):
        role_words = ()
    rest = [w for w in plain if w not in named]
    if intent is not Intent.FACT:
        rest = [w for w in rest if w not in _MEETING_WORDS and w not in _TOPIC_WORDS]
    return Question(
        text=text,
        intent=intent,
        names=names,
        role_words=role_words,
        terms=tuple(stem_all(plain)),
        topic_terms=tuple(dict.fromkeys(stem_all(rest))),
    )
