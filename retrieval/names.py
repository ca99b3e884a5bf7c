"""Names in running text: who is mentioned in a passage, under which role.

News text names people as "West German Finance Minister Gerhard Stoltenberg", "Minister
Bayramov" or "Jin Pyo Kim", and institutions as "the Milli Majlis". A mention is a run of
capitalised words; the role words in front of it ("Finance Minister") are kept apart from
the name itself. Which runs are people is decided over the whole corpus, because one
sentence rarely tells (a run preceded by a title is a person everywhere).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from retrieval.tokens import fold

TITLES = frozenset(
    """
    president presidents vice prime premier minister ministers speaker chairman chairwoman
    chairperson chair secretary general deputy ambassador envoy king queen prince princess
    emir sheikh sultan governor mayor senator chancellor director chief executive head
    mr mrs ms miss dr prof professor sir lord lady pope cardinal archbishop bishop colonel
    admiral commissioner counsellor councillor acting spokesman spokeswoman spokesperson leader
    officer official founder ceo cfo coo chairmen undersecretary under assistant foreign
    finance treasury trade economy economic economics defence defense interior justice energy
    agriculture industry labour labor health education transport culture sports tourism
    environment commerce planning development affairs state national first representative
    representatives negotiator administrator commander attorney judge inspector coordinator
    adviser advisor counselor consul delegate emissary rapporteur ombudsman managing
    extraordinary plenipotentiary
    """.split()
)
"""Words of a role, not of a name: a run's words up to the last of these are its role."""

PERSON_TITLES = frozenset(
    """
    president minister speaker chairman chairwoman chairperson secretary ambassador envoy king
    queen prince princess emir sheikh sultan governor mayor senator chancellor director chief
    executive mr mrs ms miss dr prof professor sir lord lady pope cardinal archbishop bishop
    colonel admiral commissioner spokesman spokeswoman spokesperson leader ceo premier
    representative negotiator administrator commander attorney judge inspector coordinator
    adviser advisor counselor consul delegate emissary rapporteur ombudsman
    """.split()
)
"""Titles that only people bear: a run right after one of these is a person."""

DATELINE_PLACE = re.compile(r"^([A-Z][A-Z .'’-]{2,40})[,.]\s")
"""A wire dateline's place, in capitals: "PODGORICA, June 5 -", "ROTTERDAM. The minister"."""

MODIFIERS = frozenset("deputy vice acting former assistant".split())
"""Stems of words that make a title another one ("Deputy Prime Minister", "Vice President")."""

ORG_WORDS = frozenset(
    """
    organization organisation organizations assembly parliament council ministry republic
    kingdom union nations bank party committee senate government agency corporation company
    commission federation office department university institute association fund forum
    group court army navy corridor conference movement news times press post journal
    international community states emirates airlines airways exchange market markets
    summit treaty agreement program programme project club centre center foundation
    co corp inc plc ltd llc majlis
    """.split()
)
PARTICLES = frozenset("de da di du del der van von bin ibn al el le la abu bint dos".split())
CALENDAR = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
    """.split()
)
SPEECH_VERBS = frozenset(
    """
    said says told added noted stressed emphasized emphasised stated underlined underscored
    highlighted expressed recalled announced declared urged called warned asked replied
    """.split()
)

_APPOSITIVE_TITLE = re.compile(r"\b(?i:" + "|".join(sorted(PERSON_TITLES)) + r")\s*,\s*$")
"""A title set off by a comma before the name: "Pakistan's Foreign Secretary, Abdul Sattar"."""
_OF_BEFORE = re.compile(r"\bof\s+$")
_TITLE_OF = re.compile(r"\b(?i:" + "|".join(sorted(PERSON_TITLES)) + r")\s+of\s+(?:the\s+)?$")
"""A title whose office follows it: "Minister of Foreign Affairs Karim El-Shenawy"."""
_PLACE_BEFORE = re.compile(r"\b(?:in|at|near|outside)\s+$", re.IGNORECASE)
_TOKEN = re.compile(r"[^\W\d_][\w]*(?:[-‐'’`][^\W\d_]\w*)*")
_POSSESSIVE = re.compile(r"['’`]s$", re.IGNORECASE)


class Mention(NamedTuple):
    name: str
    """The name as written, role words removed: "Gerhard Stoltenberg"."""
    role: str
    """Role words written right before the name in the same run: "Finance Minister"."""
    start: int
    end: int
    titled: bool
    """The role includes a title only people bear, so this is a person."""
    after_the: bool
    """Written as "the ...", which people's names never are."""
    speaks: bool
    """Followed by a verb of speech ("said"), which marks a person."""
    initial: bool
    """Starts a sentence, where any word is capitalised."""
    institution: bool = False
    """A name made of institution words ("National Assembly"), never a person."""
    place: bool = False
    """Written after "in", "at" or "near" ("in Hong Kong"), as places are."""
    after_of: bool = False
    """Written after "of" ("President of Kenya Daniel Mwangi"), where a place may lead."""

    @property
    def key(self) -> tuple[str, ...]:
        return name_key(self.name)


