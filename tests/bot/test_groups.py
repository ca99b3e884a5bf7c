"""In groups and supergroups the bot answers only when addressed: /ask (which works with
privacy mode on), a mention of it, or a reply to one of its messages."""

from __future__ import annotations

import pytest
from fakes import EXAMPLES, TRICKY_QUOTE, FakeAnswerer
from telegram_stand_in import (
    GROUP_CHAT,
    OTHER_USER,
    SUPERGROUP_CHAT,
    command,
    document_message,
    photo_message,
    text_message,
)

from bot.templates import HTML, ask_usage

GROUPS = pytest.mark.parametrize("chat", [GROUP_CHAT, SUPERGROUP_CHAT], ids=["group", "supergroup"])


@GROUPS
async def test_chatter_gets_no_reply_but_addressed_questions_do(telegram, run_bot, chat):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message("lunch at noon anyone?", chat))
        telegram.push(text_message("who met the mayor of Oslo?", chat, user=OTHER_USER))
        telegram.push(text_message("@news_test_bot who met the mayor?", chat))
        telegram.push(command("/ask who met the envoy?", chat))
        telegram.push(command("/ask@news_test_bot who met the minister?", chat))
        await telegram.wait_for_messages(3)

    assert sorted(answerer.questions) == [
        "who met the envoy?",
        "who met the mayor?",
        "who met the minister?",
    ]
    assert len(telegram.sent) == 3
    assert all(m.chat_id == chat["id"] for m in telegram.sent)


@GROUPS
async def test_a_reply_to_the_bots_message_is_a_question(telegram, run_bot, chat):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/ask who met the mayor?", chat))
        [answer] = await telegram.wait_for_messages(1)
        telegram.push(text_message("and the envoy?", chat, user=OTHER_USER, reply_to=answer))
        [_, reply] = await telegram.wait_for_messages(2)

    assert answerer.questions == ["who met the mayor?", "and the envoy?"]
    assert TRICKY_QUOTE in reply.plain_text


async def test_a_reply_to_someone_else_is_chatter(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        pushed = telegram.push(text_message("who met the mayor?", GROUP_CHAT, user=OTHER_USER))
        human = {
            "message_id": pushed["message"]["message_id"],
            "date": 0,
            "chat": GROUP_CHAT,
            "from": OTHER_USER,
            "text": "who met the mayor?",
        }
        update = text_message("no idea", GROUP_CHAT)
        update["message"]["reply_to_message"] = human
        telegram.push(update)
        telegram.push(command("/ask who met the envoy?", GROUP_CHAT))
        await telegram.wait_for_messages(1)

    assert answerer.questions == ["who met the envoy?"]


async def test_ask_without_a_question_says_how(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/ask@news_test_bot", GROUP_CHAT))
        [reply] = await telegram.wait_for_messages(1)

    assert reply.text == ask_usage(EXAMPLES, HTML)
    assert answerer.questions == []


async def test_ask_works_in_a_private_chat_too(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/ask who met the mayor?"))
        await telegram.wait_for_messages(1)

    assert answerer.questions == ["who met the mayor?"]


async def test_commands_for_another_bot_in_a_group_are_not_answered(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/ask@other_bot who met the mayor?", GROUP_CHAT))
        telegram.push(command("/ask who met the envoy?", GROUP_CHAT))
        await telegram.wait_for_messages(1)

    assert answerer.questions == ["who met the envoy?"]


async def test_a_caption_in_a_group_is_a_question_only_when_addressed(telegram, run_bot):
    answerer = FakeAnswerer()
    photo = photo_message(caption="who met the mayor? (holiday snap)")
    photo["message"]["chat"] = GROUP_CHAT
    addressed = document_message(caption="@news_test_bot who met the envoy?")
    addressed["message"]["chat"] = GROUP_CHAT
    async with run_bot(answerer):
        telegram.push(photo)
        telegram.push(addressed)
        await telegram.wait_for_messages(1)

    assert answerer.questions == ["who met the envoy?"]


async def test_a_follow_up_in_a_group_is_a_reply_to_the_answer(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(command("/ask Who did Sahiba Gafarova meet?", GROUP_CHAT))
        [answer] = await telegram.wait_for_messages(1)
        telegram.push(text_message("and when?", GROUP_CHAT, reply_to=answer))
        await telegram.wait_for_messages(2)

    assert answerer.questions == ["Who did Sahiba Gafarova meet?", "When did Sahiba Gafarova meet?"]
