"""Answers for inline mode ("@bot who met Zhang Ming" typed in any chat).

Each finding becomes one ``InlineQueryResultArticle``: the lead as its title, the start of
the quote as its description, and the formatted quote with source and date as the message
posted when the user picks it. Such a message belongs to someone else's chat, so it has no
buttons: the bot could not follow up there.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineQueryResultArticle, InputTextMessageContent, LinkPreviewOptions
from telegram.constants import ParseMode

from bot.answers import Answer
from bot.telegram_text import clean_text, pack
from bot.templates import (
    HTML,
    answer_page,
    inline_description,
    inline_example_description,
    inline_message,
    inline_title,
)

MAX_RESULTS = 5
NO_LINK_PREVIEW = LinkPreviewOptions(is_disabled=True)


def _content(blocks: Sequence[str]) -> InputTextMessageContent:
    return InputTextMessageContent(
        pack([clean_text(b) for b in blocks])[0],
        parse_mode=ParseMode.HTML,
        link_preview_options=NO_LINK_PREVIEW,
    )


def answer_results(answer: Answer) -> list[InlineQueryResultArticle]:
    """Up to five findings, best first; none when the articles do not answer."""
    if not answer.found:
        return []
    return [
        InlineQueryResultArticle(
            id=str(i),
            title=clean_text(inline_title(answer, citation))[:256],
            description=clean_text(inline_description(citation)),
            input_message_content=_content([inline_message(citation, HTML)]),
        )
        for i, citation in enumerate(answer.citations[:MAX_RESULTS])
    ]


def example_results(answers: Sequence[Answer]) -> list[InlineQueryResultArticle]:
    """For an empty query: the example questions, each posting its own short answer."""
    return [
        InlineQueryResultArticle(
            id=f"example-{i}",
            title=clean_text(answer.question)[:256],
            description=inline_example_description(),
            input_message_content=_content(answer_page(answer, 0, HTML)),
        )
        for i, answer in enumerate(answers[:MAX_RESULTS])
    ]
