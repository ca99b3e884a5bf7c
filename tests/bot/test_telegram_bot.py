"""The real bot Application, polling the local Bot API stand-in over HTTP.

Each test pushes updates the way Telegram would deliver them and checks what the bot sent
back. The stand-in refuses HTML that Telegram could not parse and messages over 4096
characters, and ``run_bot`` fails a test if anything was refused, so every test here also
checks escaping and splitting.
"""

from __future__ import annotations

import html
import logging
import threading

import pytest
from fakes import EXAMPLES, TRICKY_QUOTE, FakeAnswerer
from telegram.error import InvalidToken
from telegram_stand_in import (
    GROUP_CHAT,
    TOKEN,
    Fault,
    callback_query,
    channel_post,
    command,
    contact_message,
    document_message,
    edited_message,
    location_message,
    photo_message,
    sticker_message,
    text_message,
    voice_message,
)

from bot.handlers import has_words
from bot.telegram_app import build_application
from bot.telegram_text import clean_text, utf16_length
from bot.templates import (
    HTML,
    PLAIN,
    caption_answered,
    chat_help,
    empty_question,
    help_text,
    internal_error,
    non_text_hint,
    question_trimmed,
    stale_button,
)

NON_TEXT_HINT = html.unescape(non_text_hint(HTML))
EMPTY_QUESTION = html.unescape(empty_question(HTML))
INTERNAL_ERROR = html.unescape(internal_error(HTML))


def replies_to(sent, pushed) -> bool:
    """Whether a sent message is a reply to the pushed update's message, kept even if that
    message is deleted meanwhile."""
    return sent.reply_parameters == {
        "message_id": pushed["message"]["message_id"],
        "allow_sending_without_reply": True,
    }


