"""BM25Index against rank-bm25's BM25Okapi: the same float64 bits, not merely close."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from retrieval import bm25
from retrieval.bm25 import BM25Index

# "minist" and "met" are in more than half the passages: negative idf, floored to epsilon.
GOLDEN = [
    ["minist", "met", "envoy", "baku", "talk", "talk"],
    ["minist", "met", "trade", "deal"],
    ["minist", "visit", "kyiv", "met", "presid"],
    ["envoy", "talk", "ceasefir"],
    ["minist", "met", "minist", "summit", "baku", "energi", "energi", "energi"],
    ["weather", "rain"],
    [],
    ["trade", "minist", "tariff", "met", "deal", "deal", "export", "import", "port", "grain"],
]
GOLDEN_QUERIES = [
    ["minist", "met"],
    ["envoy", "talk", "envoy"],
    ["baku", "unseen", "energi"],
    ["deal", "trade", "minist", "met", "minist"],
    ["never", "seen"],
    [],
    ["rain"],
]


def expected_top(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    order = np.lexsort((np.arange(len(scores)), -scores))
    return [(int(i), float(scores[i])) for i in order[:k] if scores[i] > 0]


def assert_same(corpus: list[list[str]], queries: list[list[str]], k: int = 5) -> None:
    reference = BM25Okapi(corpus)
    index = BM25Index.build(corpus)
    assert index.n_docs == len(corpus)
    for query in queries:
        want = reference.get_scores(query)
        got = index.get_scores(query)
        assert got.dtype == np.float64
        assert np.array_equal(got, want), query
        assert index.top_k(query, k) == expected_top(want, k), query


def zipf_corpus(seed: int, n_docs: int, vocab: int) -> tuple[list[list[str]], np.ndarray]:
    rng = np.random.default_rng(seed)
    weights = 1 / np.arange(1, vocab + 1) ** 1.1
    weights /= weights.sum()
    corpus = [
        [f"t{w}" for w in rng.choice(vocab, size=int(rng.integers(0, 40)), p=weights)]
        for _ in range(n_docs)
    ]
    return corpus, weights


def test_golden_corpus_scores_and_top_k_are_those_of_rank_bm25():
    assert_same(GOLDEN, GOLDEN_QUERIES)
    reference = BM25Okapi(GOLDEN)
    assert reference.idf["minist"] == reference.idf["met"] == 0.25 * reference.average_idf


def test_repeated_query_terms_count_each_time():
    index = BM25Index.build(GOLDEN)
    once, twice = index.get_scores(["envoy"]), index.get_scores(["envoy", "envoy"])
    assert np.array_equal(twice, once + once)


@pytest.mark.parametrize("seed", range(4))
def test_random_zipf_corpora_match_rank_bm25(seed: int):
    corpus, weights = zipf_corpus(seed, 300, 400)
    rng = np.random.default_rng(100 + seed)
    queries = [[f"t{w}" for w in rng.choice(420, size=int(rng.integers(1, 9)))] for _ in range(40)]
    # Common terms too, where many passages tie or nearly tie.
    queries += [[f"t{w}" for w in rng.choice(400, size=3, p=weights)] for _ in range(20)]
    assert_same(corpus, queries, k=10)


def test_top_k_over_all_ties_prefers_lower_doc_ids():
    corpus = [["x", "pad"]] * 30 + [["pad"]] * 40
    index = BM25Index.build(corpus)
    assert [d for d, _ in index.top_k(["x"], 4)] == [0, 1, 2, 3]
    assert_same(corpus, [["x"], ["x", "pad"]], k=40)


def test_k_larger_than_matches_and_k_zero():
    index = BM25Index.build(GOLDEN)
    assert len(index.top_k(["envoy"], 100)) == 2
    assert index.top_k(["envoy"], 0) == []


@pytest.mark.parametrize(
    "corpus",
    [
        [["minist", "met", "envoy"]],
        [["trade", "talk"], ["minist", "envoy", "talk"]],
        [["a", "a", "b"], ["a", "c"]],
        [["a"], []],
    ],
)
def test_one_and_two_passage_corpora_match_rank_bm25(corpus: list[list[str]]):
    queries = [["envoy"], ["talk", "minist"], ["a"], ["a", "b", "c", "a"], ["zebra"]]
    assert_same(corpus, queries)


def test_empty_corpus_finds_nothing():
    index = BM25Index.build([])
    assert index.n_docs == 0
    assert index.get_scores(["anything"]).shape == (0,)
    assert index.top_k(["anything"], 3) == []


def test_corpus_of_empty_passages_finds_nothing():
    # rank-bm25 raises ZeroDivisionError on this one.
    index = BM25Index.build([[], []])
    assert np.array_equal(index.get_scores(["a"]), np.zeros(2))
    assert index.top_k(["a"], 3) == []


def test_terms_beyond_ascii_and_sharing_long_prefixes():
    corpus = [
        ["gafarová", "straße"],
        ["internationalisation", "internationalisations"],
        ["internationalisation", "京都"],
        ["straßen", "😀"],
    ]
    queries = [["gafarová"], ["internationalisation"], ["internationalisations", "京都"]]
    queries += [["😀", "straße", "straßen"], ["internationalis"], ["straß"]]
    assert_same(corpus, queries)


def test_progress_reports_passages_done():
    calls: list[tuple[int, int]] = []
    BM25Index.build(GOLDEN, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(GOLDEN), len(GOLDEN))


@pytest.mark.parametrize("chunk", [1, 3, 50, 1000])
def test_an_index_built_chunk_by_chunk_is_the_one_built_at_once(chunk: int):
    corpus, _ = zipf_corpus(11, 400, 500)
    corpus += [[], ["t1"] * 70_000, ["rare", "t1"]]
    builder = bm25.IndexBuilder()
    for start in range(0, len(corpus), chunk):
        builder.add(corpus[start : start + chunk])
    built, whole = builder.build(), BM25Index.build(corpus)
    assert built.n_docs == whole.n_docs == len(corpus)
    assert built._a.keys() == whole._a.keys()
    for name, array in whole._a.items():
        assert built._a[name].dtype == array.dtype, name
        assert np.array_equal(built._a[name], array), name
    assert_same(corpus, [["t1", "rare"], ["t3", "t7", "t3"]])


@pytest.mark.parametrize("mmap", [True, False])
def test_save_and_load_round_trip(tmp_path: Path, mmap: bool):
    corpus, _ = zipf_corpus(7, 200, 300)
    index = BM25Index.build(corpus)
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25", mmap=mmap)
    assert loaded.n_docs == index.n_docs
    assert loaded.nbytes() == index.nbytes()
    for query in (["t0", "t5", "t0"], ["t299", "nope"], ["t1", "t2", "t3", "t40"]):
        assert np.array_equal(loaded.get_scores(query), index.get_scores(query))
        assert loaded.top_k(query, 7) == index.top_k(query, 7)


def test_save_replaces_an_existing_index_and_leaves_no_temporary_files(tmp_path: Path):
    target = tmp_path / "bm25"
    BM25Index.build(GOLDEN).save(target)
    BM25Index.build([["other"]]).save(target)
    assert BM25Index.load(target).n_docs == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]


def test_empty_index_round_trips(tmp_path: Path):
    BM25Index.build([]).save(tmp_path / "empty")
    assert BM25Index.load(tmp_path / "empty").top_k(["a"], 3) == []


def test_postings_cost_six_bytes_each():
    corpus, _ = zipf_corpus(3, 300, 400)
    index = BM25Index.build(corpus)
    n_postings = sum(len(set(doc)) for doc in corpus)
    vocabulary = {t for doc in corpus for t in doc}
    # per term: its bytes, offset, prefix, list start, idf and largest impact (the pruning
    # bound); per passage: the code of its length; per distinct length: the length, its norm
    # and its ratio for every tf up to the largest; k1, b and epsilon
    term_bytes = sum(len(t.encode()) + 8 + 8 + 8 + 8 + 8 for t in vocabulary) + 16
    lengths = {len(doc) for doc in corpus}
    tf_max = max(doc.count(t) for doc in corpus for t in doc)
    passage_bytes = len(corpus) + 8 * len(lengths) * (2 + tf_max + 1) + 3 * 8
    assert index.nbytes() == 6 * n_postings + term_bytes + passage_bytes


def test_passages_holding_a_term_or_terms_it_begins():
    index = BM25Index.build([["meet", "talk"], ["meeting", "x"], ["mee"], ["talks", "meet"]])

    assert index.passages_holding("meet").tolist() == [0, 3]
    assert index.passages_holding("meet", prefix=True).tolist() == [0, 1, 3]
    assert index.passages_holding("talk", prefix=True).tolist() == [0, 3]
    assert index.passages_holding("zzz").tolist() == []
    assert index.passages_holding("zzz", prefix=True).tolist() == []


def brute_top(index: BM25Index, query: list[str], k: int) -> list[tuple[int, float]]:
    """Every score, then the k best: what the pruned top_k must reproduce."""
    return expected_top(index.get_scores(query), k)


@pytest.fixture(params=["pruned", "as_configured"])
def pruning(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small corpora are below the size where pruning pays; force it, and test both."""
    if request.param == "pruned":
        monkeypatch.setattr(bm25, "_PRUNE_MIN_WORK", 0)


