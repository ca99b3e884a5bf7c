"""The operator's controls: allowlists with one polite refusal, admin-only /stats and
/reload, and a per-user question limit that slows one user without delaying others."""

from __future__ import annotations

import pytest
from fakes import TRICKY_QUOTE, FakeAnswerer
from telegram_stand_in import (
    GROUP_CHAT,
    OTHER_PRIVATE_CHAT,
    OTHER_USER,
    USER,
    callback_query,
    command,
    inline_query,
    text_message,
)

from bot.access import Access, Once, QuestionLimit, Verdict
from bot.templates import HTML, PLAIN, not_allowed, slow_down

NOT_ALLOWED = not_allowed(PLAIN)


def replies_to(sent, pushed) -> bool:
    return (sent.reply_parameters or {}).get("message_id") == pushed["message"]["message_id"]


def test_empty_allowlists_let_everyone_in():
    assert Access().allows(5, 5)
    assert Access().allows(None, None)


def test_either_list_lets_in_and_admins_always_come_in():
    access = Access.of(users=[1], chats=[-20], admins=[9])
    assert access.allows(1, 1)
    assert access.allows(2, -20)  # anyone in an allowed group
    assert access.allows(9, 9)
    assert not access.allows(2, 2)
    assert not access.allows(None, None)
    assert access.is_admin(9) and not access.is_admin(1) and not access.is_admin(None)


def test_the_limit_counts_per_user_per_minute_and_says_slow_down_once():
    limit = QuestionLimit(per_minute=2)
    assert [limit.check(1, t) for t in (0, 1, 2, 3)] == [
        Verdict.ASK,
        Verdict.ASK,
        Verdict.SLOW_DOWN,
        Verdict.QUIET,
    ]
    assert limit.check(2, 3) is Verdict.ASK  # someone else is not held up
    assert limit.check(1, 60.5) is Verdict.ASK  # a minute after the first question
    assert limit.check(1, 61.5) is Verdict.ASK
    assert limit.check(1, 62) is Verdict.SLOW_DOWN  # a new burst is told again


def test_no_limit_means_no_limit():
    limit = QuestionLimit(per_minute=0)
    assert all(limit.check(1, 0) is Verdict.ASK for _ in range(1000))


def test_once_is_bounded():
    once = Once(limit=2)
    assert once.first_time("a") and once.first_time("b") and not once.first_time("a")
    assert once.first_time("c")  # "b" is forgotten first, being least recent
    assert once.first_time("b")


async def test_a_stranger_gets_one_polite_refusal_and_then_silence(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, allowed_user_ids=frozenset({USER["id"]})):
        for text in ("Who met the mayor?", "hello?", "/start"):
            telegram.push(text_message(text, OTHER_PRIVATE_CHAT, user=OTHER_USER))
        telegram.push(text_message("Who met the envoy?"))
        await telegram.wait_for_messages(2)

    refusals = [m for m in telegram.sent if m.chat_id == OTHER_PRIVATE_CHAT["id"]]
    assert [m.text for m in refusals] == [not_allowed(HTML)]
    assert answerer.questions == ["Who met the envoy?"]


async def test_an_allowed_group_serves_all_its_members(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, allowed_chat_ids=frozenset({GROUP_CHAT["id"]})):
        telegram.push(command("/ask who met the mayor?", GROUP_CHAT, user=OTHER_USER))
        await telegram.wait_for_messages(1)
        telegram.push(text_message("Who met the envoy?", OTHER_PRIVATE_CHAT, user=OTHER_USER))
        await telegram.wait_for_messages(2)

    assert answerer.questions == ["who met the mayor?"]
    assert telegram.sent[1].plain_text == NOT_ALLOWED


async def test_an_unallowed_group_hears_nothing_from_chatter(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, allowed_user_ids=frozenset({42})):
        telegram.push(text_message("lunch at noon anyone?", GROUP_CHAT))
        telegram.push(text_message("@news_test_bot who met the mayor?", GROUP_CHAT))
        await telegram.wait_for_messages(1)

    assert [m.plain_text for m in telegram.sent] == [NOT_ALLOWED]


