"""Fixtures that run the real bot ``Application`` against the local Bot API stand-in."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import FaultProxy
from pytest_httpserver import HTTPServer
from telegram import Update
from telegram.ext import Application
from telegram_stand_in import TOKEN, TelegramStandIn

from bot.answers import Answering
from bot.logs import NOISY_LOGGERS, configure_logging
from bot.telegram_app import build_application
from config import Settings

RunBot = Callable[..., AbstractAsyncContextManager[Application]]


class _QuicklyStoppedServer(HTTPServer):
    """Checks for shutdown every 50 ms rather than werkzeug's 500 ms."""

    def thread_target(self) -> None:
        assert self.server is not None
        self.server.serve_forever(poll_interval=0.05)


@pytest.fixture(scope="session")
def api_server() -> Iterator[HTTPServer]:
    """One threaded server for the session: long polls must not hold up the bot's sends."""
    werkzeug_log = logging.getLogger("werkzeug")
    level = werkzeug_log.level
    werkzeug_log.setLevel(logging.WARNING)  # one INFO line per request is just noise here
    server = _QuicklyStoppedServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()
    werkzeug_log.setLevel(level)


@pytest.fixture
def telegram(api_server: HTTPServer) -> TelegramStandIn:
    # Not Telegram's "/bot", so tests can tell that requests really follow the base URL.
    return TelegramStandIn(api_server, token=TOKEN, prefix="/stand-in/bot")


@pytest.fixture
def fault_proxy(telegram: TelegramStandIn) -> Iterator[FaultProxy]:
    """A proxy in front of the stand-in that breaks chosen requests (see fault_proxy)."""
    proxy = FaultProxy(telegram.base_url, hold=0.4)
    yield proxy
    proxy.close()


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging changes process-wide state; put it back for the next test."""
    root = logging.getLogger()
    # Handlers are only removed afterwards, not re-added: pytest swaps its own capture
    # handlers between the setup, call and teardown phases.
    saved = (logging.getLogRecordFactory(), list(root.handlers), root.level)
    noisy = {name: logging.getLogger(name).level for name in NOISY_LOGGERS}
    hooks = (sys.excepthook, threading.excepthook, sys.unraisablehook)
    yield
    sys.excepthook, threading.excepthook, sys.unraisablehook = hooks
    logging.captureWarnings(False)
    factory, handlers, level = saved
    logging.setLogRecordFactory(factory)
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, noisy_level in noisy.items():
        logging.getLogger(name).setLevel(noisy_level)


@pytest.fixture
def bot_settings(telegram: TelegramStandIn, tmp_path: Path) -> Callable[..., Settings]:
    """Settings for a bot talking to the stand-in; keyword arguments override fields. The
    token and URL are always the test ones and any .env file is ignored, so a developer's
    real token is never used. Retry pauses are hundredths of a second. The bot's memory
    goes to the test's own folder, and there is no per-user question limit unless a test
    sets one: most tests send one user's messages in a burst."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "telegram_bot_token": TOKEN,
            "telegram_base_url": telegram.base_url,
            "telegram_retry_first_seconds": 0.01,
            "telegram_retry_max_seconds": 0.05,
            "log_level": "DEBUG",
            "data_dir": tmp_path / "data",
            "questions_per_minute": 0,
            **overrides,
        }
        return Settings(_env_file=None, **values)

    return make


@pytest.fixture
def run_bot(
    telegram: TelegramStandIn, bot_settings: Callable[..., Settings], restore_logging: None
) -> RunBot:
    """``async with run_bot(answerer) as app:`` runs the bot, polling the stand-in, the way
    ``run_polling`` does (logging configured first, command menu published), and stops it
    cleanly: every update fetched by then has been handled when the block exits.

    On exit it also fails the test if Telegram rejected anything the bot sent (other than
    the failures a test scripted with ``telegram.fail``).
    """

    @asynccontextmanager
    async def run(answerer: Answering, **settings: Any) -> AsyncIterator[Application]:
        config = bot_settings(**settings)
        configure_logging(config.log_level, [TOKEN])
        app = build_application(config, answerer)
        # Checked before any request: a bot that ignored base_url would call the real API.
        assert app.bot.base_url == f"{config.telegram_base_url}{TOKEN}"
        async with app:
            if app.post_init is not None:
                await app.post_init(app)
            await app.start()
            assert app.updater is not None
            await app.updater.start_polling(
                poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
            )
            try:
                yield app
            finally:
                await app.updater.stop()
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
        rejected = [(c.method, c.description) for c in telegram.rejected]
        assert not rejected, f"Telegram would have rejected: {rejected}"

    return run
