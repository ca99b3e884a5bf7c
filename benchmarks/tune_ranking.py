"""Tune the ranking model's weights and thresholds on one half of the question sets and
report both halves (run by hand; prints figures, writes nothing unless --write).

Every question is analysed once (search, candidates, evidence); each trial of weights then
only re-scores the cached evidence and grades the answer with the shared grader's rules,
so a coordinate search over all weights takes a minute, not hours.

    .venv/bin/python benchmarks/tune_ranking.py                 # report with config/ranking.json
    .venv/bin/python benchmarks/tune_ranking.py --tune --rounds 3 [--write]

The tuning half is the questions with an even number in their id; the other half is only
reported, so a change that helps one half and not the other shows as fitting noise.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.answers import build_answer  # noqa: E402
from bot.cli import answer_to_json  # noqa: E402
from retrieval.corpus import Corpus, load_corpus  # noqa: E402
from retrieval.features import FEATURES, allowed_sign, contradicts  # noqa: E402
from retrieval.ranking import WEIGHTS_FILE, RankingModel  # noqa: E402
from retrieval.search import Analysis, analyse, decide  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
EVAL = ROOT / "tests" / "eval"
SETS = {
    "reuters_dev": (
        SHARED / "reuters_dev" / "questions.jsonl",
        SHARED / "reuters_dev" / "articles",
    ),
    "reuters_large": (
        SHARED / "reuters_dev" / "questions_large.jsonl",
        SHARED / "reuters_dev" / "articles_large",
    ),
    "seeds_dev": (EVAL / "seeds_dev.jsonl", ROOT / "seeds"),
    "mini_wire": (EVAL / "mini_wire.jsonl", EVAL / "corpora" / "mini_wire"),
    "wire": (EVAL / "wire.jsonl", EVAL / "corpora" / "wire"),
    "press": (EVAL / "press.jsonl", EVAL / "corpora" / "press"),
    "releases": (EVAL / "releases.jsonl", EVAL / "corpora" / "releases"),
    "web": (EVAL / "web.jsonl", EVAL / "corpora" / "web"),
}
STEPS = (-1.0, -0.5, -0.25, 0.25, 0.5, 1.0)


def _grader():
    spec = importlib.util.spec_from_file_location("grade", EVAL / "grade.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


GRADE = _grader()


@dataclass
class Case:
    set_name: str
    item: dict
    corpus: Corpus
    articles: Path
    analysis: Analysis

    @property
    def tuning(self) -> bool:
        digits = "".join(c for c in self.item["id"] if c.isdigit())
        return int(digits or 0) % 2 == 0


def load_cases(names: list[str]) -> list[Case]:
    cases = []
    for name in names:
        questions, articles = SETS[name]
        if not questions.exists():
            print(f"skipping {name}: {questions} not found")
            continue
        corpus = load_corpus(articles, 5_000_000)
        for line in questions.read_text().splitlines():
            if line.strip():
                item = json.loads(line)
                cases.append(Case(name, item, corpus, articles, analyse(corpus, item["question"])))
    return cases


def correct(case: Case, model: RankingModel, cache: dict) -> bool:
    result = decide(case.corpus, case.analysis, model)
    answer = answer_to_json(build_answer(case.corpus, result))
    texts = cache.setdefault(case.set_name, {})
    return not GRADE.grade_one(case.item, answer, case.articles, texts)


def score(cases: list[Case], model: RankingModel) -> int:
    cache: dict = {}
    return sum(correct(c, model, cache) for c in cases)


def report(cases: list[Case], model: RankingModel) -> None:
    cache: dict = {}
    table: dict[tuple[str, bool], list[bool]] = defaultdict(list)
    kinds: dict[str, list[bool]] = defaultdict(list)
    for case in cases:
        ok = correct(case, model, cache)
        table[(case.set_name, case.tuning)].append(ok)
        if case.set_name == "reuters_dev":
            kinds[case.item.get("kind", "?")].append(ok)
    for name in dict.fromkeys(c.set_name for c in cases):
        even, odd = table[(name, True)], table[(name, False)]
        print(
            f"{name:12} tune {sum(even):3}/{len(even):3}  held-out {sum(odd):3}/{len(odd):3}"
            f"  all {100 * (sum(even) + sum(odd)) / (len(even) + len(odd)):5.1f} %"
        )
    if kinds:
        by_kind = ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(kinds.items()))
        print(f"reuters_dev by kind: {by_kind}")


def tune(
    cases: list[Case], model: RankingModel, rounds: int, only: list[str] | None = None
) -> RankingModel:
    """Coordinate search: each weight (or only those named) and threshold in turn moves by
    the step that helps the tuning half most; ties keep the current value."""
    train = [c for c in cases if c.tuning]
    best = score(train, model)
    print(f"start: {best}/{len(train)}")
    for round_number in range(rounds):
        for intent in model.weights:
            for name in [*(only or FEATURES), "threshold"]:
                for step in STEPS:
                    trial = _moved(model, intent, name, step)
                    if trial is None:
                        continue
                    value = score(train, trial)
                    if value > best:
                        best, model = value, trial
                        print(f"round {round_number}: {intent}.{name} {step:+} -> {best}")
    return model


def labelled(case: Case) -> list[tuple[list[float], int]]:
    """Each candidate's feature values, labelled 1 when its passage answers the question (an
    expected article, holding every expected string), else 0."""
    expected = set(case.item.get("expect_articles") or [])
    wanted = [GRADE.fold(s) for s in case.item.get("expect_in_answer") or []]
    rows = []
    for candidate in case.analysis.candidates:
        if contradicts(candidate.evidence):
            continue
        passage = case.corpus.passages[candidate.passage]
        text = GRADE.fold(passage.text)
        good = passage.article_id in expected and all(w in text for w in wanted)
        rows.append(([f(candidate.evidence) for f in FEATURES.values()], int(good)))
    return rows


def fit(cases: list[Case], model: RankingModel, l2: float, steps: int = 3000) -> RankingModel:
    """Logistic regression per intent on the tuning half's candidates (numpy, full-batch
    gradient descent), then each intent's threshold set where the tuning half scores best."""
    import numpy as np

    names = list(FEATURES)
    train = [c for c in cases if c.tuning]
    weights = {}
    for intent in model.weights:
        rows = [r for c in train if c.analysis.question.intent.value == intent for r in labelled(c)]
        if not rows:
            continue
        x = np.array([r[0] for r in rows])
        y = np.array([r[1] for r in rows], dtype=float)
        # Answering candidates are rare: each class carries half the loss.
        sample = np.where(y > 0, 0.5 / max(y.sum(), 1), 0.5 / max((1 - y).sum(), 1))
        w, b = np.zeros(x.shape[1]), 0.0
        signs = np.array([allowed_sign(n) for n in names])
        for _ in range(steps):
            p = 1 / (1 + np.exp(-(x @ w + b)))
            g = (p - y) * sample
            w -= x.T @ g + l2 * w
            b -= g.sum()
            # Projected gradient: each weight stays on the side its feature's meaning allows.
            w = np.where(signs > 0, np.maximum(w, 0), np.where(signs < 0, np.minimum(w, 0), w))
        pairs = zip(names, w, strict=True)
        weights[intent] = {n: round(float(v), 3) for n, v in pairs if abs(v) > 1e-3}
        print(f"{intent}: {len(rows)} candidates, {int(y.sum())} answering")
    fitted = RankingModel(weights, dict(model.thresholds))
    for intent in weights:
        best, best_t = -1, 0.0
        for t in np.arange(-3, 8, 0.1):
            trial = RankingModel(weights, {**fitted.thresholds, intent: round(float(t), 2)})
            value = score([c for c in train if c.analysis.question.intent.value == intent], trial)
            if value > best:
                best, best_t = value, round(float(t), 2)
        fitted = RankingModel(weights, {**fitted.thresholds, intent: best_t})
    return fitted


