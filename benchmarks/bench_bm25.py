"""BM25Index against rank-bm25, rank-bm25-rs and bm25s on synthetic news-like corpora.

Run by hand from the repository root, in a venv with the bench extras (psutil, bm25s,
rank-bm25-rs) next to the project:

    python benchmarks/bench_bm25.py --sizes 10000,100000,1000000 --queries 200

Each engine is built in its own process, one after another, so their build times and memory
peaks are their own and a million-passage BM25Okapi never shares RAM with another index. Our
index writes the tokenized corpus, the questions and its scores to a scratch directory that
the others read. The latencies compared are then taken in one more process holding our index,
rank-bm25-rs and bm25s together, query by query in a random order of engines, over several
rounds: on a shared machine a neighbour's load then falls on every engine alike, and the
spread between rounds shows whether the ordering holds.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import pairwise
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

import synthetic

from retrieval.bm25 import BM25Index

K = 10
_CHUNK = 50_000
_ORDER_SEED = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baseline-queries", default="200,50,5", help="rank-bm25 per size")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved timing rounds")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dir", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        args.n_baseline = int(args.baseline_queries)
        result = WORKERS[args.worker](Path(args.dir), args)
        print(json.dumps(result), flush=True)
        return

    print(_golden_check(), flush=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    baselines = [int(s) for s in args.baseline_queries.split(",")]
    for i, size in enumerate(sizes):
        with tempfile.TemporaryDirectory(prefix=f"bench_bm25_{size}_") as scratch:
            n_baseline = min(baselines[min(i, len(baselines) - 1)], args.queries)
            figures = _run_size(Path(scratch), size, args.queries, n_baseline, args.rounds)
            report(size, figures)


def _run_size(
    scratch: Path, size: int, n_queries: int, n_baseline: int, rounds: int
) -> dict[str, dict]:
    results = {}
    common = ["--dir", str(scratch), "--size", str(size), "--queries", str(n_queries)]
    for worker in ("ours", "cached", "rank_bm25", "rank_bm25_rs", "bm25s", "interleaved"):
        extra = ["--baseline-queries", str(n_baseline), "--rounds", str(rounds)]
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", worker, *common, *extra],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            results[worker] = {"error": proc.stderr.strip().splitlines()[-1:]}
            continue
        results[worker] = json.loads(proc.stdout.strip().splitlines()[-1]) | {"wall_s": wall}
    return results


# Workers: each runs in a fresh process and returns a dict of figures.


def _ours(scratch: Path, args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    corpus: list[list[str]] = []
    sample: list[np.ndarray] = []
    tokenize_s = 0.0
    picks = np.random.default_rng(2).random(args.size) < 2000 / args.size
    for chunk_start, chunk in _chunks(args.size):
        t = time.perf_counter()
        corpus.extend(map(synthetic.tokenize_interned, chunk.texts))
        tokenize_s += time.perf_counter() - t
        for j in np.flatnonzero(picks[chunk_start : chunk_start + len(chunk.texts)]):
            sample.append(chunk.ranks[chunk.offsets[j] : chunk.offsets[j + 1]])
    generate_s = time.perf_counter() - started - tokenize_s
    n_tokens = sum(map(len, corpus))
    gc.collect()
    corpus_rss = _rss()

    with _peak_rss() as peak:
        t = time.perf_counter()
        index = BM25Index.build(corpus)
        build_s = time.perf_counter() - t
    t = time.perf_counter()
    index.save(scratch / "index")
    save_s = time.perf_counter() - t
    disk = sum(p.stat().st_size for p in (scratch / "index").iterdir())
    n_postings = sum(len(set(doc)) for doc in corpus)

    queries = synthetic.questions(sample, args.queries)
    (scratch / "questions.json").write_text(json.dumps(queries))
    _write_corpus(scratch, corpus)
    del corpus
    gc.collect()

    for query in queries:
        index.top_k(query, K)
    top_ms, tops = _timed(lambda q: index.top_k(q, K), queries, keep=True)
    scores_ms, _ = _timed(index.get_scores, queries)
    (scratch / "ours_top.json").write_text(json.dumps(tops))
    np.save(scratch / "ours_scores.npy", [index.get_scores(q) for q in queries[: args.n_baseline]])
    return {
        "generate_s": generate_s,
        "tokenize_s": tokenize_s,
        "tokens": n_tokens,
        "terms": len(index._terms),
        "postings": n_postings,
        "corpus_rss": corpus_rss,
        "build_s": build_s,
        "build_peak_rss": peak(),
        "process_max_rss": _max_rss(),
        "save_s": save_s,
        "disk_bytes": disk,
        "memory_bytes": index.nbytes(),
        "postings_bytes": index._a["doc_ids"].nbytes + index._a["tf_codes"].nbytes,
        "top_k_ms": _percentiles(top_ms),
        "get_scores_ms": _percentiles(scores_ms),
        "query_terms": _percentiles([len(q) for q in queries]),
    }


def _cached(scratch: Path, args: argparse.Namespace) -> dict:
    """A restart: load the saved index and answer one question. The parent's wall clock
    includes interpreter start-up and imports."""
    query = json.loads((scratch / "questions.json").read_text())[0]
    t = time.perf_counter()
    index = BM25Index.load(scratch / "index")
    load_s = time.perf_counter() - t
    index.top_k(query, K)
    return {"load_s": load_s, "ready_s": time.perf_counter() - t, "rss": _rss()}


def _rank_bm25(scratch: Path, args: argparse.Namespace) -> dict:
    from rank_bm25 import BM25Okapi

    corpus, queries = _read_corpus(scratch), _questions(scratch)[: args.n_baseline]
    with _peak_rss() as peak:
        t = time.perf_counter()
        model = BM25Okapi(corpus)
        build_s = time.perf_counter() - t
    ms, scores = _timed(model.get_scores, queries, keep=True)
    ours = np.load(scratch / "ours_scores.npy")
    identical = sum(np.array_equal(a, b) for a, b in zip(scores, ours, strict=True))
    return {
        "build_s": build_s,
        "build_peak_rss": peak(),
        "get_scores_ms": _percentiles(ms),
        "queries": len(queries),
        "ours_identical": identical,
    }


def _rank_bm25_rs(scratch: Path, args: argparse.Namespace) -> dict:
    from importlib.metadata import version

    from rank_bm25_rs import BM25Okapi

    corpus, queries = _read_corpus(scratch), _questions(scratch)
    with _peak_rss() as peak:
        t = time.perf_counter()
        model = BM25Okapi(corpus)
        build_s = time.perf_counter() - t
    for query in queries:
        model.get_scores(query)
    scores_ms, _ = _timed(model.get_scores, queries)
    top_ms, tops = _timed(lambda q: _top_of_scores(model.get_scores(q)), queries, keep=True)
    ours = np.load(scratch / "ours_scores.npy")
    pairs = zip(queries[: len(ours)], ours, strict=True)
    identical = sum(np.array_equal(model.get_scores(q), s) for q, s in pairs)
    our_tops = json.loads((scratch / "ours_top.json").read_text())
    same_tops = sum(a == b for a, b in zip(tops, our_tops, strict=True))
    return {
        "version": version("rank-bm25-rs"),
        "build_s": build_s,
        "build_peak_rss": peak(),
        "get_scores_ms": _percentiles(scores_ms),
        "top_k_ms": _percentiles(top_ms),
        "ours_identical": f"{identical}/{len(ours)}",
        "same_top_k": f"{same_tops}/{len(queries)}",
    }


def _bm25s(scratch: Path, args: argparse.Namespace) -> dict:
    import bm25s

    corpus, queries = _read_corpus(scratch), _questions(scratch)
    with _peak_rss() as peak:
        t = time.perf_counter()
        model = bm25s.BM25(method="robertson")
        model.index(corpus, show_progress=False)
        build_s = time.perf_counter() - t
    del corpus
    known = [
        [t for t in q if t in model.vocab_dict] or [next(iter(model.vocab_dict))] for q in queries
    ]

    def retrieve(query: list[str]) -> object:
        return model.retrieve([query], k=K, show_progress=False, n_threads=1)

    for query in known:
        retrieve(query)
    ms, _ = _timed(retrieve, known)
    return {"build_s": build_s, "build_peak_rss": peak(), "top_k_ms": _percentiles(ms)}


def _interleaved(scratch: Path, args: argparse.Namespace) -> dict:
    """Per-query latency of the three fast engines side by side: each query runs on all of
    them back to back in a fresh random order, so each follows each other engine as often
    (bm25s evicts the caches, and a fixed rotation would hand one engine all its misses)
    and none always meets a neighbour's burst."""
    import bm25s
    from rank_bm25_rs import BM25Okapi

    corpus, queries = _read_corpus(scratch), _questions(scratch)
    index = BM25Index.load(scratch / "index", mmap=False)
    rust = BM25Okapi(corpus)
    model = bm25s.BM25(method="robertson")
    model.index(corpus, show_progress=False)
    del corpus
    gc.collect()
    known = [
        [t for t in q if t in model.vocab_dict] or [next(iter(model.vocab_dict))] for q in queries
    ]
    engines: dict[str, Callable[[int], object]] = {
        "ours": lambda i: index.top_k(queries[i], K),
        "rank_bm25_rs": lambda i: _top_of_scores(rust.get_scores(queries[i])),
        "bm25s": lambda i: model.retrieve([known[i]], k=K, show_progress=False, n_threads=1),
    }
    names = list(engines)
    for i in range(len(queries)):
        for run in engines.values():
            run(i)
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in names}
    rng = np.random.default_rng(_ORDER_SEED)
    for _ in range(args.rounds):
        # Each round starts with no term remembered, as a restarted bot would.
        index._ids.clear()
        times: dict[str, list[float]] = {name: [] for name in names}
        for i in range(len(queries)):
            for name in (names[j] for j in rng.permutation(len(names))):
                t = time.perf_counter()
                engines[name](i)
                times[name].append((time.perf_counter() - t) * 1000)
        for name in names:
            rounds[name].append(_percentiles(times[name]))
    return {"rounds": rounds, "process_max_rss": _max_rss()}


