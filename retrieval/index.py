"""BM25 search over passages, with the corner cases of plain BM25Okapi handled.

Scores are BM25Okapi's, bit for bit, served from the precomputed impact index in
``retrieval.bm25`` so a question costs its terms' postings, not a walk over every passage.

BM25Okapi gives every passage a score of 0 in a corpus of one or two passages (idf is
log(1) or negative there) and floors common terms to a tiny epsilon idf. A search engine
that silently returns nothing for a one-article folder would look broken, so when BM25 has
no positive score but passages do contain query terms, those passages are ranked by how
many distinct query terms they contain instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from retrieval.bm25 import BM25Index

_TERM_SETS_CACHED = 4096
"""Passages whose term sets are kept after use; the rest are re-tokenized when asked."""
_IDFS_CACHED = 1 << 14
PREFIX_MATCH = 4
"""Terms this long also match longer terms they begin ("grow" and "grown", "kazakh" and
"kazakhstan"), which the stemmer leaves apart."""


@dataclass(frozen=True, slots=True)
class Hit:
    passage: int
    score: float


class PassageIndex:
    """The BM25 index plus each passage's set of terms, which is not stored: ``terms_of``
    re-tokenizes a passage on demand, so a million-passage corpus does not hold a million
    Python sets."""

    def __init__(self, bm25: BM25Index, terms_of: Callable[[int], frozenset[str]]) -> None:
        self.bm25 = bm25
        self._terms_of = lru_cache(maxsize=_TERM_SETS_CACHED)(terms_of)
        # Answering weighs the same few question terms once per candidate sentence.
        self.idf = lru_cache(maxsize=_IDFS_CACHED)(self._idf)

    @classmethod
    def from_tokens(cls, tokenized: Sequence[Sequence[str]]) -> PassageIndex:
        sets = [frozenset(t) for t in tokenized]
        return cls(BM25Index.build(tokenized), sets.__getitem__)

    @property
    def size(self) -> int:
        return self.bm25.n_docs

    def doc_freq(self, term: str) -> int:
        return self.bm25.doc_freqs([term])[0]

    def _idf(self, term: str) -> float:
        """A never-negative idf for weighing query terms (unknown terms weigh the most)."""
        return math.log(1 + (self.size + 1) / (self.doc_freq(term) + 0.5))

    def contains(self, passage: int, term: str) -> bool:
        return term in self._terms_of(passage)

    def terms(self, passage: int) -> frozenset[str]:
        return self._terms_of(passage)

    def search(
        self, terms: Sequence[str], k: int, within: Collection[int] | None = None
    ) -> list[Hit]:
        """The k best passages for the terms, among ``within`` when given (the passages of
        the articles a question is about), so that a rare pair of names is not crowded out
        by the thousands of passages that share the question's common words."""
        known = [t for t, df in zip(terms, self.bm25.doc_freqs(terms), strict=True) if df]
        if not known or k <= 0 or (within is not None and not len(within)):
            return []
        if within is None:
            hits = self.bm25.top_k(known, k)
            if hits:
                return [Hit(p, s) for p, s in hits]
            return _top(self._overlap_scores(known), k)
        allowed = (
            np.asarray(within, dtype=np.int64)
            if isinstance(within, np.ndarray)
            else np.fromiter(within, dtype=np.int64, count=len(within))
        )
        scores = np.zeros(self.size)
        scores[allowed] = self.bm25.get_scores(known)[allowed]
        if not (scores > 0).any():
            scores[allowed] = self._overlap_scores(known)[allowed]
        return _top(scores, k)

    def _overlap_scores(self, terms: Sequence[str]) -> np.ndarray:
        """How many distinct terms each passage holds (every term weighs 1)."""
        return self.bm25.match_counts(list(dict.fromkeys(terms)))


def _top(scores: np.ndarray, k: int) -> list[Hit]:
    positive = np.flatnonzero(scores > 0)
    if positive.size > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    order = sorted(positive.tolist(), key=lambda i: (-scores[i], i))
    return [Hit(i, float(scores[i])) for i in order]


class Holders:
    """Which passages hold a term or a longer form of it (``PREFIX_MATCH``), read off the
    term's postings once and then asked of a few passages at a time: a question weighs its
    terms over hundreds of articles, and tokenizing their passages again was a third of the
    answer at a million passages. Meant to live for one question."""

    def __init__(self, index: PassageIndex) -> None:
        self._index = index
        self._found: dict[str, np.ndarray] = {}

    def any_of(self, term: str, passages: Sequence[int]) -> bool:
        found = self._found.get(term)
        if found is None:
            prefix = len(term) >= PREFIX_MATCH
            found = self._found[term] = self._index.bm25.passages_holding(term, prefix)
        if not len(found) or not len(passages):
            return False
        if len(passages) == 1:
            # One passage (a candidate's own) is most calls: no arrays made for it.
            (passage,) = passages
            at = int(found.searchsorted(passage))
            return at < len(found) and int(found[at]) == passage
        at = found.searchsorted(passages)
        return bool((found.take(np.minimum(at, len(found) - 1)) == passages).any())
