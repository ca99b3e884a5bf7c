"""BM25 search over passages, with the corner cases of plain BM25Okapi handled.

BM25Okapi gives every passage a score of 0 in a corpus of one or two passages (idf is
log(1) or negative there) and floors common terms to a tiny epsilon idf. A search engine
that silently returns nothing for a one-article folder would look broken, so when BM25 has
no positive score but passages do contain query terms, those passages are ranked by how
many distinct query terms they contain instead.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi


@dataclass(frozen=True, slots=True)
class Hit:
    passage: int
    score: float


class PassageIndex:
    def __init__(self, tokenized: Sequence[Sequence[str]]) -> None:
        self._docs = [frozenset(t) for t in tokenized]
        self.doc_freq: Counter[str] = Counter(term for doc in self._docs for term in doc)
        self._bm25 = BM25Okapi([list(t) for t in tokenized]) if tokenized else None

    @property
    def size(self) -> int:
        return len(self._docs)

    def idf(self, term: str) -> float:
        """A never-negative idf for weighing query terms (unknown terms weigh the most)."""
        return math.log(1 + (self.size + 1) / (self.doc_freq.get(term, 0) + 0.5))

    def contains(self, passage: int, term: str) -> bool:
        return term in self._docs[passage]

    def terms(self, passage: int) -> frozenset[str]:
        return self._docs[passage]

    def search(self, terms: Sequence[str], k: int) -> list[Hit]:
        known = [t for t in terms if t in self.doc_freq]
        if not known or self._bm25 is None:
            return []
        scores = np.asarray(self._bm25.get_scores(known), dtype=np.float64)
        if not (scores > 0).any():
            scores = self._overlap_scores(set(known))
        return _top(scores, k)

    def _overlap_scores(self, terms: set[str]) -> np.ndarray:
        return np.array([len(terms & doc) for doc in self._docs], dtype=np.float64)


def _top(scores: np.ndarray, k: int) -> list[Hit]:
    positive = np.flatnonzero(scores > 0)
    if positive.size > k:
        positive = positive[np.argpartition(-scores[positive], k - 1)[:k]]
    order = sorted(positive.tolist(), key=lambda i: (-scores[i], i))
    return [Hit(i, float(scores[i])) for i in order]
