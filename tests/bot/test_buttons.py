"""The keyboard under an answer: "More sources (N)" pages in place, "Full article" sends the
article, and every press, kept, expired or forged, is answered."""

from __future__ import annotations

import html

import pytest
from fakes import TRICKY_QUOTE, FakeAnswerer, meeting_answer
from telegram_stand_in import (
    GROUP_CHAT,
    OTHER_PRIVATE_CHAT,
    OTHER_USER,
    as_received,
    callback_query,
    text_message,
)

from bot.buttons import MAX_DATA_BYTES, Kind, Press, decode, encode, keyboard
from bot.telegram_text import utf16_length
from bot.templates import PLAIN, article_gone, stale_button

STALE = stale_button(PLAIN)


def test_callback_data_reads_back_and_stays_under_64_bytes():
    press = Press(Kind.ARTICLE, "AbC-_123", 7)
    assert decode(encode(press)) == press
    assert len(encode(Press(Kind.PAGE, "x" * 32, 999)).encode()) <= MAX_DATA_BYTES


@pytest.mark.parametrize(
    "data", [None, "", "p", "p:key", "p:key:-1", "x:key:1", "p:k y:1", "p:key:1:extra", "9" * 64]
)
def test_data_that_is_not_ours_is_no_press(data):
    assert decode(data) is None


def test_the_first_page_offers_the_other_sources_and_the_article():
    markup = keyboard(meeting_answer("q"), "key", 0)
    assert markup is not None
    labels = [[b.text for b in row] for row in markup.inline_keyboard]
    assert labels == [["More sources (1)"], ["Full article"]]
    assert [decode(b.callback_data) for row in markup.inline_keyboard for b in row] == [
        Press(Kind.PAGE, "key", 1),
        Press(Kind.ARTICLE, "key", 0),
    ]