WORKERS: dict[str, Callable[[Path, argparse.Namespace], dict]] = {
    "ours": _ours,
    "cached": _cached,
    "rank_bm25": _rank_bm25,
    "rank_bm25_rs": _rank_bm25_rs,
    "bm25s": _bm25s,
    "interleaved": _interleaved,
}


# Helpers.


def _chunks(size: int) -> Iterator[tuple[int, synthetic.Chunk]]:
    start = 0
    for chunk in synthetic.passages(size):
        yield start, chunk
        start += len(chunk.texts)


def _write_corpus(scratch: Path, corpus: list[list[str]]) -> None:
    """The tokenized corpus as term ids and a vocabulary: peers rebuild the same lists."""
    ids: dict[str, int] = {}
    flat = np.fromiter((ids.setdefault(t, len(ids)) for doc in corpus for t in doc), dtype=np.int32)
    np.save(scratch / "tokens.npy", flat)
    np.save(scratch / "lengths.npy", np.fromiter(map(len, corpus), dtype=np.int64))
    (scratch / "vocabulary.json").write_text(json.dumps(list(ids)))


def _read_corpus(scratch: Path) -> list[list[str]]:
    vocabulary = json.loads((scratch / "vocabulary.json").read_text())
    flat = np.load(scratch / "tokens.npy")
    bounds = np.concatenate(([0], np.cumsum(np.load(scratch / "lengths.npy")))).tolist()
    corpus = []
    for start in range(0, len(bounds) - 1, _CHUNK):
        stop = min(start + _CHUNK, len(bounds) - 1)
        words = [vocabulary[i] for i in flat[bounds[start] : bounds[stop]].tolist()]
        base = bounds[start]
        corpus.extend(words[a - base : b - base] for a, b in pairwise(bounds[start : stop + 1]))
    return corpus


