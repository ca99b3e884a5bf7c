"""Each ranking feature and exclusion on its own: what it reads from a candidate and when."""

from dataclasses import replace

import pytest

from retrieval.features import FEATURES, HURTS, Evidence, allowed_sign, contradicts
from retrieval.meetings import Tense

PLAIN = Evidence(
    bm25=0.5,
    sentence_share=0.25,
    passage_share=0.5,
    article_share=0.75,
    asked=2,
    asked_in_sentence=1,
    asked_in_passage=2,
    asked_in_article=2,
    tense=Tense.HELD,
    others_in_sentence=0,
    negated=False,
    dated=False,
    asks_day=False,
    asked_nearby=1,
    rule_rank=None,
    rule_found=False,
    named_in_sentence=0,
    paragraph=0,
    future=False,
    asks_negation=False,
    asks_meeting=True,
    places_asked=0,
    places_in_passage=0,
    places_in_article=0,
    placed_elsewhere=False,
    frame=False,
    role_asked=False,
    role_fits=False,
    headline=False,
)


def value(name: str, **changes) -> float:
    return FEATURES[name](replace(PLAIN, **changes))


def test_term_shares_are_passed_through():
    assert value("bm25") == 0.5
    assert value("sentence_terms") == 0.25
    assert value("passage_terms") == 0.5
    assert value("article_terms") == 0.75


def test_names_count_as_the_share_of_those_asked_about():
    assert value("names_in_sentence") == 0.5
    assert value("names_in_passage") == 1.0
    assert value("names_in_article") == 1.0
    assert value("names_in_sentence", asked=0, asked_in_sentence=0) == 0.0


def test_an_article_without_someone_asked_about_is_marked():
    assert value("names_missing") == 0.0
    assert value("names_missing", asked_in_article=1) == 1.0
    assert value("names_missing", asked=0, asked_in_article=0) == 0.0


def test_a_meeting_sentence_and_its_tense():
    assert value("reports_meeting") == 1.0
    assert value("reports_meeting", tense=Tense.NONE) == 0.0
    assert value("tense_fits") == 1.0
    assert value("tense_fits", tense=Tense.PLANNED) == 0.0
    assert value("tense_fits", tense=Tense.PLANNED, future=True) == 1.0
    assert value("tense_fits", tense=Tense.NONE) == 0.0


def test_a_counterpart_is_someone_not_asked_about():
    assert value("counterpart") == 0.0
    assert value("counterpart", others_in_sentence=2) == 1.0
    assert value("meeting_with_counterpart", others_in_sentence=1) == 1.0
    assert value("meeting_with_counterpart", others_in_sentence=1, tense=Tense.NONE) == 0.0
    assert value("other_names", named_in_sentence=1) == 1.0


def test_a_denial_counts_against_unless_the_question_asks_about_one():
    assert value("denied") == 0.0
    assert value("denied", negated=True) == 1.0
    assert value("denied", negated=True, asks_negation=True) == 0.0


def test_a_day_helps_where_the_question_wants_one():
    assert value("dated", dated=True) == 1.0
    assert value("day_given", dated=True) == 0.0
    assert value("day_given", dated=True, asks_day=True) == 1.0


def test_a_meeting_of_the_names_may_refer_back_to_the_sentence_before():
    assert value("meeting_of_names") == 0.5
    assert value("meeting_of_names", asked_in_sentence=0, asked_nearby=2) == 1.0
    assert value("meeting_of_names", tense=Tense.NONE) == 0.0


def test_a_full_reading_needs_everyone_asked_and_someone_else():
    assert value("full_reading") == 0.0
    assert value("full_reading", asked_nearby=2) == 1.0
    assert value("full_reading", asked=1, asked_nearby=1) == 0.0
    assert value("full_reading", asked=1, asked_nearby=1, others_in_sentence=1) == 1.0


def test_a_meeting_frame_and_a_headline_are_flags():
    assert value("meeting_frame", frame=True) == 1.0
    assert value("headline", headline=True) == 1.0


def test_places_asked_about():
    assert value("place_in_passage") == 0.0
    assert value("place_in_passage", places_asked=2, places_in_passage=1) == 0.5
    assert value("place_missing", places_asked=1) == 1.0
    assert value("place_missing", places_asked=1, places_in_article=1) == 0.0


def test_the_name_driven_search_weighs_by_rank():
    assert value("rule_match") == 0.0
    assert value("rule_match", rule_rank=0) == 1.0
    assert value("rule_match", rule_rank=3) == 0.25
    assert value("rule_silent") == 1.0
    assert value("rule_silent", rule_found=True) == 0.0


def test_lead_paragraphs_count_more():
    assert value("early") == 1.0
    assert value("early", paragraph=3) == 0.25


@pytest.mark.parametrize(
    ("changes", "excluded"),
    [
        ({}, False),
        ({"tense": Tense.NONE}, True),
        ({"negated": True}, True),
        ({"negated": True, "asks_negation": True}, False),
        ({"placed_elsewhere": True}, True),
        ({"denied_in_article": True}, True),
        ({"denied_in_article": True, "asks_negation": True}, False),
        ({"role_asked": True}, True),
        ({"role_asked": True, "role_fits": True}, False),
        ({"tense": Tense.NONE, "asks_meeting": False}, False),
        ({"negated": True, "asks_meeting": False}, False),
    ],
)
def test_only_contradicting_evidence_excludes_a_candidate(changes, excluded):
    assert contradicts(replace(PLAIN, **changes)) is excluded


def test_every_feature_has_a_sign_its_weights_keep():
    assert FEATURES.keys() >= HURTS
    assert allowed_sign("names_missing") == -1
    assert allowed_sign("bm25") == 1
    assert allowed_sign("dated") == 0
