"""The Telegram front end: an ``Application`` wired to the answerer, run by long polling
or, with ``WEBHOOK_URL`` set, by python-telegram-bot's webhook server.

Nothing here touches the network until the application is started, so building one is
cheap and safe in tests (which point ``telegram_base_url`` at a local stand-in).

How the process ends matters to whoever supervises it, so ``run_bot`` exits with
``EXIT_REFUSED`` (2) when Telegram refuses the token or the base URL leads to something that
is not the Bot API at start-up, and with ``EXIT_TOKEN_REVOKED`` (3) when the token stops
working while the bot runs; each time with one log line saying so and never the token.
Telegram being unreachable or failing (5xx, timeouts) at start-up is waited out instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
import signal
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder

from bot.answers import Answering
from bot.delivery import Backoff, BotApiRequest, DeliveryPolicy, retry_after_seconds
from bot.handlers import ChatHandlers
from bot.logs import configure_logging, token_secrets
from bot.state_file import MemorySaver, state_path
from bot.templates import MENU
from config import Settings

log = logging.getLogger(__name__)

# Shown in Telegram's command menu. Wording that belongs in bot.templates once it has a
# template for it.
COMMANDS = tuple(BotCommand(command, description) for command, description in MENU)

# Seconds to wait for a free connection: sends share a pool of CONNECTIONS, long polling has
# its own single connection, so waiting longer only means the pool is too small.
POOL_TIMEOUT = 5.0
CONNECTIONS = 256
# Answers are computed in worker threads, so a few chats can be served at once instead of
# one slow question holding up everyone else; a chat waiting out a flood reply holds its
# slot meanwhile, so there are enough slots for other chats to carry on. As many as
# connections: under a burst every update should reach the first-come-first-served flood
# limit at once, not queue first for a slot (with 32 slots, 100 users asking at once saw
# p95 4.5 s against 3.4 s).
CONCURRENT_UPDATES = 256
# Retries after Telegram's "retry after N seconds" flood replies.
FLOOD_RETRIES = 2

EXIT_REFUSED = 2
EXIT_TOKEN_REVOKED = 3


def bot_token(settings: Settings) -> str:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set; the Telegram bot cannot start.")
    return settings.telegram_bot_token.get_secret_value()


def backoff(settings: Settings) -> Backoff:
    return Backoff(settings.telegram_retry_first_seconds, settings.telegram_retry_max_seconds)


async def _publish_commands(application: Application) -> None:
    """The command menu is a convenience: if Telegram refuses it the bot still works."""
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as e:
        log.warning("Could not publish the command menu: %s", e)


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or a fresh random one: setWebhook is called at every start,
    so Telegram always learns the one in use."""
    if settings.webhook_secret_token is not None:
        return settings.webhook_secret_token.get_secret_value()
    return secrets.token_urlsafe(32)


def webhook_options(settings: Settings, secret: str) -> dict[str, Any]:
    """``Updater.start_webhook``/``run_webhook`` arguments: the server listens on the path
    of ``WEBHOOK_URL``, so a reverse proxy can pass requests through unchanged."""
    if settings.webhook_url is None:
        raise ValueError("WEBHOOK_URL is not set; the webhook cannot start.")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlsplit(settings.webhook_url).path.strip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": secret,
    }


def build_application(
    settings: Settings,
    answerer: Answering,
    on_unauthorized: Callable[[], None] | None = None,
) -> Application:
    """The bot, its requests going through ``bot.delivery``; ``on_unauthorized`` hears of
    every 401 Telegram answers. The bot's memory (buttons, follow-ups) is read from
    ``DATA_DIR`` here and saved while it runs, from ``post_init`` to ``post_stop``."""
    timeout = settings.telegram_timeout_seconds
    handlers = ChatHandlers(answerer, settings)
    saver = MemorySaver(handlers, state_path(settings.data_dir))
    saver.load()

    async def started(application: Application) -> None:
        saver.start()
        await _publish_commands(application)

    async def stopped(application: Application) -> None:
        await saver.stop()

    def request(connections: int) -> BotApiRequest:
        return BotApiRequest(
            on_unauthorized=on_unauthorized,
            connection_pool_size=connections,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            pool_timeout=POOL_TIMEOUT,
        )

    application = (
        ApplicationBuilder()
        .token(bot_token(settings))
        .base_url(settings.telegram_base_url)
        .request(request(CONNECTIONS))
        .get_updates_request(request(1))
        .rate_limiter(
            DeliveryPolicy(backoff(settings), settings.telegram_send_attempts, FLOOD_RETRIES)
        )
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(started)
        .post_stop(stopped)
        .build()
    )
    handlers.register(application)
    return application


class TokenWatch:
    """Stops the running application when Telegram answers 401: the token was revoked, and
    python-telegram-bot's polling loop would otherwise just end, leaving a process that is
    up but deaf, which no supervisor restarts.

    Inactive until ``watch`` is called: at start-up, ``connect`` reports a refused token.
    """

    def __init__(self) -> None:
        self.refused = False
        self._application: Application | None = None

    def watch(self, application: Application) -> None:
        self._application = application
        logging.getLogger("telegram.ext").addFilter(self._quiet_polling_abort)

    def _quiet_polling_abort(self, record: logging.LogRecord) -> bool:
        """Drops python-telegram-bot's traceback for the polling loop ending on the 401:
        the line logged here already says what happened and what happens next."""
        return not (self.refused and "Invalid token" in record.getMessage())

    def __call__(self) -> None:
        if self._application is None or self.refused:
            return
        self.refused = True
        log.error("Telegram refused the bot token while running (revoked?); stopping")
        self._stop()

    def _stop(self) -> None:
        """stop_running only works once the application runs; the 401 may come just before
        (the first poll), so it is tried again shortly."""
        assert self._application is not None
        if self._application.running:
            self._application.stop_running()
        else:
            asyncio.get_running_loop().call_later(0.05, self._stop)


