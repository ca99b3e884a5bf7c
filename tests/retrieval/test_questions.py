"""What a question asks, read from its wording."""

import pytest

from retrieval.entities import EntityIndex
from retrieval.questions import Intent, parse_question, placed_words

NAMES = EntityIndex(["Finance Minister Edouard Balladur met Chancellor Helmut Kohl in Bonn."])


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("Who did Balladur meet?", Intent.MEETING),
        ("Who met Helmut Kohl?", Intent.MEETING),
        ("Who did Kohl discuss the budget with?", Intent.MEETING),
        ("When did Balladur meet Kohl?", Intent.WHEN),
        ("What did Balladur and Kohl discuss?", Intent.TOPIC),
        ("How long did the talks between Balladur and Kohl last?", Intent.FACT),
        ("Whose resignation did Kohl accept during a meeting?", Intent.FACT),
        ("Who headed the French delegation at the meeting?", Intent.FACT),
        ("Why did Balladur not meet Kohl?", Intent.FACT),
        ("What price did the shares reach?", Intent.FACT),
    ],
)
def test_the_intent_follows_what_is_asked(question, intent):
    assert parse_question(question, NAMES).intent is intent


def test_the_places_a_question_gives():
    assert placed_words("Who did Kohl meet in Bonn?") == ["bonn"]
    assert placed_words("who did he meet at Miraflores palace") == ["miraflores", "palace"]
    assert placed_words("Who did Kohl meet?") == []
