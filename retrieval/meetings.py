"""Whether a sentence reports a meeting, and whether it took place or is only planned.

The wording of meetings varies ("held talks with", "sat down with", "received", "hosted")
and so does the wording of plans ("will meet", "is due to hold talks", "ahead of a
meeting"). A meeting that happened answers "who did X meet" better than an announced one,
so the two are told apart here.
"""

from __future__ import annotations

import enum
import re

_VERBS = (
    r"meet|meets|met|meeting|meetings|talks|talked|discussions?|conferred|confer|"
    r"received|receives?|receiving|welcomed|welcomes?|welcoming|hosted|hosts?|hosting|"
    r"visited|visits?|visiting|greeted|sat down|sit down|consultations?|negotiations?|"
    r"held talks|hold talks|holding talks|audience|call on|called on|calls on|"
    r"spoke with|speak with|talks with|summit"
)
_MEETING = re.compile(rf"\b({_VERBS})\b", re.IGNORECASE)
_PLANNED = re.compile(
    r"\b(?:will|would|shall|is to|are to|was to|were to|due to|scheduled to|expected to|"
    r"set to|plans? to|planned to|planning to|intends? to|going to|hopes? to)\s+"
    rf"(?:[\w'’-]+\s+){{0,4}}?(?:{_VERBS})\b|"
    r"\b(?:to hold|to meet|to visit|ahead of|"
    r"before (?:a|the|his|her|their) (?:meeting|talks|visit)|"
    r"next (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"tomorrow|later this (?:week|month)|upcoming|forthcoming|planned|proposed|"
    r"(?:laying|lay|laid) the groundwork for|preparations? for|preparing for)\b",
    re.IGNORECASE,
)
"""Wording that puts a meeting ahead: a modal governs a meeting word a few words on ("will
hold talks", "is expected to be in Bonn for talks"; not "would not reveal"), or a phrase
does ("ahead of", "next week", "upcoming")."""
_HELD = re.compile(
    r"\b(met|held talks|held a meeting|held meetings|had talks|had a meeting|had discussions|"
    r"conferred|received|welcomed|hosted|visited|greeted|sat down|talked|spoke with|"
    r"during (?:a|the|his|her|their) (?:meeting|talks|visit)|at (?:a|the) meeting|"
    r"in (?:a|the) meeting|after (?:a|the|his|her|their) (?:meeting|talks)|"
    r"discussed|exchanged views|exchanged opinions|is on (?:a|an) (?:\w+ )?visit|"
    r"meets|holds talks|receives|welcomes|hosts|"
    r"(?:yesterday|last (?:week|month|year|night))['’]s (?:meeting|talks))\b",
    re.IGNORECASE,
)


_NOT = r"\s*(?:not|n['’]t)\s+(?:(?!(?:a|an|the)\s)\w+\s+){0,2}?"
_DENIED = re.compile(
    rf"\b(?:(?:did|does|do|will|would|could|can|should|shall){_NOT}|"
    r"(?:failed|refused|declined) to\s+(?:\w+\s+){0,2}?)"
    r"(?:meet|see|hold|have|talk|visit|receive)\b|"
    rf"\b(?:has|have|had){_NOT}(?:met|seen|held|had|talked|visited|received)\b|"
    rf"\b(?:was|were|is|are){_NOT}(?:meeting|seeing|holding|talking|visiting|receiving|held|"
    r"received)\b|"
    r"\bnever\s+(?:\w+\s+){0,2}?(?:meet|met|seen|held|talked|visited|received)\b|"
    r"\bno (?:meeting|talks|plans? to meet)\b|"
    r"\b(?:meeting|talks|visit)\s+(?:was|were|has been|have been|had been)\s+"
    r"(?:cancell?ed|called off|postponed|scrapped)\b",
    re.IGNORECASE,
)
"""Wording that denies a meeting: "did not meet", "no talks", "the visit was cancelled". Each
auxiliary takes the verb form it governs ("did not meet", "has not met", "was not meeting"),
so "it wasn't just talk" denies nothing."""


_LINK = re.compile(
    r"\b(?:(?:met|meets|meeting|meetings|talks|talked|talk|discussions?|conferred|confer|"
    r"consultations?|negotiations?|spoke|speak|sat down|sit down|together|"
    r"(?:tele)?phone (?:call|conversation)|conversation)\s+(?-i:[a-z]\w*\s+){0,2}?with|"
    r"met|meets|meet|received|receives|receive|hosted|hosts|host|welcomed|welcomes|welcome|"
    r"greeted|greets|visited|visits|called on|calls on|call on|"
    r"(?:meetings?|talks|discussions?|summit|consultations?|negotiations?|conversation|call)"
    r"\s+(?-i:[a-z]\w*\s+){0,2}?between)\b",
    re.IGNORECASE,
)
"""The words that tie a meeting to its counterpart: "met (with) Y", "talks with Y",
"received Y", "talks between X and Y"; a word or two may come between a noun and its "with"
or "between" ("talks yesterday with Y", "a phone conversation on Monday with Y"). A bare
"between" ties nothing ("a problem between Brazil and its banks")."""
_LINK_REACH = 160
"""Characters after a link within which its counterpart is named; titles come first
("met Secretary General of the Permanent International Secretariat ..., Murat Gündoğdu")."""


