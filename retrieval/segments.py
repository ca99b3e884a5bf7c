"""A corpus changed by a few articles, answered from within seconds of the change.

Rebuilding a million passages takes minutes, and an added or edited article should be
answered long before that. So the corpus in use (the base) is joined by a small corpus of the
changed articles alone, and the base's passages of removed or replaced articles are hidden,
as Lucene and tantivy add a segment and mark deletions: nothing of the base is copied or
re-read. The full rebuild still follows, in its own process (bot.rebuild), and replaces the
pair when it lands, as a merge of the segments would.

What is exact, and what waits for that rebuild:

- BM25 scores are the joined corpus's: each segment's postings are scored with the whole's
  document frequencies, passage count and average length (``BM25Index.restated``), so a
  passage scores what rank-bm25 gives it over the joined corpus, except that the average idf
  behind the floor of very common terms is summed in another order (its last bits).
- Names in the new articles are found with the new articles' own common words; each of
  their entities joins the base's entity of the same name, or the one longer name it stands
  for, or is new. Grouping all names again is the rebuild's.
"""

from __future__ import annotations

import logging
from collections import ChainMap, Counter, defaultdict
from collections.abc import Collection, Container, Iterator, Mapping, Sequence
from dataclasses import replace
from heapq import merge
from pathlib import Path
from typing import TypeVar

import numpy as np

from retrieval.articles import Article, ArticleError, not_a_file, read_article
from retrieval.bm25 import BM25Index, okapi_idf
from retrieval.cancel import Check, never
from retrieval.corpus import Corpus, article_lookup, reference_date
from retrieval.entities import Entity, EntityIndex, Located, leading_numbers
from retrieval.events import EventTable, sentence_events
from retrieval.index import PassageIndex
from retrieval.listing import FolderState
from retrieval.passages import Passage, all_passages
from retrieval.tokens import tokenize

log = logging.getLogger(__name__)

T = TypeVar("T")

MOST_CHANGED = 0.05
"""Past this share of the folder's files changed at once, only a rebuild is worth it."""
FEW_CHANGED = 200
"""Up to this many changed files are always joined, whatever the share."""


def absorb(
    base: Corpus,
    before: FolderState,
    after: FolderState,
    folder: Path,
    max_article_bytes: int,
    check: Check = never,
) -> Corpus | None:
    """The base corpus, built from the folder as ``before`` listed it, with the articles
    that changed since ``after`` joined to it; None when nothing changed, too much did, or
    no article would be left (a rebuild then says what is wrong). Joining to a corpus that
    is itself joined is left to the rebuild too."""
    if not base.complete:
        return None
    old = {name: (size, mtime) for name, size, mtime in before.files}
    new = {name: (size, mtime) for name, size, mtime in after.files}
    changed = sorted(n for n in new if old.get(n) != new[n])
    removed = sorted(n for n in old if n not in new)
    if not changed and not removed:
        return None
    if len(changed) + len(removed) > max(FEW_CHANGED, MOST_CHANGED * len(old)):
        return None
    added = []
    for name in changed:
        check()
        path = folder / name
        if (why := not_a_file(path)) is not None:
            log.warning("skipping article file %s: it %s", name, why)
            continue
        try:
            added.append(read_article(path, max_article_bytes))
        except ArticleError as e:
            log.warning("skipping article file %s: it %s", name, e)
        except OSError as e:
            log.warning("skipping article file %s: cannot read it (%s)", name, e.strerror or e)
    hidden = {Path(n).stem for n in [*changed, *removed]}
    if not added and len(hidden & base.articles.keys()) >= len(base.articles):
        return None
    return joined(base, hidden, added, check)


