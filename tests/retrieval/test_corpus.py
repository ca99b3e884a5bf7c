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
