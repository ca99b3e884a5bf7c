"""The people and institutions of a corpus, and which of them a question names.

Mentions are grouped into entities over the whole corpus: "Bayramov", "Minister Jeyhun
Bayramov" and "Jeyhun Bayramov" are one person, whose display name is the fullest form.
Questions are matched against entity names leniently (lower case, possessives, one or two
letters wrong) but only against names, so a misspelt surname finds its person while an
ordinary word never turns into someone.
"""

from __future__ import annotations

import copy
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import NamedTuple, TypeVar

from rapidfuzz import fuzz, process

from retrieval.build_progress import Progress, reported
from retrieval.cancel import Check, checked, never
from retrieval.names import PARTICLES, Mention, find_mentions, name_key
from retrieval.packed import PackedGroups, PackedStrings
from retrieval.tokens import STOPWORDS, fold, words

T = TypeVar("T")

MIN_NAME_SIMILARITY = 80
"""rapidfuzz ratio above which a question word is taken for a name ("stoltenburg")."""

LEADING = 10
"""People ranked by mentions at build for ``leading_people``: more than /start shows."""


@dataclass
class Entity:
    name: str
    key: tuple[str, ...]
    person: bool = False
    roles: Counter[str] = field(default_factory=Counter)
    passages: set[int] = field(default_factory=set)
    aliases: set[tuple[str, ...]] = field(default_factory=set)
    institution: bool = False
    after_the: bool = False
    place: bool = False

    @property
    def may_be_person(self) -> bool:
        """A person, or a full name that nothing marks as a place or institution."""
        return self.person or (
            len(self.key) > 1 and not self.institution and not self.after_the and not self.place
        )


class Located(NamedTuple):
    """An entity's mention in one passage."""

    entity: int
    mention: Mention


@dataclass(frozen=True, slots=True)
class NameMatch:
    entity: int
    score: float
    """How well the question's words match the name, 0-100."""
    words: tuple[str, ...]
    """The question words that matched, so they can be left out of the topic words."""


