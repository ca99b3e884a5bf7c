"""``python polling_process.py BASE_URL TOKEN``: the production entry point
``bot.telegram_app.run_bot``, in its own process, with the fake answerer."""

from __future__ import annotations

import sys

from fakes import FakeAnswerer

from bot.telegram_app import run_bot
from config import Settings

if __name__ == "__main__":
    base_url, token = sys.argv[1:3]
    settings = Settings(
        _env_file=None, telegram_bot_token=token, telegram_base_url=base_url, log_level="DEBUG"
    )
    run_bot(settings, FakeAnswerer())