async def connect(application: Application, pauses: Backoff, polling: bool = True) -> None:
    """Initialises the application (getMe) and, for polling, removes any webhook, waiting out an
    unreachable or failing Telegram with capped exponential pauses and one log line per
    failed attempt, for as long as it takes: a bot started before the network is up, or
    during a Telegram outage, should come up by itself rather than exit.

    Raises InvalidToken when Telegram refuses the token and any other TelegramError (a 400
    or 403, a reply that is not the Bot API's) that waiting cannot fix.

    python-telegram-bot's own ``bootstrap_retries`` loop is not used for this: its pauses are
    fixed (1 s, then 1.5 times more), it logs the failures only at DEBUG and without their
    reason, and it retries a timed-out call at once, without any pause.
    """
    delays = pauses.delays()
    for attempt in itertools.count(1):
        try:
            await application.initialize()
            if polling:
                await application.bot.delete_webhook()
            if attempt > 1:
                log.info("Reached Telegram after %d attempts", attempt)
            return
        except InvalidToken:
            raise
        except RetryAfter as e:
            delay = retry_after_seconds(e)
            reason = f"asked to wait {delay:g} s"
        except NetworkError as e:
            delay = next(delays)
            reason = f"{type(e).__name__}: {e}"
        log.warning(
            "Telegram is not reachable yet (attempt %d: %s); retrying in %.1f s",
            attempt,
            reason,
            delay,
        )
        await asyncio.sleep(delay)


def run_bot(settings: Settings, answerer: Answering) -> None:
    """Runs the bot until SIGINT/SIGTERM, by webhook when ``WEBHOOK_URL`` is set, else by
    long polling. Updates that arrived while the bot was down are answered rather than
    dropped: those users are still waiting.

    Raises SystemExit with ``EXIT_REFUSED`` or ``EXIT_TOKEN_REVOKED`` (see the module docs).
    """
    webhook = settings.webhook_url is not None
    secret = webhook_secret(settings) if webhook else ""
    hidden = token_secrets(bot_token(settings)) + ([secret] if secret else [])
    configure_logging(settings.log_level, hidden)
    watch = TokenWatch()
    application = build_application(settings, answerer, on_unauthorized=watch)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        if not _connect_until_stopped(loop, application, backoff(settings), not webhook):
            return
        watch.watch(application)
        try:
            if webhook:
                options = webhook_options(settings, secret)
                log.info(
                    "Starting the Telegram bot (webhook on %s:%d, path /%s)",
                    options["listen"],
                    options["port"],
                    options["url_path"],
                )
                application.run_webhook(
                    **options,
                    allowed_updates=Update.ALL_TYPES,
                    drop_pending_updates=False,
                    bootstrap_retries=-1,
                    close_loop=False,
                )
            else:
                log.info("Starting the Telegram bot (long polling)")
                application.run_polling(
                    allowed_updates=Update.ALL_TYPES,
                    drop_pending_updates=False,
                    bootstrap_retries=-1,
                    close_loop=False,
                )
        except InvalidToken:
            # The polling loop ends on the 401 by raising, which python-telegram-bot
            # re-raises while stopping, before stopping the rest of the application.
            if not watch.refused:
                log.error("Telegram refused the bot token while running (revoked?); stopping")
            loop.run_until_complete(_stop(application))
            raise SystemExit(EXIT_TOKEN_REVOKED) from None
        if watch.refused:
            raise SystemExit(EXIT_TOKEN_REVOKED)
    finally:
        loop.close()


def _connect_until_stopped(
    loop: asyncio.AbstractEventLoop, application: Application, pauses: Backoff, polling: bool
) -> bool:
    """``connect``, interruptible by SIGINT/SIGTERM (then False: a clean stop)."""
    task = loop.create_task(connect(application, pauses, polling))
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    for sig in stop_signals:
        loop.add_signal_handler(sig, task.cancel)
    try:
        loop.run_until_complete(task)
    except asyncio.CancelledError:
        log.info("Stopped before Telegram could be reached")
        loop.run_until_complete(_stop(application))
        return False
    except InvalidToken as e:
        reason = str(e.__cause__ or "refused")
        log.error(
            "Telegram refused TELEGRAM_BOT_TOKEN (%s): check the token @BotFather gave you", reason
        )
        loop.run_until_complete(_stop(application))
        raise SystemExit(EXIT_REFUSED) from None
    except TelegramError as e:
        log.error(
            "Telegram refused to start the bot (%s: %s); check TELEGRAM_BASE_URL and the token",
            type(e).__name__,
            e,
        )
        loop.run_until_complete(_stop(application))
        raise SystemExit(EXIT_REFUSED) from None
    finally:
        for sig in stop_signals:
            loop.remove_signal_handler(sig)
    return True


async def _stop(application: Application) -> None:
    """Stops and shuts down whatever of the application got going, quietly: the process is
    ending either way and the reason has been logged."""
    with contextlib.suppress(Exception):
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
    with contextlib.suppress(Exception):
        if application.running:
            await application.stop()
    with contextlib.suppress(Exception):
        await application.shutdown()
