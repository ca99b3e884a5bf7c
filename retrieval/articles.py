"""Reading article files: the optional date line, the headline, paragraphs, and what to skip.

A folder of articles comes from scrapers and archives, so any file may be broken. Each file
is read on its own; a bad one is reported and skipped and never takes the others down.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from retrieval.build_progress import Count, reported
from retrieval.cancel import Check, never

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


HEADLINE_WORDS = 20


def looks_like_headline(text: str) -> bool:
    """A short line without a closing full stop or quote: a headline, which names what the
    body reports."""
    return len(text.split()) <= HEADLINE_WORDS and not text.rstrip().endswith((".", '"', "”"))


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
            if looks_like_headline(rest):
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


def read_regular_file(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes. It is opened without blocking and checked to be a regular file before
    it is read, so a FIFO put in its place after the folder was listed cannot hang the build
    (opening a FIFO for reading blocks until a writer comes)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ArticleError(_kind(info.st_mode))
        if max_bytes is not None and info.st_size > max_bytes:
            raise ArticleError(f"is too large ({info.st_size:,} bytes, the limit is {max_bytes:,})")
        return f.read()


def read_article(path: Path, max_bytes: int) -> Article:
    raw = read_regular_file(path, max_bytes)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ArticleError(f"is not UTF-8 text (byte {e.start})") from None
    return parse_article(path.stem, text)


def load_articles(
    folder: Path,
    max_bytes: int,
    check: Check = never,
    progress: Count | None = None,
) -> list[Article]:
    """Every readable ``*.txt`` article in the folder, sorted by id; bad files are logged once
    each and skipped. ``check`` is called before each file, to let a stopping bot cancel;
    ``progress`` hears how many files are read, of how many."""
    articles = []
    paths = _listed(folder)
    for path in reported(paths, len(paths), progress):
        check()
        why = not_a_file(path)
        if why is not None:
            log.warning("skipping article file %s: it %s", path.name, why)
            continue
        try:
            articles.append(read_article(path, max_bytes))
        except ArticleError as e:
            log.warning("skipping article file %s: it %s", path.name, e)
        except OSError as e:
            log.warning("skipping article file %s: cannot read it (%s)", path.name, e.strerror or e)
    return articles


def _listed(folder: Path) -> list[Path]:
    """Every ``*.txt`` entry, whatever it is: dangling links and loops included, so each can be
    reported."""
    with os.scandir(folder) as entries:
        return sorted(Path(e.path) for e in entries if e.name.endswith(".txt"))


def not_a_file(path: Path) -> str | None:
    """Why an entry named like an article cannot be one (for the log line), or None when it is
    a regular file or a link to one."""
    try:
        mode = path.stat().st_mode
    except OSError as e:
        if path.is_symlink() and e.errno == errno.ELOOP:
            return "is a symbolic link loop"
        if path.is_symlink() and e.errno == errno.ENOENT:
            return "is a symbolic link to nothing (its target is missing)"
        return f"cannot be read ({e.strerror or e})"
    return None if stat.S_ISREG(mode) else _kind(mode)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    return "is not a regular file"
