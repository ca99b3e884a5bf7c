"""Reading a short follow-up ("and when?", "what did they discuss?") in the light of the
previous question, so a chat can go on the way people talk.

Nothing here knows any name. The people come from the previous answer (who met whom in its
best passage, else whom its question was about), and the rewrite works on the follow-up's
shape alone: pronouns stand for those people, and an elliptic question ("and where?")
borrows the previous question with its question word swapped. Whatever the rewrite
produces is then answered like any question, so a follow-up that still finds nothing says
so in the usual way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answers import Answer

SINGULAR = frozenset("he she him her his hers himself herself".split())
PLURAL = frozenset("they them their theirs themselves".split())
_WH = frozenset("who whom when where why what which how".split())
_LEADING = re.compile(
    r"^\W*(?:(?:and|but|so|also|then|ok|okay)\b[\s,]*|(?:what|how)\s+about\b\s*)+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_ELSE = re.compile(r"\s*\belse\b", re.IGNORECASE)
ELLIPTIC_WORDS = 3
"""A question this short with no name of its own leans on the one before ("when exactly?")."""


@dataclass(frozen=True, slots=True)
class Context:
    """What the previous question was about, kept per chat and user."""

    question: str
    people: tuple[str, ...]
    """Subject first, then the people the subject met."""
    shown: tuple[str, ...] = ()
    """Article ids the previous answer quoted, so "who else" can put others first."""


@dataclass(frozen=True, slots=True)
class Reading:
    """A question as it will be answered."""

    question: str
    follow_up: bool = False
    """True when the question was rewritten from the context."""
    wants_others: bool = False
    """ "who else ...": answers not shown before go first."""


def context_of(answer: Answer) -> Context | None:
    """The context a new answer sets, or None when it names nobody to refer back to."""
    names: Sequence[str] = ()
    if answer.citations and answer.citations[0].subject:
        best = answer.citations[0]
        names = (best.subject, *best.counterparts)
    elif answer.about:
        names = answer.about
    people = tuple(dict.fromkeys(n for n in names if n))
    if not people:
        return None
    return Context(answer.question, people, tuple(c.article_id for c in answer.citations[:1]))


def read(question: str, context: Context | None) -> Reading:
    """The question to answer: ``question`` itself, or its rewrite when it is a follow-up of
    ``context``. A question naming someone the context does not know is a new question,
    unless a pronoun comes before that name ("did she meet Zhang Ming?"): a pronoun after
    it ("Who did Zhang Ming meet and what did they discuss?") stands for the new name."""
    if context is None:
        return Reading(question)
    lowered = [w.lower() for w in _WORD.findall(question)]
    pronouns = [i for i, w in enumerate(lowered) if w in SINGULAR | PLURAL]
    wants_others = "else" in lowered
    new_name = _first_name(question, context.people)
    text = _ELSE.sub("", _LEADING.sub("", question)).strip()
    if pronouns and (new_name is None or pronouns[0] < new_name):
        return Reading(_resolve_pronouns(text, context), True, wants_others)
    if pronouns or _first_name(question, ()) is not None or not _elliptic(question):
        return Reading(question)
    return Reading(_borrow(text.strip(" ?!.,"), context), True, wants_others)


def _first_name(question: str, known_names: Sequence[str]) -> int | None:
    """Where the first capitalised word that ``known_names`` do not hold is, as a word
    position in ``question``: "and Zhang Ming?" asks about someone. The sentence's first
    word is capitalised anyway, unless a leading "and" came before it. (Lower-case names
    cannot be told from words, which is why only pronouns or a very short question make a
    follow-up.)"""
    known = {w.lower() for name in known_names for w in _WORD.findall(name)}
    words = _WORD.findall(question)
    skipped = len(words) - len(_WORD.findall(_LEADING.sub("", question)))
    first = 0 if skipped else 1
    for i, word in enumerate(words[max(first, skipped) :], start=max(first, skipped)):
        if word[:1].isupper() and word != "I" and word.lower() not in known | _WH:
            return i
    return None


def _elliptic(question: str) -> bool:
    stripped = _LEADING.sub("", question)
    content = [w for w in _WORD.findall(stripped) if w.lower() != "else"]
    return stripped != question or len(content) <= ELLIPTIC_WORDS


def _borrow(rest: str, context: Context) -> str:
    """ "when" after "Who did X meet?" is "When did X meet?"; a longer elliptic question
    gets the context's people added."""
    previous = context.question.strip()
    rest_words = rest.split()
    if len(rest_words) <= 2 and rest_words and rest_words[0].lower() in _WH:
        wh = rest_words[0].capitalize()
        first, _, tail = previous.partition(" ")
        if first.lower().strip("?,.!") in _WH:
            return f"{wh} {tail}"
        return f"{wh} {previous[:1].lower()}{previous[1:]}"
    if not rest:
        return previous
    return f"{rest}: {_together(context.people)}?"


def _resolve_pronouns(text: str, context: Context) -> str:
    """Singular pronouns stand for the subject, and a second, different one ("when did he
    meet him") for the first person the subject met; plural ones for them all."""
    named = {w.lower() for w in _WORD.findall(text)}
    unnamed = [p for p in context.people if not named & {w.lower() for w in _WORD.findall(p)}]
    people = tuple(unnamed) or context.people
    seen: list[str] = []

    def replace(match: re.Match[str]) -> str:
        word = match.group(0)
        lower = word.lower()
        if lower in PLURAL:
            return _together(people)
        if lower in {"him", "himself", "herself"} or (lower == "her" and seen):
            # An object pronoun after a subject pronoun is the other party.
            if seen and len(people) > 1:
                return people[1]
            return people[0]
        seen.append(lower)
        return people[0]

    pattern = r"\b(?:" + "|".join(sorted(SINGULAR | PLURAL, key=len, reverse=True)) + r")\b"
    rewritten = re.sub(pattern, replace, text, flags=re.IGNORECASE)
    return rewritten[:1].upper() + rewritten[1:]


def _together(people: Sequence[str], limit: int = 3) -> str:
    names = list(people[:limit])
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
