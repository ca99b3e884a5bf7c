"""Start-up against a Telegram that is down, failing or slow: waited out, one line per try;
a refused token is not."""

from __future__ import annotations

import asyncio
import logging

import pytest
from fakes import FakeAnswerer
from fault_proxy import FaultProxy
from telegram.error import InvalidToken
from telegram_stand_in import TOKEN, Fault

from bot.delivery import Backoff
from bot.logs import configure_logging, token_secrets
from bot.telegram_app import build_application, connect

QUICK = Backoff(0.01, 0.05)


@pytest.fixture(autouse=True)
def scrubbed_logs(restore_logging):
    """As run_polling sets up logging before it connects."""
    configure_logging("DEBUG", token_secrets(TOKEN))


def attempt_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "not reachable yet" in r.getMessage()]


@pytest.mark.parametrize(
    ("method", "faults", "failed_attempts"),
    [
        ("getMe", [500], 1),
        ("getMe", [502, 502], 2),
        # The 429 is waited out inside the attempt, as for any request.
        ("getMe", [Fault(503), Fault(429, retry_after=0.05)], 1),
        ("deleteWebhook", [500], 1),
    ],
    ids=["getMe 500", "two 502s", "503 then 429", "deleteWebhook 500"],
)
async def test_telegram_failing_at_start_up_is_retried(
    telegram, bot_settings, caplog, method, faults, failed_attempts
):
    caplog.set_level(logging.INFO)
    telegram.fail(method, *faults)
    application = build_application(bot_settings(), FakeAnswerer())

    await connect(application, QUICK)
    try:
        assert application.bot.username == "news_test_bot"
        lines = attempt_lines(caplog)
        assert len(lines) == failed_attempts  # one line per failed attempt, no traceback
        assert lines[0].startswith("Telegram is not reachable yet (attempt 1: NetworkError")
        assert "Traceback" not in caplog.text
        assert telegram.calls_to("deleteWebhook")[-1].status == 200
    finally:
        await application.shutdown()


async def test_a_slow_get_me_is_retried_after_a_pause(telegram, bot_settings, caplog):
    caplog.set_level(logging.INFO)
    telegram.fail("getMe", Fault(delay=0.3))
    application = build_application(bot_settings(telegram_timeout_seconds=0.1), FakeAnswerer())

    await connect(application, QUICK)
    await application.shutdown()

    [line] = attempt_lines(caplog)
    assert "attempt 1: TimedOut" in line


async def test_the_bot_comes_up_by_itself_once_the_api_is_reachable(telegram, bot_settings, caplog):
    caplog.set_level(logging.INFO)
    proxy = FaultProxy(telegram.base_url, listening=False)  # connections refused
    try:
        application = build_application(
            bot_settings(telegram_base_url=proxy.base_url), FakeAnswerer()
        )
        connecting = asyncio.create_task(connect(application, Backoff(0.05, 0.2)))
        await asyncio.sleep(0.6)
        assert not connecting.done()
        proxy.listen()
        await asyncio.wait_for(connecting, timeout=3)
        await application.shutdown()
    finally:
        proxy.close()

    lines = attempt_lines(caplog)
    assert len(lines) >= 3
    assert "ConnectError" in lines[0]
    assert [float(line.rsplit("in ", 1)[1].split()[0]) for line in lines[:3]] == [0.1, 0.1, 0.2]
    assert "Reached Telegram after" in caplog.text


@pytest.mark.parametrize("status", [401, 404])
async def test_a_refused_token_is_not_retried(telegram, bot_settings, caplog, status):
    caplog.set_level(logging.DEBUG)
    telegram.fail("getMe", Fault(status))
    application = build_application(bot_settings(), FakeAnswerer())

    with pytest.raises(InvalidToken):
        await connect(application, QUICK)
    await application.shutdown()

    assert len(telegram.calls_to("getMe")) == 1
    assert attempt_lines(caplog) == []
    assert TOKEN not in caplog.text
