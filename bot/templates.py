"""Every sentence the bot says, in one place, rendered as plain text or as Telegram HTML.

The same template functions serve both renderings: they take a ``Markup`` that knows how to
escape text and how to emphasise it, so console, JSON and Telegram answers never drift apart,
and no user or article text reaches Telegram unescaped.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from retrieval.meetings import Tense

if TYPE_CHECKING:
    from bot.answers import Answer, Citation, FullArticle, Overview
    from bot.stats import Snapshot

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
    blocks = [*_lead(answer, m), _citation_block(first, m)]
    if rest:
        blocks.append(m.bold("Also in the articles:"))
        blocks.extend(_citation_block(c, m, True) for c in rest[:MAX_FURTHER_SOURCES])
    return [*blocks, *_more_counterparts(answer, m)]


def _lead(answer: Answer, m: Markup) -> list[str]:
    """Who met whom, and whether the meeting is only planned, above the best quote."""
    blocks = [m.bold(m.escape(answer.lead))] if answer.lead else []
    if answer.planned:
        blocks.append(
            m.italic(m.escape("The articles report this meeting as planned, not as held."))
        )
    return blocks


def _more_counterparts(answer: Answer, m: Markup) -> list[str]:
    if not answer.more_counterparts:
        return []
    names = _names(answer.more_counterparts)
    return [m.escape(f"The articles also report meetings with {names}.")]


QUOTE_LIMIT = 3000
"""Longest quote on one page of a reply: a page is one message, edited in place, and the
whole text is one "Full article" press away."""
INLINE_DESCRIPTION = 120


def _clipped(citation: Citation, limit: int = QUOTE_LIMIT) -> Citation:
    if len(citation.quote) <= limit:
        return citation
    cut = citation.quote[:limit].rsplit(" ", 1)[0]
    return replace(citation, quote=f"{cut} …")


def answer_page(answer: Answer, page: int, m: Markup) -> list[str]:
    """One page of a reply with buttons: page 0 is the short answer (the lead, the best
    quote, its source and date), page k the k-th further finding. Each page fits one
    message, so "More sources" can edit the message in place."""
    if not answer.found or not answer.citations:
        return [not_found(answer.question, answer.about, m)]
    page = max(0, min(page, len(answer.citations) - 1))
    citation = _clipped(answer.citations[page])
    if page > 0:
        header = m.italic(m.escape(f"Source {page + 1} of {len(answer.citations)}"))
        return [header, _citation_block(citation, m, True)]
    return [*_lead(answer, m), _citation_block(citation, m), *_more_counterparts(answer, m)]


def read_as(question: str, m: Markup) -> str:
    """Above a follow-up's answer, so the reader sees how their short question was taken."""
    return m.italic(m.escape(f"Reading that as: {_shorten(question, 200)}?"))


def more_sources_label(count: int) -> str:
    return f"More sources ({count})"


def previous_source_label() -> str:
    return "‹ Back"


def full_article_label() -> str:
    return "Full article"


def inline_title(answer: Answer, citation: Citation) -> str:
    return citation.summary or answer.lead or _shorten(citation.quote, 60)


def inline_description(citation: Citation) -> str:
    when = format_date(citation.date) if citation.date else "undated"
    return _shorten(f"{when}: {citation.quote}", INLINE_DESCRIPTION)


def inline_message(citation: Citation, m: Markup) -> str:
    """What an inline result posts into the chat: who met whom, the quote, source and date."""
    return _citation_block(_clipped(citation), m, True)


def inline_example_description() -> str:
    return "An example question: tap to send its answer"


def article_blocks(article: FullArticle, m: Markup) -> list[str]:
    """The whole article for the "Full article" button: headline, where and when, then its
    paragraphs, each a block so that long articles split between paragraphs."""
    when = format_date(article.date) if article.date else "undated article"
    where = " — ".join(dict.fromkeys(p for p in (article.source,) if p))
    line = ", ".join(p for p in (where, f"[{article.article_id}]", when) if p)
    title = m.bold(m.escape(article.title or f"Article {article.article_id}"))
    blocks = [f"{title}\n{m.italic(m.escape(line))}"]
    blocks.extend(m.escape(p) for p in article.paragraphs if p.strip())
    return blocks


def article_continues(left: int, m: Markup) -> str:
    return m.italic(m.escape(f"… the article goes on for {left} more messages' worth of text."))


