"""The corpus build: every phase reports its progress, so a long build never looks hung."""

from pathlib import Path

from retrieval.corpus import load_corpus

SEEDS = Path(__file__).parents[2] / "seeds"


def test_every_build_phase_reports_how_far_it_got():
    heard: dict[str, tuple[int, int]] = {}

    def progress(stage: str, done: int, total: int) -> None:
        assert 0 < done <= total
        heard[stage] = (done, total)

    corpus = load_corpus(SEEDS, 5_000_000, progress)

    assert list(heard) == [
        "reading articles",
        "splitting",
        "tokenizing",
        "indexing",
        "reading words",
        "finding names",
        "grouping names",
        "placing names",
        "reading meetings",
    ]
    assert heard["reading articles"] == (len(corpus.articles), len(corpus.articles))
    assert heard["reading meetings"] == (len(corpus.passages), len(corpus.passages))
    assert all(done == total for done, total in heard.values())


def test_the_articles_of_passages_and_the_passages_of_articles_agree_with_each_passage():
    corpus = load_corpus(SEEDS, 5_000_000)
    some = [0, 1, len(corpus.passages) - 1]
    assert corpus.articles_of(some) == {corpus.passages[p].article_id for p in some}
    articles = sorted(corpus.articles)[:3]
    expected = [n for n, p in enumerate(corpus.passages) if p.article_id in articles]
    assert sorted(corpus.passages_of(articles)) == expected
