"""A user's session with ``python -m bot`` through the npm Bot API emulator
``telegram-test-api`` on 127.0.0.1, printed as a transcript: commands, a question, its
buttons pressed, follow-ups, and a group's chatter against questions addressed to the bot.

Run by hand after ``npm install telegram-test-api`` in some folder:

    python benchmarks/emulator_session.py --node-modules /tmp/emu/node_modules
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import httpx
from load_telegram import TOKEN, start_bot, start_emulator

BOT = "TestNameBot"  # the emulator's bot username
ME = {"id": 501, "first_name": "Ada", "is_bot": False}
PRIVATE = {"id": 501, "type": "private", "first_name": "Ada"}
GROUP = {"id": -700, "type": "group", "title": "Newsroom"}


class Session:
    def __init__(self, client: httpx.AsyncClient, port: int) -> None:
        self.client = client
        self.port = port
        self.seen: dict[int, int] = {}

    async def messages(self, chat: dict, count: int = 0, timeout: float = 10) -> list[dict]:
        url = f"http://127.0.0.1:{self.port + 1}/wait?chat={chat['id']}&count={count}"
        return (await self.client.get(url, timeout=timeout)).json()

    async def say(self, text: str, chat: dict = PRIVATE, expect: int = 1) -> list[dict]:
        before = len(await self.messages(chat))
        message = {
            "botToken": TOKEN,
            "from": ME,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        route = "sendMessage"
        if text.startswith("/"):
            name = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(name)}]
            route = "sendCommand"
        await self.client.post(f"http://127.0.0.1:{self.port}/{route}", json=message)
        print(f"\n[{chat.get('title', 'private')}] you> {text}")
        if expect == 0:
            await asyncio.sleep(2)
            new = (await self.messages(chat))[before:]
        else:
            new = (await self.messages(chat, before + expect, timeout=20))[before:]
        for reply in new:
            show(reply)
        if not new:
            print("   (no reply)")
        return new

    async def press(self, reply: dict, label: str, chat: dict = PRIVATE) -> None:
        keyboard = reply["message"].get("reply_markup", {}).get("inline_keyboard", [])
        data = next(
            b["callback_data"] for row in keyboard for b in row if b["text"].startswith(label)
        )
        before = len(await self.messages(chat))
        message = {
            "message_id": reply["id"],
            "date": int(time.time()),
            "chat": chat,
            "text": reply["message"]["text"],
        }
        query = {"botToken": TOKEN, "from": ME, "message": message, "data": data}
        await self.client.post(f"http://127.0.0.1:{self.port}/sendCallback", json=query)
        print(f"\n[{chat.get('title', 'private')}] you press [{label}] (callback_data {data!r})")
        await asyncio.sleep(1.5)
        after = await self.messages(chat)
        edited = next(m for m in after if m["id"] == reply["id"])
        if edited["message"]["text"] != reply["message"]["text"]:
            print("   (the message is edited to:)")
            show(edited)
        for new in after[before:]:
            show(new)


def show(reply: dict) -> None:
    message = reply["message"]
    print("bot> " + message["text"].replace("\n", "\n     "))
    markup = message.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in (markup or {}).get("inline_keyboard", []):
        print("     " + " ".join(f"[{b['text']}]" for b in row))


async def session(port: int) -> None:
    async with httpx.AsyncClient() as client:
        s = Session(client, port)
        for _ in range(60):
            try:
                await s.messages(PRIVATE)
                break
            except httpx.HTTPError:
                await asyncio.sleep(0.5)
        await asyncio.sleep(3)  # the bot loads the articles and starts polling
        await s.say("/start")
        await s.say("/help")
        [answer] = await s.say("Who did Sahiba Gafarova meet?")
        await s.press(answer, "More sources")
        await s.press(answer, "Full article")
        await s.say("and when?")
        await s.say("what did they discuss?")
        await s.say("who else did she meet?")
        await s.say("/new")
        await s.say("and when?")
        await s.say("/sources")
        await s.say("/stats")
        await s.say("lunch at noon anyone?", GROUP, expect=0)
        await s.say(f"@{BOT} who met Zhang Ming?", GROUP)
        await s.say(f"/ask@{BOT} When did Bayramov meet Zhang Ming?", GROUP)
        await s.say("/ask@SomeOtherBot who met Zhang Ming?", GROUP, expect=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--node-modules", type=Path, required=True)
    parser.add_argument("--port", type=int, default=9000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        emulator = start_emulator(args.node_modules, args.port)
        time.sleep(1.0)
        bot = start_bot("news", args.port, Path(folder), False, ADMIN_USER_IDS=str(ME["id"]))
        try:
            asyncio.run(session(args.port))
        finally:
            bot.terminate()
            bot.wait(20)
            emulator.terminate()
            emulator.wait(20)


if __name__ == "__main__":
    main()