def _questions(scratch: Path) -> list[list[str]]:
    return json.loads((scratch / "questions.json").read_text())


def _top_of_scores(scores: np.ndarray) -> list[tuple[int, float]]:
    """Top k from a dense score array, as a caller of get_scores must do it."""
    top = np.flatnonzero(scores > 0)
    if len(top) > K:
        kth = -np.partition(-scores[top], K - 1)[K - 1]
        top = top[scores[top] >= kth]
    top = top[np.lexsort((top, -scores[top]))][:K]
    return [[int(d), float(scores[d])] for d in top]


def _timed(run: Callable, queries: list, *, keep: bool = False) -> tuple[list[float], list]:
    """Milliseconds per query; results are kept only on request, since holding on to score
    arrays would make every later call fault in fresh pages and look slower than it is."""
    times, results = [], []
    for query in queries:
        t = time.perf_counter()
        result = run(query)
        times.append((time.perf_counter() - t) * 1000)
        if keep:
            results.append([list(pair) for pair in result] if isinstance(result, list) else result)
    return times, results


def _percentiles(values: list[float]) -> dict[str, float]:
    return {"p50": float(np.percentile(values, 50)), "p95": float(np.percentile(values, 95))}


def _rss() -> int:
    return psutil.Process().memory_info().rss


