"""The ranking model: weights as data, candidates scored by them, thresholds for "not found"."""

import json

import pytest

from retrieval.articles import parse_article
from retrieval.corpus import build_corpus
from retrieval.questions import Intent
from retrieval.ranking import RankingModel, default_model, rank
from retrieval.search import analyse, find


def corpus_of(*texts: str):
    return build_corpus([parse_article(f"a{n:02d}", t) for n, t in enumerate(texts)])


CORPUS = (
    " date 2024-03-04 Talks\nOSLO, March 4 - Foreign Minister Ola Strand met Trade Minister "
    "Anna Berg in Oslo on Monday, officials said.\n\nThe two discussed fishing quotas.\n",
    " date 2024-03-05 Fish\nBERGEN, March 5 - Fishing quotas rose by a tenth this year, the "
    "ministry of fisheries said.\n",
)


def test_the_shipped_weights_load_and_name_only_known_features():
    model = default_model()
    assert set(model.weights) == {intent.value for intent in Intent}
    assert set(model.thresholds) == {intent.value for intent in Intent}


def test_a_weights_file_with_an_unknown_feature_is_refused(tmp_path):
    path = tmp_path / "ranking.json"
    weights = {intent.value: {"bm25": 1.0, "luck": 2.0} for intent in Intent}
    path.write_text(json.dumps({"weights": weights, "thresholds": {}}))
    with pytest.raises(ValueError, match="luck"):
        RankingModel.from_file(path)


def test_candidates_are_ranked_by_weights_times_features():
    corpus = corpus_of(*CORPUS)
    analysis = analyse(corpus, "How much did the ministry of fisheries say quotas rose?")
    by_bm25 = RankingModel({"fact": {"bm25": 1.0}}, {"fact": 0.0})
    ranked = rank(analysis.candidates, Intent.FACT, by_bm25)
    assert corpus.passages[ranked[0].passage].article_id == "a01"
    assert ranked[0].score == pytest.approx(1.0)
    assert ranked[0].contributions == {"bm25": pytest.approx(1.0)}
    assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_a_question_below_the_threshold_is_not_answered():
    corpus = corpus_of(*CORPUS)
    strict = RankingModel({"fact": {"bm25": 1.0}}, {"fact": 1.5})
    question = "How much did the ministry of fisheries say quotas rose?"
    assert find(corpus, question, strict).findings == ()
    lenient = RankingModel({"fact": {"bm25": 1.0}}, {"fact": 0.5})
    assert find(corpus, question, lenient).findings


def test_a_meeting_question_is_answered_from_a_meeting_sentence():
    corpus = corpus_of(*CORPUS)
    result = find(corpus, "Who did Ola Strand meet?")
    assert result.findings
    assert "Anna Berg" in corpus.passages[result.findings[0].passage].text
    assert result.findings[0].features


def test_a_denied_meeting_does_not_answer_when_they_met():
    corpus = corpus_of(
        " date 2024-03-04 Talks\nOSLO, March 4 - Ola Strand did not meet Anna Berg, who was "
        "abroad, officials said.\n"
    )
    assert find(corpus, "When did Ola Strand meet Anna Berg?").findings == ()


def test_an_article_that_denies_their_meeting_answers_when_only_with_their_meeting():
    denial = (
        " date 2024-03-04 Coffee\nBOGOTA, March 4 - Ola Strand, back from talks in Colombia, "
        "said coffee quotas must return.\n\nWhile he did not meet with Anna Berg, who was in "
        "Europe, Strand said the talks went well.\n"
    )
    assert find(corpus_of(denial), "When did Ola Strand meet Anna Berg?").findings == ()
    both = denial + "\nStrand met Anna Berg in Madrid on Friday, an aide said.\n"
    [first, *_] = find(corpus_of(both), "When did Ola Strand meet Anna Berg?").findings
    assert "Madrid" in corpus_of(both).passages[first.passage].text


def test_a_possessive_place_does_not_set_a_meeting_there():
    london = (
        " date 2024-03-04 Summit\nLONDON, March 4 - Finance Minister Ola Strand said Tokyo's "
        "partners would press Japan at the summit, after his talks with Anna Berg.\n"
    )
    assert find(corpus_of(london), "Who did Ola Strand meet in Tokyo?").findings == ()
    tokyo = london.replace("LONDON", "TOKYO")
    assert find(corpus_of(tokyo), "Who did Ola Strand meet in Tokyo?").findings


def test_a_name_spelt_otherwise_counts_as_the_articles_write_it():
    corpus = corpus_of(
        " date 1987-03-16 Visit\nBRASILIA, March 16 - West German President Richard von "
        "Weizsaecker held talks with President Jose Sarney on Sunday.\n"
    )
    spelt_as_written = analyse(corpus, "When did Weizsaecker hold talks with Sarney?")
    accented = analyse(corpus, "When did Weizsäcker hold talks with Sarney?")

    def share(analysis):
        return max(c.evidence.sentence_share for c in analysis.candidates)

    assert share(accented) == pytest.approx(share(spelt_as_written))
    assert share(accented) == pytest.approx(1.0)


def test_a_stranger_whose_surname_resembles_someone_is_not_taken_for_them():
    corpus = corpus_of(
        " date 2024-01-06 Talks\nOSLO, January 6 - Agriculture Minister Sheacheadre Grecheaan "
        "will meet Finance Minister Sushu Shakratrusen next week.\n"
    )
    assert find(corpus, "Who did Sheacheadre Grecheaan meet?").findings
    assert find(corpus, "Who did Tanou Grechoan meet?").findings == ()
