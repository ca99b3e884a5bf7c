"""End to end: ``python -m bot ask --json`` over a folder of generated news articles.

Run by hand from the repository root with the project's venv:

    .venv/bin/python benchmarks/bench_end_to_end.py --articles 5000 --questions 75

Prints the wall time of a cold run (empty index cache: read, tokenize, index, find names,
read meeting events, answer) with each build phase's time, and of warm runs (index loaded
from the cache), start-up included, the cache's size on disk, the peak RSS of the bot
process, and how many answers name what they should, so a speed gain that breaks answers
shows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import news_articles

ROOT = Path(__file__).resolve().parents[1]


_PROGRESS = re.compile(r"^(\S+ \S+) INFO \S+: building the index: (.+?) \d+% ")


def phases(log: str) -> dict[str, float]:
    """Seconds from each build phase's first progress line to its last, read off the log's
    timestamps, so the figures include every stage (reading meetings too)."""
    seen: dict[str, list[dt.datetime]] = {}
    for line in log.splitlines():
        if match := _PROGRESS.match(line):
            at = dt.datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S,%f")
            seen.setdefault(match.group(2), []).append(at)
    return {name: (times[-1] - times[0]).total_seconds() for name, times in seen.items()}


def run(
    folder: Path, cache: Path, questions: list[news_articles.Question]
) -> tuple[float, list, str]:
    env = {**os.environ, "ARTICLES_DIR": str(folder), "CACHE_DIR": str(cache)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    stdin = "".join(q.text + "\n" for q in questions)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json"],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    elapsed = time.perf_counter() - start
    return elapsed, [json.loads(line) for line in done.stdout.splitlines()], done.stderr


def correct(question: news_articles.Question, answer: dict) -> bool:
    if not question.expect:
        return not answer["found"]
    text = answer["answer"].casefold()
    return answer["found"] and all(e.casefold() in text for e in question.expect)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=75)
    parser.add_argument("--warm-runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder, cache = Path(scratch) / "articles", Path(scratch) / "cache"
        questions = news_articles.write_folder(folder, args.articles, args.questions)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"{args.articles:,} articles ({size / 1e6:.1f} MB), {len(questions)} questions")
        cold, answers, log = run(folder, cache, questions)
        print(f"cold run (no cache): {cold:.2f} s")
        for name, seconds in phases(log).items():
            print(f"  {name}: {seconds:.1f} s")
        warm = []
        for _ in range(args.warm_runs):
            seconds, warm_answers, _ = run(folder, cache, questions)
            warm.append(seconds)
            assert warm_answers == answers, "the cached index answered differently"
        print(f"warm runs (cached index): {', '.join(f'{s:.2f}' for s in warm)} s")
        disk = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
        print(f"cache on disk: {disk / 1e6:.1f} MB")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"peak RSS of a bot process: {peak:.0f} MB")
        wrong = [(q, a) for q, a in zip(questions, answers, strict=True) if not correct(q, a)]
        print(f"answers naming what they should: {len(questions) - len(wrong)}/{len(questions)}")
        for question, answer in wrong:
            first = answer["answer"].splitlines()[0][:100] if answer["answer"] else ""
            print(f"  wrong: {question.text} (expected {question.expect}) -> {first}")


if __name__ == "__main__":
    main()
