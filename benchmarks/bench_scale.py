"""The whole bot at scale: ``python -m bot ask --json`` over growing folders, one question at
a time, as a user meets it. Run by hand from the repository root with the bench extras:

    .venv/bin/python benchmarks/bench_scale.py --sizes 5000,50000,150000 --questions 100
    .venv/bin/python benchmarks/bench_scale.py --sizes 0 --real ~/reuters --copies 1,10,40 \\
        --real-questions questions.txt

For each folder it prints the cold build (empty cache) with the time of each build stage the
bot logs, the bot process's peak RSS, the cache's size, the warm start (cached index, until
the first answer; for ``ask``, which checks every file's size and time first, and for the
console chat, which answers while its watcher checks them), p50 / p95 / max per question,
the time to absorb one added article (the start after it appears, until the first answer:
joined to the cached index), and the latencies while another process builds the index, as
a running bot's rebuild does. It only measures: the bot runs as shipped, in its own process.

Generated folders come from ``news_articles``, whose names and vocabulary grow with the
folder; a quarter of their questions ask about the most-mentioned people, the common surnames
that make per-candidate work show. Copies of a real folder get new file names, so each copy
is new articles to the bot.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

import news_articles

ROOT = Path(__file__).resolve().parents[1]
# Asked first, to time the start: nobody of that name is in any folder.
PROBE = "Who did Zyxwv Qqqqov meet?"
COMMON_SHARE = 4
RSS_INTERVAL_S = 0.05
_STAGE = re.compile(r"building the index: (.+?) \d+% \(")
_HEADLINE_NAMES = re.compile(r"([A-Z]+) AND ([A-Z]+) ON ")


@dataclass(frozen=True)
class Asked:
    text: str
    expect: list[str] | None
    """What a right answer names; empty when nothing answers it, None when not graded."""


@dataclass
class Run:
    """One bot process: when it answered the probe, each question's latency, what it logged."""

    ready_s: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    log: list[tuple[float, str]] = field(default_factory=list)
    peak_rss: int = 0


def ask(folder: Path, cache: Path, questions: list[str]) -> Run:
    """Starts the bot, times the probe's answer from the start, then each question alone:
    the next one is written only once the previous answer is read."""
    run = Run()
    started = time.perf_counter()
    bot = _bot(folder, cache, subprocess.PIPE)
    done = threading.Event()

    def read_log() -> None:
        for line in bot.stderr:
            run.log.append((time.perf_counter() - started, line.rstrip()))

    def sample_rss() -> None:
        process = psutil.Process(bot.pid)
        while not done.wait(RSS_INTERVAL_S):
            try:
                run.peak_rss = max(run.peak_rss, process.memory_info().rss)
            except psutil.NoSuchProcess:
                return

    threads = [threading.Thread(target=f, daemon=True) for f in (read_log, sample_rss)]
    for thread in threads:
        thread.start()
    try:
        for i, question in enumerate([PROBE, *questions]):
            sent = time.perf_counter()
            bot.stdin.write(question + "\n")
            bot.stdin.flush()
            line = bot.stdout.readline()
            if not line:
                raise RuntimeError(f"the bot stopped: {run.log[-3:]}")
            now = time.perf_counter()
            if i == 0:
                run.ready_s = now - started
            else:
                run.latencies_ms.append((now - sent) * 1000)
                run.answers.append(json.loads(line))
        bot.stdin.close()
        bot.wait()
    finally:
        done.set()
        if bot.poll() is None:
            bot.kill()
        for thread in threads:
            thread.join()
    return run


def chat_start(folder: Path, cache: Path) -> float:
    """Seconds from starting ``python -m bot chat`` to its answer to the probe: the start a
    watching bot makes, answering from the entry cached for the folder's names while its
    watcher checks their sizes and times."""
    started = time.perf_counter()
    bot = _bot(folder, cache, subprocess.PIPE, ("chat",), subprocess.DEVNULL)
    try:
        bot.stdin.write(PROBE + "\n")
        bot.stdin.flush()
        for line in bot.stdout:
            if "bot> " in line:
                return time.perf_counter() - started
        raise RuntimeError("the console chat stopped before answering")
    finally:
        bot.kill()
        bot.communicate()


def stages(log: list[tuple[float, str]]) -> dict[str, float]:
    """Seconds between each logged build stage's first and last progress line; a stage that
    ends within the logger's first seconds leaves none."""
    spans: dict[str, list[float]] = {}
    for at, line in log:
        if match := _STAGE.search(line):
            spans.setdefault(match.group(1), [at, at])[1] = at
    return {stage: last - first for stage, (first, last) in spans.items()}