def _max_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextmanager
def _peak_rss(interval: float = 0.02) -> Iterator[Callable[[], int]]:
    """Peak RSS while the block runs, sampled: ru_maxrss would remember earlier phases."""
    peak = _rss()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(interval):
            peak = max(peak, _rss())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield lambda: peak
    finally:
        done.set()
        thread.join()
        peak = max(peak, _rss())


def _golden_check() -> str:
    """Do rank-bm25-rs and BM25Index give rank-bm25's exact bits on the corner cases?"""
    from rank_bm25 import BM25Okapi as Reference

    try:
        from rank_bm25_rs import BM25Okapi as Rust
    except ImportError:
        Rust = None
    rng = np.random.default_rng(5)
    corpora = [
        [["minist", "met", "envoy", "talk", "talk"], ["minist", "met", "deal"], ["envoy"]],
        [["minist", "met", "envoy"]],
        [["trade", "talk"], ["minist", "envoy", "talk"]],
        [["a", "a", "b"], ["a", "c"], []],
    ]
    weights = 1 / np.arange(1, 401) ** 1.1
    for _ in range(5):
        corpora.append(
            [
                [
                    f"t{w}"
                    for w in rng.choice(400, int(rng.integers(0, 40)), p=weights / weights.sum())
                ]
                for _ in range(300)
            ]
        )
    checks = {"BM25Index": [0, 0], "rank-bm25-rs": [0, 0]}
    for corpus in corpora:
        reference, ours = Reference(corpus), BM25Index.build(corpus)
        rust = Rust(corpus) if Rust else None
        vocabulary = [*sorted({t for doc in corpus for t in doc}), "unseen"]
        for _ in range(50):
            query = [str(t) for t in rng.choice(vocabulary, int(rng.integers(1, 8)))]
            want = reference.get_scores(query)
            for name, model in (("BM25Index", ours), ("rank-bm25-rs", rust)):
                if model is not None:
                    checks[name][0] += np.array_equal(model.get_scores(query), want)
                    checks[name][1] += 1
    return "golden corpora, bit-identical get_scores: " + ", ".join(
        f"{name} {ok}/{n}" for name, (ok, n) in checks.items()
    )