class EntityIndex:
    def __init__(
        self,
        texts: Sequence[str],
        progress: Progress | None = None,
        check: Check = never,
        known: Container[tuple[str, ...]] = frozenset(),
    ) -> None:
        """``check`` is called between steps, so a stopping bot can call off the build;
        ``progress`` hears each stage's count of passages done. ``known`` holds names that a
        larger corpus these passages join already has (retrieval.segments): a sentence
        opener such as "Bayramov" is kept when it is one of them."""
        self._progress = progress
        self._known = known
        common = _common_words(self._reported("reading words", texts, len(texts)))
        self._common: Container[str] = common
        raw = [
            find_mentions(text, common)
            for text in self._reported("finding names", texts, len(texts))
        ]
        self.entities: list[Entity] = []
        self._by_key: dict[tuple[str, ...], int] = {}
        self._build(raw, check)
        self.in_passage: list[list[Located]] = [
            [Located(self._by_key[k], m) for m in ms if (k := self._clean_key(m)) in self._by_key]
            for ms in self._reported("placing names", checked(raw, check), len(raw))
        ]
        # What only the build needs goes, so the cache neither stores nor reads it.
        del self._keys, self._standalone, self._dropped, self._progress, self._known
        for number, located in enumerate(self.in_passage):
            for loc in located:
                self.entities[loc.entity].passages.add(number)
        self._tokens: dict[str, set[int]] = defaultdict(set)
        for number, entity in enumerate(self.entities):
            for alias in entity.aliases:
                for token in alias:
                    if len(token) > 1:
                        self._tokens[token].add(number)
        self._token_list: list[str] | None = sorted(self._tokens)
        self._leading = leading_numbers(self.entities, range(len(self.entities)))

    @classmethod
    def from_parts(
        cls,
        entities: Sequence[Entity],
        in_passage: Sequence[list[Located]],
        by_key: Mapping[tuple[str, ...], int],
        by_token: Mapping[str, set[int]],
        common: Container[str],
        token_list: list[str],
        leading: list[int],
    ) -> EntityIndex:
        """An index put together from parts built elsewhere (retrieval.segments joins a
        built index and the names of a few new articles), with no build of its own."""
        index = cls.__new__(cls)
        index.entities, index.in_passage = entities, in_passage
        index._by_key, index._tokens, index._common = by_key, by_token, common
        index._token_list, index._leading = token_list, leading
        return index

    @property
    def by_key(self) -> Mapping[tuple[str, ...], int]:
        """Each name's key (its folded words) to the number of the entity it stands for."""
        return self._by_key

    @property
    def by_token(self) -> Mapping[str, set[int]]:
        """Each name word (of two letters or more) to the entities with a name holding it."""
        return self._tokens

    @property
    def common(self) -> Container[str]:
        """The words the passages write in lower case: never fuzzy-matched to a name."""
        return self._common

    @property
    def leading(self) -> list[int]:
        """The numbers behind ``leading_people``."""
        return self._leading

    def leading_people(self, limit: int) -> list[Entity]:
        """The people with a full name in the most passages, most first (at most ``LEADING``):
        ranked once, at build, since reading every entity takes a quarter of a second at a
        million passages and /start asks for them."""
        return [self.entities[number] for number in self._leading[:limit]]

    def write_lookups(self, keys: Path, tokens: Path, common: Path) -> None:
        """The name and name-word lookups and the corpus's common words as packed tables
        (retrieval.packed), which ``open_lookups`` maps back: a million passages' names are
        not one dict to unpickle before the first answer."""
        PackedGroups.write(keys, ((_KEY_JOIN.join(k), [n]) for k, n in self._by_key.items()))
        PackedGroups.write(tokens, self._tokens.items())
        PackedStrings.write(common, sorted(self._common))

    def open_lookups(self, keys: Path, tokens: Path, common: Path) -> None:
        self._by_key = _KeyNumbers(PackedGroups.open(keys))
        self._tokens = _TokenEntities(PackedGroups.open(tokens))
        self._token_list = None
        self._common = PackedStrings.open(common)

    def without_lookups(self) -> EntityIndex:
        """A copy holding what ``write_lookups`` does not write, to pickle beside them."""
        rest = copy.copy(self)
        rest.entities, rest.in_passage = [], []
        rest._by_key, rest._tokens, rest._token_list, rest._common = {}, {}, None, frozenset()
        return rest

    def fuzzy_choices(self) -> list[str]:
        """Every name word, sorted, for fuzzy matching: read from the packed table on the
        first misspelt word, not at start."""
        if self._token_list is None:
            self._token_list = list(self._tokens)
        return self._token_list

    def _build(self, raw: list[list[Mention]], check: Check) -> None:
        counts: Counter[tuple[str, ...]] = Counter()
        person_votes: Counter[tuple[str, ...]] = Counter()
        only_initial: dict[tuple[str, ...], bool] = {}
        for mentions in checked(raw, check):
            for m in mentions:
                counts[m.key] += 1
                person_votes[m.key] += m.titled or m.speaks
                person_votes[m.key] -= m.after_the
                only_initial[m.key] = only_initial.get(m.key, True) and m.initial
        self._keys = set(counts)
        self._standalone = {
            k[0] for k, n in counts.items() if len(k) == 1 and 3 * person_votes[k] < n
        }
        # A capitalised sentence opener is dropped unless it is the surname of a full name
        # found elsewhere ("Sattar, who arrived on Friday, ..." after "Abdul Sattar").
        surnames = {k[-1] for k in counts if len(k) > 1}
        self._dropped = {
            k
            for k in counts
            if len(k) == 1
            and only_initial[k]
            and person_votes[k] <= 0
            and k[0] not in surnames
            and k not in self._known
        }
        cleaned: Counter[tuple[str, ...]] = Counter()
        votes: Counter[tuple[str, ...]] = Counter()
        roles: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
        display: dict[tuple[str, ...], str] = {}
        institutions: set[tuple[str, ...]] = set()
        after_the: set[tuple[str, ...]] = set()
        places: set[tuple[str, ...]] = set()
        for mentions in self._reported("grouping names", checked(raw, check), len(raw)):
            for m in mentions:
                key = self._clean_key(m)
                if not key:
                    continue
                cleaned[key] += 1
                if not m.institution:
                    votes[key] += person_votes[m.key] > 0 or m.titled or m.speaks
                if m.role:
                    roles[key][m.role] += 1
                if m.institution:
                    institutions.add(key)
                if m.after_the:
                    after_the.add(key)
                if m.place:
                    places.add(key)
                display.setdefault(key, _display(m, key))
        # Longer names first, so a short one finds the full names it may stand for among the
        # keys already placed that share its last word.
        keys_with: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for key in checked(sorted(cleaned, key=lambda k: (-len(k), -cleaned[k], k)), check):
            owner = self._owner(key, keys_with)
            if owner is None:
                self._by_key[key] = len(self.entities)
                self.entities.append(Entity(display[key], key, aliases={key}))
            else:
                self._by_key[key] = owner
                self.entities[owner].aliases.add(key)
            for token in set(key):
                keys_with[token].append(key)
            entity = self.entities[self._by_key[key]]
            entity.person = entity.person or votes[key] > 0
            entity.institution = entity.institution or key in institutions
            entity.after_the = entity.after_the or key in after_the
            entity.place = entity.place or key in places
            entity.roles.update(roles[key])

    def _reported(self, stage: str, items: Iterable[T], total: int) -> Iterator[T]:
        count = None if self._progress is None else partial(self._progress, stage)
        return reported(items, total, count)

    def _clean_key(self, mention: Mention) -> tuple[str, ...]:
        """The mention's key without place words glued to the name ("Azerbaijan Jeyhun
        Bayramov" after "Minister of Foreign Affairs of the Republic of")."""
        key = mention.key
        if key in self._dropped:
            return ()
        while len(key) > 2 and key[0] in self._standalone:
            key = key[1:]
        # "Sheikh Hamad bin Nasser Al Kuwari": a surname after a particle is part of the name.
        while len(key) > 2 and key[-1] in self._standalone and key[-2] not in PARTICLES:
            key = key[:-1]
        # "President of Kenya Daniel Mwangi", where "Daniel Mwangi" is also written alone.
        if len(key) > 2 and mention.after_of and not mention.role and key[1:] in self._keys:
            key = key[1:]
        if len(key) == 2 and key[0] in self._standalone and key[1] not in self._standalone:
            key = key[1:]
        return key

    def _owner(
        self, key: tuple[str, ...], keys_with: dict[str, list[tuple[str, ...]]]
    ) -> int | None:
        """The one longer-named entity this shorter name stands for, if exactly one: looked
        for among the names sharing its last word, not among all names (which made grouping
        quadratic in the number of names)."""
        words = set(key)
        owners = {
            self._by_key[k]
            for k in keys_with.get(key[-1], ())
            if len(k) > len(key) and words <= set(k)
        }
        return owners.pop() if len(owners) == 1 else None

    def number_of(self, name: str) -> int | None:
        """The number of the entity a display name stands for."""
        return self._by_key.get(name_key(name))

    def match(self, text: str) -> list[NameMatch]:
        """Entities named in a question, best first; fuzzy on words that are no common word:
        the more names a corpus holds, the likelier an ordinary word ("come") is one letter
        away from one ("Comex")."""
        found: dict[int, dict[str, tuple[str, float]]] = defaultdict(dict)
        # In the question's order, so that equal matches come out the same on every run.
        for word in dict.fromkeys(w for w in words(text) if w not in STOPWORDS and len(w) > 1):
            hits = [(word, 100.0)] if word in self._tokens else []
            if not hits and len(word) >= 4 and word not in self._common:
                hits = [
                    (token, score)
                    for token, score, _ in process.extract(
                        word,
                        self.fuzzy_choices(),
                        scorer=fuzz.ratio,
                        limit=3,
                        score_cutoff=MIN_NAME_SIMILARITY,
                    )
                ]
            for token, score in hits:
                for entity in self._tokens[token]:
                    if score > found[entity].get(word, ("", 0.0))[1]:
                        found[entity][word] = (token, score)
        results = [
            NameMatch(entity, self._name_score(entity, scores), tuple(sorted(scores)))
            for entity, scores in found.items()
        ]
        results.sort(
            key=lambda m: (
                -m.score,
                not self.entities[m.entity].person,
                -len(self.entities[m.entity].passages),
                m.entity,
            )
        )
        return results

    def _name_score(self, entity: int, matched: dict[str, tuple[str, float]]) -> float:
        """0-100: the share of the best-fitting alias that the question spells out, where a
        surname alone counts nearly as much as the full name ("Bayramov" for Jeyhun Bayramov)."""
        best = 0.0
        tokens = {token: score for token, score in matched.values()}
        for alias in self.entities[entity].aliases:
            shared = [tokens[t] for t in alias if t in tokens]
            if not shared:
                continue
            share = sum(shared) / len(alias)
            if alias[-1] in tokens:
                share = max(share, 0.9 * tokens[alias[-1]])
            best = max(best, share)
        return best