def joined(
    base: Corpus, hidden: Collection[str], added: Sequence[Article], check: Check = never
) -> Corpus:
    """The base without the ``hidden`` articles (removed, or replaced by a new version),
    plus the ``added`` ones, numbered after the base's passages."""
    offset = len(base.passages)
    hidden = set(hidden) | {a.id for a in added}
    by_article = base.article_passages
    gone = sorted(p for a in hidden if a in by_article for p in by_article[a])
    new = all_passages(added)
    check()
    bm25 = JoinedBM25(
        base.index.bm25,
        np.asarray(gone, dtype=np.int64),
        [tokenize(base.passages[p].text) for p in gone],
        [tokenize(p.text) for p in new],
    )
    check()
    entities = _joined_entities(base.entities, set(gone), [p.text for p in new], offset, check)
    days = {a.id: reference_date(a) for a in added}
    new_events = [
        tuple(
            sentence_events(
                offset + number, p.text, entities.in_passage[offset + number], days[p.article_id]
            )
        )
        for number, p in enumerate(new)
    ]
    articles = JoinedArticles(base.articles, hidden, added)
    passages = JoinedPassages(
        base.passages, new, _article_passages(by_article, hidden, new, offset)
    )
    events = EventTable(
        Chained(base.events.by_passage, new_events),
        np.concatenate([base.events.counts, EventTable(new_events).counts]),
    )

    def terms_of(number: int) -> frozenset[str]:
        return frozenset(tokenize(passages[number].text))

    index = PassageIndex(bm25, terms_of)
    return Corpus(articles, passages, index, entities, events, complete=False)


class Chained(Sequence[T]):
    """Two sequences as one, the second numbered after the first."""

    def __init__(self, first: Sequence[T], second: Sequence[T]) -> None:
        self._first = first
        self._second = second
        self._offset = len(first)

    def __len__(self) -> int:
        return self._offset + len(self._second)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._first[index] if index < self._offset else self._second[index - self._offset]


class JoinedPassages(Chained[Passage]):
    def __init__(
        self,
        base: Sequence[Passage],
        new: Sequence[Passage],
        by_article: Mapping[str, Sequence[int]],
    ) -> None:
        super().__init__(base, new)
        self._by_article = by_article
        self._base_article_of = article_lookup(base)

    def article_passages(self) -> Mapping[str, Sequence[int]]:
        return self._by_article

    def article_of(self, index: int) -> str:
        if index < self._offset:
            return self._base_article_of(index)
        return self._second[index - self._offset].article_id


def _article_passages(
    base: Mapping[str, Sequence[int]], hidden: set[str], new: Sequence[Passage], offset: int
) -> dict[str, Sequence[int]]:
    joined: dict[str, Sequence[int]] = {a: ps for a, ps in base.items() if a not in hidden}
    grouped: dict[str, list[int]] = defaultdict(list)
    for number, passage in enumerate(new):
        grouped[passage.article_id].append(offset + number)
    return joined | grouped


class JoinedArticles(Mapping[str, Article]):
    """The base's articles but the hidden ones, and the added ones, in id order."""

    def __init__(
        self, base: Mapping[str, Article], hidden: set[str], added: Sequence[Article]
    ) -> None:
        self._base = base
        self._hidden = hidden
        self._added = {a.id: a for a in added}
        self._ids: list[str] | None = None

    def __getitem__(self, key: str) -> Article:
        if key in self._added:
            return self._added[key]
        if key in self._hidden:
            raise KeyError(key)
        return self._base[key]

    def __contains__(self, key: object) -> bool:
        return key in self._added or (key not in self._hidden and key in self._base)

    def __iter__(self) -> Iterator[str]:
        return iter(self._listed())

    def __len__(self) -> int:
        return len(self._listed())

    def _listed(self) -> list[str]:
        if self._ids is None:
            kept = (a for a in self._base if a not in self._hidden and a not in self._added)
            self._ids = list(merge(kept, sorted(self._added)))
        return self._ids


