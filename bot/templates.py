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

from bot.answers import Answer, Citation

UNDATED = "undated"
MAX_FURTHER_SOURCES = 4


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
    name = " — ".join(dict.fromkeys(parts)) if parts else "untitled article"
    copies = ""
    if citation.also_in:
        copies = f" (same story also in {', '.join(citation.also_in)})"
    return m.italic(m.escape(f"— {name} [{citation.article_id}], {_when(citation)}{copies}"))


def _citation_block(citation: Citation, m: Markup) -> str:
    return f"{m.quote(m.escape(citation.quote))}\n{_source_line(citation, m)}"


def answer_blocks(answer: Answer, m: Markup) -> list[str]:
    """The answer as separate blocks, each complete in itself, so long replies can be split
    between blocks without breaking a quote or an HTML tag."""
    if not answer.found or not answer.citations:
        return [not_found(answer.question, m)]
    first, *rest = answer.citations
    blocks: list[str] = []
    if answer.lead:
        blocks.append(m.bold(m.escape(answer.lead)))
    if answer.planned:
        blocks.append(m.escape("Note: the articles report this meeting as planned, not as held."))
    blocks.append(_citation_block(first, m))
    if rest:
        blocks.append(m.bold("Also in the articles:"))
        blocks.extend(_citation_block(c, m) for c in rest[:MAX_FURTHER_SOURCES])
    return blocks


def render_plain(answer: Answer) -> str:
    return "\n\n".join(answer_blocks(answer, PLAIN))


def render_html(answer: Answer) -> list[str]:
    return answer_blocks(answer, HTML)


def not_found(question: str, m: Markup) -> str:
    topic = question.strip().rstrip("?!. ") or "that"
    return m.escape(
        f"I couldn't find anything about “{topic}” in the articles. "
        "Try a person's name, a country or an organisation that the news mentions."
    )


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


def non_text_hint(m: Markup) -> str:
    return m.escape(
        "I can only read text messages. Please type your question, "
        "for example “Who did the foreign minister meet?”"
    )


def empty_question(m: Markup) -> str:
    return m.escape("That message has no words I can search for. Please type a question.")


def question_trimmed(limit: int, m: Markup) -> str:
    return m.italic(m.escape(f"Your message was long, so I answered its first {limit} characters."))


def internal_error(m: Markup) -> str:
    return m.escape("Sorry, something went wrong while answering. Please try again in a moment.")
