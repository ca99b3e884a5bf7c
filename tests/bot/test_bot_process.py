"""``python -m bot`` as an operator runs it: a real process, its exit code, and every byte it
writes to stdout and stderr searched for the token and for the token's secret half."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from fault_proxy import FaultProxy
from telegram_stand_in import TOKEN, text_message

from bot.telegram_app import EXIT_REFUSED, EXIT_TOKEN_REVOKED

ROOT = Path(__file__).parents[2]
WRONG_TOKEN = "654321:WRONG-secret-half"
OUTPUT = "output.txt"


def secrets_of(token: str) -> list[str]:
    return [token, token.split(":", 1)[1]]


def bot_process(tmp_path: Path, token: str, base_url: str, **settings: str) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PYTHON"))}
    environment.update(
        {
            "TELEGRAM_BOT_TOKEN": token,
            "TELEGRAM_BASE_URL": base_url,
            "ARTICLES_DIR": str(ROOT / "seeds"),
            "CACHE_DIR": str(tmp_path / "cache"),
            "RELOAD_SECONDS": "0",
            "LOG_LEVEL": "DEBUG",  # the most output to search, PTB's request URLs included
            "TELEGRAM_RETRY_FIRST_SECONDS": "0.2",
            "TELEGRAM_RETRY_MAX_SECONDS": "0.4",
            **settings,
        }
    )
    # Both streams into one file, so a test can watch it while the bot runs.
    with (tmp_path / OUTPUT).open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=tmp_path,  # no .env from the developer's checkout
            env=environment,
            stdout=output,
            stderr=output,
        )


def output_of(tmp_path: Path) -> str:
    return (tmp_path / OUTPUT).read_bytes().decode("utf-8", "replace")


def finish(process: subprocess.Popen, tmp_path: Path, timeout: float = 20) -> tuple[int, str]:
    process.wait(timeout=timeout)
    return process.returncode, output_of(tmp_path)


def assert_no_secret(output: str, token: str) -> None:
    hits = {secret: output.count(secret) for secret in secrets_of(token)}
    assert hits == dict.fromkeys(secrets_of(token), 0), hits


def test_a_refused_token_ends_start_up_with_one_line_and_exit_code_2(telegram, tmp_path):
    code, output = finish(bot_process(tmp_path, WRONG_TOKEN, telegram.base_url), tmp_path)

    assert code == EXIT_REFUSED, output
    assert_no_secret(output, WRONG_TOKEN)
    [line] = [line for line in output.splitlines() if "refused" in line]
    assert "Telegram refused TELEGRAM_BOT_TOKEN (Unauthorized)" in line
    assert "Traceback" not in output
    assert len(telegram.calls_to("getMe")) == 1


def test_a_malformed_base_url_ends_with_one_line_and_exit_code_2(tmp_path):
    code, output = finish(bot_process(tmp_path, TOKEN, "htp:/127.0.0.1 bot"), tmp_path)

    assert code == EXIT_REFUSED, output
    assert output.splitlines() == [
        "news bot: invalid settings: TELEGRAM_BASE_URL: Value error, must be an http:// or "
        "https:// URL with a host and no query, such as https://api.telegram.org/bot"
    ]


async def test_the_bot_waits_out_an_outage_answers_and_exits_when_its_token_is_revoked(
    telegram, tmp_path
):
    proxy = FaultProxy(telegram.base_url, listening=False)  # the Bot API is down
    process = bot_process(tmp_path, TOKEN, proxy.base_url)
    try:
        await telegram.wait_until(
            lambda: output_of(tmp_path).count("not reachable yet") >= 3, "3 failed attempts", 20
        )
        assert process.poll() is None  # still trying, not exited
        proxy.listen()
        telegram.push(text_message("When did Bayramov meet Zhang Ming?"))
        [answer] = await telegram.wait_for_messages(1, timeout=20)
        telegram.token = "654321:a-new-token"  # revoked in @BotFather while running
        code, output = await asyncio.to_thread(finish, process, tmp_path)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        proxy.close()

    assert "Jeyhun Bayramov met Zhang Ming" in answer.plain_text
    assert code == EXIT_TOKEN_REVOKED, output
    assert_no_secret(output, TOKEN)
    attempts = [line for line in output.splitlines() if "not reachable yet" in line]
    assert len(attempts) >= 3
    assert all("ConnectError" in line for line in attempts)
    assert "Telegram refused the bot token while running (revoked?); stopping" in output
    assert "Traceback" not in output