class JoinedBM25:
    """BM25 over the base's postings without the hidden passages, and the added passages'
    postings numbered after them, with the joined corpus's statistics. Offers what
    ``PassageIndex`` and the ranking use of ``BM25Index``."""

    def __init__(
        self,
        base: BM25Index,
        hidden: np.ndarray,
        hidden_tokens: Sequence[Sequence[str]],
        added_tokens: Sequence[Sequence[str]],
    ) -> None:
        k1, b, epsilon = base.params
        added = BM25Index.build(added_tokens, k1=k1, b=b, epsilon=epsilon)
        live_df = base.term_doc_freqs().astype(np.int64)
        gone = Counter(t for tokens in hidden_tokens for t in set(tokens))
        np.subtract.at(live_df, base.term_ids(list(gone)), list(gone.values()))
        added_terms = added.terms()
        added_df = added.term_doc_freqs().astype(np.int64)
        in_base = np.asarray(base.term_ids(added_terms), dtype=np.int64)
        shared = in_base >= 0
        df = live_df.copy()
        np.add.at(df, in_base[shared], added_df[shared])
        n_docs = base.n_docs - len(hidden) + added.n_docs
        total = (
            int(base.doc_lengths().sum())
            - sum(map(len, hidden_tokens))
            + sum(map(len, added_tokens))
        )
        avgdl = total / max(n_docs, 1)
        # The joined vocabulary: base terms still held by a live passage, then new ones.
        live = np.flatnonzero(df > 0)
        only_new = added_df[~shared]
        idf = okapi_idf(np.concatenate([df[live], only_new]), max(n_docs, 1), epsilon)
        base_idf = np.zeros(len(df))
        base_idf[live] = idf[: len(live)]
        added_idf = np.empty(len(added_terms))
        added_idf[~shared] = idf[len(live) :]
        added_idf[shared] = base_idf[in_base[shared]]
        self._base = base.restated(base_idf, avgdl)
        self._added = added.restated(added_idf, avgdl)
        self._hidden = hidden
        self._live_df = live_df
        self._offset = base.n_docs
        self.n_docs = base.n_docs + added.n_docs

    def doc_freqs(self, terms: Sequence[str]) -> list[int]:
        base = [int(self._live_df[t]) if t >= 0 else 0 for t in self._base.term_ids(terms)]
        return [a + b for a, b in zip(base, self._added.doc_freqs(terms), strict=True)]

    def top_k(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """The base's best k and as many as are hidden, the hidden dropped, merged with the
        added passages' best k: exactly the k best of the joined corpus."""
        if k <= 0:
            return []
        hidden = set(self._hidden.tolist())
        base = [(d, s) for d, s in self._base.top_k(query, k + len(hidden)) if d not in hidden]
        added = [(self._offset + d, s) for d, s in self._added.top_k(query, k)]
        return sorted(base + added, key=lambda hit: (-hit[1], hit[0]))[:k]

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        base = self._base.get_scores(query)
        base[self._hidden] = 0.0
        return np.concatenate([base, self._added.get_scores(query)])

    def match_counts(self, terms: Sequence[str]) -> np.ndarray:
        base = self._base.match_counts(terms)
        base[self._hidden] = 0.0
        return np.concatenate([base, self._added.match_counts(terms)])

    def passages_holding(self, term: str, prefix: bool = False) -> np.ndarray:
        base = self._base.passages_holding(term, prefix)
        base = base[~np.isin(base, self._hidden)]
        added = self._added.passages_holding(term, prefix) + self._offset
        return np.concatenate([base.astype(np.int64), added.astype(np.int64)])


def _joined_entities(
    base: EntityIndex, hidden: set[int], texts: list[str], offset: int, check: Check
) -> EntityIndex:
    """The base's names and the new passages' names as one index: an entity of the new
    passages joins the base's entity of one of its names, else the one base entity with a
    longer name holding all its words ("Bayramov" for Jeyhun Bayramov), else is new."""
    new = EntityIndex(texts, check=check, known=base.by_key)
    n_base = len(base.entities)
    to_joined: list[int] = []
    fresh: list[Entity] = []
    for entity in new.entities:
        number = _base_entity(base, entity)
        if number is None:
            number = n_base + len(fresh)
            fresh.append(replace(entity, passages=set()))
        to_joined.append(number)
    located = [
        [Located(to_joined[loc.entity], loc.mention) for loc in in_passage]
        for in_passage in new.in_passage
    ]
    added: dict[int, set[int]] = defaultdict(set)
    for number, in_passage in enumerate(located):
        for loc in in_passage:
            added[loc.entity].add(offset + number)
    touched = {loc.entity for p in hidden for loc in base.in_passage[p] if loc.entity < n_base}
    changed = {}
    for number in touched | {e for e in added if e < n_base}:
        entity = base.entities[number]
        changed[number] = replace(
            entity, passages=(entity.passages - hidden) | added.get(number, set())
        )
    for number, entity in enumerate(fresh, start=n_base):
        entity.passages = added.get(number, set())
    tokens: dict[str, set[int]] = defaultdict(set)
    for number, entity in enumerate(fresh, start=n_base):
        for alias in entity.aliases:
            for token in alias:
                if len(token) > 1:
                    tokens[token].add(number)
    entities = JoinedEntities(base.entities, changed, fresh)
    by_key = ChainMap({key: to_joined[number] for key, number in new.by_key.items()}, base.by_key)
    choices = list(merge(base.fuzzy_choices(), sorted(set(tokens) - base.by_token.keys())))
    # Only the base's leaders and the entities whose passages changed can lead now, but for
    # an unchanged one that a leader losing passages lets pass: it waits for the rebuild.
    candidates = dict.fromkeys([*base.leading, *changed, *range(n_base, n_base + len(fresh))])
    return EntityIndex.from_parts(
        entities,
        Chained(base.in_passage, located),
        by_key,
        JoinedTokens(base.by_token, tokens),
        JoinedWords(base.common, new.common),
        choices,
        leading_numbers(entities, candidates),
    )


def _base_entity(base: EntityIndex, entity: Entity) -> int | None:
    """The base entity that one of the entity's names, or the longest run of words within
    one, stands for: the new articles' few common words leave words a full build strips
    glued to a name ("Exchequer Nigel Lawson"). Else the one base entity with a longer name
    holding all the words of the entity's longest."""
    aliases = sorted(entity.aliases, key=lambda k: (-len(k), k))
    for size in range(max(map(len, aliases)), 0, -1):
        for key in aliases:
            for start in range(len(key) - size + 1):
                if size < min(2, len(key)):
                    continue
                if (number := base.by_key.get(key[start : start + size])) is not None:
                    return number
    key = aliases[0]
    words = set(key)
    owners = {
        number
        for number in base.by_token.get(key[-1], ())
        if any(len(a) > len(key) and words <= set(a) for a in base.entities[number].aliases)
    }
    return owners.pop() if len(owners) == 1 else None


class JoinedEntities(Sequence[Entity]):
    """The base's entities, those whose passages changed replaced, then the new ones."""

    def __init__(
        self, base: Sequence[Entity], changed: Mapping[int, Entity], fresh: Sequence[Entity]
    ) -> None:
        self._base = base
        self._changed = changed
        self._fresh = fresh

    def __len__(self) -> int:
        return len(self._base) + len(self._fresh)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if index >= len(self._base):
            return self._fresh[index - len(self._base)]
        return self._changed.get(index) or self._base[index]


class JoinedWords(Container[str]):
    """Words either segment writes in lower case."""

    def __init__(self, base: Container[str], added: Container[str]) -> None:
        self._base = base
        self._added = added

    def __contains__(self, word: object) -> bool:
        return word in self._added or word in self._base


class JoinedTokens(Mapping[str, set[int]]):
    """Name words to the entities whose names hold them, over both segments."""

    def __init__(self, base: Mapping[str, set[int]], added: Mapping[str, set[int]]) -> None:
        self._base = base
        self._added = added

    def __getitem__(self, token: str) -> set[int]:
        if token in self._added:
            return self._base.get(token, set()) | self._added[token]
        return self._base[token]

    def __contains__(self, token: object) -> bool:
        return token in self._added or token in self._base

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        yield from (t for t in self._added if t not in self._base)

    def __len__(self) -> int:
        return len(self._base) + sum(1 for t in self._added if t not in self._base)
