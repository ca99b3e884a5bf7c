"""A few changed articles joined to a built corpus answer as a rebuild would, in seconds."""

import dataclasses
import logging
import os
import shutil
from pathlib import Path

import pytest
from rank_bm25 import BM25Okapi

from retrieval.articles import Article, load_articles, parse_article
from retrieval.corpus import Corpus, build_corpus
from retrieval.listing import folder_state
from retrieval.search import find
from retrieval.segments import FEW_CHANGED, absorb, joined
from retrieval.tokens import tokenize

SEEDS = Path(__file__).parents[2] / "seeds"
REUTERS = Path(__file__).parents[2].parent / "shared" / "eval" / "reuters_dev" / "articles"
NEW = parse_article(
    "zz_new",
    " date 2024-05-06 Ministers meet\n"
    "Foreign Minister Jeyhun Bayramov met Petra Novakova in Oslo on Monday.\n",
)
QUESTIONS = [
    "Who did Jin Pyo Kim meet?",
    "What did Tokayev and Gafarova discuss?",
    "Who did Bayramov meet?",
    "When did Bayramov meet Zhang Ming?",
]


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return load_articles(SEEDS, 5_000_000)


def by_text(corpus: Corpus, hits: list[tuple[int, float]]) -> list[tuple[str, float]]:
    return [(corpus.passages[p].text, score) for p, score in hits]


def answers(corpus: Corpus, question: str) -> list[tuple[str, float, tuple[str, ...]]]:
    return [
        (corpus.passages[f.passage].text, f.score, f.counterparts)
        for f in find(corpus, question).findings
    ]


def test_an_added_article_scores_and_answers_as_in_a_full_build(seeds):
    base = build_corpus(seeds)
    full = build_corpus([*seeds, NEW])

    corpus = joined(base, [], [NEW])

    assert len(corpus.passages) == len(full.passages)
    for query in ["bayramov met novakova oslo", "peace agreement", "minister"]:
        terms = tokenize(query)
        assert by_text(corpus, corpus.index.bm25.top_k(terms, 10)) == by_text(
            full, full.index.bm25.top_k(terms, 10)
        )
    for question in [*QUESTIONS, "Who did Petra Novakova meet?"]:
        assert answers(corpus, question) == answers(full, question)
    met = [
        c for _, _, counterparts in answers(corpus, "Who did Bayramov meet?") for c in counterparts
    ]
    assert "Petra Novakova" in met


def test_scores_over_removed_and_replaced_articles_are_rank_bm25s_bit_for_bit(seeds):
    """The joined corpus's passages, in its order, scored by rank-bm25 from scratch."""
    old = dataclasses.replace(seeds[1], paragraphs=seeds[1].paragraphs[:1])
    base = build_corpus([seeds[0], old, *seeds[2:], NEW])
    corpus = joined(base, [NEW.id], [seeds[1]])
    alive = [p for a in corpus.articles for p in corpus.article_passages[a]]
    reference = BM25Okapi([tokenize(corpus.passages[p].text) for p in alive])

    for query in ["bayramov met novakova oslo", "peace agreement signed", "the minister"]:
        terms = tokenize(query)
        scores = corpus.index.bm25.get_scores(terms)
        assert scores[alive].tolist() == reference.get_scores(terms).tolist()
        ranked = sorted(
            zip(reference.get_scores(terms), alive, strict=True), key=lambda x: (-x[0], x[1])
        )
        positive = [(p, s) for s, p in ranked if s > 0][:5]
        assert corpus.index.bm25.top_k(terms, 5) == positive


def test_removed_articles_are_never_quoted(seeds):
    base = build_corpus([*seeds, NEW])

    corpus = joined(base, [NEW.id], [])

    assert NEW.id not in corpus.articles and NEW.id not in corpus.article_passages
    assert len(corpus.articles) == len(seeds)
    for question in ["Who did Petra Novakova meet?", "Who met in Oslo?"]:
        cited = {corpus.passages[f.passage].article_id for f in find(corpus, question).findings}
        assert NEW.id not in cited
    novakova = corpus.entities.number_of("Petra Novakova")
    assert novakova is None or not corpus.entities.entities[novakova].passages


