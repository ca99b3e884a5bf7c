"""Which sentences say on which day something happened."""

import pytest

from retrieval.dates import names_a_day


@pytest.mark.parametrize(
    "sentence",
    [
        "They met on Monday.",
        "The talks opened on March 5 in Bonn.",
        "On 7 October 2024, the Speaker received the ambassador.",
        "He met him yesterday.",
        "The USDA secretary met this morning with members of the committee.",
    ],
)
def test_a_sentence_naming_a_day(sentence):
    assert names_a_day(sentence)


@pytest.mark.parametrize(
    "sentence", ["They met last year.", "The ministers discussed trade.", "Mayday calls rose."]
)
def test_a_sentence_without_a_day(sentence):
    assert not names_a_day(sentence)
