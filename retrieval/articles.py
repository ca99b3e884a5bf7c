"""Reading article files: the optional date line, the headline, paragraphs, and what to skip.

A folder of articles comes from scrapers and archives, so any file may be broken. Each file
is read on its own; a bad one is reported and skipped and never takes the others down.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_DATE_LINE = re.compile(r"^\s*date\s+(\d{4})-(\d{2})-(\d{2})\b[ \t]*(.*)$", re.IGNORECASE)
_OUTLET_PREFIX = re.compile(r"^\((?:[A-Z]{2,10}\s*-\s*)?([^()]{2,60})\)\s*")
_WORD = re.compile(r"[^\W\d_]{2,}")
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec utc gmt am pm"
).split()
_WIRE_SIGNOFF = re.compile(r"^(reuters?|ap|afp|upi|tass|xinhua)$", re.IGNORECASE)


class ArticleError(ValueError):
    """A file that cannot be served as an article; the message says why, for the log."""


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    title: str
    """The headline when the file has one, else ""."""
    source: str
    """The outlet or agency when the text names it, else ""."""
    date: dt.date | None
    paragraphs: tuple[str, ...]
    """Body paragraphs in order, each with its line breaks folded into spaces."""


def _is_word_poor(text: str) -> bool:
    return len(_WORD.findall(text)) < 2


def _is_human_date(text: str) -> bool:
    """True for a line like "1 November 2023 17:32 (UTC+04:00)" that only repeats the date."""
    words = [w.lower() for w in _WORD.findall(text)]
    return bool(re.search(r"\d", text)) and all(w in _MONTHS for w in words)


def _looks_like_headline(text: str) -> bool:
    return len(text.split()) <= 20 and not text.rstrip().endswith((".", '"', "”"))


def _paragraphs(lines: Iterable[str]) -> list[str]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [" ".join(b) for b in blocks if b]


def _split_outlet(text: str) -> tuple[str, str]:
    """ "(MENAFN- Trend News Agency) BAKU, ..." -> ("Trend News Agency", "BAKU, ...")."""
    match = _OUTLET_PREFIX.match(text)
    if not match:
        return "", text
    return match.group(1).strip(), text[match.end() :]


def parse_article(article_id: str, text: str) -> Article:
    """Build an article from file contents; pure, so every format rule is testable."""
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise ArticleError("looks binary (contains NUL bytes)")
    lines = text.splitlines()
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        raise ArticleError("is empty")

    date: dt.date | None = None
    title = source = ""
    body = lines
    match = _DATE_LINE.match(lines[0])
    if match:
        year, month, day, rest = match.groups()
        try:
            date = dt.date(int(year), int(month), int(day))
        except ValueError:
            log.warning(
                "article %s: ignoring impossible date %s-%s-%s", article_id, *match.groups()[:3]
            )
        rest = rest.strip()
        body = lines[1:]
        if rest and not _is_human_date(rest) and not _is_word_poor(rest):
            source, rest = _split_outlet(rest)
            if _looks_like_headline(rest):
                title = rest
            else:
                body = [rest, "", *body]
    else:
        title = lines[0].strip()
        body = lines[1:]

    paragraphs = _paragraphs(body)
    if paragraphs and _WIRE_SIGNOFF.match(paragraphs[-1].strip(" .-")):
        source = source or paragraphs[-1].strip(" .-").capitalize()
        paragraphs.pop()
    if not paragraphs and not title:
        raise ArticleError("has no text")
    return Article(article_id, title, source, date, tuple(paragraphs))


def read_article(path: Path, max_bytes: int) -> Article:
    size = path.stat().st_size
    if size > max_bytes:
        raise ArticleError(f"is too large ({size:,} bytes, the limit is {max_bytes:,})")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ArticleError(f"is not UTF-8 text (byte {e.start})") from None
    return parse_article(path.stem, text)


def load_articles(folder: Path, max_bytes: int) -> list[Article]:
    """Every readable ``*.txt`` article in the folder, sorted by id; bad files are logged once
    each and skipped."""
    articles = []
    for path in sorted(folder.glob("*.txt")):
        if not path.is_file():
            continue
        try:
            articles.append(read_article(path, max_bytes))
        except ArticleError as e:
            log.warning("skipping article file %s: it %s", path.name, e)
        except OSError as e:
            log.warning("skipping article file %s: cannot read it (%s)", path.name, e.strerror or e)
    return articles
