"""The bot's memory on disk: buttons and follow-ups survive a restart, and a damaged file
costs the memory, never the start."""

from __future__ import annotations

import asyncio
import json
import logging
import signal

from fakes import FakeAnswerer, meeting_answer
from telegram_stand_in import TOKEN, text_message
from test_bot_process import bot_process, finish

from bot.memory import AnswerMemory, ContextMemory, answer_from_dict, answer_to_dict
from bot.state_file import FILE_NAME, load_state, save_state


def test_an_answer_reads_back_whole():
    answer = meeting_answer("Who did Sahiba Gafarova meet?")
    assert answer_from_dict(json.loads(json.dumps(answer_to_dict(answer)))) == answer


def test_memories_read_back_and_still_age(tmp_path):
    answers = AnswerMemory(limit=10, max_age=100)
    key = answers.keep(7, meeting_answer("q"), now=1000)
    answers.show_page(key, 1)
    restored = AnswerMemory(limit=10, max_age=100)
    restored.restore(json.loads(json.dumps(answers.snapshot())), now=1050)
    assert restored.get(key, 7, now=1050) == meeting_answer("q")
    assert restored.page(key) == 1
    assert restored.get(key, 7, now=1101) is None
    late = AnswerMemory(limit=10, max_age=100)
    late.restore(answers.snapshot(), now=2000)
    assert len(late) == 0


def test_unreadable_entries_are_dropped_not_fatal():
    answers = AnswerMemory(limit=10, max_age=100)
    answers.restore([{"key": "k"}, "junk", {"key": "x", "chat_id": "NaN?", "at": 1}], now=0)
    contexts = ContextMemory(limit=10, max_age=100)
    contexts.restore({"not": "a list"}, now=0)
    contexts.restore([{"chat_id": 1}], now=0)
    assert len(answers) == 0
    assert contexts.get(1, 1, now=0) is None


def test_the_file_is_replaced_whole(tmp_path):
    path = tmp_path / "deeper" / FILE_NAME
    save_state(path, {"answers": [1, 2]})
    save_state(path, {"answers": [3]})
    assert load_state(path)["answers"] == [3]
    assert [p.name for p in path.parent.iterdir()] == [FILE_NAME]  # no temporary left over


async def test_buttons_and_follow_ups_survive_a_restart(telegram, run_bot, tmp_path):
    data = tmp_path / "kept"
    answerer = FakeAnswerer()
    async with run_bot(answerer, data_dir=data):
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        [answer] = await telegram.wait_for_messages(1)
    assert (data / FILE_NAME).exists()

    async with run_bot(answerer, data_dir=data):
        telegram.press(answer, "More sources")
        [page] = await telegram.wait_for_edits(1)
        telegram.push(text_message("and when?"))
        await telegram.wait_for_messages(2)

    assert "Sahiba Gafarova received Ilham Mammadov." in page.plain_text
    assert answerer.questions[-1] == "When did Sahiba Gafarova meet?"


async def test_a_damaged_file_costs_the_memory_not_the_start(telegram, run_bot, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    data = tmp_path / "kept"
    data.mkdir()
    (data / FILE_NAME).write_bytes(b'{"format": 1, "answers": [{"key": "k", "chat_id"\x00\xff')
    answerer = FakeAnswerer()
    async with run_bot(answerer, data_dir=data):
        telegram.push(text_message("and when?"))
        [reply] = await telegram.wait_for_messages(1)

    assert answerer.questions == ["and when?"]  # no context, but an answer
    assert reply.plain_text
    assert "The saved memory is damaged" in caplog.text
    assert (data / f"{FILE_NAME}.damaged").exists()
    assert load_state(data / FILE_NAME)["format"] == 1  # written anew, readable


async def test_an_unwritable_data_folder_is_logged_and_answers_go_on(
    telegram, run_bot, tmp_path, caplog
):
    caplog.set_level(logging.WARNING)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    answerer = FakeAnswerer()
    async with run_bot(answerer, data_dir=blocked):
        telegram.push(text_message("Who met the mayor?"))
        await telegram.wait_for_messages(1)

    assert "Could not save the bot's memory" in caplog.text


async def test_python_m_bot_keeps_its_memory_across_a_sigterm_restart(telegram, tmp_path):
    settings = {"DATA_DIR": str(tmp_path / "data")}
    first = bot_process(tmp_path, TOKEN, telegram.base_url, **settings)
    try:
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        [answer] = await telegram.wait_for_messages(1, timeout=20)
    finally:
        first.send_signal(signal.SIGTERM)
        code, output = await asyncio.to_thread(finish, first, tmp_path)
    assert code == 0, output
    assert load_state(tmp_path / "data" / FILE_NAME)["answers"]

    second = bot_process(tmp_path, TOKEN, telegram.base_url, **settings)
    try:
        telegram.press(answer, "More sources")
        [page] = await telegram.wait_for_edits(1, timeout=20)
        telegram.push(text_message("and when?"))
        [_, when] = await telegram.wait_for_messages(2, timeout=20)
    finally:
        second.send_signal(signal.SIGTERM)
        code, output = await asyncio.to_thread(finish, second, tmp_path)

    assert code == 0, output
    assert page.message_id == answer.message_id and "Source 2 of" in page.plain_text
    assert "Reading that as: When did Sahiba Gafarova meet?" in when.plain_text