def _moved(model: RankingModel, intent: str, name: str, step: float) -> RankingModel | None:
    weights = copy.deepcopy(dict(model.weights))
    thresholds = dict(model.thresholds)
    if name == "threshold":
        thresholds[intent] = round(thresholds[intent] + step, 3)
    else:
        current = dict(weights[intent])
        current[name] = round(current.get(name, 0.0) + step, 3)
        weights[intent] = current
    return RankingModel(weights, thresholds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="*", default=list(SETS))
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--fit", action="store_true", help="logistic regression, then thresholds")
    parser.add_argument("--l2", type=float, default=0.003)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="features the coordinate search may move")
    parser.add_argument("--write", action="store_true", help="save tuned weights to the config")
    args = parser.parse_args()
    started = time.perf_counter()
    cases = load_cases(args.sets)
    print(f"{len(cases)} questions analysed in {time.perf_counter() - started:.1f} s")
    model = RankingModel.from_file()
    report(cases, model)
    if args.fit:
        model = fit(cases, model, args.l2)
        report(cases, model)
    if args.tune:
        model = tune(cases, model, args.rounds, args.only)
        report(cases, model)
    if args.write:
        data = {"weights": model.weights, "thresholds": model.thresholds}
        WEIGHTS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {WEIGHTS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