_CONTRACTION = re.compile(r"['’`](?:m|ll|d|re|ve|t)$", re.IGNORECASE)
"""An apostrophe that joins a contraction ("I'm"), not two parts of a name."""


def name_key(name: str) -> tuple[str, ...]:
    """Folded name words; a hyphenated name counts as its parts ("El-Shenawy" is matched by
    "shenawy" and by "el shenawy"), and so does one with an apostrophe ("al-Rifa'i"), as
    questions split them the way words() does."""
    return tuple(
        part
        for t in _TOKEN.findall(name)
        for part in re.split(
            r"[-‐]" if _CONTRACTION.search(t) else r"[-‐'’`]", fold(_POSSESSIVE.sub("", t))
        )
        if part
    )


def _starts_sentence(text: str, start: int) -> bool:
    head = text[:start].rstrip(" \"'“‘(")
    return not head or head[-1] in ".!?:;"


def _is_capitalised(token: str) -> bool:
    """A capitalised word, or a particle joined to one ("al-Rifa'i", "el-Sayed")."""
    if token[0].isupper():
        return True
    joined = _JOINED_PARTICLE.match(token)
    return bool(joined) and token[joined.end()].isupper()


_JOINED_PARTICLE = re.compile(rf"(?:{'|'.join(sorted(PARTICLES))})[-‐'’](?=[^\W\d_])")


def _runs(text: str) -> Iterable[list[re.Match[str]]]:
    """Maximal runs of capitalised words separated only by spaces (or name particles)."""
    run: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []
    last_end = -1
    for match in _TOKEN.finditer(text):
        token = match.group()
        joined = last_end >= 0 and text[last_end : match.start()].strip() == ""
        if _is_capitalised(token) and run and joined:
            run.extend(pending)
            run.append(match)
        elif _is_capitalised(token):
            if run:
                yield run
            run = [match]
        elif run and joined and token.lower() in PARTICLES and not pending:
            pending = [match]
            last_end = match.end()
            continue
        else:
            if run:
                yield run
            run = []
        pending = []
        last_end = match.end()
    if run:
        yield run


def find_mentions(text: str, common_words: frozenset[str] = frozenset()) -> list[Mention]:
    """Name mentions in a passage. ``common_words`` are words the corpus also uses in lower
    case ("Highlighting", "The"): a run never starts with one, so sentence openers drop out."""
    mentions: list[Mention] = []
    for run in _runs(text):
        words = [_POSSESSIVE.sub("", m.group()) for m in run]
        lowered = [w.lower() for w in words]
        role_end = 1 + max(
            (i for i, w in enumerate(lowered) if w in TITLES or w in ORG_WORDS), default=-1
        )
        first = role_end
        while first < len(run) and (lowered[first] in common_words or lowered[first] in PARTICLES):
            first += 1
        institution = first >= len(run) and any(w in ORG_WORDS for w in lowered)
        if institution:
            first = 0
            while first < len(run) - 1 and lowered[first] in common_words:
                first += 1
        elif first >= len(run):
            continue
        if all(w.isupper() or w.lower() in CALENDAR or len(w) < 2 for w in words[first:]):
            continue
        start, end = run[first].start(), run[-1].start() + len(words[-1])
        before = text[max(0, run[0].start() - 5) : run[0].start()].lower()
        rest = text[end:]
        after = _TOKEN.match(text, end + len(rest) - len(rest.lstrip(" ,'’s")))
        mentions.append(
            Mention(
                name=text[start:end],
                role=text[run[0].start() : start].strip() if not institution else "",
                start=start,
                end=end,
                titled=not institution
                and (
                    any(w in PERSON_TITLES for w in lowered[:first])
                    or (
                        len(run) > first + 1
                        and bool(
                            _TITLE_OF.search(text, max(0, run[0].start() - 30), run[0].start())
                        )
                    )
                    or (
                        first == 0
                        and len(run) > 1
                        and bool(_APPOSITIVE_TITLE.search(text, max(0, start - 40), start))
                    )
                ),
                after_the=(first == 0 or institution) and before.rstrip().endswith("the"),
                speaks=not institution and bool(after and after.group().lower() in SPEECH_VERBS),
                initial=first == 0 and _starts_sentence(text, start),
                institution=institution,
                place=first == 0 and bool(_PLACE_BEFORE.search(text, max(0, start - 10), start)),
                after_of=bool(_OF_BEFORE.search(text, max(0, run[0].start() - 4), run[0].start())),
            )
        )
    return mentions
