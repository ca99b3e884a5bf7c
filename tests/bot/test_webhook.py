"""Webhook mode: Telegram posts updates to the bot's own server, which refuses any request
without the secret token Telegram was given in setWebhook."""

from __future__ import annotations

import asyncio
import json
import signal
import socket

import httpx
import pytest
from fakes import TRICKY_QUOTE, FakeAnswerer
from telegram import Update
from telegram_stand_in import TOKEN, text_message
from test_bot_process import assert_no_secret, bot_process, finish

from bot.logs import configure_logging
from bot.telegram_app import build_application, webhook_options, webhook_secret

SECRET = "webhook-S3cret_token"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def an_update(update_id: int, text: str) -> dict:
    update = text_message(text)
    update["message"]["message_id"] = 500 + update_id
    return {"update_id": update_id, **update}


async def post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    async with httpx.AsyncClient() as client:
        response = await client.post(url, content=json.dumps(update), headers=headers)
    return response.status_code


def test_the_options_follow_the_settings(bot_settings):
    settings = bot_settings(
        webhook_url="https://bot.example.com/telegram/updates",
        webhook_listen="0.0.0.0",
        webhook_port=8443,
        webhook_secret_token=SECRET,
    )
    assert webhook_options(settings, webhook_secret(settings)) == {
        "listen": "0.0.0.0",
        "port": 8443,
        "url_path": "telegram/updates",
        "webhook_url": "https://bot.example.com/telegram/updates",
        "secret_token": SECRET,
    }
    random = bot_settings(webhook_url="https://bot.example.com/hook")
    assert webhook_secret(random) != webhook_secret(random)
    assert len(webhook_secret(random)) >= 32
    with pytest.raises(ValueError, match="WEBHOOK_URL"):
        webhook_options(bot_settings(), "x")


async def test_an_update_is_answered_only_with_the_secret(
    telegram, bot_settings, restore_logging, caplog
):
    port = free_port()
    settings = bot_settings(
        webhook_url=f"http://127.0.0.1:{port}/hook",
        webhook_port=port,
        webhook_secret_token=SECRET,
    )
    configure_logging(settings.log_level, [TOKEN, SECRET])
    answerer = FakeAnswerer()
    app = build_application(settings, answerer)
    options = webhook_options(settings, SECRET)
    url = f"http://127.0.0.1:{port}/hook"
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(**options, allowed_updates=Update.ALL_TYPES)
        try:
            without = await post(url, an_update(1, "Who met the mayor? (no secret)"), None)
            wrong = await post(url, an_update(2, "Who met the mayor? (wrong)"), "guess")
            right = await post(url, an_update(3, "Who met the mayor?"), SECRET)
            [answer] = await telegram.wait_for_messages(1)
            await asyncio.sleep(0)
        finally:
            await app.updater.stop()
            await app.stop()

    assert (without, wrong, right) == (403, 403, 200)
    assert answerer.questions == ["Who met the mayor?"]
    assert TRICKY_QUOTE in answer.plain_text
    [set_webhook] = telegram.calls_to("setWebhook")
    assert set_webhook.params["url"] == url
    assert set_webhook.params["secret_token"] == SECRET
    assert SECRET not in caplog.text and TOKEN not in caplog.text


async def test_python_m_bot_runs_by_webhook_when_a_url_is_set(telegram, tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    process = bot_process(
        tmp_path,
        TOKEN,
        telegram.base_url,
        WEBHOOK_URL=url,
        WEBHOOK_PORT=str(port),
        WEBHOOK_SECRET_TOKEN=SECRET,
        DATA_DIR=str(tmp_path / "data"),
    )
    try:
        await telegram.wait_until(lambda: telegram.calls_to("setWebhook"), "setWebhook", 30)
        statuses = []
        for update_id, secret in ((1, None), (2, SECRET)):
            for _ in range(50):  # the server starts listening just after setWebhook
                try:
                    text = "When did Bayramov meet Zhang Ming?"
                    statuses.append(await post(url, an_update(update_id, text), secret))
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
        [answer] = await telegram.wait_for_messages(1, timeout=20)
    finally:
        process.send_signal(signal.SIGTERM)
        code, output = await asyncio.to_thread(finish, process, tmp_path)

    assert statuses == [403, 200]
    assert "Jeyhun Bayramov met Zhang Ming" in answer.plain_text
    assert code == 0, output
    assert "webhook on 127.0.0.1" in output
    assert telegram.calls_to("deleteWebhook") == []  # polling's clean-up, not the webhook's
    assert_no_secret(output, TOKEN)
    assert SECRET not in output  # searched at DEBUG, where every request is logged
    # The refused post is logged with its reason at DEBUG only; nothing went wrong.
    assert " ERROR " not in output
