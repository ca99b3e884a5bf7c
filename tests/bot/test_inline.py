"""Inline mode: "@news_test_bot who met Zhang Ming" in any chat lists up to five answers;
an empty query offers the example questions."""

from __future__ import annotations

from fakes import EXAMPLES, FakeAnswerer
from telegram_stand_in import inline_query

from bot.inline import MAX_RESULTS
from bot.telegram_text import utf16_length


async def inline_answer(telegram, run_bot, answerer, query):
    async with run_bot(answerer):
        pushed = telegram.push(inline_query(query))
        await telegram.wait_until(lambda: telegram.inline_answers, "an inline answer")
    [answer] = telegram.inline_answers
    assert answer["inline_query_id"] == pushed["inline_query"]["id"]
    return answer


async def test_a_query_lists_the_findings_lead_first(telegram, run_bot):
    answerer = FakeAnswerer()
    answer = await inline_answer(telegram, run_bot, answerer, "who met Zhang Ming")

    assert answerer.questions == ["who met Zhang Ming"]
    first, second = answer["results"]
    assert first["type"] == "article"
    assert first["title"] == "Sahiba Gafarova met Zhang Ming."
    assert first["description"].startswith("6 February 2024: Sahiba Gafarova met Zhang Ming in")
    message = first["input_message_content"]
    assert message["parse_mode"] == "HTML"
    assert (
        "<blockquote>Sahiba Gafarova met Zhang Ming in Baku.</blockquote>"
        in message["message_text"]
    )
    assert "[Sah-1], 6 February 2024" in message["message_text"]
    assert second["title"] == "Sahiba Gafarova received Ilham Mammadov."
    assert first["id"] != second["id"]


async def test_at_most_five_results_each_fitting_a_message(telegram, run_bot):
    answer = await inline_answer(telegram, run_bot, FakeAnswerer(long_citations=8), "long one")

    results = answer["results"]
    assert len(results) == MAX_RESULTS == 5
    for result in results:
        assert utf16_length(result["input_message_content"]["message_text"]) < 4096


async def test_an_empty_query_offers_example_questions(telegram, run_bot):
    answerer = FakeAnswerer()
    answer = await inline_answer(telegram, run_bot, answerer, "   ")

    assert [r["title"] for r in answer["results"]] == EXAMPLES
    assert answerer.questions == EXAMPLES  # each example posts its own answer
    assert "<blockquote>" in answer["results"][0]["input_message_content"]["message_text"]


async def test_a_query_that_finds_nothing_lists_nothing(telegram, run_bot):
    answer = await inline_answer(telegram, run_bot, FakeAnswerer(), "nothing here")
    assert answer["results"] == []


async def test_an_expired_inline_query_breaks_nothing(telegram, run_bot):
    answerer = FakeAnswerer()
    telegram.fail("answerInlineQuery", 400)
    async with run_bot(answerer):
        telegram.push(inline_query("who met Zhang Ming"))
        await telegram.wait_until(lambda: telegram.calls_to("answerInlineQuery"), "an attempt")
        telegram.push(inline_query("who met the mayor"))
        await telegram.wait_until(lambda: telegram.inline_answers, "the next inline answer")

    assert len(telegram.inline_answers) == 1


async def test_results_are_personal_only_when_an_allowlist_is_set(telegram, run_bot):
    async with run_bot(FakeAnswerer(), allowed_user_ids=frozenset({1001})):
        telegram.push(inline_query("who met Zhang Ming"))
        await telegram.wait_until(lambda: telegram.inline_answers, "an inline answer")
    async with run_bot(FakeAnswerer()):
        telegram.push(inline_query("who met Zhang Ming"))
        await telegram.wait_until(lambda: len(telegram.inline_answers) == 2, "a second answer")

    restricted, open_to_all = telegram.inline_answers
    assert restricted["is_personal"] is True
    assert open_to_all.get("is_personal") in (None, False)
    assert restricted["results"] and restricted["cache_time"] == open_to_all["cache_time"] == 30
