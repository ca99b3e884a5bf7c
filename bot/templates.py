"""Every sentence the bot says, in one place, rendered as plain text or as Telegram HTML.

The same template functions serve both renderings: they take a ``Markup`` that knows how to
escape text and how to emphasise it, so console, JSON and Telegram answers never drift apart,
and no user or article text reaches Telegram unescaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrieval.meetings import Tense

if TYPE_CHECKING:
    from bot.answers import Answer, Citation

UNDATED = "undated"
MAX_FURTHER_SOURCES = 4
MAX_NAMES_LISTED = 6


@dataclass(frozen=True, slots=True)
class Markup:
    """How one output medium escapes and emphasises text."""

    escape: Callable[[str], str]
    bold: Callable[[str], str]
    italic: Callable[[str], str]
    quote: Callable[[str], str]


PLAIN = Markup(
    escape=lambda s: s,
    bold=lambda s: s,
    italic=lambda s: s,
    quote=lambda s: f"“{s}”",
)

HTML = Markup(
    escape=lambda s: html.escape(s, quote=False),
    bold=lambda s: f"<b>{s}</b>",
    italic=lambda s: f"<i>{s}</i>",
    quote=lambda s: f"<blockquote>{s}</blockquote>",
)


def format_date(day: dt.date) -> str:
    """ "6 February 2024": unambiguous for readers on either side of the Atlantic."""
    return f"{day.day} {day:%B %Y}"


def _when(citation: Citation) -> str:
    if citation.date is None:
        published = "undated article"
    else:
        published = format_date(citation.date)
    if citation.event_date is not None and citation.event_date != citation.date:
        return f"{published} (the meeting: {format_date(citation.event_date)})"
    return published


def _source_line(citation: Citation, m: Markup) -> str:
    parts = [p for p in (citation.source, citation.title) if p]
    name = " — ".join(dict.fromkeys(parts))
    where = f"{name} [{citation.article_id}]" if name else f"article {citation.article_id}"
    copies = ""
    if citation.also_in:
        copies = f" (same story also in {', '.join(citation.also_in)})"
    return m.italic(m.escape(f"— {where}, {_when(citation)}{copies}"))


def _citation_block(citation: Citation, m: Markup, with_summary: bool = False) -> str:
    block = f"{m.quote(m.escape(citation.quote))}\n{_source_line(citation, m)}"
    if with_summary and citation.summary:
        block = f"{m.bold(m.escape(citation.summary))}\n{block}"
    return block


def _names(names: Sequence[str], limit: int = MAX_NAMES_LISTED) -> str:
    """ "A, B and C"; past ``limit`` names, "A, B, … and 12 more", so a common surname
    never turns a reply into a phone book."""
    if len(names) > limit:
        return f"{', '.join(names[:limit])} and {len(names) - limit} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def meeting_summary(
    subject: str,
    counterparts: Sequence[str],
    tense: Tense,
    verb: str = "met",
    subject_acts: bool = True,
) -> str:
    """Who met whom, worded as the article's sentence has it: "Jeyhun Bayramov met Zhang Ming"."""
    if not subject or tense is Tense.NONE:
        return ""
    if not counterparts:
        if tense is Tense.PLANNED:
            return f"The articles report a planned meeting of {subject}."
        return f"The articles report a meeting of {subject}."
    if tense is Tense.PLANNED:
        return f"{subject} is due to meet {_names(counterparts)} (announced, not yet held)."
    if subject_acts:
        return f"{subject} {verb} {_names(counterparts)}."
    return f"{_names(counterparts)} {verb} {subject}."


def answer_blocks(answer: Answer, m: Markup) -> list[str]:
    """The answer as separate blocks, each complete in itself, so long replies can be split
    between blocks without breaking a quote or an HTML tag."""
    if not answer.found or not answer.citations:
        return [not_found(answer.question, answer.about, m)]
    first, *rest = answer.citations
    blocks: list[str] = []
    if answer.lead:
        blocks.append(m.bold(m.escape(answer.lead)))
    if answer.planned:
        blocks.append(
            m.italic(m.escape("The articles report this meeting as planned, not as held."))
        )
    blocks.append(_citation_block(first, m))
    if rest:
        blocks.append(m.bold("Also in the articles:"))
        blocks.extend(_citation_block(c, m, True) for c in rest[:MAX_FURTHER_SOURCES])
    if answer.more_counterparts:
        blocks.append(
            m.escape(f"The articles also report meetings with {_names(answer.more_counterparts)}.")
        )
    return blocks