def article_gone(m: Markup) -> str:
    """Shown on the button (plain text, at most 200 characters)."""
    return m.escape("That article is no longer in the folder I read from.")


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


def chat_help(examples: Sequence[str], username: str, m: Markup) -> str:
    """/help in Telegram: the examples, then what a chat with the bot can do there."""
    me = f"@{username}" if username else "me"
    tips = [
        m.bold("How to use me"),
        m.escape(
            "• Buttons: under an answer, “More sources” pages through the other articles that "
            "report it, and “Full article” sends the whole article."
        ),
        m.escape(
            "• Follow-ups: after a question, ask “and when?”, “what did they discuss?” or "
            "“who else did she meet?” and I read it with your last question's people. "
            "/new starts afresh."
        ),
        m.escape(
            f"• Groups: I answer /ask <question>, a message that mentions {me}, or a reply to "
            "one of my messages, and stay out of other conversation."
        ),
        m.escape(
            f"• Any chat: type {me} and a question to pick an answer and post it there."
            if username
            else "• Any chat: type my @name and a question to pick an answer and post it there."
        ),
        m.escape("• /sources tells what I have read."),
    ]
    return f"{help_text(examples, m)}\n\n" + "\n".join(tips)


def ask_usage(examples: Sequence[str], m: Markup) -> str:
    example = examples[0] if examples else "Who met whom?"
    return m.escape(f"Put the question after the command, for example: /ask {example}")


def context_cleared(m: Markup) -> str:
    return m.escape("Fresh start: I'll read your next question on its own.")


def sources_text(overview: Overview, m: Markup) -> str:
    count = overview.articles
    lines = [m.bold(m.escape(f"I have read {count} article{'s' if count != 1 else ''}"))]
    if overview.first_date and overview.last_date:
        span = f"{format_date(overview.first_date)} to {format_date(overview.last_date)}"
        if overview.first_date == overview.last_date:
            span = format_date(overview.first_date)
        lines.append(m.escape(f"Dated {span}."))
    else:
        lines.append(m.escape("None of them carries a date."))
    if overview.outlets:
        outlets = ", ".join(f"{name} ({n})" for name, n in overview.outlets)
        lines.append(m.escape(f"Main outlets: {outlets}."))
    lines.append(m.escape(f"That makes {overview.passages} quotable passages."))
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def stats_text(overview: Overview, stats: Snapshot, m: Markup) -> str:
    share = f"{stats.not_found / stats.questions:.0%}" if stats.questions else "–"
    lines = [
        m.bold("Since start"),
        m.escape(f"Articles: {overview.articles}, passages: {overview.passages}"),
        m.escape(f"Questions answered: {stats.questions}, found nothing: {share}"),
        m.escape(f"Answer time p50 {_seconds(stats.p50)}, p95 {_seconds(stats.p95)}"),
    ]
    return "\n".join(lines)


def reload_done(changed: bool, overview: Overview, m: Markup) -> str:
    counts = f"{overview.articles} articles, {overview.passages} passages"
    if changed:
        return m.escape(f"Rebuilt the index: now {counts}.")
    return m.escape(f"The articles have not changed; still {counts}.")


def reload_busy(m: Markup) -> str:
    return m.escape("A reload is already under way; I'll report when it is done.")


def slow_down(per_minute: int, m: Markup) -> str:
    return m.escape(
        f"That's a lot of questions at once! I answer up to {per_minute} a minute for each "
        "person; the rest of this burst is skipped. Try again in a minute."
    )


def not_allowed(m: Markup) -> str:
    return m.escape(
        "Sorry, this bot is private: its operator has not opened it to you. "
        "I won't reply to further messages."
    )


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
    ("help", "Example questions and how to use me"),
    ("ask", "Ask a question (in groups too)"),
    ("new", "Forget the last question: no follow-up"),
    ("sources", "What I have read"),
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
    """Shown on a button press (Telegram allows 200 characters, plain text) whose answer is
    no longer kept, or whose data is not this bot's: either way, asking again works."""
    return m.escape("That answer is no longer kept here. Please ask your question again.")


def empty_question(m: Markup) -> str:
    return m.escape("That message has no words I can search for. Please type a question.")


def question_trimmed(limit: int, m: Markup) -> str:
    return m.italic(m.escape(f"Your message was long, so I answered its first {limit} characters."))


def internal_error(m: Markup) -> str:
    return m.escape("Sorry, something went wrong while answering. Please try again in a moment.")