async def test_more_sources_pages_through_the_findings_in_place(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        [answer] = await telegram.wait_for_messages(1)
        pressed = telegram.press(answer, "More sources (1)")
        [page] = await telegram.wait_for_edits(1)
        telegram.press(answer, "‹ Back")
        [_, back] = await telegram.wait_for_edits(2)
        await telegram.wait_for_answered_presses(2)

    assert page.message_id == answer.message_id
    assert "Source 2 of 2" in page.plain_text
    assert "A second report." in page.plain_text
    assert TRICKY_QUOTE not in page.plain_text
    assert page.buttons() == ["‹ Back", "Full article"]
    assert back.text == answer.text
    assert back.buttons() == ["More sources (1)", "Full article"]
    [first_press, _] = telegram.calls_to("answerCallbackQuery")
    assert first_press.params["callback_query_id"] == pressed["callback_query"]["id"]
    assert "text" not in first_press.params  # no toast: the page itself is the answer
    assert len(telegram.sent) == 1


async def test_pressing_the_same_button_twice_changes_nothing_and_breaks_nothing(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        [answer] = await telegram.wait_for_messages(1)
        stale_view = as_received(answer)  # the client still shows the first page
        telegram.press(answer, "More sources")
        await telegram.wait_for_edits(1)
        data = answer.button_data("More sources")
        telegram.push(callback_query(data, message=stale_view))
        await telegram.wait_for_answered_presses(2)

    # No second edit: Telegram would refuse it as "message is not modified".
    assert len(telegram.calls_to("editMessageText")) == 1
    assert len(telegram.edits) == 1


async def test_full_article_sends_the_article_as_a_reply_to_the_answer(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        [answer] = await telegram.wait_for_messages(1)
        telegram.press(answer, "Full article")
        [_, article] = await telegram.wait_for_messages(2)

    assert article.reply_parameters == {
        "message_id": answer.message_id,
        "allow_sending_without_reply": True,
    }
    header = "Talks in <Oslo> & more\nDaily *News*, [a1], 6 February 2024"
    assert article.plain_text.startswith(header)
    assert "The first paragraph of a1 & <its> story." in article.plain_text
    assert "&lt;its&gt;" in article.text
    [press] = telegram.calls_to("answerCallbackQuery")
    assert "text" not in press.params


async def test_a_long_article_is_split_under_the_limit_and_capped(telegram, run_bot):
    async with run_bot(FakeAnswerer(long_citations=2)):
        telegram.push(text_message("a long answer please"))
        [answer] = await telegram.wait_for_messages(1)
        telegram.press(answer, "Full article")
        await telegram.wait_for_messages(5)

    article = telegram.sent[1:]
    assert len(article) == 4  # 40 paragraphs of 1,500 characters, capped at four messages
    assert all(utf16_length(m.plain_text) <= 4096 for m in article)
    assert article[0].plain_text.startswith("Talks in <Oslo> & more")
    assert "the article goes on for" in article[-1].plain_text
    assert all(m.reply_parameters is None for m in article[1:])


async def test_an_article_no_longer_in_the_folder_is_said_on_the_button(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor in the vanished article?"))
        [answer] = await telegram.wait_for_messages(1)
        telegram.press(answer, "Full article")
        [press] = await telegram.wait_for_answered_presses(1)

    assert press.params["text"] == article_gone(PLAIN)
    assert len(telegram.sent) == 1


@pytest.mark.parametrize(
    "forge",
    [
        lambda data: data.replace(data.split(":")[1], "AAAAAAAA"),  # a key never issued
        lambda data: data.rsplit(":", 1)[0] + ":7",  # a page beyond the findings
        lambda data: "p:" + "x" * 70,  # over-long
        lambda data: "hello",
    ],
    ids=["unknown key", "page out of range", "over-long", "not ours"],
)
async def test_forged_callback_data_is_answered_politely(telegram, run_bot, forge):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        [answer] = await telegram.wait_for_messages(1)
        forged = forge(answer.button_data("More sources"))
        telegram.push(callback_query(forged, message=as_received(answer)))
        [press] = await telegram.wait_for_answered_presses(1)

    assert press.params["text"] == STALE
    assert telegram.edits == []
    assert len(telegram.sent) == 1


async def test_a_button_pressed_in_another_chat_finds_nothing(telegram, run_bot):
    """A key copied into another chat's keyboard (forged) must not reveal that answer."""
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        [answer] = await telegram.wait_for_messages(1)
        elsewhere = {**as_received(answer), "chat": OTHER_PRIVATE_CHAT}
        telegram.push(
            callback_query(answer.button_data("More"), message=elsewhere, user=OTHER_USER)
        )
        [press] = await telegram.wait_for_answered_presses(1)

    assert press.params["text"] == STALE
    assert telegram.edits == []


async def test_an_expired_answer_asks_to_ask_again(telegram, run_bot):
    async with run_bot(FakeAnswerer(), answers_kept_hours=1e-9):
        telegram.push(text_message("Who met the mayor?"))
        [answer] = await telegram.wait_for_messages(1)
        telegram.press(answer, "More sources")
        [press] = await telegram.wait_for_answered_presses(1)

    assert press.params["text"] == STALE
    assert telegram.edits == []


async def test_only_the_latest_answers_keep_their_buttons(telegram, run_bot):
    async with run_bot(FakeAnswerer(), answers_kept=2):
        for i in range(3):
            telegram.push(text_message(f"Who met the mayor, take {i}?"))
            await telegram.wait_for_messages(i + 1)
        first, second, third = telegram.sent
        telegram.press(first, "More sources")
        await telegram.wait_for_answered_presses(1)
        telegram.press(third, "More sources")
        await telegram.wait_for_edits(1)

    assert telegram.calls_to("answerCallbackQuery")[0].params["text"] == STALE
    assert telegram.edits[0].message_id == third.message_id
    assert second.buttons()


async def test_group_answers_have_buttons_too(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("@news_test_bot who met the mayor?", chat=GROUP_CHAT))
        [answer] = await telegram.wait_for_messages(1)
        telegram.press(answer, "More sources", user=OTHER_USER)  # anyone in the group may page
        [page] = await telegram.wait_for_edits(1)

    assert page.chat_id == GROUP_CHAT["id"]
    assert html.escape("A second report.") in page.text


async def test_a_not_found_answer_has_no_buttons(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("nothing to see"))
        [reply] = await telegram.wait_for_messages(1)

    assert reply.reply_markup is None
