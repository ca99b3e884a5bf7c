"""Follow-ups in context: a short question after another is read with that question's
people, per chat and user, until it expires, a new person is named, or /new."""

from __future__ import annotations

import pytest
from fakes import FakeAnswerer, meeting_answer
from telegram_stand_in import GROUP_CHAT, OTHER_USER, command, text_message
from test_telegram_end_to_end import seeds_answerer

from bot.followups import Context, context_of, read
from bot.templates import HTML, context_cleared, read_as

GAFAROVA = Context("Who did Sahiba Gafarova meet?", ("Sahiba Gafarova", "Zhang Ming"))


@pytest.mark.parametrize(
    ("follow_up", "meant"),
    [
        ("and when?", "When did Sahiba Gafarova meet?"),
        ("where?", "Where did Sahiba Gafarova meet?"),
        ("what did they discuss?", "What did Sahiba Gafarova and Zhang Ming discuss?"),
        ("who else did she meet?", "Who did Sahiba Gafarova meet?"),
        ("when did he meet him?", "When did Sahiba Gafarova meet Zhang Ming?"),
        ("did she meet Jeyhun Bayramov?", "Did Sahiba Gafarova meet Jeyhun Bayramov?"),
        ("When did Gafarova meet him?", "When did Gafarova meet Zhang Ming?"),
        ("what was her role?", "What was Sahiba Gafarova role?"),
    ],
)
def test_pronouns_and_elliptic_questions_borrow_the_previous_people(follow_up, meant):
    reading = read(follow_up, GAFAROVA)
    assert reading.question == meant
    assert reading.follow_up


def test_who_else_asks_for_others():
    assert read("who else did she meet?", GAFAROVA).wants_others
    assert not read("when did she meet him?", GAFAROVA).wants_others


@pytest.mark.parametrize(
    "question",
    [
        "Who met Jeyhun Bayramov?",  # names someone new
        "and Jeyhun Bayramov?",  # elliptic, but about someone else
        "Who did Ilham Aliyev meet and what did they discuss?",  # "they" is the new name
        "What is the capital of France and its population?",  # a whole question, no pronoun
    ],
)
def test_a_question_of_its_own_is_left_alone(question):
    reading = read(question, GAFAROVA)
    assert reading.question == question
    assert not reading.follow_up


def test_without_context_nothing_is_rewritten():
    assert read("and when?", None).question == "and when?"


def test_the_context_is_the_best_meeting_subject_first():
    context = context_of(meeting_answer("Who did Sahiba Gafarova meet?"))
    assert context is not None
    assert context.people == ("Sahiba Gafarova", "Zhang Ming")
    assert context.shown == ("Sah-1",)


async def test_and_when_after_a_question_is_answered_about_the_same_people(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        await telegram.wait_for_messages(1)
        telegram.push(text_message("and when?"))
        [_, reply] = await telegram.wait_for_messages(2)

    assert answerer.questions == ["Who did Sahiba Gafarova meet?", "When did Sahiba Gafarova meet?"]
    assert reply.text.startswith(read_as("When did Sahiba Gafarova meet", HTML))
    assert "Sahiba Gafarova met Zhang Ming." in reply.plain_text


async def test_who_else_puts_the_findings_not_shown_before_first(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        [first] = await telegram.wait_for_messages(1)
        telegram.push(text_message("who else did she meet?"))
        [_, reply] = await telegram.wait_for_messages(2)

    assert "Sahiba Gafarova met Zhang Ming." in first.plain_text
    assert "Sahiba Gafarova received Ilham Mammadov." in reply.plain_text
    assert "Zhang Ming" not in reply.plain_text.split("More sources")[0]


async def test_a_new_person_replaces_the_context(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        for i, text in enumerate(
            ["Who did Sahiba Gafarova meet?", "Who met Bayramov?", "and when?"]
        ):
            telegram.push(text_message(text))
            await telegram.wait_for_messages(i + 1)

    assert answerer.questions[-1] == "When met Bayramov?"


async def test_new_clears_the_context(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        await telegram.wait_for_messages(1)
        telegram.push(command("/new"))
        [_, cleared] = await telegram.wait_for_messages(2)
        telegram.push(text_message("and when?"))
        await telegram.wait_for_messages(3)

    assert cleared.text == context_cleared(HTML)
    assert answerer.questions[-1] == "and when?"


async def test_the_context_expires(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer, follow_up_minutes=1e-9):
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        await telegram.wait_for_messages(1)
        telegram.push(text_message("and when?"))
        await telegram.wait_for_messages(2)

    assert answerer.questions[-1] == "and when?"


async def test_context_never_crosses_users_or_chats(telegram, run_bot):
    answerer = FakeAnswerer()
    async with run_bot(answerer):
        telegram.push(text_message("@news_test_bot Who did Sahiba Gafarova meet?", GROUP_CHAT))
        await telegram.wait_for_messages(1)
        # Another user in the same group, and the same user in a private chat.
        telegram.push(text_message("@news_test_bot and when?", GROUP_CHAT, user=OTHER_USER))
        await telegram.wait_for_messages(2)
        telegram.push(text_message("and when?"))
        await telegram.wait_for_messages(3)
        telegram.push(text_message("@news_test_bot and when?", GROUP_CHAT))
        await telegram.wait_for_messages(4)

    assert answerer.questions == [
        "Who did Sahiba Gafarova meet?",
        "and when?",
        "and when?",
        "When did Sahiba Gafarova meet?",
    ]


async def test_with_the_real_articles_and_when_finds_the_meeting(telegram, run_bot):
    async with run_bot(seeds_answerer()):
        telegram.push(text_message("Who did Sahiba Gafarova meet?"))
        await telegram.wait_for_messages(1)
        for i, follow_up in enumerate(["and when?", "who else did she meet?"], start=2):
            telegram.push(text_message(follow_up))
            await telegram.wait_for_messages(i)

    first, when, others = telegram.sent
    assert "I couldn't find" not in when.plain_text
    assert "Sahiba Gafarova" in when.plain_text
    assert "Reading that as: When did Sahiba Gafarova meet?" in when.plain_text
    lead = others.plain_text.split("\n\n")[1]
    assert lead != first.plain_text.split("\n\n")[0]  # someone else she met comes first
    assert "Sahiba Gafarova" in lead