async def test_start_welcomes_and_shows_examples(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        pushed = telegram.push(command("/start"))
        [welcome] = await telegram.wait_for_messages(1)

    assert "Hello!" in welcome.plain_text
    assert "I know 42 articles" in welcome.plain_text
    for example in EXAMPLES:
        assert example in welcome.plain_text  # "<mayor>" and "*they*" shown as typed
    assert "Who met the &lt;mayor&gt; &amp; why?" in welcome.text
    assert welcome.parse_mode == "HTML"
    assert welcome.link_preview_options == {"is_disabled": True}
    assert replies_to(welcome, pushed)


async def test_help_shows_examples(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(command("/help"))
        [reply] = await telegram.wait_for_messages(1)

    assert reply.text == chat_help(EXAMPLES, "news_test_bot", HTML)
    assert reply.text.startswith(help_text(EXAMPLES, HTML))
    for feature in ("More sources", "Full article", "and when?", "/new", "/ask", "@news_test_bot"):
        assert feature in reply.plain_text


async def test_the_command_menu_is_published_at_start_up(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        pass

    [call] = telegram.calls_to("setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == [
        "start",
        "help",
        "ask",
        "new",
        "sources",
    ]


async def test_a_quick_answer_comes_without_typing_and_escaped(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, typing_after_seconds=30):
        pushed = telegram.push(text_message("  Who met the mayor of Oslo?  "))
        [answer] = await telegram.wait_for_messages(1)

    # Each chat action counts against Telegram's limits like a message: none for a quick one.
    assert telegram.calls_to("sendChatAction") == []
    assert answerer.questions == ["Who met the mayor of Oslo?"]
    assert answerer.answer_threads[0] is not threading.main_thread()
    assert f"<blockquote>{html.escape(TRICKY_QUOTE, quote=False)}</blockquote>" in answer.text
    assert TRICKY_QUOTE in answer.plain_text  # the reader sees the article's words verbatim
    assert "<b>The &lt;minister&gt; met the mayor &amp; the envoy.</b>" in answer.text
    assert "A second report." not in answer.plain_text  # one press away: "More sources (1)"
    assert answer.buttons() == ["More sources (1)", "Full article"]
    assert answer.link_preview_options == {"is_disabled": True}
    assert replies_to(answer, pushed)


async def test_a_slow_answer_shows_typing_first(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, typing_after_seconds=0.01):
        telegram.push(text_message("a slow question about the mayor"))
        # The answer is held until the typing indicator has been seen.
        await telegram.wait_until(lambda: telegram.calls_to("sendChatAction"), "typing")
        answerer.release.set()
        [answer] = await telegram.wait_for_messages(1)

    methods = [c.method for c in telegram.calls if c.method in {"sendChatAction", "sendMessage"}]
    assert methods == ["sendChatAction", "sendMessage"]
    assert telegram.calls_to("sendChatAction")[0].params == {"chat_id": 1001, "action": "typing"}
    assert TRICKY_QUOTE in answer.plain_text


async def test_a_typing_indicator_stuck_in_line_never_holds_up_the_answer(telegram, run_bot):
    """Under load the chat action may wait its turn behind other chats' messages; the answer
    it announced must not wait for it. Here Telegram takes 5 s over the chat action."""
    answerer = FakeAnswerer()
    telegram.fail("sendChatAction", Fault(delay=5, status=None))
    async with run_bot(answerer, typing_after_seconds=0.01):
        telegram.push(text_message("a slow question about the mayor"))
        await telegram.wait_until(lambda: telegram.pending_faults == 0, "the chat action sent")
        answerer.release.set()
        [answer] = await telegram.wait_for_messages(1, timeout=4)

    assert TRICKY_QUOTE in answer.plain_text


async def test_markup_in_a_question_is_neither_interpreted_nor_broken(telegram, run_bot):
    question = "<b>hi</b> & *who* _met_ [x](y) nothing"
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message(question))
        [reply] = await telegram.wait_for_messages(1)

    assert answerer.questions == [question]
    assert question in reply.plain_text  # the "couldn't find" reply quotes it back, escaped


@pytest.mark.parametrize(
    "text", ["   \n\t ", "🙂🙂🙂", "👨‍👩‍👧 🇳🇴", "?!… --- ...", "@news_test_bot"]
)
async def test_a_message_without_words_asks_for_a_question(telegram, run_bot, text):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message(text))
        [reply] = await telegram.wait_for_messages(1)

    assert reply.plain_text == EMPTY_QUESTION
    assert answerer.questions == []
    assert telegram.calls_to("sendChatAction") == []


async def test_a_very_long_message_is_answered_from_its_start(telegram, run_bot):
    text = "Who met the mayor of Oslo and what did they discuss " * 200  # 10,400 characters
    answerer = FakeAnswerer()
    async with run_bot(answerer, max_question_chars=500):
        telegram.push(text_message(text))
        replies = await telegram.wait_for_messages(1)

    [question] = answerer.questions
    assert 250 <= len(question) <= 500
    assert text.startswith(question)
    assert text[len(question)] == " "  # cut between words
    assert replies[0].text.startswith(question_trimmed(500, HTML))
    assert all(utf16_length(r.text) < 4096 for r in telegram.sent)


async def test_a_long_answer_is_paged_one_message_per_source(telegram, run_bot):
    async with run_bot(FakeAnswerer(long_citations=6)):
        pushed = telegram.push(text_message("a long answer please"))
        [first] = await telegram.wait_for_messages(1)
        pages = [first.plain_text]
        for remaining in range(5, 0, -1):
            assert telegram.message(first).buttons()[-2] == f"More sources ({remaining})"
            telegram.press(first, "More sources")
            await telegram.wait_for_edits(len(pages))
            pages.append(telegram.message(first).plain_text)

    assert replies_to(first, pushed)
    assert len(telegram.sent) == 1  # pages replace each other in the one message
    assert all(utf16_length(m.text) < 4096 for m in [first, *telegram.edits])
    for i, page in enumerate(pages):
        assert f"Passage {i}:" in page
        assert f"Passage {i + 1}:" not in page
    assert telegram.message(first).buttons() == ["‹ Back", "Full article"]


@pytest.mark.parametrize(
    "update",
    [
        sticker_message(),
        photo_message(),
        photo_message(caption="🙂 📷"),
        voice_message(),
        document_message(),
        location_message(),
        contact_message(),
    ],
    ids=["sticker", "photo", "wordless caption", "voice", "document", "location", "contact"],
)
async def test_non_text_messages_get_a_hint(telegram, run_bot, update):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        pushed = telegram.push(update)
        [reply] = await telegram.wait_for_messages(1)

    assert reply.plain_text == NON_TEXT_HINT
    assert replies_to(reply, pushed)
    assert answerer.questions == []


@pytest.mark.parametrize(
    "update",
    [
        photo_message(caption="Who met the mayor of Oslo?"),
        document_message(caption="@news_test_bot Who met the mayor of Oslo?"),
    ],
    ids=["photo", "document"],
)
async def test_a_caption_that_asks_a_question_is_answered(telegram, run_bot, update):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        pushed = telegram.push(update)
        [reply] = await telegram.wait_for_messages(1)

    assert answerer.questions == ["Who met the mayor of Oslo?"]
    assert reply.text.startswith(caption_answered(HTML))
    assert TRICKY_QUOTE in reply.plain_text
    assert replies_to(reply, pushed)


@pytest.mark.parametrize("data", ["answer:42", "", None], ids=["unknown", "empty", "no data"])
async def test_every_button_press_is_answered(telegram, run_bot, data):
    async with run_bot(FakeAnswerer()):
        pushed = telegram.push(callback_query(data))
        await telegram.wait_until(
            lambda: telegram.calls_to("answerCallbackQuery"), "an answered button press"
        )

    [call] = telegram.calls_to("answerCallbackQuery")
    assert call.params["callback_query_id"] == pushed["callback_query"]["id"]
    assert call.params["text"] == stale_button(PLAIN)
    assert telegram.sent == []


@pytest.mark.parametrize("text", ["/start@OtherBot", "/help@other_bot more words"])
async def test_a_command_for_another_bot_in_a_private_chat_says_whose_it_is(
    telegram, run_bot, text
):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command(text))
        [reply] = await telegram.wait_for_messages(1)

    written = text.split()[0]
    assert reply.plain_text.startswith(f"{written} is a command for @{written.split('@')[1]},")
    assert "I'm @news_test_bot" in reply.plain_text
    assert "I don't know the command" not in reply.plain_text
    assert reply.text.endswith(help_text(EXAMPLES, HTML))
    assert answerer.questions == []


