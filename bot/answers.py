"""What the bot says, as data: an answer is a lead sentence plus verbatim citations.

Keeping the answer structured (rather than a formatted string) lets the console, the JSON
interface and Telegram render the same answer each in their own way, from one set of
templates in ``bot.templates``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol, TypeVar

from bot.templates import meeting_summary
from retrieval.corpus import Corpus
from retrieval.meetings import Tense
from retrieval.passages import Passage
from retrieval.ranking import RankingModel
from retrieval.search import Finding, Result, example_questions, find

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Citation:
    """One quoted passage and where it comes from."""

    article_id: str
    title: str
    source: str
    date: dt.date | None
    quote: str
    score: float
    event_date: dt.date | None = None
    """The day the reported event happened, when the article implies one ("yesterday")."""
    also_in: tuple[str, ...] = ()
    """Ids of near-identical copies of the same story, folded into this citation."""
    summary: str = ""
    """Who met whom in this passage, when it reports a meeting."""
    subject: str = ""
    """The person the passage's meeting is about, for follow-ups ("and when did she ...")."""
    counterparts: tuple[str, ...] = ()
    """Whom the subject met in this passage, for follow-ups ("what did they discuss?")."""
    features: Mapping[str, float] = field(default_factory=dict)
    """Each ranking feature's contribution to ``score``, so a reader can see why it won."""


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    found: bool
    lead: str = ""
    """A sentence that answers before the quote, e.g. who met whom; empty when there is none."""
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    planned: bool = False
    """The best evidence is an announced meeting, not one that took place."""
    about: tuple[str, ...] = ()
    """The people or places the question was understood to be about."""
    more_counterparts: tuple[str, ...] = ()
    """Further people the articles report meetings with, beyond the citations."""


@dataclass(frozen=True, slots=True)
class FullArticle:
    """An article as the "Full article" button sends it."""

    article_id: str
    title: str
    source: str
    date: dt.date | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Overview:
    """What the bot knows, for /sources and /stats."""

    articles: int
    passages: int
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    outlets: tuple[tuple[str, int], ...] = ()
    """The most frequent outlets with their article counts, most frequent first."""


class Answering(Protocol):
    """What the chat front ends need from the answer side; the console, the JSON interface
    and the Telegram handlers all talk to this and nothing else."""

    @property
    def article_count(self) -> int: ...

    def answer(self, question: str) -> Answer: ...

    def examples(self, limit: int = 3) -> list[str]:
        """Example questions drawn from the loaded articles, for /start and /help."""
        ...

    def article(self, article_id: str) -> FullArticle | None:
        """The article behind a citation, or None once it has left the folder."""
        ...

    def overview(self) -> Overview: ...

    def reload(self) -> bool:
        """Re-reads the articles folder now; True when a new index is in use."""
        ...


class Answerer:
    """Answers questions from whatever corpus ``corpus()`` returns at that moment, so the
    corpus can be swapped (after the folder changes) without the front ends noticing."""

    def __init__(
        self,
        corpus: Callable[[], Corpus],
        model: RankingModel | None = None,
        reload: Callable[[], bool] | None = None,
    ) -> None:
        """``reload`` rebuilds the corpus when its folder changed (``LiveCorpus.refresh``);
        without it the corpus is fixed and /reload has nothing to do."""
        self._corpus = corpus
        self._model = model or RankingModel.from_file()
        self._reload = reload
        self._worked_out: dict[str, tuple[Corpus, Any]] = {}

    def _once_per_corpus(self, name: str, work: Callable[[Corpus], T]) -> T:
        """What reads every article or name (/sources, the examples) is worked out once per
        corpus: on a million passages, read from disk on demand, it takes seconds."""
        corpus = self._corpus()
        done = self._worked_out.get(name)
        if done is None or done[0] is not corpus:
            done = self._worked_out[name] = (corpus, work(corpus))
        return done[1]

    @property
    def article_count(self) -> int:
        return len(self._corpus().articles)

    def answer(self, question: str) -> Answer:
        corpus = self._corpus()
        return build_answer(corpus, find(corpus, question, self._model))

    def examples(self, limit: int = 3) -> list[str]:
        return self._once_per_corpus(f"examples {limit}", partial(example_questions, limit=limit))

    def article(self, article_id: str) -> FullArticle | None:
        found = self._corpus().articles.get(article_id)
        if found is None:
            return None
        return FullArticle(found.id, found.title, found.source, found.date, found.paragraphs)

    def overview(self, outlets: int = 5) -> Overview:
        return self._once_per_corpus(f"overview {outlets}", partial(_overview, outlets=outlets))

    def reload(self) -> bool:
        return self._reload() if self._reload is not None else False


def _overview(corpus: Corpus, outlets: int) -> Overview:
    dates, counts = [], Counter[str]()
    for article in corpus.articles.values():
        if article.date is not None:
            dates.append(article.date)
        if article.source:
            counts[article.source] += 1
    return Overview(
        articles=len(corpus.articles),
        passages=len(corpus.passages),
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
        outlets=tuple(counts.most_common(outlets)),
    )


def _citation(corpus: Corpus, finding: Finding) -> Citation:
    passage = corpus.passages[finding.passage]
    article = corpus.articles[passage.article_id]
    return Citation(
        article_id=article.id,
        title=article.title,
        source=article.source,
        date=article.date,
        quote=quoted(passage),
        score=round(finding.score, 4),
        event_date=finding.event_date,
        also_in=finding.copies,
        features={name: round(value, 4) for name, value in finding.features.items() if value},
        subject=finding.subject,
        counterparts=finding.counterparts,
        summary=meeting_summary(
            finding.subject,
            finding.counterparts,
            finding.tense,
            finding.verb,
            finding.subject_acts,
        ),
    )


def quoted(passage: Passage) -> str:
    """The passage as quoted: a piece cut from an over-long sentence shows its cuts."""
    text = passage.text
    if not passage.clipped:
        return text
    if not text[:1].isupper() and text[:1] not in "\"“‘'(":
        text = f"… {text}"
    if not text.rstrip().endswith((".", "!", "?", '"', "”")):
        text = f"{text} …"
    return text


def _planned(findings: Sequence[Finding]) -> bool:
    """Whether to say the meeting asked about is only planned: the quoted sentence reports a
    planned meeting of someone asked about (read as who meets whom, or tied to them), and no
    other finding reports the same people's meeting held, which would make "not as held"
    untrue."""
    first = findings[0]
    if first.tense is not Tense.PLANNED or not (first.subject or first.tied):
        return False
    met = _people(first)
    return len(met) < 2 or not any(
        f.tense is Tense.HELD and met <= _people(f) for f in findings[1:]
    )


def _people(finding: Finding) -> set[str]:
    return {finding.subject, *finding.counterparts} - {""}


def build_answer(corpus: Corpus, result: Result) -> Answer:
    question = result.question.text
    if not result.findings:
        return Answer(question=question, found=False, about=result.about)
    citations = tuple(_citation(corpus, f) for f in result.findings)
    return Answer(
        question=question,
        found=True,
        lead=citations[0].summary,
        citations=citations,
        planned=_planned(result.findings),
        about=result.about,
        more_counterparts=result.more_counterparts,
    )
