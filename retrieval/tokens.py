"""Turning text into the stemmed, lower-cased terms that the index and the questions share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

# Function words carry no evidence about which passage answers a question; keeping them
# would only make long passages look relevant. Question words are here for the same reason.
STOPWORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom whose why will with would you your yours yourself yourselves s t d ll m re ve
    also tell please know anything something say said says
    """.split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def fold(text: str) -> str:
    """Case- and accent-insensitive form, so "Gafarová" and "GAFAROVA" are the same word.

    Only the runs of non-ASCII characters need decomposing, and they repeat across a corpus,
    so each run is folded once: tokenizing a large archive is the costliest part of a build.
    """
    text = text.casefold()
    if text.isascii():
        return text
    return _NON_ASCII.sub(_fold_run, text)


def _fold_run(match: re.Match[str]) -> str:
    return _strip_marks(match.group())


@lru_cache(maxsize=1 << 16)
def _strip_marks(run: str) -> str:
    decomposed = unicodedata.normalize("NFKD", run).translate(_UNDECOMPOSED)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_UNDECOMPOSED = str.maketrans(
    {"đ": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d", "ħ": "h"}
)
"""Latin letters Unicode does not decompose into a base letter and a mark, written without
them as people type them ("Đorđević" as "Dordevic")."""


def words(text: str) -> list[str]:
    """Folded words of the text, stopwords included (names and phrases need them)."""
    return _WORD.findall(fold(text))


def stem_all(terms: Iterable[str]) -> list[str]:
    return _stemmer().stemWords(list(terms))


def tokenize(text: str) -> list[str]:
    """Index terms: folded words without stopwords, Snowball-stemmed."""
    return stem_all(w for w in words(text) if w not in STOPWORDS)
