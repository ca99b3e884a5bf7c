"""BM25Okapi scores, bit for bit as rank-bm25 computes them, from a precomputed index.

rank-bm25 scores a query by visiting every passage in Python. Here each term keeps the
passages that contain it (CSR: sorted int32 doc ids and a uint16 per posting, 6 bytes a
posting), with each passage's length (as a 1-2 byte code among the distinct lengths) and each
term's idf beside them, so a query touches only its terms' postings. The uint16 is where the
posting's ratio tf * (k1 + 1) / (tf + norm) sits in a small table by tf and length code, so a
posting's contribution is one lookup in that table times the idf; only an index too varied
for the table keeps the tf there and computes the ratio. Contributions are
computed with rank-bm25's own float64 operations in its order, and a passage's score adds
them in query order, so the scores are identical, not merely close. Storing the finished
float64 contributions instead (12 bytes a posting) was measured first: it saves the query ~3
vector operations a posting and doubles the index.

top_k prunes by MaxScore over each term's largest impact (stored, 8 bytes a term): at a million
news-like passages, once the rare terms' passages set the bar, about three quarters of the
postings belong to common terms that are only searched for the passages still in the running.
What dominates is memory traffic and numpy calls on cold caches, not arithmetic: a long
list's gathers touch every cache line of the per-passage arrays, so np.take (half the cost of
fancy indexing), a sort-based union (np.unique is ~40x slower here) and looked-up ratios
matter more than the pruning's own bookkeeping; on a small index (100k passages) pruning's
fifty-odd calls cost more than they save, and all postings are added up in a dozen.
There, storing the table index rather than the tf spared a gather of the passages' length codes
and two passes a posting (~0.1 of ~0.3 ms a query at 100k passages), and np.bincount adds the
joined lists into fresh zeros in one call, in the same order as np.add.at into np.zeros.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import reduce
from itertools import accumulate, chain
from operator import add
from pathlib import Path

import numpy as np

_FORMAT = 6
_ARRAYS = (
    "indptr",
    "doc_ids",
    "tf_codes",
    "len_codes",
    "lengths",
    "code_norms",
    "ratio_table",
    "idf",
    "max_impact",
    "params",
    "terms_blob",
    "terms_offsets",
    "terms_prefix",
)
_CHUNK = 50_000
# Passages sampled from the shortest posting lists to find a score k of them reach.
_SAMPLE = 1024
# Passages of a long list whose partial scores bound the k-th best from below while pruning:
# more raise the bound closer to the truth, and cost a partition each (16k: ~20 us).
_THETA_SAMPLE = 1 << 14
# Pruning compares sums taken in another order than rank-bm25's, which may differ from its
# in the last bits: a passage is dropped only when its bound is below the threshold by more
# than this share, far above float64 rounding over any query's terms.
_SLACK = 1e-9
# Finding a passage in a posting list by binary search costs about this many times more than
# passing over one posting of a list with a flag lookup (~33 ns against ~2 ns, measured).
_SEARCH_COST = 16
# Adding every posting up also costs a pass over a dense score per passage, and pruning costs
# some fifty numpy calls more; below this much work (postings plus passages) the first is
# cheaper. Interleaved with rank-bm25-rs at 100k passages no query gained from pruning, at 1M
# every kind did, from 10k postings up; between the two the line is drawn by interpolation.
_PRUNE_MIN_WORK = 400_000
# Gathering a list's partial scores costs about this many times more a posting than one
# pass over the dense scores costs a passage.
_SCAN_SHARE = 8
# The largest table of ratios by tf and length kept (512 KB): real passages have a few
# hundred distinct lengths and tfs in the tens; an outlier past it means computing them.
_TABLE_LIMIT = 1 << 16
# Up to this many passages, the final ranking is sorted in Python rather than by numpy.
_FEW = 64
# Query terms whose ids an index remembers.
_TERM_CACHE = 1 << 16
# Postings whose impacts are computed at once while finding each term's largest impact.
_BUILD_BLOCK = 1 << 22


class BM25Index:
    def __init__(self, arrays: dict[str, np.ndarray], n_docs: int) -> None:
        self._a = arrays
        self.n_docs = n_docs
        self._terms = _Terms(arrays["terms_blob"], arrays["terms_offsets"], arrays["terms_prefix"])
        # Questions keep asking for the same words: a dict probe instead of a search of the
        # sorted vocabulary on cold pages. Bounded by emptying it when full.
        self._ids: dict[str, int] = {}

    @classmethod
    def build(
        cls,
        corpus: Sequence[Sequence[str]],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        progress: Callable[[int, int], None] | None = None,
    ) -> BM25Index:
        """The index of the passages' terms, added ``_CHUNK`` passages at a time
        (``IndexBuilder``); ``progress`` hears the passages done, when there is a term."""
        n_docs = len(corpus)
        builder = IndexBuilder()
        if not any(map(len, corpus)):
            builder.add(corpus)
            return builder.build(k1=k1, b=b, epsilon=epsilon)
        for start in range(0, n_docs, _CHUNK):
            stop = min(start + _CHUNK, n_docs)
            builder.add([corpus[i] for i in range(start, stop)])
            if progress is not None:
                progress(stop, n_docs)
        return builder.build(k1=k1, b=b, epsilon=epsilon)

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        return self._accumulate(self._term_ids(query))

    @property
    def params(self) -> tuple[float, float, float]:
        """k1, b and epsilon."""
        k1, b, epsilon = self._a["params"].tolist()
        return k1, b, epsilon

    def doc_lengths(self) -> np.ndarray:
        return np.take(self._a["lengths"], self._a["len_codes"])

    def term_doc_freqs(self) -> np.ndarray:
        """Every term's document frequency, by term id (byte order)."""
        return np.diff(self._a["indptr"])

    def term_ids(self, terms: Sequence[str]) -> list[int]:
        """Each term's id, -1 for a term the index has never seen."""
        return self._lookup(terms)

    def terms(self) -> list[str]:
        """The vocabulary by term id."""
        return [self._terms[i].decode("utf-8", "surrogatepass") for i in range(len(self._terms))]

    def restated(self, idf: np.ndarray, avgdl: float) -> BM25Index:
        """These postings scored with a larger corpus's idf (by this index's term ids) and
        average length: one segment of a corpus kept in several (retrieval.segments), whose
        scores are then the whole corpus's, operation for operation. The postings are shared,
        not copied; only the per-term and per-length arrays are new."""
        k1, b, _ = self.params
        table, lengths = self._a["ratio_table"], self._a["lengths"]
        # The new table keeps the old one's layout, which the postings' codes index.
        if len(table):
            tf_max = len(table) // len(lengths) - 1
        else:
            tf_max = int(self._a["tf_codes"].max()) if len(self._a["tf_codes"]) else 0
        arrays = dict(self._a)
        arrays |= _norm_arrays(self._a["lengths"], tf_max, k1, b, avgdl)
        arrays["idf"] = np.asarray(idf, dtype=np.float64)
        arrays["max_impact"] = _max_impacts(arrays)
        return BM25Index(arrays, self.n_docs)

    def top_k(self, query: Sequence[str], k: int) -> list[tuple[int, float]]:
        """Exact top k by MaxScore: terms go from the largest possible contribution down, and
        once the passages k of them are known to reach score more than all the remaining
        terms could add, those terms' long lists are only searched for the few passages still
        in the running, not added up. The survivors are then rescored in rank-bm25's order,
        so the scores are its bits. On a small index adding every posting up costs less than
        pruning's bookkeeping, and a negative idf (a term in most passages of a corpus whose
        idfs average below zero) breaks the bounds: such queries add up every posting."""
        terms = self._term_ids(query)
        if k <= 0 or not terms:
            return []
        unique = list(dict.fromkeys(terms))
        a = self._a
        ends = a["indptr"][[t + end for t in unique for end in (0, 1)]].tolist()
        starts, stops = ends[0::2], ends[1::2]
        if sum(stops) - sum(starts) + self.n_docs < _PRUNE_MIN_WORK:
            spans = dict(zip(unique, zip(starts, stops, strict=True), strict=True))
            return self._top_k_all(terms, spans, k)
        if float(a["idf"][unique].min()) < 0:
            return self._top_k_exhaustive(terms, k)
        counts = [terms.count(t) for t in unique]
        bounds = (a["max_impact"][unique] * counts).tolist()
        order = sorted(range(len(unique)), key=lambda i: (-bounds[i], stops[i] - starts[i]))
        # rest[j]: the most that the terms order[j:] can add to a passage's score.
        rest = [*accumulate((bounds[i] for i in reversed(order)), initial=0.0)][::-1]

        # Each term's contributions as found, for the survivors' exact scores: from lists
        # just read, not searched for again in the whole index.
        found = {}
        scores = np.zeros(self.n_docs)
        theta = 0.0
        essential = 0
        lists = []
        while essential < len(order) and rest[essential] >= theta * (1 - _SLACK):
            i = order[essential]
            docs, impacts = found[unique[i]] = self._postings(unique[i])
            np.add.at(scores, docs, impacts * counts[i] if counts[i] > 1 else impacts)
            lists.append(docs)
            # k passages of a list reach their k-th best partial sum, and so does the final
            # score; the first list's passages, holding the rarest term, reach the most.
            for sampled in (docs,) if len(lists) == 1 else (docs, lists[0]):
                sample = sampled[:: len(sampled) // _THETA_SAMPLE + 1]
                theta = max(theta, _kth(np.take(scores, sample), k))
            essential += 1

        candidates = self._candidates(lists, scores, theta * (1 - _SLACK) - rest[essential])
        for j in range(essential, len(order)):
            partial = np.take(scores, candidates)
            candidates = candidates[partial >= theta * (1 - _SLACK) - rest[j]]
            if not len(candidates):
                return []
            i = order[j]
            docs, impacts = found[unique[i]] = self._impacts_among(unique[i], candidates)
            np.add.at(scores, docs, impacts * counts[i] if counts[i] > 1 else impacts)
            theta = max(theta, _kth(np.take(scores, candidates), k))
        candidates = candidates[np.take(scores, candidates) >= theta * (1 - _SLACK)]
        return _ranked(candidates, _exact(terms, found, candidates), k)

    def doc_freqs(self, terms: Sequence[str]) -> list[int]:
        """How many passages hold each term (0 for a term the index has never seen)."""
        indptr = self._a["indptr"]
        return [int(indptr[t + 1] - indptr[t]) if t >= 0 else 0 for t in self._lookup(terms)]

    def passages_holding(self, term: str, prefix: bool = False) -> np.ndarray:
        """Sorted ids of the passages that hold the term, or with ``prefix`` any term that
        starts with it: which passages say something costs its postings, not re-reading."""
        key = term.encode("utf-8", "surrogatepass")
        if prefix:
            lo, hi = self._terms.prefix_range(key)
            ids = range(lo, hi)
        else:
            ids = [t for t in self._lookup([term]) if t >= 0]
        docs = [self._docs(t) for t in ids]
        if not docs:
            return np.zeros(0, dtype=np.int64)
        return sorted_union(docs) if len(docs) > 1 else np.asarray(docs[0])

    def match_counts(self, terms: Sequence[str]) -> np.ndarray:
        """For each passage, how many of the terms it holds (each occurrence in ``terms``
        counts once more)."""
        counts = np.zeros(self.n_docs)
        for term in self._term_ids(terms):
            counts[self._docs(term)] += 1
        return counts

    def save(self, directory: Path) -> None:
        """Readers never see a half-written index: files go to a sibling temporary directory
        that is renamed into place."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        try:
            for name in _ARRAYS:
                np.save(staging / f"{name}.npy", self._a[name])
            meta = {"format": _FORMAT, "n_docs": self.n_docs}
            (staging / "meta.json").write_text(json.dumps(meta))
            replace_dir(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> BM25Index:
        """With mmap the arrays are paged in from the files as queries touch them, so a large
        index is ready at once and processes share its pages."""
        directory = Path(directory)
        meta = json.loads((directory / "meta.json").read_text())
        if meta.get("format") != _FORMAT:
            raise ValueError(f"{directory}: unknown BM25 index format {meta.get('format')!r}")
        mode = "r" if mmap else None
        # asarray drops the memmap subclass, whose bookkeeping would slow every slice.
        arrays = {n: np.asarray(np.load(directory / f"{n}.npy", mmap_mode=mode)) for n in _ARRAYS}
        return cls(arrays, int(meta["n_docs"]))

    def nbytes(self) -> int:
        return sum(a.nbytes for a in self._a.values())

    def _term_ids(self, query: Sequence[str]) -> list[int]:
        """Known query terms in query order, repeats kept: rank-bm25 adds each occurrence."""
        return [t for t in self._lookup(query) if t >= 0]

    def _lookup(self, terms: Sequence[str]) -> list[int]:
        """Term ids, -1 for unknown terms; those not remembered are searched for together.
        Threads share the memory, so it is read into a local mapping first."""
        known = {t: self._ids.get(t, -2) for t in terms}
        missing = [t for t, i in known.items() if i == -2]
        if missing:
            found = dict(zip(missing, self._terms.find_all(missing), strict=True))
            known |= found
            if len(self._ids) + len(found) > _TERM_CACHE:
                self._ids.clear()
            self._ids.update(found)
        return [known[t] for t in terms]

    def _docs(self, term: int) -> np.ndarray:
        lo, hi = self._a["indptr"][term : term + 2].tolist()
        return self._a["doc_ids"][lo:hi]

    def _postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """The term's passages and what it adds to their scores, as rank-bm25 computes it:
        idf * (tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avgdl))), in float64, each
        operation rounding as Python's floats do. Computing it per query rather than storing
        it keeps a posting at 6 bytes instead of 12, for ~3 vector operations a posting."""
        lo, hi = self._a["indptr"][term : term + 2].tolist()
        docs = self._a["doc_ids"][lo:hi]
        return docs, self._impacts(term, self._a["tf_codes"][lo:hi], docs)

    def _impacts(self, term: int, tf_codes: np.ndarray, docs: np.ndarray) -> np.ndarray:
        """Any subset of a term's postings gets the same bits as the whole list would."""
        return _ratios(self._a, tf_codes, docs, self._a["idf"][term])

    def _top_k_all(
        self, terms: list[int], spans: dict[int, tuple[int, int]], k: int
    ) -> list[tuple[int, float]]:
        """Every posting added up, in a few numpy calls a term: the k-th best score among the
        passages of the shortest list of k or more then spares sorting the long tail."""
        a = self._a
        scores = self._accumulate(terms, [spans[t] for t in terms])
        threshold = 0.0
        long_enough = [(lo, hi) for lo, hi in spans.values() if hi - lo >= k]
        if long_enough:
            lo, hi = min(long_enough, key=lambda span: span[1] - span[0])
            sample = a["doc_ids"][lo : hi : (hi - lo) // _SAMPLE + 1]
            threshold = _kth(np.take(scores, sample), k)
        docs = np.flatnonzero(scores >= threshold) if threshold > 0 else np.flatnonzero(scores)
        return _best(docs, scores, k)

    def _top_k_exhaustive(self, terms: list[int], k: int) -> list[tuple[int, float]]:
        """Every posting added up, then a score that k
        passages are known to reach spares sorting the long tail."""
        scores = self._accumulate(terms)
        threshold = self._threshold(scores, terms, k)
        docs = np.flatnonzero(scores >= threshold) if threshold > 0 else np.flatnonzero(scores)
        return _best(docs, scores, k)

    def _candidates(self, lists: list[np.ndarray], scores: np.ndarray, need: float) -> np.ndarray:
        """Sorted passages of the lists whose partial score reaches ``need``. Past a few lists
        or many survivors, one pass over the dense scores is cheaper than sorting them out."""
        if need <= 0:
            return np.flatnonzero(scores)
        if sum(map(len, lists)) * _SCAN_SHARE > len(scores):
            return np.flatnonzero(scores >= need)
        kept = [docs[np.take(scores, docs) >= need] for docs in lists]
        if len(kept) == 1:
            return kept[0].astype(np.int64)
        return sorted_union(kept)

    def _impacts_among(self, term: int, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The term's contributions to those of the sorted passages that hold it: a binary
        search per passage when they are few, else a pass over the list against their flags."""
        lo, hi = self._a["indptr"][term : term + 2].tolist()
        listed = self._a["doc_ids"][lo:hi]
        if len(docs) * _SEARCH_COST < hi - lo:
            at = np.searchsorted(listed, docs)
            found = at < hi - lo
            found[found] = listed[at[found]] == docs[found]
            at, docs = at[found], docs[found]
        else:
            flags = np.zeros(self.n_docs, dtype=bool)
            flags[docs] = True
            at = np.flatnonzero(np.take(flags, listed))
            docs = listed[at]
        return docs, self._impacts(term, self._a["tf_codes"][lo + at], docs)

    def _accumulate(
        self, terms: list[int], pieces: list[tuple[int, int]] | None = None
    ) -> np.ndarray:
        """Every posting's contribution added to its passage's score, the terms' posting spans
        given or looked up. The lists are joined in query order, each term's contributions
        written into its run of one buffer, and np.bincount adds them into zeros in index
        order: doc ids being unique within a list, each passage sums its contributions in
        rank-bm25's order. On a small index the numpy calls, not the postings, are most of
        the time, hence one join and one sum however many terms."""
        if not terms:
            return np.zeros(self.n_docs)
        a = self._a
        if pieces is None:
            ends = a["indptr"][[t + end for t in terms for end in (0, 1)]].tolist()
            pieces = list(zip(ends[0::2], ends[1::2], strict=True))
        # Joined as np.intp, the index type np.bincount would otherwise copy them to.
        docs = np.concatenate([a["doc_ids"][lo:hi] for lo, hi in pieces], dtype=np.intp)
        impacts = np.empty(len(docs))
        start = 0
        for term, (lo, hi) in zip(terms, pieces, strict=True):
            run = slice(start, start + hi - lo)
            _ratios(a, a["tf_codes"][lo:hi], docs[run], a["idf"][term], out=impacts[run])
            start += hi - lo
        return np.bincount(docs, weights=impacts, minlength=self.n_docs)

    def _threshold(self, scores: np.ndarray, terms: list[int], k: int) -> float:
        """The k-th best score among passages sampled from the shortest lists: a score the
        true k-th best reaches, so passages below it cannot make the top k."""
        lists = sorted((self._docs(t) for t in set(terms)), key=len)
        sampled, n = [], 0
        for docs in lists:
            sampled.append(docs[:: len(docs) // _SAMPLE + 1])
            n += len(sampled[-1])
            if n >= 4 * k:
                break
        # A list holds each passage once; several may share some, which must count once.
        values = np.take(scores, sampled[0] if len(sampled) == 1 else sorted_union(sampled))
        if len(values) < k:
            return 0.0
        return float(np.partition(values, len(values) - k)[len(values) - k])


class IndexBuilder:
    """Builds the index a chunk of passages at a time, so that a large corpus's terms never
    exist all at once: neither as Python lists of strings (8 bytes a token and a list a
    passage, most of a million-passage build's memory) nor as one array of (term, passage)
    keys sorted together (8 bytes a token, and as much again while sorting and splitting).

    Each chunk's tokens become its postings at once: terms are numbered in order of first
    occurrence, as rank-bm25's document-frequency dict meets them (that order fixes how its
    average idf is summed), and one small sort of the chunk's (term, passage) keys gives each
    term's passages and frequencies, 10 bytes a posting. ``build`` then writes every chunk's
    postings into place in the final arrays, freeing each chunk as it goes; passages come in
    order, so each term's passages come out ascending, the arrays being those of one global
    sort."""

    def __init__(self) -> None:
        self._ids: defaultdict[str, int] = defaultdict()
        # The dict's default numbers new terms.
        self._ids.default_factory = self._ids.__len__
        self._lengths: list[np.ndarray] = []
        self._chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        """Per chunk, its postings ordered by term id then passage: term ids, passages, tfs."""
        self._n_docs = 0

    def add(self, passages: Sequence[Sequence[str]]) -> None:
        """The next passages' terms."""
        n = len(passages)
        lengths = np.fromiter(map(len, passages), dtype=np.int64, count=n)
        count = int(lengths.sum())
        offset = self._n_docs
        self._lengths.append(lengths)
        self._n_docs += n
        if count == 0:
            return
        ids = np.fromiter(
            map(self._ids.__getitem__, chain.from_iterable(passages)), dtype=np.int64, count=count
        )
        key = ids * n
        key += np.repeat(np.arange(n, dtype=np.int64), lengths)
        del ids
        key.sort()
        first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
        tf = np.diff(first, append=count)
        term, doc = np.divmod(key[first], n)
        doc += offset
        tfs = tf.astype(np.uint16 if tf.max() <= np.iinfo(np.uint16).max else np.uint32)
        self._chunks.append((term.astype(np.int32), doc.astype(np.int32), tfs))

    def build(self, *, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> BM25Index:
        """The index of every passage added; the builder is emptied."""
        n_docs = self._n_docs
        doc_len = np.concatenate(self._lengths) if self._lengths else np.zeros(0, np.int64)
        total = int(doc_len.sum())
        if total == 0:
            # rank-bm25 divides by zero here; an index that finds nothing is the useful answer.
            return BM25Index(_Terms.arrays([]) | _no_postings(k1, b, epsilon), n_docs)

        # Postings are numbered in the terms' byte order, which lookups bisect.
        encoded = [t.encode("utf-8", "surrogatepass") for t in self._ids]
        self._ids.clear()
        n_terms = len(encoded)
        by_bytes = np.array(sorted(range(n_terms), key=encoded.__getitem__), dtype=np.int64)
        terms = _Terms.arrays([encoded[i] for i in by_bytes.tolist()])
        del encoded
        rank = np.empty(n_terms, dtype=np.int64)
        rank[by_bytes] = np.arange(n_terms)

        df = np.zeros(n_terms, dtype=np.int64)
        tf_max = 0
        for term, _, tfs in self._chunks:
            df += np.bincount(term, minlength=n_terms)
            tf_max = max(tf_max, int(tfs.max()))
        indptr = np.concatenate(([0], np.cumsum(df[by_bytes])))
        # Where each term's next posting goes, by the term's rank.
        fill = indptr[:-1].copy()
        doc_ids = np.empty(int(indptr[-1]), dtype=np.int32)
        tfs = np.empty(
            len(doc_ids), dtype=np.uint16 if tf_max <= np.iinfo(np.uint16).max else np.uint32
        )
        self._chunks.reverse()
        while self._chunks:
            term, docs, chunk_tfs = self._chunks.pop()
            starts = np.flatnonzero(np.concatenate(([True], term[1:] != term[:-1])))
            runs = np.diff(starts, append=len(term))
            ranks = rank[term[starts]]
            at = np.repeat(fill[ranks] - starts, runs)
            at += np.arange(len(term))
            doc_ids[at] = docs
            tfs[at] = chunk_tfs
            fill[ranks] += runs
        self._lengths.clear()
        self._n_docs = 0

        # What rank-bm25's get_scores needs, kept apart: a query combines them in its order.
        idf = okapi_idf(df, n_docs, epsilon)[by_bytes]
        avgdl = total / n_docs
        arrays = {
            "indptr": indptr,
            "doc_ids": doc_ids,
            "idf": idf,
            "params": np.array([k1, b, epsilon]),
        }
        arrays |= _length_arrays(doc_len, tf_max, k1, b, avgdl)
        arrays["tf_codes"] = _tf_codes(arrays, tfs)
        del tfs
        arrays["max_impact"] = _max_impacts(arrays)
        return BM25Index(arrays | terms, n_docs)


class _Terms:
    """The vocabulary as one UTF-8 blob in byte order, plus each term's first 8 bytes as a
    big-endian uint64 (monotone in byte order): one vectorised searchsorted narrows a lookup to
    the few terms sharing that prefix, and nothing per term is allocated on load."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, prefix: np.ndarray) -> None:
        self._blob = blob
        self._offsets = offsets
        self._prefix = prefix
        # Compares a term's bytes with a key without a numpy call.
        self._bytes = memoryview(blob)

    @staticmethod
    def arrays(sorted_terms: list[bytes]) -> dict[str, np.ndarray]:
        lengths = np.fromiter(map(len, sorted_terms), dtype=np.int64, count=len(sorted_terms))
        offsets = np.concatenate(([0], np.cumsum(lengths)))
        blob = np.frombuffer(b"".join(sorted_terms), dtype=np.uint8)
        head = np.zeros((len(sorted_terms), 8), dtype=np.uint8)
        for j in range(8):
            has = np.flatnonzero(lengths > j)
            head[has, j] = blob[offsets[has] + j]
        prefix = head.view(">u8").ravel().astype(np.uint64)
        return {"terms_blob": blob, "terms_offsets": offsets, "terms_prefix": prefix}

    def __len__(self) -> int:
        return len(self._prefix)

    def __getitem__(self, i: int) -> bytes:
        lo, hi = self._offsets[i : i + 2].tolist()
        return self._blob[lo:hi].tobytes()

    def prefix_range(self, key: bytes) -> tuple[int, int]:
        """The ids of the terms that start with ``key``: a contiguous run, terms being sorted."""
        lo = bisect_left(self, key)
        stripped = key.rstrip(b"\xff")
        if not stripped:
            return lo, len(self)
        after = stripped[:-1] + bytes([stripped[-1] + 1])
        return lo, bisect_left(self, after, lo)

    def find_all(self, terms: Sequence[str]) -> list[int]:
        """Term ids, -1 for terms not in the vocabulary."""
        keys = [t.encode("utf-8", "surrogatepass") for t in terms]
        heads = [_head(key) for key in keys]
        # UTF-8 never holds the byte 0xFF, so head + 1 cannot wrap, and where it would go is
        # where head's run ends: one search for both ends.
        wanted = np.array(heads + [h + 1 for h in heads], dtype=np.uint64)
        bounds = np.searchsorted(self._prefix, wanted).tolist()
        runs = zip(keys, bounds[: len(keys)], bounds[len(keys) :], strict=True)
        # Most first-8-byte prefixes are one term's: one comparison settles it.
        at = [lo if hi - lo == 1 else bisect_left(self, key, lo, hi) for key, lo, hi in runs]
        last = len(self._offsets) - 1
        ends = self._offsets[[min(i + d, last) for i in at for d in (0, 1)]].tolist()
        found = []
        for j, (key, i, hi) in enumerate(zip(keys, at, bounds[len(keys) :], strict=True)):
            held = i < hi and self._bytes[ends[2 * j] : ends[2 * j + 1]] == key
            found.append(i if held else -1)
        return found


def _head(key: bytes) -> int:
    return int.from_bytes(key[:8].ljust(8, b"\0"), "big")


def okapi_idf(df: np.ndarray, n_docs: int, epsilon: float) -> np.ndarray:
    """rank-bm25's idf per term, in first-occurrence order, negative values floored to
    epsilon * average idf.

    math.log rather than np.log, whose vectorised loops may round differently; computed once
    per distinct document frequency. The average is summed left to right as rank-bm25 does
    (sum() compensates rounding since Python 3.12).
    """
    values, inverse = np.unique(df, return_inverse=True)
    by_value = np.array([math.log(n_docs - n + 0.5) - math.log(n + 0.5) for n in values.tolist()])
    idf = by_value[inverse]
    average = reduce(add, idf.tolist(), 0) / len(idf)
    idf[idf < 0] = epsilon * average
    return idf


def _impacts(tfs: np.ndarray, norms: np.ndarray, idf: float | np.ndarray, k1: float) -> np.ndarray:
    """rank-bm25's idf * (tf * (k1 + 1) / (tf + norm)), operation by operation (addition
    commutes bit for bit); idf may be one per posting, each multiplication rounding alike.
    ``norms`` is the postings' own copy, overwritten: two temporaries a posting instead of
    four, which counts when a list's arrays no longer fit in cache."""
    impacts = tfs.astype(np.float64)
    norms += impacts
    impacts *= float(k1) + 1
    impacts /= norms
    impacts *= idf
    return impacts


def _tf_codes(a: dict[str, np.ndarray], tfs: np.ndarray) -> np.ndarray:
    """Each posting's index in the ratio table, tf * (number of lengths) + its passage's
    length code, which the table's limit keeps within a uint16; the tf itself if there is no
    table. The same 2 bytes a posting as the tf, and a query looks its ratio up directly."""
    if not len(a["ratio_table"]):
        return tfs
    codes = np.take(a["len_codes"], a["doc_ids"])
    at = np.multiply(tfs, len(a["code_norms"]), dtype=np.uint16)
    at += codes
    return at


def _length_arrays(
    doc_len: np.ndarray, tf_max: int, k1: float, b: float, avgdl: float
) -> dict[str, np.ndarray]:
    """A passage's length norm through the code of its length among the few distinct ones
    (1-2 bytes a passage instead of 8), and, when small, a table of tf * (k1 + 1) / (tf +
    norm) for every tf and length: a query then looks a posting's ratio up (~35% faster
    than computing it, and no division) with the very bits the computation would give."""
    lengths, codes = np.unique(doc_len, return_inverse=True)
    dtype = next(t for t in (np.uint8, np.uint16, np.uint32) if len(lengths) <= np.iinfo(t).max + 1)
    return {"len_codes": codes.astype(dtype), "lengths": lengths} | _norm_arrays(
        lengths, tf_max, k1, b, avgdl
    )


def _norm_arrays(
    lengths: np.ndarray, tf_max: int, k1: float, b: float, avgdl: float
) -> dict[str, np.ndarray]:
    code_norms = k1 * (1 - b + b * lengths / avgdl)
    table = np.zeros(0)
    if (tf_max + 1) * len(lengths) <= _TABLE_LIMIT:
        tf = np.arange(tf_max + 1, dtype=np.float64)[:, None]
        table = (tf * (float(k1) + 1) / (code_norms + tf)).ravel()
    return {"code_norms": code_norms, "ratio_table": table}


def _ratios(
    a: dict[str, np.ndarray],
    tf_codes: np.ndarray,
    docs: np.ndarray,
    idf: float | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """The postings' idf * (tf * (k1 + 1) / (tf + norm)), or without idf the ratio alone,
    into ``out`` if given. From the table when there is one (docs are then not read):
    multiplied by the idf first, a table smaller than the list spares a multiplication a
    posting (the same products either way)."""
    table = a["ratio_table"]
    if not len(table):
        norms = np.take(a["code_norms"], np.take(a["len_codes"], docs))
        impacts = _impacts(tf_codes, norms, 1.0 if idf is None else idf, a["params"][0])
        if out is None:
            return impacts
        out[:] = impacts
        return out
    # The codes are table indices by construction: "clip" only spares take's buffering.
    if idf is None:
        return np.take(table, tf_codes, out=out, mode="clip")
    if len(table) < len(tf_codes):
        return np.take(table * idf, tf_codes, out=out, mode="clip")
    impacts = np.take(table, tf_codes, out=out, mode="clip")
    impacts *= idf
    return impacts


def _max_impacts(a: dict[str, np.ndarray]) -> np.ndarray:
    """Each term's largest contribution to any passage, the bound MaxScore prunes with. The
    impact rises with tf / (tf + norm) whatever the idf's sign, and rounding keeps that order,
    so the largest ratio times idf is the largest impact exactly (for idf >= 0). Computed a
    block of whole lists at a time, so the build never holds a float64 per posting."""
    indptr, idf = a["indptr"], a["idf"]
    n_terms = len(idf)
    best = np.empty(n_terms)
    start = 0
    while start < n_terms:
        fits = int(np.searchsorted(indptr, indptr[start] + _BUILD_BLOCK, "right")) - 1
        stop = min(max(fits, start + 1), n_terms)
        lo, hi = int(indptr[start]), int(indptr[stop])
        ratio = _ratios(a, a["tf_codes"][lo:hi], a["doc_ids"][lo:hi])
        best[start:stop] = np.maximum.reduceat(ratio, indptr[start:stop] - lo)
        start = stop
    return best * idf


def sorted_union(lists: list[np.ndarray]) -> np.ndarray:
    """Sorted distinct ids of the lists: numpy's vectorised sort takes a fraction of what
    np.unique does (~0.3 against ~13 ms for 150k ids)."""
    ids = np.sort(np.concatenate(lists).astype(np.int64))
    return ids[np.concatenate(([True], ids[1:] != ids[:-1]))] if len(ids) else ids


def _exact(
    terms: list[int], found: dict[int, tuple[np.ndarray, np.ndarray]], docs: np.ndarray
) -> np.ndarray:
    """The passages' scores added in query order from 0, as rank-bm25 adds them (a term a
    passage lacks adds 0, which changes no sum); found holds each term's contributions to
    at least these passages, with its sorted passage ids."""
    rows = {}
    for term, (listed, impacts) in found.items():
        if not len(listed):
            rows[term] = np.zeros(len(docs))
            continue
        at = np.minimum(np.searchsorted(listed, docs), len(listed) - 1)
        rows[term] = np.where(np.take(listed, at) == docs, np.take(impacts, at), 0.0)
    scores = np.zeros(len(docs))
    for term in terms:
        scores += rows[term]
    return scores


def _essential(rest: list[float], theta: float) -> int:
    """How many of the terms, largest bound first, a passage must hold one of to reach
    theta: the rest together add less."""
    essential = 0
    while essential < len(rest) - 1 and rest[essential] >= theta * (1 - _SLACK):
        essential += 1
    return essential


def _kth(values: np.ndarray, k: int) -> float:
    """The k-th largest of the values, 0 when there are fewer (a passage's score is above 0)."""
    if len(values) < k:
        return 0.0
    return float(np.partition(values, len(values) - k)[len(values) - k])


def _ranked(docs: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest positive scores, ties to the lower passage id; scores[i] is docs[i]'s."""
    keep = scores > 0
    docs, scores = docs[keep], scores[keep]
    order = np.lexsort((docs, -scores))[:k]
    return list(zip(docs[order].tolist(), scores[order].tolist(), strict=True))


def _best(docs: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The k highest positive scores among docs, ties to the lower doc id."""
    if len(docs) <= _FEW:
        # A dozen numpy calls on a few passages cost more than sorting them in Python.
        ranked = sorted(
            zip(np.take(scores, docs).tolist(), docs.tolist(), strict=True),
            key=lambda pair: (-pair[0], pair[1]),
        )
        return [(d, v) for v, d in ranked[:k] if v > 0]
    values = np.take(scores, docs)
    kth = np.partition(values, len(docs) - k)[len(docs) - k] if len(docs) > k else 0.0
    # Past k positive scores the k-th best keeps the best and ties; else the positive ones.
    keep = values >= kth if kth > 0 else values > 0
    docs, values = docs[keep], values[keep]
    order = np.lexsort((docs, -values))[:k]
    return list(zip(docs[order].tolist(), values[order].tolist(), strict=True))


def replace_dir(new: Path, target: Path) -> None:
    """Rename new over target; a directory cannot replace a non-empty one, so the old one is
    moved aside first and removed after."""
    if not target.exists():
        os.replace(new, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.replace(target, old / target.name)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _no_postings(k1: float, b: float, epsilon: float) -> dict[str, np.ndarray]:
    return {
        "indptr": np.zeros(1, dtype=np.int64),
        "doc_ids": np.zeros(0, dtype=np.int32),
        "tf_codes": np.zeros(0, dtype=np.uint16),
        "len_codes": np.zeros(0, dtype=np.uint8),
        "lengths": np.zeros(0, dtype=np.int64),
        "code_norms": np.zeros(0, dtype=np.float64),
        "ratio_table": np.zeros(0, dtype=np.float64),
        "idf": np.zeros(0, dtype=np.float64),
        "max_impact": np.zeros(0, dtype=np.float64),
        "params": np.array([k1, b, epsilon]),
    }