@pytest.mark.parametrize("seed", range(6))
def test_pruned_top_k_equals_brute_force_on_random_corpora(seed: int, pruning: None):
    rng = np.random.default_rng(200 + seed)
    n_docs, vocab = int(rng.integers(50, 3000)), int(rng.integers(20, 2000))
    corpus, weights = zipf_corpus(seed, n_docs, vocab)
    index = BM25Index.build(corpus)
    for _ in range(60):
        # Rare and common terms, repeats, terms no passage has, k from 1 past the matches.
        query = [f"t{w}" for w in rng.choice(vocab + 20, size=int(rng.integers(1, 9)))]
        query += [f"t{w}" for w in rng.choice(vocab, size=int(rng.integers(0, 4)), p=weights)]
        if rng.random() < 0.3:
            query.append(query[int(rng.integers(len(query)))])
        k = int(rng.choice([1, 3, 10, 50, n_docs + 5]))
        assert index.top_k(query, k) == brute_top(index, query, k), (query, k)


def test_pruned_top_k_keeps_tie_order_among_equal_passages(pruning: None):
    # Hundreds of identical passages tie; the k kept must be the lowest ids.
    corpus = [["x", "y", "pad"]] * 300 + [["y", "pad"]] * 300 + [["pad", "z"]] * 300
    corpus += [["x", "x", "y", "rare"]] * 3
    index = BM25Index.build(corpus)
    for query in (["x", "y"], ["y", "x", "y"], ["rare", "x"], ["pad", "y", "x"], ["x"]):
        for k in (1, 4, 10, 305):
            assert index.top_k(query, k) == brute_top(index, query, k), (query, k)
    assert [d for d, _ in index.top_k(["x", "y"], 6)] == [900, 901, 902, 0, 1, 2]


