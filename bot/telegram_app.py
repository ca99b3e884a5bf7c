"""The Telegram front end: an ``Application`` wired to the answerer, run by long polling.

Nothing here touches the network until the application is started, so building one is
cheap and safe in tests (which point ``telegram_base_url`` at a local stand-in).
"""

from __future__ import annotations

import logging

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot.answers import Answering
from bot.handlers import ChatHandlers
from bot.logs import configure_logging
from bot.templates import MENU
from config import Settings

log = logging.getLogger(__name__)

# Shown in Telegram's command menu. Wording that belongs in bot.templates once it has a
# template for it.
COMMANDS = tuple(BotCommand(command, description) for command, description in MENU)

# Seconds. Sends are small, so a slow one means a bad connection worth retrying soon;
# long polling adds its own poll timeout on top of the read timeout.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 15.0
WRITE_TIMEOUT = 15.0
POOL_TIMEOUT = 5.0
# Answers are computed in worker threads, so a few chats can be served at once instead of
# one slow question holding up everyone else.
CONCURRENT_UPDATES = 8
# Retries after Telegram's "retry after N seconds" flood replies, handled by AIORateLimiter.
FLOOD_RETRIES = 2


def bot_token(settings: Settings) -> str:
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set; the Telegram bot cannot start.")
    return settings.telegram_bot_token.get_secret_value()


async def _publish_commands(application: Application) -> None:
    """The command menu is a convenience: if Telegram refuses it the bot still works."""
    try:
        await application.bot.set_my_commands(COMMANDS)
    except TelegramError as e:
        log.warning("Could not publish the command menu: %s", e)


def build_application(settings: Settings, answerer: Answering) -> Application:
    application = (
        ApplicationBuilder()
        .token(bot_token(settings))
        .base_url(settings.telegram_base_url)
        .rate_limiter(AIORateLimiter(max_retries=FLOOD_RETRIES))
        .connect_timeout(CONNECT_TIMEOUT)
        .read_timeout(READ_TIMEOUT)
        .write_timeout(WRITE_TIMEOUT)
        .pool_timeout(POOL_TIMEOUT)
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_publish_commands)
        .build()
    )
    ChatHandlers(answerer, settings.max_question_chars).register(application)
    return application


def run_polling(settings: Settings, answerer: Answering) -> None:
    """Runs the bot until SIGINT/SIGTERM. Updates that arrived while the bot was down are
    answered rather than dropped: those users are still waiting."""
    configure_logging(settings.log_level, [bot_token(settings)])
    application = build_application(settings, answerer)
    log.info("Starting the Telegram bot (long polling)")
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
