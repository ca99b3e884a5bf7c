"""100 users asking 10 questions each, all at once, through the npm Bot API emulator
``telegram-test-api`` on 127.0.0.1: how long each answer takes, p50/p95/max.

Run by hand (not in CI), after ``npm install telegram-test-api`` in some folder:

    python benchmarks/load_telegram.py --node-modules /tmp/emu/node_modules --bot news
    python benchmarks/load_telegram.py --node-modules /tmp/emu/node_modules --bot echo

Each user is its own private chat and asks its questions one after another, sending the
next as soon as the answer to the last has arrived (a closed loop, as people chat); all
users start together. A question's time runs from just before it is posted to the
emulator's own timestamp of the bot's reply (read through ``telegram_emulator.js``'s long
poll, so polling adds nothing). ``--bot news`` is ``python -m bot`` over ``seeds/``;
``--bot echo`` is ``echo_bot.py``, the floor (``--echo-limited``: with python-telegram-bot's
AIORateLimiter, Telegram's own 30 messages/s).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "123456:LOAD-test-token"
QUESTIONS = [
    "Who did Sahiba Gafarova meet?",
    "When did Bayramov meet Zhang Ming?",
    "Who met Zhang Ming?",
    "What did Gafarova and Ghalibaf discuss?",
    "Who did Jeyhun Bayramov meet?",
    "Who met the Speaker of the Milli Majlis?",
    "When did Sahiba Gafarova meet Jin Pyo Kim?",
    "What did Bayramov discuss with the SCO Secretary General?",
    "Who met Mohammad Bagher Ghalibaf?",
    "Who did Emmanuel Macron meet?",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def start_emulator(node_modules: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "NODE_PATH": str(node_modules)}
    script = Path(__file__).with_name("telegram_emulator.js")
    return subprocess.Popen(["node", str(script), str(port)], env=env, stdout=subprocess.DEVNULL)


def start_bot(kind: str, port: int, data: Path, limited: bool, **settings: str) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")},
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": f"http://127.0.0.1:{port}/bot",
        "ARTICLES_DIR": str(ROOT / "seeds"),
        "CACHE_DIR": str(data / "cache"),
        "DATA_DIR": str(data / "memory"),
        "LOG_LEVEL": "WARNING",
        "ECHO_RATE_LIMIT": "1" if limited else "0",
        **settings,
    }
    command = [sys.executable, "-m", "bot"]
    if kind == "echo":
        command = [sys.executable, str(Path(__file__).with_name("echo_bot.py"))]
    return subprocess.Popen(command, env=env, cwd=data)


class User:
    def __init__(self, number: int, client: httpx.AsyncClient, port: int) -> None:
        self.chat = 100_000 + number
        self.client = client
        self.port = port
        self.times: list[float] = []

    def message(self, text: str) -> dict:
        person = {"id": self.chat, "first_name": f"User{self.chat}", "is_bot": False}
        chat = {"id": self.chat, "type": "private", "first_name": person["first_name"]}
        return {
            "botToken": TOKEN,
            "from": person,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }

    async def ask(self, text: str, answered: int) -> None:
        sent = time.time()
        await self.client.post(f"http://127.0.0.1:{self.port}/sendMessage", json=self.message(text))
        wait = f"http://127.0.0.1:{self.port + 1}/wait?chat={self.chat}&count={answered + 1}"
        replies = (await self.client.get(wait, timeout=600)).json()
        self.times.append(replies[answered]["time"] / 1000 - sent)

    async def run(self, questions: list[str]) -> None:
        for i, question in enumerate(questions):
            await self.ask(question, i)


async def load(port: int, users: int, per_user: int) -> list[float]:
    limits = httpx.Limits(max_connections=users * 2 + 10)
    async with httpx.AsyncClient(limits=limits, timeout=600) as client:
        warm = User(users + 1, client, port)
        for _ in range(100):  # until the bot is up and polling
            try:
                await asyncio.wait_for(warm.ask(QUESTIONS[0], 0), 2)
                break
            except (TimeoutError, httpx.HTTPError):
                await asyncio.sleep(0.5)
        else:
            raise SystemExit("the bot never answered")
        crowd = [User(n, client, port) for n in range(users)]
        started = time.time()
        plans = [
            [QUESTIONS[(n + i) % len(QUESTIONS)] for i in range(per_user)] for n in range(users)
        ]
        await asyncio.gather(*(u.run(plan) for u, plan in zip(crowd, plans, strict=True)))
        elapsed = time.time() - started
    times = [t for u in crowd for t in u.times]
    print(f"{len(times)} answers in {elapsed:.1f} s ({len(times) / elapsed:.1f} answers/s)")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--node-modules", type=Path, required=True)
    parser.add_argument("--bot", choices=["news", "echo"], default="news")
    parser.add_argument("--echo-limited", action="store_true")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        emulator = start_emulator(args.node_modules, args.port)
        time.sleep(1.0)
        bot = start_bot(args.bot, args.port, Path(folder), args.echo_limited)
        try:
            times = asyncio.run(load(args.port, args.users, args.questions))
        finally:
            bot.terminate()
            bot.wait(20)
            emulator.terminate()
            emulator.wait(20)
    print(
        f"{args.bot}{' (rate-limited)' if args.echo_limited else ''}: {len(times)} answers, "
        f"p50 {percentile(times, 0.5):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
        f"max {max(times):.2f} s"
    )


if __name__ == "__main__":
    main()