def test_a_surname_in_a_new_article_is_the_base_person_of_that_name(seeds):
    base = build_corpus(seeds)
    full_name = base.entities.number_of("Jeyhun Bayramov")
    assert full_name is not None
    surname_only = parse_article(
        "zz_surname", " date 2024-05-07 Talks\nBayramov met Petra Novakova in Oslo.\n"
    )

    corpus = joined(base, [], [surname_only])

    [new_passage] = corpus.article_passages["zz_surname"]
    assert new_passage in corpus.entities.entities[full_name].passages
    assert corpus.entities.number_of("Petra Novakova") >= len(base.entities.entities)


def test_a_new_article_can_bring_a_new_leading_person(seeds):
    base = build_corpus(seeds)
    body = "\n\n".join(f"Minister Petra Novakova met envoy number {n} in Oslo." for n in range(60))
    busy = parse_article("zz_busy", f" date 2024-05-07 Talks\n{body}\n")

    corpus = joined(base, [], [busy])

    assert corpus.entities.leading_people(1)[0].name == "Petra Novakova"
    assert base.entities.leading_people(3) == corpus.entities.leading_people(4)[1:]


@pytest.mark.skipif(not REUTERS.is_dir(), reason="the shared Reuters articles are not here")
def test_thirty_new_wire_stories_answer_as_a_rebuild_does():
    articles = load_articles(REUTERS, 5_000_000)
    new = articles[::10]
    base = build_corpus([a for a in articles if a not in new])
    full = build_corpus(articles)

    corpus = joined(base, [], new)

    questions = [
        "Who did Nigel Lawson meet?",
        "When did Volcker meet House Speaker Jim Wright?",
        "What did Balladur and Lawson discuss?",
    ]
    for question in questions:
        ours = [(t, c) for t, _, c in answers(corpus, question)]
        assert ours == [(t, c) for t, _, c in answers(full, question)]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    return articles


def test_absorb_reads_only_the_changed_files(folder):
    before = folder_state(folder)
    base = build_corpus(load_articles(folder, 5_000_000))
    (folder / "zz_new.txt").write_text(
        " date 2024-05-06 Ministers meet\nPetra Novakova met Jonas Lindqvist in Oslo.\n",
        encoding="utf-8",
    )
    (folder / "zz_bad.txt").write_bytes(b"\xff\xfe not UTF-8")
    gone = sorted(folder.glob("*.txt"))[0]
    gone.unlink()

    corpus = absorb(base, before, folder_state(folder), folder, 5_000_000)

    assert corpus is not None
    assert "zz_new" in corpus.articles and "zz_bad" not in corpus.articles
    assert gone.stem not in corpus.articles
    assert "Lindqvist" in find(corpus, "Who did Petra Novakova meet?").findings[0].counterparts[0]


def test_absorb_leaves_unchanged_emptied_or_mostly_new_folders_to_a_rebuild(folder, caplog):
    before = folder_state(folder)
    base = build_corpus(load_articles(folder, 5_000_000))
    assert absorb(base, before, folder_state(folder), folder, 5_000_000) is None

    path = sorted(folder.glob("*.txt"))[0]
    os.utime(path, ns=(0, 0))
    assert absorb(base, before, folder_state(folder), folder, 5_000_000) is not None

    for n in range(FEW_CHANGED + 1):
        (folder / f"many{n}.txt").write_text(f"Headline {n}\nBody {n} of the text.\n")
    assert absorb(base, before, folder_state(folder), folder, 5_000_000) is None

    for path in folder.glob("*.txt"):
        path.unlink()
    with caplog.at_level(logging.WARNING):
        assert absorb(base, before, folder_state(folder), folder, 5_000_000) is None
