"""Meeting events: every sentence that reports a meeting, read once when the corpus is built.

Event coders work this way (PETRARCH codes CAMEO "consult" events from parsed sentences:
actor, counterpart, verb, date, source sentence): a sentence that reports a meeting becomes
one record, and questions read records rather than sentences. Here the record keeps what
the wording rules of ``retrieval.meetings`` and the names of ``retrieval.entities`` make of
the sentence: held or planned, denied or not, the verb a reply can use, who stands on each
side of each meeting link ("X met Y", "talks between X and Y", "Y was received by X"), the
places it sets and the day it falls on. Reading it once per folder instead of once per
question keeps the per-question work to looking records up, and gives the ranking, the
who-met-whom reading and the reply one reading of each sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from retrieval.build_progress import Count, reported
from retrieval.cancel import Check, never
from retrieval.dates import event_date
from retrieval.entities import Located
from retrieval.meetings import (
    Tense,
    counterpart_windows,
    denies_meeting,
    meeting_tense,
    meeting_verb,
)
from retrieval.passages import Passage, sentence_spans

_PLACED = re.compile(r"\b(?:in|at)\s+(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})")
"""Where a sentence sets something: "in Cairo", "at the Ministry of Foreign Affairs"."""
_RELATIVE = re.compile(r",\s+(?:who|which|where)\b[^,;]*")
"""A relative clause tells of something else ("Howard, who left Tokyo yesterday")."""


@dataclass(frozen=True, slots=True)
class Link:
    """A meeting link of one sentence ("met", "talks with", "received") and whom it ties:
    the entities named before it, and those named in the span after it."""

    start: int
    """Where the link's first word stands in the sentence."""
    before: frozenset[int]
    after: frozenset[int]


@dataclass(frozen=True, slots=True)
class MeetingEvent:
    """One sentence of one passage that reports a meeting, held, planned or denied."""

    passage: int
    start: int
    """Where the sentence starts in its passage's text."""
    end: int
    tense: Tense
    negated: bool
    """The sentence denies a meeting ("did not meet", "the visit was cancelled")."""
    verb: str
    """The meeting's wording as a reply can use it ("held talks with"); empty when the
    sentence words it otherwise ("the summit", "consultations")."""
    named: frozenset[int]
    """Every entity the sentence names."""
    links: tuple[Link, ...]
    places: tuple[str, ...]
    """Where the sentence sets something ("in Cairo"): the meeting's place, perhaps."""
    date: dt.date | None
    """The day the meeting falls on, counted from the dateline or the article's date."""


class EventTable:
    """The meeting events of a corpus by passage: a passage's events, in sentence order."""

    def __init__(
        self, by_passage: Sequence[tuple[MeetingEvent, ...]], counts: np.ndarray | None = None
    ) -> None:
        self.by_passage = by_passage
        """One tuple per passage, empty for most: kept as a sequence so the cache can store
        and read it passage by passage (retrieval.packed)."""
        self.counts = (
            np.fromiter(map(len, by_passage), dtype=np.uint16, count=len(by_passage))
            if counts is None
            else counts
        )
        """How many events each passage holds: which of a much-named person's ten thousand
        passages report a meeting is one array lookup, not ten thousand reads."""

    @classmethod
    def of(cls, events: Iterable[MeetingEvent], passages: int) -> EventTable:
        grouped: list[list[MeetingEvent]] = [[] for _ in range(passages)]
        for event in events:
            grouped[event.passage].append(event)
        return cls([tuple(group) for group in grouped])

    def __len__(self) -> int:
        return sum(len(events) for events in self.by_passage)

    def __iter__(self) -> Iterator[MeetingEvent]:
        for events in self.by_passage:
            yield from events

    def in_passage(self, passage: int) -> tuple[MeetingEvent, ...]:
        return self.by_passage[passage]

    def reporting(self, passages: Iterable[int]) -> list[int]:
        """Those of the passages that report a meeting, in order."""
        numbers = np.fromiter(passages, dtype=np.int64)
        numbers.sort()
        return numbers[self.counts[numbers] > 0].tolist()

    def at(self, passage: int, start: int) -> MeetingEvent | None:
        """The event of the sentence that starts there, if it reports a meeting."""
        return next((e for e in self.by_passage[passage] if e.start == start), None)


def places_set_in(text: str) -> list[str]:
    return [m.group(1) for m in _PLACED.finditer(text)]


def sentence_events(
    passage: int,
    text: str,
    located: Sequence[Located],
    reference: dt.date | None,
) -> list[MeetingEvent]:
    """The meeting events of one passage, given its names and the day it counts from."""
    events = []
    for start, end, sentence in sentence_spans(text):
        tense = meeting_tense(sentence)
        if tense is Tense.NONE:
            continue
        spans = [
            (loc.mention.start - start, loc.entity)
            for loc in located
            if start <= loc.mention.start < end
        ]
        windows = counterpart_windows(sentence)
        links = tuple(
            Link(
                at,
                frozenset(e for offset, e in spans if offset < at),
                frozenset(e for offset, e in spans if link_end <= offset < span_end),
            )
            for at, link_end, span_end in windows
        )
        planned = tense is Tense.PLANNED
        # The day told with a link first ("was received by Gandhi on Tuesday", not "who
        # arrived on Friday"; "Howard, who left Tokyo yesterday" not at all), else one told
        # before the meeting's last link; never one in a clause after it ("said he invited
        # Sarney to the Food Day in Rome October 16").
        told = sentence[: max(end for _, _, end in windows)] if windows else sentence
        dates = (
            event_date(_RELATIVE.sub("", sentence[at:end]), reference, planned)
            for at, _, end in windows
        )
        date = next((d for d in dates if d is not None), None)
        verb = meeting_verb(sentence)
        events.append(
            MeetingEvent(
                passage=passage,
                start=start,
                end=end,
                tense=tense,
                negated=denies_meeting(sentence),
                verb=verb[0] if verb else "",
                named=frozenset(e for _, e in spans),
                links=links,
                places=tuple(places_set_in(sentence)),
                date=date or event_date(_RELATIVE.sub("", told), reference, planned),
            )
        )
    return events


def extract_events(
    passages: Sequence[Passage],
    located: Sequence[Sequence[Located]],
    reference_date: Callable[[str], dt.date | None],
    progress: Count | None = None,
    check: Check = never,
) -> EventTable:
    """Every passage's meeting events; ``reference_date`` gives an article's reference day
    by its id, and ``check`` is called for every passage (see retrieval.cancel)."""
    events: list[MeetingEvent] = []
    for number, passage in reported(enumerate(passages), len(passages), progress):
        check()
        events += sentence_events(
            number, passage.text, located[number], reference_date(passage.article_id)
        )
    return EventTable.of(events, len(passages))
