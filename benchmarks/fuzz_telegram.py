"""Fuzz the real Telegram Application, over real HTTP, with generated messages.

    .venv/bin/python benchmarks/fuzz_telegram.py [--count 10000] [--seed 0] [--batch 200]

The bot (the real handlers, the real answerer over ``seeds/``) long-polls the Bot API
stand-in from ``tests/bot`` on 127.0.0.1; messages of every awkward kind (lone surrogates,
zalgo, emoji, HTML/Markdown characters, huge, empty, commands, control characters, RTL,
captions, button presses) are pushed in batches. It prints how many got an apology, went
unanswered, were refused by the stand-in, and how many log records carried a traceback or
were errors; the exit code is 1 unless all of those are 0. Needs the test extras.
Bounded: ``--timeout`` seconds per batch.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "bot")]

from fuzz_messages import fuzz_cases, judge  # noqa: E402
from pytest_httpserver import HTTPServer  # noqa: E402
from telegram import Update  # noqa: E402
from telegram_stand_in import TOKEN, TelegramStandIn  # noqa: E402

from bot.answers import Answerer  # noqa: E402
from bot.logs import configure_logging, token_secrets  # noqa: E402
from bot.telegram_app import build_application  # noqa: E402
from bot.templates import HTML, internal_error  # noqa: E402
from config import Settings  # noqa: E402
from retrieval.corpus import load_corpus  # noqa: E402


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def fuzz(count: int, seed: int, batch: int, timeout: float) -> int:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server.start()
    telegram = TelegramStandIn(server, token=TOKEN)
    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        telegram_base_url=telegram.base_url,
        log_level="INFO",
        # One user sends everything: the per-user limit would only answer "slow down".
        questions_per_minute=0,
        data_dir=Path(tempfile.mkdtemp(prefix="fuzz-memory-")),
    )
    configure_logging("INFO", token_secrets(TOKEN))
    records = _Records()
    logging.getLogger().addHandler(records)
    logging.getLogger("telegram").setLevel(logging.WARNING)  # one INFO line per poll otherwise
    corpus = load_corpus(ROOT / "seeds", settings.max_article_bytes)
    application = build_application(settings, Answerer(lambda: corpus))
    cases = list(fuzz_cases(count, seed))
    pushed = []
    started = time.monotonic()
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=1, allowed_updates=Update.ALL_TYPES)
        try:
            for first in range(0, len(cases), batch):
                chunk = cases[first : first + batch]
                pushed.extend((case, telegram.push(case.update)) for case in chunk)
                await _settle(telegram, pushed, timeout)
                print(f"  {len(pushed)} pushed, {len(telegram.sent)} sent", file=sys.stderr)
        finally:
            await application.updater.stop()
            await application.stop()
    elapsed = time.monotonic() - started
    server.stop()

    report = judge(pushed, telegram, records.records, html.unescape(internal_error(HTML)))
    kinds = Counter(case.kind for case in cases)
    print(f"cases: {len(cases)} ({', '.join(f'{k} {n}' for k, n in sorted(kinds.items()))})")
    print(f"messages: {report.messages}, button presses: {report.buttons}")
    print(f"replies sent: {report.replies} in {elapsed:.1f} s ({len(cases) / elapsed:.0f}/s)")
    print(f"apologies: {report.apologies} {report.apologised_kinds or ''}")
    print(f"unanswered messages: {report.unanswered}, buttons: {report.unanswered_buttons}")
    print(f"refused by the stand-in (bad HTML, too long, empty): {report.rejected}")
    print(f"log records with a traceback: {report.tracebacks}, errors: {report.error_lines}")
    for record in [r for r in records.records if r.levelno >= logging.ERROR][:5]:
        print(f"  {record.levelname} {record.name}: {record.getMessage()[:300]}")
    return 0 if report.clean else 1


async def _settle(telegram: TelegramStandIn, pushed: list, timeout: float) -> None:
    """Waits until every pushed message has a reply and every button press its answer."""
    messages = {p["message"]["message_id"] for c, p in pushed if not c.is_button}
    buttons = sum(1 for c, _ in pushed if c.is_button)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replied = {(m.reply_parameters or {}).get("message_id") for m in telegram.sent}
        if messages <= replied and len(telegram.calls_to("answerCallbackQuery")) >= buttons:
            return
        await asyncio.sleep(0.1)
    print(f"  not every reply arrived within {timeout} s", file=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per batch")
    args = parser.parse_args()
    return asyncio.run(fuzz(args.count, args.seed, args.batch, args.timeout))


if __name__ == "__main__":
    sys.exit(main())