_CLAUSE_STOP = re.compile(
    r"[;:]|(?<!\b[A-Z])(?<!\b[A-Z][a-z])\.\s|\s(?:(?:and|but)\s+)?(?:said|told|added|says|saying|adding)\b|"
    r"(?<!\bof)(?<!\bin)(?<!\bfrom)(?<!\bto)(?<!\bwith)(?<!\bfor)(?<!\bat)(?<!\bby)\sthat\b"
)
"""Where the span naming a link's counterpart ends: a new clause ("said", ", saying", "that",
";"), but
not "that" as a determiner after a preposition ("the Speaker of that country, Jin Pyo Kim"),
nor the full stop of an abbreviation ("talks with U.S. officials", "Mr. Smith")."""


def counterpart_windows(sentence: str) -> list[tuple[int, int, int]]:
    """For each meeting link in the sentence: where it starts, and the span after it that
    names whom it links to, up to the clause's end or the next link ("visited the port and
    sat down with the minister": the minister is sat down with, not visited)."""
    links = list(_LINK.finditer(sentence))
    windows = []
    for number, match in enumerate(links):
        limit = match.end() + _LINK_REACH
        if number + 1 < len(links):
            limit = min(limit, links[number + 1].start())
        tail = sentence[match.end() : limit]
        stop = _CLAUSE_STOP.search(tail)
        end = match.end() + (stop.start() if stop else len(tail))
        windows.append((match.start(), match.end(), end))
    return windows


class Tense(enum.IntEnum):
    """Ordered by how well it answers "who did X meet": held beats planned."""

    NONE = 0
    PLANNED = 1
    HELD = 2


_KEYWORDS = (
    "meet", "met", "talk", "discuss", "confer", "recei", "welcom", "host", "visit", "greet",
    "sat down", "sit down", "consult", "negotia", "audience", "call", "spoke", "speak",
    "summit", "exchanged",
)  # fmt: skip
"""A piece of every meeting word above: a sentence without any of them reports no meeting,
which a substring test tells far faster than the patterns (most sentences are such)."""


def meeting_tense(sentence: str) -> Tense:
    lowered = sentence.lower()
    if not any(k in lowered for k in _KEYWORDS):
        return Tense.NONE
    if not _MEETING.search(sentence) and not _HELD.search(sentence):
        return Tense.NONE
    held = _HELD.search(sentence)
    planned = _PLANNED.search(sentence)
    if held and planned:
        # "During the visit, X is expected to hold talks": only a meeting verb in the past
        # makes such a sentence report a meeting that took place.
        return Tense.HELD if _past_plan(sentence) else Tense.PLANNED
    if held:
        return Tense.HELD
    return Tense.PLANNED if planned else Tense.HELD


def denies_meeting(sentence: str) -> bool:
    return bool(_DENIED.search(sentence))


def _past_plan(sentence: str) -> bool:
    """ "Ahead of a meeting with Y, X met Z": the plan is background to a meeting that happened."""
    return bool(
        re.search(
            r"\b(met|held talks|had talks|had discussions|held a meeting|had a meeting|"
            r"received|welcomed|hosted|visited|conferred|sat down|greeted|talked)\b",
            sentence,
        )
    )


_VERB_PHRASES = [
    (
        r"held talks|had talks|holds talks|held a meeting|had a meeting|had discussions",
        "held talks with",
    ),
    (r"met|meets", "met"),
    (r"received|receives", "received"),
    (r"welcomed|welcomes", "welcomed"),
    (r"hosted|hosts", "hosted"),
    (r"visited|visits", "visited"),
    (r"conferred", "conferred with"),
    (r"sat down", "sat down with"),
    (r"greeted", "greeted"),
    (r"spoke with|talked", "spoke with"),
    (r"called on|calls on|paid a (?:courtesy )?call on", "called on"),
    (r"had discussions|held discussions|holds discussions", "had discussions with"),
]
_VERB = re.compile(
    "|".join(rf"(?P<v{i}>\b(?:{pattern})\b)" for i, (pattern, _) in enumerate(_VERB_PHRASES)),
    re.IGNORECASE,
)


def meeting_verb(sentence: str, near: int | None = None) -> tuple[str, int] | None:
    """The meeting verb of a sentence as a reply can use it ("held talks with"), and where it
    stands, so the reply can say who received whom rather than only who was there. With
    ``near`` (where the other person is named), the verb closest before it: in "visited Paris
    and sat down with Balladur" Balladur was sat down with, not visited."""
    matches = list(_VERB.finditer(sentence))
    if not matches:
        return None
    before = [m for m in matches if near is not None and m.start() < near]
    match = before[-1] if before else matches[0]
    group = next(name for name, value in match.groupdict().items() if value)
    return _VERB_PHRASES[int(group[1:])][1], match.start()