def test_negative_idf_corpus_top_k_matches_rank_bm25():
    # Every term is in most passages: the average idf is negative, so is the floor.
    corpus = [["a", "b"], ["a", "b"], ["a", "c"], ["a", "b", "c"], ["b", "a"]]
    reference = BM25Okapi(corpus)
    assert reference.average_idf < 0
    assert_same(corpus, [["a"], ["b", "c"], ["c", "a", "c"], ["a", "b", "c"]], k=3)


def test_top_k_skips_most_of_a_common_terms_postings(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(bm25, "_PRUNE_MIN_WORK", 0)
    # A rare term's passages are found first; the common term's long list is then only
    # searched for them, not read whole.
    corpus = [["common", f"w{i % 50}"] for i in range(2000)] + [["common", "rare"]] * 3
    index = BM25Index.build(corpus)
    read: list[int] = []
    postings = BM25Index._postings

    def recording(self: BM25Index, term: int) -> tuple[np.ndarray, np.ndarray]:
        docs, impacts = postings(self, term)
        read.append(len(docs))
        return docs, impacts

    monkeypatch.setattr(BM25Index, "_postings", recording)
    assert [d for d, _ in index.top_k(["common", "rare"], 3)] == [2000, 2001, 2002]
    assert read == [3]


def test_passages_of_many_distinct_lengths_match_rank_bm25():
    # 300 distinct lengths: codes no longer fit a byte.
    corpus = [[f"t{j % 7}" for j in range(i)] + [f"u{i % 13}"] for i in range(300)]
    assert BM25Index.build(corpus)._a["len_codes"].dtype == np.uint16
    assert_same(corpus, [["t0"], ["t3", "u5", "t3"], ["u12", "t6", "nope"]], k=10)


def test_ratios_computed_without_their_table_are_the_same_bits(monkeypatch: pytest.MonkeyPatch):
    # An outlier tf or length would make the table too big; then every ratio is computed.
    monkeypatch.setattr(bm25, "_TABLE_LIMIT", 0)
    monkeypatch.setattr(bm25, "_PRUNE_MIN_WORK", 0)
    corpus, weights = zipf_corpus(11, 400, 300)
    assert not len(BM25Index.build(corpus)._a["ratio_table"])
    rng = np.random.default_rng(11)
    queries = [[f"t{w}" for w in rng.choice(300, size=4, p=weights)] for _ in range(30)]
    assert_same(corpus, queries + GOLDEN_QUERIES, k=10)
    assert_same(GOLDEN, GOLDEN_QUERIES)
