"""Time per question on one folder, the most-mentioned people's surnames included.

Run by hand from the repository root with the project's venv, on a folder whose index is
cached (a first run builds it):

    .venv/bin/python benchmarks/bench_questions.py --articles FOLDER [--questions FILE]

Questions come from FILE (one per line) when given, else from the folder's own names; to
them are added "who did <surname> meet" and "who met <surname>" for the folder's most
mentioned people, whose many passages make the slowest questions. Prints the start-up
(cache load), p50 / p95 / max per question and the slowest ones.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers import Answerer  # noqa: E402
from retrieval.store import CorpusCache, open_corpus  # noqa: E402

COMMON = 10
"""Most-mentioned people asked about by surname alone."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=Path, required=True)
    parser.add_argument("--questions", type=Path)
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache" / "news-bot")
    args = parser.parse_args()

    start = time.perf_counter()
    corpus = open_corpus(args.articles, 5_000_000, CorpusCache(args.cache))
    opened = time.perf_counter() - start
    print(f"{len(corpus.articles):,} articles, {len(corpus.passages):,} passages")
    print(f"index opened in {opened:.2f} s")

    questions = []
    if args.questions:
        questions = [q for q in args.questions.read_text().splitlines() if q.strip()]
    people = sorted(
        (e for e in corpus.entities.entities if e.person and len(e.key) > 1),
        key=lambda e: -len(e.passages),
    )[:COMMON]
    for person in people:
        surname = person.name.split()[-1]
        questions += [f"Who did {surname} meet?", f"who met {surname}"]

    answerer = Answerer(lambda: corpus)
    timings = []
    for question in questions:
        begin = time.perf_counter()
        answerer.answer(question)
        timings.append((time.perf_counter() - begin, question))
    seconds = sorted(t for t, _ in timings)
    p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
    print(
        f"{len(seconds)} questions: p50 {1000 * statistics.median(seconds):.0f} ms, "
        f"p95 {1000 * p95:.0f} ms, max {1000 * seconds[-1]:.0f} ms"
    )
    for took, question in sorted(timings, reverse=True)[:5]:
        print(f"  {1000 * took:6.0f} ms  {question}")


if __name__ == "__main__":
    main()
