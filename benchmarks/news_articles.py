"""A folder of deterministic news articles in the bot's article format, with questions about
them, for the end-to-end benchmark (no downloads).

Articles report meetings between generated officials (held, planned or none), with datelines,
relative days, wire sign-offs, web residue, undated files and re-sent copies, padded with
pseudo-word paragraphs from ``synthetic`` so the vocabulary grows as real text does. Each
question remembers what a right answer must name, so the benchmark can count hits as well
as time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from pathlib import Path

import synthetic

COUNTRIES = (
    "Albania Argentina Armenia Austria Belgium Bolivia Brazil Bulgaria Canada Chile China "
    "Colombia Croatia Cyprus Denmark Ecuador Egypt Estonia Finland France Georgia Germany "
    "Ghana Greece Hungary Iceland India Indonesia Ireland Israel Italy Japan Jordan Kenya "
    "Latvia Lebanon Lithuania Malaysia Mexico Mongolia Morocco Nepal Nigeria Norway Oman "
    "Pakistan Panama Peru Poland Portugal Qatar Romania Senegal Serbia Singapore Slovakia "
    "Slovenia Spain Sweden Thailand Tunisia Turkey Uganda Ukraine Uruguay Vietnam Zambia"
).split()
ROLES = (
    "Foreign Minister",
    "Finance Minister",
    "Trade Minister",
    "Prime Minister",
    "Energy Minister",
    "Defence Minister",
    "Speaker of Parliament",
    "Central Bank Governor",
    "Agriculture Minister",
)
TOPICS = (
    "trade and investment",
    "energy security",
    "the public debt",
    "farm subsidies",
    "exchange rates",
    "regional security",
    "transport links",
    "tariffs on steel",
    "climate finance",
    "grain exports",
)
HELD = (
    "{a} met {b} in {city} {when} to discuss {topic}",
    "{a} held talks with {b} in {city} {when} on {topic}",
    "{a} received {b} in {city} {when}, and the two discussed {topic}",
    "{a} hosted {b} in {city} {when} for talks on {topic}",
)
PLANNED = (
    "{a} will meet {b} in {city} next week to discuss {topic}",
    "{a} is due to hold talks with {b} in {city} on {topic} later this month",
)
NO_MEETING = (
    "{a} told reporters in {city} {when} that {topic} would top the agenda this year",
    "{a} said in a statement {when} that talks on {topic} had stalled",
)
RESIDUE = ("Share this article", "Follow us on Telegram", "Read more:", "Reuter")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    role: str
    country: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def titled(self) -> str:
        return f"{self.country}'s {self.role} {self.name}"


@dataclass(frozen=True)
class Question:
    text: str
    expect: list[str]
    """Strings a right answer names; empty when nothing in the folder answers it."""


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(synthetic._SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def people(n: int, rng: random.Random) -> list[Person]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        last = _name(rng) + rng.choice(("ov", "ez", "sen", "i", "an", "er"))
        if last in seen:
            continue
        seen.add(last)
        out.append(Person(_name(rng), last, rng.choice(ROLES), rng.choice(COUNTRIES)))
    return out


def _filler(rng: random.Random, chunks: list[str]) -> str:
    return " ".join(rng.choice(chunks) for _ in range(rng.randint(1, 3)))


def write_folder(folder: Path, n_articles: int, n_questions: int, seed: int = 7) -> list[Question]:
    """Writes the articles and returns the questions, a third of them unanswerable."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    cast = people(max(50, n_articles // 3), rng)
    chunks = [t for c in synthetic.passages(4 * n_articles, seed=seed) for t in c.texts]
    held: list[tuple[Person, Person, str, dt.date]] = []
    start = dt.date(2021, 1, 1)
    n = 0
    while n < n_articles:
        a, b = rng.sample(cast, 2)
        city = rng.choice(COUNTRIES) + " City"
        topic = rng.choice(TOPICS)
        date = start + dt.timedelta(days=rng.randrange(1500))
        days_back = rng.choice((0, 1))
        when = "yesterday" if days_back else "on " + WEEKDAYS[date.weekday()]
        kind = rng.random()
        pattern = HELD if kind < 0.6 else PLANNED if kind < 0.75 else NO_MEETING
        lead = rng.choice(pattern).format(a=a.titled, b=b.titled, city=city, when=when, topic=topic)
        dateline = f"{city.upper()}, {date:%B} {date.day} - "
        paragraphs = [dateline + lead + ", officials said."]
        paragraphs += [
            f"{a.last} said the two sides agreed to keep working on {topic}.",
            *(_filler(rng, chunks) for _ in range(rng.randint(3, 8))),
        ]
        if rng.random() < 0.3:
            paragraphs.append(rng.choice(RESIDUE))
        headline = f"{a.last.upper()} AND {b.last.upper()} ON {topic.upper()}"
        dated = rng.random() > 0.05
        head = f" date {date.isoformat()} {headline}" if dated else headline
        text = head + "\n" + "\n\n".join(paragraphs) + "\n"
        copies = 2 if rng.random() < 0.05 and n + 1 < n_articles else 1
        for _ in range(copies):
            (folder / f"{n:05d}_{rng.getrandbits(32):08x}.txt").write_text(text, encoding="utf-8")
            n += 1
        if pattern is HELD:
            held.append((a, b, topic, date))

    questions = []
    for a, b, topic, _ in rng.sample(held, min(len(held), n_questions - n_questions // 3)):
        form = rng.randrange(4)
        if form == 0:
            questions.append(Question(f"Who did {a.name} meet?", [b.last]))
        elif form == 1:
            questions.append(Question(f"who met {b.last.lower()}", [a.last]))
        elif form == 2:
            questions.append(Question(f"When did {a.last} meet {b.last}?", [b.last]))
        else:
            questions.append(Question(f"What did {a.last} and {b.last} discuss?", [topic]))
    known = {p.last for p in cast}
    strangers = [p for p in people(n_questions, random.Random(seed + 1)) if p.last not in known]
    for p in strangers[: n_questions - len(questions)]:
        questions.append(Question(f"Who did {p.name} meet?", []))
    rng.shuffle(questions)
    return questions


def save_questions(path: Path, questions: list[Question]) -> None:
    path.write_text("".join(json.dumps(q.__dict__) + "\n" for q in questions), encoding="utf-8")
