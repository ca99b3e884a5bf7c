"""Replies reach the user exactly once when Telegram or the network fails along the way.

Failures Telegram reports itself (5xx, 429, a slow reply) come from the stand-in; failures
below HTTP (a reset connection, a reply that never arrives) from a real proxy in between.
"""

from __future__ import annotations

import asyncio
import html
import logging
import time

import httpx
import pytest
from fakes import TRICKY_QUOTE, FakeAnswerer
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram_stand_in import GROUP_CHAT, PRIVATE_CHAT, Fault, text_message

from bot.delivery import Backoff, FifoLimiter, may_have_been_delivered, retry_is_safe
from bot.templates import HTML, internal_error

INTERNAL_ERROR = html.unescape(internal_error(HTML))
OTHER_CHAT = {"id": 1002, "type": "private", "first_name": "Bo"}


def answers_in(telegram, chat_id: int = PRIVATE_CHAT["id"]) -> list[str]:
    return [m.plain_text for m in telegram.sent if m.chat_id == chat_id]


@pytest.mark.parametrize(
    "faults",
    [[500], [502], [500, 500, 500], [Fault(503), Fault(502)]],
    ids=["one 500", "one 502", "three 500s", "503 then 502"],
)
async def test_a_send_that_telegram_failed_is_retried_until_it_arrives(
    telegram, run_bot, caplog, faults
):
    caplog.set_level(logging.DEBUG)
    telegram.fail("sendMessage", *faults)
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_for_messages(1)

    [answer] = answers_in(telegram)
    assert TRICKY_QUOTE in answer
    assert len(telegram.calls_to("sendMessage")) == len(faults) + 1
    assert caplog.text.count("sendMessage failed (NetworkError") == len(faults)
    assert "Traceback" not in caplog.text


async def test_a_send_that_keeps_failing_ends_in_one_apology(telegram, run_bot):
    telegram.fail("sendMessage", *[500] * 3)
    async with run_bot(FakeAnswerer(), telegram_send_attempts=3):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_for_messages(1)

    assert answers_in(telegram) == [INTERNAL_ERROR]


async def test_a_delivered_send_whose_reply_comes_late_is_neither_repeated_nor_apologised_for(
    telegram, run_bot, caplog
):
    caplog.set_level(logging.WARNING)
    telegram.fail("sendMessage", Fault(delay=0.3))  # delivered, reply after the timeout
    async with run_bot(FakeAnswerer(), telegram_timeout_seconds=0.1):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_for_messages(1)
        await asyncio.sleep(0.3)  # time for a repeat or an apology to show up, were one coming

    [answer] = answers_in(telegram)
    assert TRICKY_QUOTE in answer
    assert len(telegram.calls_to("sendMessage")) == 1
    assert "taking it as delivered" in caplog.text


@pytest.mark.parametrize("fault", ["500", "502", "reset", "timeout"])
async def test_through_a_faulty_network_the_user_gets_exactly_one_answer(
    telegram, fault_proxy, run_bot, caplog, fault
):
    caplog.set_level(logging.DEBUG)
    fault_proxy.fail_next("sendMessage", fault)
    answerer = FakeAnswerer()
    settings = {"telegram_base_url": fault_proxy.base_url, "telegram_timeout_seconds": 0.2}
    async with run_bot(answerer, **settings):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_for_messages(1)
        # A "timeout" reply is held 0.4 s: wait until the bot could have reacted to it.
        await asyncio.sleep(0.5 if fault == "timeout" else 0.05)

    assert fault_proxy.injected == [("sendMessage", fault)]
    [answer] = answers_in(telegram)
    assert TRICKY_QUOTE in answer
    assert answerer.questions == ["Who met the mayor?"]
    assert "Traceback" not in caplog.text


async def test_a_flood_wait_holds_only_the_chat_it_is_about(telegram, run_bot, caplog):
    caplog.set_level(logging.INFO)
    telegram.fail("sendMessage", Fault(429, retry_after=0.5, chat_id=PRIVATE_CHAT["id"]))
    async with run_bot(FakeAnswerer()):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_until(
            lambda: any(c.status == 429 for c in telegram.calls_to("sendMessage")), "the 429"
        )
        flooded_at = time.monotonic()
        telegram.push(text_message("Who met the envoy?", chat=OTHER_CHAT))
        telegram.push(text_message("@news_test_bot who met the envoy?", chat=GROUP_CHAT))
        await telegram.wait_for_messages(3, timeout=5)

    by_chat = {m.chat_id: m.at - flooded_at for m in telegram.sent}
    assert by_chat[OTHER_CHAT["id"]] < 0.3  # AIORateLimiter held every chat for the wait
    assert by_chat[GROUP_CHAT["id"]] < 0.3
    assert by_chat[PRIVATE_CHAT["id"]] >= 0.5
    assert [len(answers_in(telegram, chat["id"])) for chat in (PRIVATE_CHAT, OTHER_CHAT)] == [1, 1]
    assert "only that chat waits 0.6 s" in caplog.text


def test_backoff_doubles_up_to_its_cap():
    delays = Backoff(0.5, 3.0).delays()
    assert [next(delays) for _ in range(6)] == [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]


def _caused(error: Exception, cause: BaseException | None) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "safe", "maybe_delivered"),
    [
        (NetworkError("Internal Server Error"), True, False),
        (
            _caused(NetworkError("Bad Gateway (502)"), TelegramError("Invalid server response")),
            True,
            False,
        ),
        (_caused(NetworkError("x"), httpx.ConnectError("refused")), True, False),
        (_caused(NetworkError("x"), httpx.ReadError("reset")), True, False),
        (_caused(NetworkError("x"), httpx.RemoteProtocolError("closed")), True, False),
        (_caused(TimedOut(), httpx.ConnectTimeout("slow")), True, False),
        (_caused(TimedOut(), httpx.PoolTimeout("busy")), True, False),
        (_caused(TimedOut(), httpx.WriteTimeout("slow")), True, False),
        (_caused(TimedOut(), httpx.ReadTimeout("late")), False, True),
        (BadRequest("can't parse entities"), False, False),
        (RetryAfter(3), False, False),
    ],
)
def test_only_failures_telegram_cannot_have_acted_on_are_retried(error, safe, maybe_delivered):
    assert retry_is_safe(error) is safe
    assert may_have_been_delivered(error) is maybe_delivered


def test_the_overall_limit_allows_a_burst_then_its_rate_in_order_of_asking():
    now = [0.0]
    limiter = FifoLimiter(30, clock=lambda: now[0])
    waits = [limiter.delay() for _ in range(90)]

    assert waits[:30] == [0.0] * 30  # a burst of 30 goes at once
    assert waits[30:] == sorted(waits[30:])  # then first come, first served ...
    assert waits[-1] == pytest.approx(2.0)  # ... at 30 a second
    now[0] = 100.0  # after a quiet spell the burst is available again
    assert [limiter.delay() for _ in range(30)] == [0.0] * 30
