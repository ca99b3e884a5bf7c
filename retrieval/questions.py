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
    together
    """.split()
)
_MEETING_PHRASE = re.compile(
    r"\b(?:call(?:s|ed|ing)? on|pa(?:y|id|ys) (?:a )?(?:courtesy )?call|"
    r"(?:who|whom)\b.*\b(?:see|sees|saw|seen|seeing))\b",
    re.IGNORECASE,
)
"""Meeting wording whose words alone mean other things ("called on X to resign")."""
_FUTURE = re.compile(
    r"\b(?:will|shall|going to|due to|scheduled|expected to|set to|plan(?:s|ned|ning)? to|"
    r"intends? to|next|upcoming|tomorrow|later this)\b",
    re.IGNORECASE,
)
_TOPIC = re.compile(
    r"\b(discuss\w*|talk(?:ed|s)? about|sa(?:y|id) about|agree\w*|topics?|subjects?|"
    r"what (?:did|was|were|do|does)|about what)\b",
    re.IGNORECASE,
)
_WHEN = re.compile(r"\b(when|what (?:date|day|time)|which (?:date|day)|on what)\b", re.IGNORECASE)
_ASKS_OTHER = re.compile(
    r"^\W*(?:how\s+(?:long|many|much|far|often|big|large|high|low)|why|whose|"
    r"what\s+(?:price|amount|level|number|share|percentage|rate|sum|figure))\b",
    re.IGNORECASE,
)
"""Questions that ask for an amount, a reason or an owner: a fact, even about a meeting."""
_WHO_VERB = re.compile(r"^\W*who\s+([a-z]+)", re.IGNORECASE)
_MEETING_OR_AUXILIARY = frozenset(
    """
    met meets hold held holds hosted hosts received receives welcomed welcomes visited visits
    greeted greets talked talks conferred confers sat sits called calls paid pays discussed
    discusses spoke speaks negotiated will would shall is was are were did does do has had
    have can could may might must else also
    """.split()
)
"""Words that may follow "who" in a who-met-whom question ("who met", "who did X meet");
any other ("who headed the delegation") asks a fact."""
_WHO_DISCUSSED_WITH = re.compile(r"\b(?:who|whom)\b.*\bdiscuss\w*\b.*\bwith\b", re.IGNORECASE)
_FILLER = frozenset("whom anyone someone people person one ones".split())
_TOPIC_WORDS = frozenset(
    "discuss discussed discussing discussion talk talked say said agree agreed topic topics "
    "subject subjects issue issues".split()
)
"""Words that ask about a conversation's content but need not appear in the answer."""
_MEETING_FILLER = frozenset(
    "get gets got getting play plays played pay pays paid call calls called calling courtesy "
    "see sees saw seen seeing due scheduled expected set going plan plans planned planning "
    "intend intends next upcoming later travel travels travelled traveled travelling "
    "traveling trip went go goes came come flew arrived date day time".split()
)
"""Light verbs and plan words around a meeting ("play host to", "is due to see"): not a
subject the answer has to mention."""


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
    future: bool = False
    """Asks about a meeting to come ("who will X meet"), which a planned one answers best."""
    places: tuple[str, ...] = ()
    """Stems of the names the question places the meeting at ("in Paris")."""


def parse_question(text: str, entities: EntityIndex) -> Question:
    plain = [w for w in words(text) if w not in STOPWORDS and w not in _FILLER]
    names = tuple(m for m in entities.match(text) if m.score >= MIN_NAME_SCORE)
    named = {w for m in names for w in m.words}
    named_people = {w for m in names if entities.entities[m.entity].person for w in m.words}
    has_meeting_word = any(w in _MEETING_WORDS for w in plain) or bool(_MEETING_PHRASE.search(text))
    who_verb = _WHO_VERB.match(text)
    asks_other = bool(_ASKS_OTHER.match(text)) or bool(
        who_verb and who_verb.group(1).lower() not in _MEETING_OR_AUXILIARY
    )
    if _WHEN.search(text) and (has_meeting_word or len(names) >= 2):
        intent = Intent.WHEN
    elif asks_other:
        intent = Intent.FACT
    elif _WHO_DISCUSSED_WITH.search(text):
        intent = Intent.MEETING
    elif _TOPIC.search(text) and not re.search(r"\bwho\b", text, re.IGNORECASE):
        intent = Intent.TOPIC
    elif has_meeting_word:
        intent = Intent.MEETING
    else:
        intent = Intent.FACT
    # "in Paris": where the meeting was, not part of a role ("France's finance minister").
    located = {w for w in _after_in_or_at(text) if w in named}
    role_words = tuple(
        w
        for w in plain
        if w not in named_people
        and w not in located
        and w not in _MEETING_WORDS
        and w not in _MEETING_FILLER
        and not w.isdigit()
    )
    if not any(w in TITLES or w in ORG_WORDS for w in role_words):
        role_words = ()
    rest = [w for w in plain if w not in named or w in located]
    if intent is not Intent.FACT:
        rest = [
            w
            for w in rest
            if w not in _MEETING_WORDS and w not in _TOPIC_WORDS and w not in _MEETING_FILLER
        ]
    return Question(
        text=text,
        intent=intent,
        names=names,
        role_words=role_words,
        terms=tuple(stem_all(plain)),
        topic_terms=tuple(dict.fromkeys(stem_all(rest))),
        future=bool(_FUTURE.search(text)),
        places=tuple(stem_all(sorted(located))),
    )


def placed_words(text: str) -> list[str]:
    """The words a question places something with ("in Tokyo", "at Miraflores palace")."""
    return sorted(_after_in_or_at(text))


def _after_in_or_at(text: str) -> set[str]:
    """The (up to two) words right after each "in" or "at" of the question."""
    tokens = words(text)
    return {
        w
        for i, token in enumerate(tokens)
        if token in ("in", "at")
        for w in tokens[i + 1 : i + 3]
        if w not in STOPWORDS
    }
