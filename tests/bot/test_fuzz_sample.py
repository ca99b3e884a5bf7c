"""A quick sample of ``benchmarks/fuzz_telegram.py``: generated awkward messages through the
real Application and the real answerer, and not one apology, traceback or refused reply."""

from __future__ import annotations

import html
import logging

from fuzz_messages import fuzz_cases, judge
from test_telegram_end_to_end import seeds_answerer

from bot.templates import HTML, internal_error

SAMPLE = 60


async def test_a_fuzz_sample_gets_answers_not_apologies(telegram, run_bot, caplog):
    caplog.set_level(logging.INFO)
    cases = list(fuzz_cases(SAMPLE, seed=11))
    async with run_bot(seeds_answerer(), log_level="INFO"):
        pushed = [(case, telegram.push(case.update)) for case in cases]
        messages = {p["message"]["message_id"] for c, p in pushed if not c.is_button}
        buttons = sum(1 for c, _ in pushed if c.is_button)

        def all_replied() -> bool:
            replied = {(m.reply_parameters or {}).get("message_id") for m in telegram.sent}
            return messages <= replied and len(telegram.calls_to("answerCallbackQuery")) >= buttons

        await telegram.wait_until(all_replied, "a reply to every fuzzed message", timeout=30)

    report = judge(pushed, telegram, caplog.records, html.unescape(internal_error(HTML)))
    assert report.messages + report.buttons == SAMPLE
    assert report.clean, report
