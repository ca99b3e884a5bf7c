"""The floor for benchmarks/load_telegram.py: python-telegram-bot's smallest echo bot, with
AIORateLimiter (Telegram's 30 messages/s) when ECHO_RATE_LIMIT=1."""

import os

from telegram.ext import AIORateLimiter, ApplicationBuilder, MessageHandler, filters

builder = ApplicationBuilder().token(os.environ["TELEGRAM_BOT_TOKEN"])
builder = builder.base_url(os.environ["TELEGRAM_BASE_URL"]).concurrent_updates(True)
if os.environ.get("ECHO_RATE_LIMIT") == "1":
    builder = builder.rate_limiter(AIORateLimiter())
app = builder.build()


async def echo(update, context):
    await update.message.reply_text(update.message.text)


app.add_handler(MessageHandler(filters.TEXT, echo))
app.run_polling()