_KEY_JOIN = "\x1f"
"""Joins a name key's words into one string for the packed table; no name word holds it."""


class _KeyNumbers(Mapping[tuple[str, ...], int]):
    """Entity numbers by name key, read from a packed table."""

    def __init__(self, table: PackedGroups) -> None:
        self._table = table

    def __getitem__(self, key: tuple[str, ...]) -> int:
        return int(self._table[_KEY_JOIN.join(key)][0])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and _KEY_JOIN.join(key) in self._table

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return (tuple(k.split(_KEY_JOIN)) for k in self._table)

    def __len__(self) -> int:
        return len(self._table)


class _TokenEntities(Mapping[str, set[int]]):
    """The entities whose names hold a word, read from a packed table."""

    def __init__(self, table: PackedGroups) -> None:
        self._table = table

    def __getitem__(self, token: str) -> set[int]:
        return set(self._table[token].tolist())

    def __contains__(self, token: object) -> bool:
        return token in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def leading_numbers(entities: Sequence[Entity], numbers: Iterable[int]) -> list[int]:
    """Of the entities numbered, the ``LEADING`` people with a full name in most passages."""
    people = [n for n in numbers if entities[n].person and len(entities[n].key) > 1]
    people.sort(key=lambda n: (-len(entities[n].passages), entities[n].name))
    return people[:LEADING]


def _display(mention: Mention, key: tuple[str, ...]) -> str:
    """The mention as written, trimmed to the words its cleaned key kept."""
    written = re.sub(r"['’`]s$", "", mention.name).split()
    for start in range(len(written) - len(key) + 1):
        if name_key(" ".join(written[start : start + len(key)])) == key:
            return " ".join(written[start : start + len(key)])
    return " ".join(written)


def _common_words(texts: Iterable[str]) -> frozenset[str]:
    """Words the corpus writes in lower case, plus stopwords: never the start of a name."""
    lower = {w for t in texts for w in re.findall(r"(?<![\w.])[a-z][a-z]+\b", t)}
    return frozenset(lower | STOPWORDS | {fold(w) for w in lower})
