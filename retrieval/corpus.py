"""The searchable corpus: articles, their passages, the index and the names, built together."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

from retrieval.articles import Article, load_articles
from retrieval.bm25 import BM25Index, IndexBuilder
from retrieval.build_progress import EVERY, Progress, reported
from retrieval.cancel import Check, CheckedSequence, checked, never
from retrieval.dates import dateline_date
from retrieval.entities import EntityIndex
from retrieval.events import EventTable, MeetingEvent, extract_events
from retrieval.index import PassageIndex
from retrieval.meetings import Tense
from retrieval.passages import Passage, all_passages, sentence_spans
from retrieval.tokens import tokenize


class NoArticlesError(RuntimeError):
    """The folder holds no usable article: the bot has nothing to answer from."""


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str
    tense: Tense


@dataclass(frozen=True)
class Corpus:
    articles: Mapping[str, Article]
    passages: Sequence[Passage]
    index: PassageIndex = field(repr=False)
    entities: EntityIndex = field(repr=False)
    events: EventTable = field(repr=False)
    fingerprint: str = ""
    """A hash of the files' bytes the corpus was built from, when known (retrieval.store)."""
    complete: bool = True
    """False for a built corpus with changed articles joined to it (retrieval.segments),
    which a rebuild is to replace."""
    _sentences: dict[int, list[Sentence]] = field(default_factory=dict, repr=False)

    @cached_property
    def article_passages(self) -> Mapping[str, Sequence[int]]:
        packed = getattr(self.passages, "article_passages", None)
        if packed is not None:
            # Loaded from the cache: read off the passages' article column, not the passages.
            return packed()
        by_article: dict[str, list[int]] = defaultdict(list)
        for number, passage in enumerate(self.passages):
            by_article[passage.article_id].append(number)
        return dict(by_article)

    @cached_property
    def article_of(self) -> Callable[[int], str]:
        """A passage's article id, without reading its text where the passages are packed."""
        return article_lookup(self.passages)

    def articles_of(self, passages: Collection[int]) -> set[str]:
        """The articles of these passages: read off the article column at once where the
        passages are packed (a much-named person's ten thousand passages, per question)."""
        packed = getattr(self.passages, "articles_of", None)
        if packed is not None:
            return packed(passages)
        return {self.article_of(p) for p in passages}

    def passages_of(self, article_ids: Iterable[str]) -> Collection[int]:
        """Every passage of these articles, in no particular order."""
        by_article = self.article_passages
        joined = getattr(by_article, "all_of", None)
        if joined is not None:
            return joined(article_ids)
        return [p for a in article_ids for p in by_article[a]]

    def sentences(self, passage: int) -> list[Sentence]:
        """The passage's sentences with their offsets, and the tense of those that report a
        meeting (from the event table), split on first use."""
        cached = self._sentences.get(passage)
        if cached is None:
            cached = [
                Sentence(start, end, text, event.tense if event else Tense.NONE)
                for start, end, text in sentence_spans(self.passages[passage].text)
                for event in (self.events.at(passage, start),)
            ]
            self._sentences[passage] = cached
        return cached

    def sentence_of(self, event: MeetingEvent) -> Sentence:
        text = self.passages[event.passage].text[event.start : event.end]
        return Sentence(event.start, event.end, text, event.tense)

    def reference_date(self, article_id: str) -> dt.date | None:
        return reference_date(self.articles[article_id])


def article_lookup(passages: Sequence[Passage]) -> Callable[[int], str]:
    """How to tell a passage's article id: packed passages read it from a column. Chosen
    once, as it is called for thousands of passages a question."""
    packed = getattr(passages, "article_of", None)
    return packed if packed is not None else lambda passage: passages[passage].article_id


def reference_date(article: Article) -> dt.date | None:
    """The day the article's events are counted from: its dateline day, else its date."""
    first = article.paragraphs[0] if article.paragraphs else ""
    return dateline_date(first, article.date) or article.date


def build_corpus(
    articles: Sequence[Article], progress: Progress | None = None, check: Check = never
) -> Corpus:
    """``check`` is called for every article and passage (see retrieval.cancel)."""
    report = progress or _silent
    splitting = reported(checked(articles, check), len(articles), partial(report, "splitting"))
    passages = all_passages(splitting)
    bm25 = _bm25_index(passages, report, check)
    texts = CheckedSequence([p.text for p in passages], check)
    entities = EntityIndex(texts, progress=report, check=check)
    days = {a.id: reference_date(a) for a in articles}
    events = extract_events(
        passages, entities.in_passage, days.get, partial(report, "reading meetings"), check
    )
    check()
    return assemble(articles, passages, bm25, entities, events)


def assemble(
    articles: Sequence[Article] | Mapping[str, Article],
    passages: Sequence[Passage],
    bm25: BM25Index,
    entities: EntityIndex,
    events: EventTable,
    fingerprint: str = "",
) -> Corpus:
    """A corpus from its built parts, freshly built or loaded from the cache."""

    def terms_of(number: int) -> frozenset[str]:
        return frozenset(tokenize(passages[number].text))

    by_id = articles if isinstance(articles, Mapping) else {a.id: a for a in articles}
    return Corpus(by_id, passages, PassageIndex(bm25, terms_of), entities, events, fingerprint)


def load_corpus(
    folder: Path, max_article_bytes: int, progress: Progress | None = None, check: Check = never
) -> Corpus:
    if not folder.is_dir():
        raise NoArticlesError(f"The articles folder {folder} does not exist or is not a folder.")
    report = progress or _silent
    articles = load_articles(
        folder, max_article_bytes, check, progress=partial(report, "reading articles")
    )
    if not articles:
        raise NoArticlesError(f"No usable *.txt article in {folder}: nothing to answer from.")
    return build_corpus(articles, progress, check)


def _bm25_index(passages: Sequence[Passage], report: Progress, check: Check) -> BM25Index:
    """Each chunk of passages is tokenized and turned into its postings at once
    (retrieval.bm25.IndexBuilder): a million passages' terms kept as Python lists of strings
    until the index was built were most of the build's peak memory."""
    builder = IndexBuilder()
    for start in range(0, len(passages), EVERY):
        chunk = checked(passages[start : start + EVERY], check)
        builder.add([tokenize(p.text) for p in chunk])
        report("tokenizing", min(start + EVERY, len(passages)), len(passages))
    bm25 = builder.build()
    if passages:
        report("indexing", len(passages), len(passages))
    return bm25


def _silent(stage: str, done: int, total: int) -> None:
    return None