async def test_commands_addressed_to_this_bot_work(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        pushed = [
            telegram.push(command(text))
            for text in ("/start@news_test_bot", "/help@News_Test_Bot", "/weather@news_test_bot")
        ]
        await telegram.wait_for_messages(3)

    # Updates are handled concurrently, so replies are matched to messages, not to order.
    welcome, help_reply, unknown = (
        next(m for m in telegram.sent if replies_to(m, p)) for p in pushed
    )

    assert "Hello!" in welcome.plain_text
    assert help_reply.text == chat_help(EXAMPLES, "news_test_bot", HTML)
    assert unknown.plain_text.startswith("I don't know the command /weather.")


async def test_commands_for_other_bots_in_groups_are_left_alone(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(command("/start@other_bot", chat=GROUP_CHAT))
        telegram.push(text_message("@news_test_bot who met the mayor?", chat=GROUP_CHAT))
        [reply] = await telegram.wait_for_messages(1)

    assert TRICKY_QUOTE in reply.plain_text
    assert len(telegram.sent) == 1


@pytest.mark.parametrize(
    "text",
    [
        "What is the population of Brazil? \ud800 nothing",
        "nothing \udfff\ud83d trailing halves",
        "\udc00",
    ],
)
async def test_lone_surrogates_are_replaced_before_anything_reads_them(
    telegram, run_bot, caplog, text
):
    caplog.set_level(logging.DEBUG)
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message(text))  # JSON-encoded as "\ud800" escapes, as Telegram may
        [reply] = await telegram.wait_for_messages(1)

    clean = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    assert all(not 0xD800 <= ord(ch) <= 0xDFFF for q in answerer.questions for ch in q)
    if has_words(clean):
        [question] = answerer.questions
        assert question == clean_text(text.strip())
        assert "\ufffd" in reply.plain_text  # the "couldn't find" reply quotes it back
    else:
        assert reply.plain_text == EMPTY_QUESTION
    assert reply.plain_text != INTERNAL_ERROR
    assert "Traceback" not in caplog.text


async def test_an_unknown_command_is_named_and_gets_the_help(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/weather in Oslo"))
        [reply] = await telegram.wait_for_messages(1)

    assert reply.text.startswith("I don't know the command /weather.")
    assert reply.text.endswith(help_text(EXAMPLES, HTML))
    assert answerer.questions == []


async def test_edits_and_channel_posts_are_ignored_without_breaking_anything(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(edited_message("Who met the mayor? (edited)"))
        telegram.push(channel_post("Breaking: talks in Oslo"))
        telegram.push(text_message("Who met the envoy?"))
        await telegram.wait_for_messages(1)

    assert answerer.questions == ["Who met the envoy?"]
    assert len(telegram.sent) == 1


async def test_in_groups_the_bot_answers_questions_but_not_stray_commands_or_media(
    telegram, run_bot
):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/weather@other_bot", chat=GROUP_CHAT))
        telegram.push(text_message("@news_test_bot who met the mayor?", chat=GROUP_CHAT))
        await telegram.wait_for_messages(1)

    assert answerer.questions == ["who met the mayor?"]
    assert [m.chat_id for m in telegram.sent] == [GROUP_CHAT["id"]]


async def test_a_failing_answerer_gets_a_polite_reply_and_the_bot_carries_on(
    telegram, run_bot, caplog
):
    caplog.set_level(logging.DEBUG)
    # Errors from network code often quote the request URL, token and all.
    error = ConnectionError(f"GET {telegram.base_url}{TOKEN}/getFile failed")
    answerer = FakeAnswerer(fail_on="boom", error=error)
    async with run_bot(answerer):
        pushed = telegram.push(text_message("boom: who met whom?"))
        [apology] = await telegram.wait_for_messages(1)
        telegram.push(text_message("Who met the mayor?"))
        [_, answer] = await telegram.wait_for_messages(2)

    assert apology.plain_text == INTERNAL_ERROR
    assert replies_to(apology, pushed)
    assert TRICKY_QUOTE in answer.plain_text
    [failure] = [r for r in caplog.records if r.name == "bot.handlers" and r.levelname == "ERROR"]
    assert failure.exc_info is not None and failure.exc_info[1] is error
    assert "ConnectionError: GET" in caplog.text and "/getFile failed" in caplog.text
    assert TOKEN not in caplog.text


async def test_the_token_never_appears_in_logs_or_messages(telegram, run_bot, caplog):
    caplog.set_level(logging.DEBUG)
    async with run_bot(FakeAnswerer(fail_on="boom")):
        telegram.push(command("/start"))
        telegram.push(text_message("Who met the mayor?"))
        telegram.push(text_message("boom"))
        telegram.push(sticker_message())
        await telegram.wait_for_messages(4)

    assert "Set Bot API URL" in caplog.text  # python-telegram-bot did log the URL ...
    assert TOKEN not in caplog.text  # ... but without the token
    assert "TEST-secret-token" not in caplog.text
    for call in telegram.calls:
        assert TOKEN not in repr(call.params)


async def test_every_request_goes_to_the_configured_base_url_with_the_token(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_for_messages(1)

    methods = {c.method for c in telegram.calls}
    assert {"getMe", "deleteWebhook", "getUpdates", "sendMessage"} <= methods
    for call in telegram.calls:
        assert call.path == f"/stand-in/bot{TOKEN}/{call.method}"


async def test_a_wrong_token_stops_start_up(bot_settings):
    app = build_application(bot_settings(telegram_bot_token="999:wrong"), FakeAnswerer())
    with pytest.raises(InvalidToken):
        async with app:
            pass


def test_building_the_application_needs_a_token_but_no_network(telegram, bot_settings):
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        build_application(bot_settings(telegram_bot_token=None), FakeAnswerer())
    build_application(bot_settings(), FakeAnswerer())
    assert telegram.calls == []


async def test_sources_tells_what_the_bot_has_read(telegram, run_bot):
    async with run_bot(FakeAnswerer()):
        telegram.push(command("/sources"))
        [reply] = await telegram.wait_for_messages(1)

    assert reply.plain_text.splitlines() == [
        "I have read 42 articles",
        "Dated 5 January 2023 to 6 February 2024.",
        "Main outlets: Daily *News* (30), Trend (12).",
        "That makes 420 quotable passages.",
    ]