async def test_strangers_button_presses_and_inline_queries_are_answered_but_empty(
    telegram, run_bot
):
    async with run_bot(FakeAnswerer(), allowed_user_ids=frozenset({42})):
        telegram.push(callback_query("p:AAAAAAAA:1"))
        telegram.push(inline_query("who met the mayor?"))
        await telegram.wait_for_answered_presses(1)
        await telegram.wait_until(lambda: telegram.inline_answers, "an inline answer")

    [press] = telegram.calls_to("answerCallbackQuery")
    assert press.params["text"] == NOT_ALLOWED
    assert telegram.inline_answers[0]["results"] == []


ADMIN = {"admin_user_ids": frozenset({USER["id"]})}


async def test_stats_for_an_admin(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, **ADMIN):
        telegram.push(text_message("Who met the mayor?"))
        telegram.push(text_message("nothing at all"))
        await telegram.wait_for_messages(2)
        telegram.push(command("/stats"))
        [_, _, stats] = await telegram.wait_for_messages(3)

    assert "Articles: 42, passages: 420" in stats.plain_text
    assert "Questions answered: 2, found nothing: 50%" in stats.plain_text
    assert "p50" in stats.plain_text and "p95" in stats.plain_text
    assert " s" in stats.plain_text.split("p95")[1]


@pytest.mark.parametrize("changed", [True, False])
async def test_reload_for_an_admin_reports_the_counts(telegram, run_bot, changed):
    answerer = FakeAnswerer()
    answerer.reload_changes = changed
    async with run_bot(answerer, **ADMIN):
        telegram.push(command("/reload"))
        [reply] = await telegram.wait_for_messages(1)

    assert answerer.reloads == 1
    expected = "now 42 articles, 420 passages" if changed else "still 42 articles, 420 passages"
    assert expected in reply.plain_text


@pytest.mark.parametrize("text", ["/stats", "/reload", "/stats@news_test_bot"])
async def test_admin_commands_from_anyone_else_reveal_nothing(telegram, run_bot, text):
    answerer = FakeAnswerer()
    async with run_bot(answerer, admin_user_ids=frozenset({42})):
        asked = telegram.push(command(text))
        telegram.push(command(text, GROUP_CHAT))
        telegram.push(command("/weather"))
        await telegram.wait_for_messages(2)

    # Updates are handled concurrently: tell the replies apart by what they reply to.
    [admin_reply] = [m for m in telegram.sent if replies_to(m, asked)]
    [unknown] = [m for m in telegram.sent if m is not admin_reply]
    name = text.split("@")[0]
    # Exactly what any command the bot does not have gets, in the private chat only.
    assert admin_reply.plain_text == unknown.plain_text.replace("/weather", name)
    assert "42" not in admin_reply.plain_text
    assert answerer.reloads == 0


async def test_one_users_burst_is_slowed_and_others_are_answered(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, questions_per_minute=3):
        for i in range(10):
            telegram.push(text_message(f"Who met the mayor, question {i}?"))
        telegram.push(text_message("Who met the envoy?", OTHER_PRIVATE_CHAT, user=OTHER_USER))
        await telegram.wait_for_messages(5)

    mine = [m for m in telegram.sent if m.chat_id == USER["id"]]
    theirs = [m for m in telegram.sent if m.chat_id == OTHER_USER["id"]]
    assert len(mine) == 4
    assert sum(m.text == slow_down(3, HTML) for m in mine) == 1
    assert sum(TRICKY_QUOTE in m.plain_text for m in mine) == 3
    assert len(theirs) == 1 and TRICKY_QUOTE in theirs[0].plain_text
    assert len(answerer.questions) == 4


async def test_in_an_unallowed_group_commands_for_other_bots_get_no_refusal(telegram, run_bot):
    async with run_bot(FakeAnswerer(), allowed_user_ids=frozenset({42})):
        telegram.push(command("/start@other_bot", GROUP_CHAT))
        telegram.push(command("/start@news_test_bot", GROUP_CHAT, user=OTHER_USER))
        await telegram.wait_for_messages(1)

    [refusal] = telegram.sent
    assert refusal.plain_text == NOT_ALLOWED