def render_plain(answer: Answer) -> str:
    return "\n\n".join(answer_blocks(answer, PLAIN))


def render_html(answer: Answer) -> list[str]:
    return answer_blocks(answer, HTML)


def not_found(question: str, about: Sequence[str], m: Markup) -> str:
    if about:
        return m.escape(
            f"I couldn't find an answer to “{_shorten(question)}” in the articles. "
            f"They mention {_names(about)}, but not what you asked about."
        )
    return m.escape(
        f"I couldn't find anything about “{_shorten(question)}” in the articles. "
        "Try a person's name, a country or an organisation that the news mentions."
    )


def _shorten(question: str, limit: int = 120) -> str:
    topic = " ".join(question.split()).rstrip("?!. ") or "that"
    return topic if len(topic) <= limit else topic[: limit - 1].rstrip() + "…"


def welcome(examples: Sequence[str], article_count: int, m: Markup) -> str:
    lines = [
        m.bold("Hello! I answer questions about the news articles I have read"),
        m.escape(
            f"I know {article_count} article{'s' if article_count != 1 else ''}. Ask me who met "
            "whom, when, or what they discussed, and I quote the passage with its source and date."
        ),
    ]
    lines.append(help_text(examples, m))
    return "\n\n".join(lines)


def help_text(examples: Sequence[str], m: Markup) -> str:
    lines = [m.bold("Try asking:")]
    lines.extend(m.escape(f"• {q}") for q in examples)
    lines.append(m.escape("Just type your question as a normal message. /help shows this again."))
    return "\n".join(lines)


def unknown_command(command: str, examples: Sequence[str], m: Markup) -> str:
    """The reply to a command the bot does not have ("/weather"): say so, then show what it
    can do, rather than answer the command's words as a question."""
    name = command.split()[0].split("@")[0][:32] if command.split() else "/"
    first = m.escape(f"I don't know the command {name}. I answer questions about the news.")
    return f"{first}\n\n{help_text(examples, m)}"


def command_for_another_bot(command: str, this_bot: str, examples: Sequence[str], m: Markup) -> str:
    """The reply to "/start@other_bot" in a private chat: not "I don't know /start", which
    is false, but whose command it is and what this bot does."""
    written = command.split()[0][:80] if command.split() else "/"
    other = written.partition("@")[2]
    me = f"I'm @{this_bot}: I" if this_bot else "I"
    first = m.escape(
        f"{written} is a command for @{other}, not for me. {me} answer questions about the news."
    )
    return f"{first}\n\n{help_text(examples, m)}"


MENU = (
    ("start", "What I can answer"),
    ("help", "Example questions"),
)
"""The bot's command menu in Telegram: (command, description)."""


def non_text_hint(m: Markup) -> str:
    return m.escape(
        "I can only read text messages. Please type your question, "
        "for example “Who did the foreign minister meet?”"
    )


def caption_answered(m: Markup) -> str:
    return m.italic(m.escape("I can't look at attachments, so I answered the caption."))


def stale_button(m: Markup) -> str:
    """Shown on a button press (Telegram allows 200 characters, plain text): the bot sends no
    buttons, so the button is an old one."""
    return m.escape("This button no longer does anything. Just type your question.")


def empty_question(m: Markup) -> str:
    return m.escape("That message has no words I can search for. Please type a question.")


def question_trimmed(limit: int, m: Markup) -> str:
    return m.italic(m.escape(f"Your message was long, so I answered its first {limit} characters."))


def internal_error(m: Markup) -> str:
    return m.escape("Sorry, something went wrong while answering. Please try again in a moment.")
