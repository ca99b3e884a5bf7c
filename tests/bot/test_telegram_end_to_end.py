"""The real answer path behind the real Telegram Application, over HTTP to the stand-in."""

from pathlib import Path

from telegram_stand_in import command, text_message

from bot.answers import Answerer
from retrieval.corpus import load_corpus

SEEDS = Path(__file__).parents[2] / "seeds"


def seeds_answerer() -> Answerer:
    corpus = load_corpus(SEEDS, 5_000_000)
    return Answerer(lambda: corpus)


async def test_a_meeting_question_is_answered_with_quote_source_and_date(telegram, run_bot):
    async with run_bot(seeds_answerer()):
        telegram.push(text_message("When did Bayramov meet Zhang Ming?"))
        [answer] = await telegram.wait_for_messages(1)

    assert answer.parse_mode == "HTML"
    assert "<b>Jeyhun Bayramov met Zhang Ming.</b>" in answer.text
    assert "<blockquote>BAKU, Azerbaijan, February 6. Minister of Foreign Affairs" in answer.text
    assert "004_59b0f9512e583136" in answer.plain_text
    assert "7 February 2024" in answer.plain_text


async def test_an_unanswerable_question_says_so(telegram, run_bot):
    async with run_bot(seeds_answerer()):
        telegram.push(text_message("Who did Emmanuel Macron meet?"))
        [answer] = await telegram.wait_for_messages(1)

    assert "I couldn't find" in answer.plain_text
    assert "<blockquote>" not in answer.text


async def test_help_examples_come_from_the_loaded_articles(telegram, run_bot):
    async with run_bot(seeds_answerer()):
        telegram.push(command("/help"))
        [answer] = await telegram.wait_for_messages(1)

    assert "Who did Sahiba Gafarova meet?" in answer.plain_text


async def test_sources_counts_the_loaded_articles_and_their_dates(telegram, run_bot):
    async with run_bot(seeds_answerer()):
        telegram.push(command("/sources"))
        [answer] = await telegram.wait_for_messages(1)

    assert answer.plain_text.startswith(
        "I have read 5 articles\nDated 9 January 2023 to 11 March 2024."
    )
    assert "Trend News Agency (1)" in answer.plain_text


async def test_full_article_sends_the_cited_article(telegram, run_bot):
    async with run_bot(seeds_answerer()):
        telegram.push(text_message("When did Bayramov meet Zhang Ming?"))
        [answer] = await telegram.wait_for_messages(1)
        telegram.press(answer, "Full article")
        [_, article] = await telegram.wait_for_messages(2)

    assert "[004_59b0f9512e583136], 7 February 2024" in article.plain_text
    assert "Shanghai Cooperation Organization" in article.plain_text
