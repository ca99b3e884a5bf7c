"""The day an event happened, from the article's date and the words around the event.

Only dates that can be computed are given: "yesterday", "on Monday", an explicit "March 2"
or a dateline day, each counted from the article's own date. Anything vaguer ("last week")
gives no date rather than a guess, and an undated article never gets one.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        ]
    )
    for m in names.split()
}
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = (
    r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATELINE = re.compile(rf"^[^\W\d_][^.\n]{{0,60}}?,\s+{_MONTH}\s+(\d{{1,2}})\b", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"\b(?:on\s+)?{_MONTH}\s+(\d{{1,2}})\b(?!,?\s*\d{{4}})", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on|last|this|next)?\s*(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)


def _month_day(month: str, day: str, near: dt.date, future: bool) -> dt.date | None:
    """The date with that month and day closest to ``near`` on the expected side of it."""
    number = _MONTHS.get(month.lower().rstrip("."))
    if number is None:
        return None
    candidates = []
    for year in (near.year - 1, near.year, near.year + 1):
        try:
            candidates.append(dt.date(year, number, int(day)))
        except ValueError:
            continue
    if future:
        after = [c for c in candidates if c >= near]
        return min(after, default=None)
    before = [c for c in candidates if c <= near + dt.timedelta(days=1)]
    return max(before, default=None)


def dateline_date(first_paragraph: str, published: dt.date | None) -> dt.date | None:
    """The day in a dateline such as "BONN, March 3 -" or "BAKU, Azerbaijan, February 6."."""
    if published is None:
        return None
    match = _DATELINE.match(first_paragraph)
    if not match:
        return None
    return _month_day(match.group(1), match.group(2), published, future=False)


_A_DAY = re.compile(
    r"\b(?:yesterday|today|tomorrow|tonight|this (?:morning|afternoon|evening)|last night|"
    + "|".join(_WEEKDAYS)
    + rf")\b|\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b",
    re.IGNORECASE,
)
"""Any way of naming a day: "yesterday", "on Monday", "March 5", "5 March 2024"."""


def names_a_day(sentence: str) -> bool:
    """Whether the sentence says on which day something happened, computable or not."""
    return _A_DAY.search(sentence) is not None


def event_date(sentence: str, reference: dt.date | None, planned: bool) -> dt.date | None:
    """The day a sentence's event falls on, counted from ``reference`` (dateline or article
    date); None when the sentence gives no computable day."""
    if reference is None:
        return None
    text = sentence.lower()
    if "yesterday" in text:
        return reference - dt.timedelta(days=1)
    if "tomorrow" in text:
        return reference + dt.timedelta(days=1)
    explicit = _MONTH_DAY.search(sentence)
    if explicit:
        return _month_day(explicit.group(1), explicit.group(2), reference, future=planned)
    weekday = _WEEKDAY.search(sentence)
    if weekday:
        target = _WEEKDAYS.index(weekday.group(1).lower())
        shift = (target - reference.weekday()) % 7
        if planned:
            return reference + dt.timedelta(days=shift or 7)
        return reference - dt.timedelta(days=(reference.weekday() - target) % 7)
    if re.search(r"\b(today|this (morning|afternoon|evening))\b", text):
        return reference
    return None