def report(size: int, r: dict[str, dict]) -> None:
    ours, cached, ref = r["ours"], r["cached"], r["rank_bm25"]
    rs, bs = r["rank_bm25_rs"], r["bm25s"]
    mb = 1 / 2**20
    lines = [f"\n=== {size:,} passages ==="]
    if "error" in ours:
        print(*lines, f"our index failed: {ours['error']}", sep="\n")
        return
    lines += [
        f"corpus: {ours['tokens']:,} tokens, {ours['terms']:,} terms, {ours['postings']:,} "
        f"postings; text generated in {ours['generate_s']:.1f} s, tokenized in "
        f"{ours['tokenize_s']:.1f} s; tokenized corpus RSS {ours['corpus_rss'] * mb:,.0f} MB",
        f"build: {ours['build_s']:.2f} s, peak RSS during build {ours['build_peak_rss'] * mb:,.0f} "
        f"MB (corpus included; process max {ours['process_max_rss'] * mb:,.0f} MB); "
        f"save {ours['save_s']:.2f} s",
        f"size: disk {ours['disk_bytes'] * mb:,.1f} MB, memory {ours['memory_bytes'] * mb:,.1f} MB"
        f" = {ours['memory_bytes'] / ours['postings']:.2f} B/posting all in, postings "
        f"{ours['postings_bytes'] / ours['postings']:.2f} B/posting",
        f"cold start (tokenize + build): {ours['tokenize_s'] + ours['build_s']:.1f} s; "
        + (
            f"cached start (load + first answer) {cached['ready_s']:.3f} s in process, "
            f"{cached['wall_s']:.2f} s wall with interpreter and imports"
            if "error" not in cached
            else f"cached start failed: {cached['error']}"
        ),
        f"questions: terms p50 {ours['query_terms']['p50']:.0f}",
        "query latency ms (p50 / p95):",
        _row("BM25Index.top_k", ours["top_k_ms"]),
        _row("BM25Index.get_scores", ours["get_scores_ms"]),
    ]
    if "error" in ref:
        lines.append(f"  rank-bm25 failed: {ref['error']}")
    else:
        lines.append(
            _row(f"rank-bm25 get_scores ({ref['queries']} q)", ref["get_scores_ms"])
            + f"  build {ref['build_s']:.1f} s, peak {ref['build_peak_rss'] * mb:,.0f} MB;"
            f" bit-identical to ours {ref['ours_identical']}/{ref['queries']}"
        )
    if "error" in rs:
        lines.append(f"  rank-bm25-rs failed: {rs['error']}")
    else:
        lines += [
            _row(f"rank-bm25-rs {rs['version']} get_scores", rs["get_scores_ms"])
            + f"  build {rs['build_s']:.1f} s, peak {rs['build_peak_rss'] * mb:,.0f} MB;"
            f" bit-identical to ours {rs['ours_identical']}",
            _row("rank-bm25-rs get_scores+top k", rs["top_k_ms"])
            + f"  same top {K} as ours {rs['same_top_k']}",
        ]
    if "error" in bs:
        lines.append(f"  bm25s failed: {bs['error']}")
    else:
        lines.append(
            _row("bm25s retrieve (robertson, numpy)", bs["top_k_ms"])
            + f"  build {bs['build_s']:.1f} s, peak {bs['build_peak_rss'] * mb:,.0f} MB"
        )
    ours_top = ours["top_k_ms"]
    if "error" not in ref:
        base = ref["get_scores_ms"]["p50"]
        lines.append(
            f"speed-up over BM25Okapi.get_scores (p50): top_k {base / ours_top['p50']:,.0f}x, "
            f"get_scores {base / ours['get_scores_ms']['p50']:,.0f}x"
        )
    if "error" not in rs:
        lines.append(
            f"vs rank-bm25-rs (p95): top_k / their get_scores+top k "
            f"{ours_top['p95'] / rs['top_k_ms']['p95']:.2f}, get_scores / get_scores "
            f"{ours['get_scores_ms']['p95'] / rs['get_scores_ms']['p95']:.2f}"
        )
    lines += _interleaved_lines(r["interleaved"])
    print(*lines, sep="\n", flush=True)


_LABELS = {
    "ours": "BM25Index.top_k",
    "rank_bm25_rs": "rank-bm25-rs get_scores+top k",
    "bm25s": "bm25s retrieve (robertson, numpy)",
}


def _interleaved_lines(result: dict) -> list[str]:
    """The medians over rounds decide; the ranges and the round-by-round count show whether
    a neighbour's load could have decided instead."""
    if "error" in result:
        return [f"interleaved timing failed: {result['error']}"]
    rounds = result["rounds"]
    n = len(rounds["ours"])
    lines = [
        f"interleaved in one process, {n} rounds (ms; median of the rounds' p50 / p95, "
        f"then each one's range over rounds); process max RSS "
        f"{result['process_max_rss'] / 2**20:,.0f} MB:"
    ]
    medians = {}
    for name, label in _LABELS.items():
        p50 = [x["p50"] for x in rounds[name]]
        p95 = [x["p95"] for x in rounds[name]]
        medians[name] = float(np.median(p50)), float(np.median(p95))
        lines.append(
            f"  {label:<38} {medians[name][0]:9.3f} / {medians[name][1]:9.3f}"
            f"   p50 {min(p50):.3f}-{max(p50):.3f}, p95 {min(p95):.3f}-{max(p95):.3f}"
        )
    ours, rs = rounds["ours"], rounds["rank_bm25_rs"]
    ahead = {q: sum(a[q] < b[q] for a, b in zip(ours, rs, strict=True)) for q in ("p50", "p95")}
    ratio = [o / r for o, r in zip(medians["ours"], medians["rank_bm25_rs"], strict=True)]
    lines.append(
        f"  top_k / rank-bm25-rs get_scores+top k: p50 {ratio[0]:.2f}, p95 {ratio[1]:.2f}; "
        f"ours faster in {ahead['p50']}/{n} rounds at p50, {ahead['p95']}/{n} at p95"
    )
    return lines


def _row(name: str, ms: dict[str, float]) -> str:
    return f"  {name:<38} {ms['p50']:9.3f} / {ms['p95']:9.3f}"


if __name__ == "__main__":
    main()
