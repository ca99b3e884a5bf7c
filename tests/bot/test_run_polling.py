"""``run_bot`` (long polling) as production runs it: a separate process, stopped with SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from fakes import TRICKY_QUOTE
from telegram import Update
from telegram_stand_in import TOKEN, text_message

ROOT = Path(__file__).parents[2]
SCRIPT = Path(__file__).with_name("polling_process.py")


async def test_run_polling_answers_and_stops_cleanly_on_sigterm(telegram, tmp_path):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    environment["PYTHONPATH"] = str(ROOT)
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(SCRIPT), telegram.base_url, TOKEN],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            telegram.push(text_message("Who met the mayor?"))
            [answer] = await telegram.wait_for_messages(1, timeout=20)
        finally:
            process.send_signal(signal.SIGTERM)
            returncode = process.wait(timeout=20)
    log = stderr_path.read_text()

    assert returncode == 0, log
    assert TRICKY_QUOTE in answer.plain_text
    first_poll = telegram.calls_to("getUpdates")[0]
    assert sorted(first_poll.params["allowed_updates"]) == sorted(Update.ALL_TYPES)
    assert telegram.calls_to("deleteWebhook")[0].params.get("drop_pending_updates") in (None, False)
    assert telegram.calls_to("setMyCommands")
    assert "Set Bot API URL" in log and "***" in log
    assert TOKEN not in log
    assert "Traceback" not in log