def generated(folder: Path, n_articles: int, n_questions: int) -> list[Asked]:
    """news_articles' questions, a quarter of them replaced by (ungraded) questions about the
    people most headlines name."""
    questions = news_articles.write_folder(folder, n_articles, n_questions)
    names: Counter[str] = Counter()
    for path in folder.iterdir():
        with path.open(encoding="utf-8") as f:
            if match := _HEADLINE_NAMES.search(f.readline()):
                names.update(match.groups())
    common = [name.capitalize() for name, _ in names.most_common(n_questions // COMMON_SHARE)]
    asked = [Asked(f"Who met {name}?", None) for name in common]
    return asked + [Asked(q.text, q.expect) for q in questions[: n_questions - len(asked)]]


def copies(folder: Path, source: Path, n_copies: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n_copies):
        for path in source.glob("*.txt"):
            shutil.copyfile(path, folder / f"copy{i:03d}_{path.name}")


def add_one_article(folder: Path) -> None:
    """A new file with an existing article's text and one more sentence: new to the bot."""
    model = min(folder.glob("*.txt"))
    text = model.read_text(encoding="utf-8", errors="replace")
    (folder / "zz_added_article.txt").write_text(
        text + "\nOfficials said further talks would follow.\n", encoding="utf-8"
    )


def report(name: str, folder: Path, cache: Path, questions: list[Asked]) -> None:
    texts = [q.text for q in questions]
    size = sum(p.stat().st_size for p in folder.iterdir())
    print(f"\n=== {name}: {len(list(folder.iterdir())):,} files, {size / 1e6:,.0f} MB ===")
    cold = ask(folder, cache, texts)
    print(f"cold build, until the first answer: {cold.ready_s:,.1f} s; peak RSS {_mb(cold)}")
    for stage, seconds in stages(cold.log).items():
        print(f"  stage {stage}: {seconds:,.1f} s")
    disk = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    print(f"cache on disk: {disk / 1e6:,.0f} MB")
    warm = ask(folder, cache, texts)
    same = sum(map(_same_reply, warm.answers, cold.answers))
    print(f"warm start, until the first answer: {warm.ready_s:,.2f} s; peak RSS {_mb(warm)}")
    chat = chat_start(folder, cache)
    print(f"warm start of the console chat (a watching bot), until the first answer: {chat:,.2f} s")
    ms = np.array(warm.latencies_ms)
    print(
        f"per question over {len(ms)} (warm process): p50 {np.percentile(ms, 50):,.0f} ms, "
        f"p95 {np.percentile(ms, 95):,.0f} ms, max {ms.max():,.0f} ms; same answers as the "
        f"cold process {same}/{len(ms)}"
    )
    graded = [(q, a) for q, a in zip(questions, warm.answers, strict=True) if q.expect is not None]
    named = sum(_names_expected(q, a) for q, a in graded)
    print(f"answers naming what they should: {named}/{len(graded)}")
    # A running bot rebuilds in a child process; its neighbour's share of the two cores is
    # what a rebuild costs the answers. Another process building the same folder stands in.
    rebuild = _building(folder, cache.with_name(cache.name + "-rebuild"))
    during = ask(folder, cache, texts)
    still_building = rebuild.poll() is None
    rebuild.kill()
    rebuild.wait()
    shutil.rmtree(cache.with_name(cache.name + "-rebuild"), ignore_errors=True)
    ms = np.array(during.latencies_ms)
    print(
        f"per question while another process builds the index: p50 {np.percentile(ms, 50):,.0f}"
        f" ms, p95 {np.percentile(ms, 95):,.0f} ms, max {ms.max():,.0f} ms; peak RSS {_mb(during)}"
        + ("" if still_building else " (the build ended first)")
    )
    add_one_article(folder)
    absorbed = ask(folder, cache, texts)
    same = sum(map(_same_reply, absorbed.answers, warm.answers))
    print(
        f"absorbing one added article, until the first answer: {absorbed.ready_s:,.2f} s; "
        f"peak RSS {_mb(absorbed)}; answers as before it {same}/{len(texts)}"
    )


def _bot(
    folder: Path,
    cache: Path,
    output: int,
    command: tuple[str, ...] = ("ask", "--json"),
    log: int | None = None,
) -> subprocess.Popen:
    """``python -m bot ask --json`` (or ``command``) over the folder, as a script would run
    it; its log goes to ``output`` unless ``log`` is given."""
    env = {**os.environ, "ARTICLES_DIR": str(folder), "CACHE_DIR": str(cache)}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *command],
        stdin=subprocess.PIPE,
        stdout=output,
        stderr=output if log is None else log,
        text=True,
        env=env,
        cwd=ROOT,
        bufsize=1,
    )


def _building(folder: Path, cache: Path) -> subprocess.Popen:
    build = _bot(folder, cache, subprocess.DEVNULL)
    build.stdin.write(PROBE + "\n")
    build.stdin.flush()
    return build


def _names_expected(question: Asked, answer: dict) -> bool:
    if not question.expect:
        return not answer["found"]
    text = answer["answer"].casefold()
    return answer["found"] and all(e.casefold() in text for e in question.expect)


def _same_reply(a: dict, b: dict) -> bool:
    """Whether a user would see the same answer: the text and the passages quoted, not the
    scores, which move with the folder's BM25 statistics when one article is added."""

    def shown(answer: dict) -> tuple:
        quoted = [
            {k: v for k, v in p.items() if k not in ("score", "features")}
            for p in answer["passages"]
        ]
        return answer["answer"], quoted

    return shown(a) == shown(b)


def _mb(run: Run) -> str:
    return f"{run.peak_rss / 2**20:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000,150000", help="generated articles")
    parser.add_argument("--questions", type=int, default=100)
    parser.add_argument("--real", type=Path, help="a folder of real articles to copy")
    parser.add_argument("--copies", default="1,10,40", help="copies of --real per folder")
    parser.add_argument("--real-questions", type=Path, help="one question a line, for --real")
    parser.add_argument("--scratch", type=Path, help="where folders and caches go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        for size in (int(s) for s in args.sizes.split(",") if int(s)):
            base = Path(scratch) / f"generated_{size}"
            questions = generated(base / "articles", size, args.questions)
            report(
                f"generated news, {size:,} articles", base / "articles", base / "cache", questions
            )
            shutil.rmtree(base)
        if args.real:
            lines = args.real_questions.read_text(encoding="utf-8").splitlines()
            questions = [Asked(q, None) for q in lines if q.strip()]
            for n in (int(c) for c in args.copies.split(",")):
                base = Path(scratch) / f"real_{n}"
                copies(base / "articles", args.real, n)
                report(f"{args.real.name} x {n}", base / "articles", base / "cache", questions)
                shutil.rmtree(base)


if __name__ == "__main__":
    main()
