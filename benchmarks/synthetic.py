"""Deterministic news-like passages and questions for the BM25 benchmark, made without downloads.

Words are drawn from a Zipf-Mandelbrot law (a flattened head, a long tail), so the vocabulary
grows with the corpus as Heaps' law says real text does; a small set of domain words is in a
large share of passages, as "minister" or "talks" are in news about meetings; and passages
repeat some of their own words, so term frequencies above one are common.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from retrieval.tokens import tokenize

_ONSETS = "b d f g k l m n p r s t v z br dr gr kr pl st tr sh ch th".split()
_VOWELS = "a e i o u ai ou ea".split()
_SYLLABLES = [o + v for o in _ONSETS for v in _VOWELS]
_FILLERS = "the of and in to a for on said with that at by from was were has".split()
_ZIPF_S = 1.55
_ZIPF_Q = 200.0
_HEAD_SHARE = 0.04
_HEAD_WORDS = 30
_REPEAT_SHARE = 0.15


def word(rank: int) -> str:
    """A pronounceable pseudo-word per rank; onset-vowel syllables parse one way only, so
    distinct ranks give distinct words, and none is a stopword."""
    n = rank + len(_SYLLABLES) ** 2
    parts = []
    while n:
        n, digit = divmod(n, len(_SYLLABLES))
        parts.append(_SYLLABLES[digit])
    return "".join(parts) + "n"


def _surface(rank: int) -> str:
    """How the word is written in text: some as names, some with an accent to fold away."""
    w = word(rank)
    if rank % 17 == 5:
        w = w.replace("e", "é", 1)
    return w.capitalize() if rank % 10 == 3 else w


def _ranks(rng: np.random.Generator, n: int) -> np.ndarray:
    """Zipf-Mandelbrot ranks by inverting the continuous law, plus a boost to the head."""
    u = 1.0 - rng.random(n)
    ranks = np.floor((_ZIPF_Q + 1) * u ** (-1 / (_ZIPF_S - 1)) - _ZIPF_Q)
    ranks = np.minimum(ranks, 1e9).astype(np.int64) - 1
    head = np.flatnonzero(rng.random(n) < _HEAD_SHARE)
    weights = 1 / np.arange(1, _HEAD_WORDS + 1)
    ranks[head] = rng.choice(_HEAD_WORDS, size=len(head), p=weights / weights.sum())
    return ranks


@dataclass
class Chunk:
    texts: list[str]
    ranks: np.ndarray
    offsets: np.ndarray


def passages(n_docs: int, *, seed: int = 0, chunk: int = 20_000) -> Iterator[Chunk]:
    """Passages of 40-80 index terms (plus stopwords and punctuation), chunk by chunk."""
    rng = np.random.default_rng(seed)
    for start in range(0, n_docs, chunk):
        n = min(chunk, n_docs - start)
        lengths = rng.integers(40, 81, size=n)
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        ranks = _ranks(rng, int(offsets[-1]))
        repeat = np.flatnonzero(rng.random(len(ranks)) < _REPEAT_SHARE)
        begin = np.repeat(offsets[:-1], lengths)[repeat]
        earlier = repeat > begin
        repeat, begin = repeat[earlier], begin[earlier]
        ranks[repeat] = ranks[begin + (rng.random(len(repeat)) * (repeat - begin)).astype(np.int64)]

        unique, inverse = np.unique(ranks, return_inverse=True)
        words = np.array([_surface(r) for r in unique.tolist()], dtype=object)[inverse]
        filler = np.flatnonzero(rng.random(len(words)) < 0.3)
        fillers = np.array(_FILLERS, dtype=object)[rng.integers(0, len(_FILLERS), len(filler))]
        words[filler] = fillers + " " + words[filler]
        flat = words.tolist()
        bounds = offsets.tolist()
        texts = [" ".join(flat[a:b]).capitalize() + "." for a, b in pairwise(bounds)]
        yield Chunk(texts, ranks, offsets)


def tokenize_interned(text: str) -> list[str]:
    """Tokens share one string object per term, as an index over a million passages should
    keep them: 60M separate small strings would take ~3.5 GB by themselves."""
    return list(map(sys.intern, tokenize(text)))


def questions(sample: list[np.ndarray], n: int, *, seed: int = 1) -> list[list[str]]:
    """Tokenized questions of 3-8 terms: words of a passage (mostly rare), common words, both,
    sometimes a repeated word or one no passage has."""
    rng = np.random.default_rng(seed)
    out = []
    while len(out) < n:
        doc = sample[int(rng.integers(len(sample)))]
        kind = rng.random()
        n_own = 0 if kind < 0.15 else int(rng.integers(1, 4))
        n_common = 0 if kind > 0.85 else int(rng.integers(1, 6))
        own = rng.choice(doc, size=min(n_own, len(doc)), replace=False).tolist()
        common = [r for r in _ranks(rng, 50).tolist() if r < 2000][:n_common]
        words = [_surface(r) for r in own + common]
        if rng.random() < 0.1:
            words.append(words[int(rng.integers(len(words)))])
        if rng.random() < 0.1:
            words.append("zyx" + word(int(rng.integers(10**6))))
        terms = tokenize("What about " + " and the ".join(words) + "?")
        if 3 <= len(terms) <= 8:
            out.append(terms)
    return out
