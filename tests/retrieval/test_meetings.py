"""Meeting wording read from single sentences in the shapes news uses."""

import pytest

from retrieval.meetings import Tense, counterpart_windows, denies_meeting, meeting_tense


@pytest.mark.parametrize(
    "sentence",
    [
        "While he did not meet with Jorge Cardenas, who was in Europe, Cardenas left a letter.",
        "The minister has not held talks with the union since March.",
        "Officials said no talks were planned.",
        "The meeting was cancelled after the storm.",
        "He refused to meet the strikers.",
        "The premier has never met the rebel leader.",
        "The envoy was not holding talks with anyone in Kabul.",
        "The two leaders didn't meet during the summit.",
        "The two leaders didn’t meet during the summit.",
    ],
)
def test_a_denied_meeting_is_recognised(sentence):
    assert denies_meeting(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Bayramov met with Zhang Ming on Tuesday.",
        "The two ministers held talks in Paris.",
        "He said the meeting was useful and not a waste of time.",
        "When they left the Speaker’s office, they knew it wasn’t just talk, one source said.",
        "The plan is not a meeting of minds but a compromise.",
    ],
)
def test_a_meeting_that_happened_is_not_denied(sentence):
    assert not denies_meeting(sentence)


def test_the_counterpart_window_follows_the_link_word():
    sentence = "Kolarov yesterday sat down with the Secretary General, Murat Gundogdu, in Sofia."
    [(start, link_end, end)] = counterpart_windows(sentence)
    assert sentence[start:link_end] == "sat down with"
    assert "Murat Gundogdu" in sentence[link_end:end]


def test_the_window_stops_where_reported_speech_starts():
    sentence = "Shultz met wheat growers and said exports must stay competitive; prices fell."
    windows = counterpart_windows(sentence)
    assert windows
    _, link_end, end = windows[0]
    assert "said" not in sentence[link_end:end]
    assert "prices" not in sentence[link_end:end]


def test_a_word_or_two_may_stand_between_talks_and_with():
    sentence = "Balladur discussed spending in talks here today with Chancellor Nigel Lawson."
    assert any(
        "Nigel Lawson" in sentence[link_end:end]
        for _, link_end, end in counterpart_windows(sentence)
    )


def test_that_after_a_preposition_does_not_end_the_window():
    sentence = "Gafarova spoke during a meeting with the Speaker of that country, Jin Pyo Kim."
    assert any(
        "Jin Pyo Kim" in sentence[link_end:end]
        for _, link_end, end in counterpart_windows(sentence)
    )


def test_an_abbreviation_does_not_end_the_window():
    sentence = "MITI officials would hold talks with U.S. officials and Michael Smith next Monday."
    assert any(
        "Michael Smith" in sentence[link_end:end]
        for _, link_end, end in counterpart_windows(sentence)
    )


def test_between_links_both_sides():
    sentence = "Talks between Kuroda and Michael Smith ended on Sunday."
    assert any(
        "Kuroda" in sentence[link_end:end] for _, link_end, end in counterpart_windows(sentence)
    )


def test_between_without_a_meeting_word_links_nobody():
    sentence = (
        "Funaro was reacting to a statement after his talks with Nigel Lawson, saying it was "
        "a problem between Brazil and its commercial creditor banks."
    )
    windows = counterpart_windows(sentence)
    assert len(windows) == 1
    assert all("Brazil" not in sentence[link_end:end] for _, link_end, end in windows)


def test_groundwork_for_talks_is_a_plan_not_a_meeting():
    sentence = (
        "A Japanese trade team is in Washington laying the groundwork for talks between "
        "Kuroda and Michael Smith."
    )
    assert meeting_tense(sentence) is Tense.PLANNED


@pytest.mark.parametrize(
    "sentence",
    [
        "Prime Minister Strand will hold talks with President Berg on Friday.",
        "Strand is expected to be in Bonn for talks with Berg.",
        "Strand is due to meet Berg next week.",
        "Ahead of the summit, officials prepared the agenda.",
    ],
)
def test_a_meeting_to_come_is_planned(sentence):
    assert meeting_tense(sentence) is Tense.PLANNED


@pytest.mark.parametrize(
    "sentence",
    [
        "Gros said after a meeting with the bank committee that Brazil would pay when it can.",
        "Soybean leaders offered options to Lyng in last week's meeting, but participants "
        "would not reveal them.",
        "Strand met Berg in Oslo on Monday.",
    ],
)
def test_a_modal_about_something_else_leaves_a_meeting_held(sentence):
    assert meeting_tense(sentence) is Tense.HELD


def test_not_discussing_a_subject_does_not_deny_the_meeting():
    assert not denies_meeting(
        "Lyng does not intend to discuss a wheat initiative at his meeting with exporters."
    )


def test_the_keyword_screen_never_hides_a_meeting_the_patterns_find():
    """Every sentence of the test folders: screened out only when no pattern matches."""
    from pathlib import Path

    from retrieval.meetings import _HELD, _MEETING
    from retrieval.passages import sentences

    root = Path(__file__).parents[2]
    texts = [*root.glob("seeds/*.txt"), *root.glob("tests/eval/corpora/*/*.txt")]
    checked = 0
    for path in texts:
        for sentence in sentences(path.read_text(encoding="utf-8", errors="replace")):
            found = bool(_MEETING.search(sentence) or _HELD.search(sentence))
            assert (meeting_tense(sentence) is not Tense.NONE) == found, sentence
            checked += 1
    assert checked > 300
