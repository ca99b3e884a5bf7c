"""One ranking model for every question: candidate sentences scored as weights · features.

BM25 proposes passages (over the whole folder, and within the articles of the people the
question names); every sentence of those passages is a candidate. ``retrieval.features``
turns each into numbers and the model adds them up with the weights of the question's
intent, read from ``config/ranking.json``. A question is answered only when its best
candidate reaches the intent's threshold, chosen on question sets like the weights, so
"not found" is one calibrated decision rather than the sum of many hard gates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import fuzz, process

from retrieval.articles import looks_like_headline
from retrieval.corpus import Corpus, Sentence
from retrieval.dates import names_a_day
from retrieval.events import MeetingEvent, places_set_in
from retrieval.features import FEATURES, Evidence, contradicts
from retrieval.index import PREFIX_MATCH, Holders
from retrieval.names import CALENDAR, DATELINE_PLACE, MODIFIERS, PERSON_TITLES
from retrieval.questions import Intent, Question, placed_words
from retrieval.tokens import stem_all, tokenize, words

WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "config" / "ranking.json"
_CANDIDATE_PASSAGES = 40
"""Passages BM25 proposes from the folder, and again from the named people's articles."""
_SPELLING = 75
"""rapidfuzz ratio at which a question word is taken for a name's spelling in the articles."""
_MODIFIER_REACH = 2
"""Words before a title that can make it another one ("Deputy Prime Minister")."""
_MODIFIERS = frozenset(stem_all(MODIFIERS))
_POSSESSIVE = re.compile(r"\b[\w-]+['’]s\b")
"""A possessive name ("Tokyo's partners") stands for the people of a place, not for it."""
_ASKS_NEGATION = frozenset("not never fail failed cancel cancelled didn".split())


@dataclass(frozen=True)
class RankingModel:
    weights: Mapping[str, Mapping[str, float]]
    """Per intent, each feature's weight."""
    thresholds: Mapping[str, float]
    """Per intent, the score the best candidate needs for the question to be answered."""

    @classmethod
    def from_file(cls, path: Path = WEIGHTS_FILE) -> RankingModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = cls(data["weights"], data["thresholds"])
        unknown = {f for w in model.weights.values() for f in w} - FEATURES.keys()
        if unknown:
            raise ValueError(f"{path}: unknown features {sorted(unknown)}")
        return model

    def contributions(self, intent: Intent, evidence: Evidence) -> dict[str, float]:
        return {
            name: weight * FEATURES[name](evidence)
            for name, weight in self.weights[intent.value].items()
        }

    def threshold(self, intent: Intent) -> float:
        return self.thresholds[intent.value]


@cache
def default_model() -> RankingModel:
    return RankingModel.from_file()


@dataclass(frozen=True, slots=True)
class Candidate:
    passage: int
    sentence: Sentence
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Scored:
    passage: int
    sentence: Sentence
    score: float
    contributions: Mapping[str, float]
    evidence: Evidence


def candidates(
    corpus: Corpus,
    question: Question,
    asked: Sequence[int],
    people: int,
    rule_passages: Sequence[int],
) -> list[Candidate]:
    """Every sentence of the passages BM25 and the name-driven search propose, with its
    evidence: what the model scores, whatever its weights. ``asked`` lists the people the
    question names first, ``people`` of them."""
    context = _Context(corpus, question, asked, people, rule_passages)
    return [
        Candidate(passage, sentence, context.evidence(passage, sentence, relative_bm25))
        for passage, relative_bm25 in context.passages().items()
        for sentence in corpus.sentences(passage)
    ]


def rank(found: Sequence[Candidate], intent: Intent, model: RankingModel) -> list[Scored]:
    """Each passage's best sentence, best first."""
    best: dict[int, Scored] = {}
    for candidate in found:
        if contradicts(candidate.evidence):
            continue
        parts = model.contributions(intent, candidate.evidence)
        scored = Scored(
            candidate.passage,
            candidate.sentence,
            sum(parts.values()),
            parts,
            candidate.evidence,
        )
        if candidate.passage not in best or scored.score > best[candidate.passage].score:
            best[candidate.passage] = scored
    return sorted(best.values(), key=lambda s: (-s.score, s.passage))


class _Context:
    """The question-wide facts candidates are compared on, worked out once per question."""

    def __init__(
        self,
        corpus: Corpus,
        question: Question,
        asked: Sequence[int],
        people: int,
        rule_passages: Sequence[int],
    ) -> None:
        self.corpus = corpus
        self.question = question
        self.asked = list(dict.fromkeys(asked))
        self.rule_rank = {p: i for i, p in reversed(list(enumerate(rule_passages)))}
        self.content = self._content_terms()
        self.weights = {t: corpus.index.idf(t) for t in self.content}
        self.asks_negation = not _ASKS_NEGATION.isdisjoint(question.text.lower().split())
        self.asks_day = question.intent is Intent.WHEN or names_a_day(question.text)
        self.places = stem_all(placed_words(question.text))
        role = [] if people else [w for w in question.role_words if w in PERSON_TITLES]
        self.titles = frozenset(stem_all(role))
        self.modifiers = frozenset(stem_all(question.role_words)) & _MODIFIERS
        self._passages: dict[int, tuple[float, int]] = {}
        self._holders = Holders(corpus.index)
        self._articles: dict[str, tuple[float, int]] = {}
        self._denials: dict[str, bool] = {}
        self._asked_articles = [self._articles_of(e) for e in self.asked]

    def _content_terms(self) -> list[str]:
        """What an answer should say: for a fact question all its words; for a meeting,
        when or topic question the names and qualifiers, since meetings are worded many
        ways ("sat down with", "held discussions")."""
        question = self.question
        terms = question.terms if question.intent is Intent.FACT else question.topic_terms
        named = stem_all(w for m in question.names for w in m.words)
        typed = list(dict.fromkeys([*terms, *named]))
        written = [self._as_written(t) for t in typed]
        # All or nothing: a word no article uses beside the respelt name ("Tanou" in "Tanou
        # Grechoan" for "Sheacheadre Grecheaan") says the question means someone else.
        if any(not self.corpus.index.doc_freq(t) for t in written):
            return typed
        return written

    def _as_written(self, term: str) -> str:
        """A question word no article uses, that names someone asked about, as the articles
        write it ("weizsack" for "Weizsäcker" is "weizsaeck"): else a misspelt name would
        weigh against every passage that names the person."""
        if self.corpus.index.doc_freq(term):
            return term
        written = stem_all(w for e in self.asked for w in self.corpus.entities.entities[e].key)
        best = process.extractOne(term, written, scorer=fuzz.ratio, score_cutoff=_SPELLING)
        return best[0] if best else term

    def _articles_of(self, entity: int) -> set[str]:
        return self.corpus.articles_of(self.corpus.entities.entities[entity].passages)

    def passages(self) -> dict[int, float]:
        """Candidate passages with their BM25 score relative to the best one's."""
        index, terms = self.corpus.index, list(self.question.terms)
        hits = list(index.search(terms, _CANDIDATE_PASSAGES))
        within = self._named_passages()
        if len(within):
            hits += index.search(terms, _CANDIDATE_PASSAGES, within)
        scores: dict[int, float] = {}
        for hit in hits:
            scores[hit.passage] = max(hit.score, scores.get(hit.passage, 0.0))
        for passage in self.rule_rank:
            scores.setdefault(passage, 0.0)
        top = max(scores.values(), default=0.0)
        return {p: (s / top if top > 0 else 0.0) for p, s in scores.items()}

    def _named_passages(self) -> Collection[int]:
        """The passages of the articles that name everyone asked about (or, when no article
        names them all, anyone asked about)."""
        if not self._asked_articles:
            return []
        articles = set.intersection(*self._asked_articles) or set.union(*self._asked_articles)
        return self.corpus.passages_of(articles)

    def evidence(self, passage: int, sentence: Sentence, relative_bm25: float) -> Evidence:
        corpus = self.corpus
        article_id = corpus.article_of(passage)
        located = corpus.entities.in_passage[passage]
        in_sentence = {
            loc.entity for loc in located if sentence.start <= loc.mention.start < sentence.end
        }
        before = [s for s in corpus.sentences(passage) if s.end <= sentence.start][-1:]
        nearby = in_sentence | {
            loc.entity for s in before for loc in located if s.start <= loc.mention.start < s.end
        }
        in_passage = {loc.entity for loc in located}
        entities = corpus.entities.entities
        asked = set(self.asked)
        passage_share, places_in_passage = self._passage_facts(passage)
        article_share, places_in_article = self._article_facts(article_id)
        others = [e for e in in_sentence - asked if entities[e].may_be_person]
        # The sentence's meeting as read at build time (None: it reports none).
        event = corpus.events.at(passage, sentence.start)
        return Evidence(
            bm25=relative_bm25,
            sentence_share=self._share(frozenset(tokenize(sentence.text))),
            passage_share=passage_share,
            article_share=article_share,
            asked=len(self.asked),
            asked_in_sentence=len(asked & in_sentence),
            asked_in_passage=len(asked & in_passage),
            asked_in_article=sum(article_id in a for a in self._asked_articles),
            tense=sentence.tense,
            others_in_sentence=len(others),
            negated=event is not None and event.negated,
            dated=names_a_day(sentence.text),
            asks_day=self.asks_day,
            asked_nearby=len(asked & nearby),
            rule_rank=self.rule_rank.get(passage),
            rule_found=bool(self.rule_rank),
            named_in_sentence=len(in_sentence - asked),
            paragraph=corpus.passages[passage].paragraph,
            future=self.question.future,
            asks_negation=self.asks_negation,
            asks_meeting=self.question.intent in (Intent.MEETING, Intent.WHEN),
            frame=self._frame(event, nearby),
            tied=self._tied(event, nearby),
            role_asked=bool(self.titles),
            role_fits=bool(self.titles) and self._role_fits(passage, sentence),
            headline=sentence.text.strip() == corpus.passages[passage].text.strip()
            and looks_like_headline(sentence.text),
            places_asked=len(self.places),
            places_in_passage=places_in_passage,
            places_in_article=places_in_article,
            placed_elsewhere=self._placed_elsewhere(passage, event, places_in_passage),
            denied_in_article=self._denies_pair(article_id)
            and not self._reports_pair(event, nearby),
        )

    def _passage_facts(self, passage: int) -> tuple[float, int]:
        """The share of the question's terms the passage holds, and of its places; read off
        the terms' postings once per passage rather than by re-reading the passage."""
        facts = self._passages.get(passage)
        if facts is None:
            facts = self._facts_of((passage,))
            self._passages[passage] = facts
        return facts

    def _article_facts(self, article_id: str) -> tuple[float, int]:
        facts = self._articles.get(article_id)
        if facts is None:
            facts = self._facts_of(self.corpus.article_passages[article_id])
            self._articles[article_id] = facts
        return facts

    def _facts_of(self, passages: Sequence[int]) -> tuple[float, int]:
        total = sum(self.weights.values())
        found = sum(w for t, w in self.weights.items() if self._held(t, passages))
        places = sum(self._held(t, passages) for t in self.places)
        return (found / total if total else 0.0), places

    def _held(self, term: str, passages: Sequence[int]) -> bool:
        return self._holders.any_of(term, passages)

    def _frame(self, event: MeetingEvent | None, nearby: set[int]) -> bool:
        """Whether a meeting link in the sentence has someone asked about on one side and
        someone else (or the other person asked about) on the other. A sentence that names
        no one asked about may still refer back to them ("He met ...")."""
        if event is None:
            return False
        asked = set(self.asked)
        referred = not event.named & asked and bool(asked & nearby)
        for link in event.links:
            if (link.before & asked or referred) and link.after - asked:
                return True
            if link.before - asked and link.after & asked:
                return True
            if len((link.before | link.after) & asked) > 1 and link.after & asked:
                return True
        return False

    def _tied(self, event: MeetingEvent | None, nearby: set[int]) -> bool:
        if event is None:
            return False
        asked = set(self.asked)
        if event.links and not event.named & asked and asked & nearby:
            return True
        return any((link.before | link.after) & asked for link in event.links)

    def _denies_pair(self, article_id: str) -> bool:
        """Whether the article denies a meeting between two of the people asked about: it
        names two of them, and a sentence saying there was no meeting ("did not meet with
        Jorge Cardenas") names one."""
        if len(self.asked) < 2:
            return False
        denied = self._denials.get(article_id)
        if denied is None:
            denied = sum(article_id in a for a in self._asked_articles) > 1 and any(
                self._denial_names_asked(p) for p in self.corpus.article_passages[article_id]
            )
            self._denials[article_id] = denied
        return denied

    def _denial_names_asked(self, passage: int) -> bool:
        asked = set(self.asked)
        return any(e.negated and e.named & asked for e in self.corpus.events.in_passage(passage))

    def _reports_pair(self, event: MeetingEvent | None, nearby: set[int]) -> bool:
        """Whether the sentence reports a meeting that ties two people asked about."""
        if event is None or event.negated:
            return False
        asked = set(self.asked)
        referred = asked & nearby
        return any(
            (link.before & asked or referred)
            and link.after & asked
            and len((link.before | link.after | referred) & asked) > 1
            for link in event.links
        )

    def _role_fits(self, passage: int, sentence: Sentence) -> bool:
        before = [s for s in self.corpus.sentences(passage) if s.end <= sentence.start][-1:]
        for text in (sentence.text, *(s.text for s in before)):
            stems = stem_all(words(text))
            at = [i for i, stem in enumerate(stems) if stem in self.titles]
            if not self.titles <= set(stems):
                continue
            if any(
                not (set(stems[max(0, i - _MODIFIER_REACH) : i]) & _MODIFIERS) - self.modifiers
                for i in at
            ):
                return True
        return False

    def _placed_elsewhere(
        self, passage: int, event: MeetingEvent | None, places_in_passage: int
    ) -> bool:
        """Whether the sentence's meeting, or the article's opening (headline, dateline), is
        set somewhere, while none of the question's places is in the passage or the
        opening."""
        if not self.places or (places_in_passage and self._names_place(passage)):
            return False
        article_id = self.corpus.article_of(passage)
        first = self.corpus.article_passages[article_id][0]
        if any(self._held(t, (first,)) for t in self.places) and self._names_place(first):
            return False
        opening = self.corpus.sentences(first)[0].text
        title = self.corpus.articles[article_id].title
        places = [*(event.places if event else ()), *places_set_in(opening), *places_set_in(title)]
        if dateline := DATELINE_PLACE.match(opening):
            places.append(dateline.group(1))
        return any(not CALENDAR & {w.lower() for w in p.split()} for p in places)

    def _names_place(self, passage: int) -> bool:
        """Whether the passage names a place asked about as a place: "Tokyo's partners" names
        Japan's government, not where anyone met."""
        text = _POSSESSIVE.sub("", self.corpus.passages[passage].text)
        present = frozenset(tokenize(text))
        return any(holds(t, present) for t in self.places)

    def _share(self, present: Collection[str]) -> float:
        total = sum(self.weights.values())
        if not total:
            return 0.0
        found = sum(w for t, w in self.weights.items() if holds(t, present))
        return found / total


def holds(term: str, present: Collection[str]) -> bool:
    """The term, or a longer form the stemmer left apart ("grow" and "grown", "kazakh" and
    "kazakhstan")."""
    if term in present:
        return True
    return len(term) >= PREFIX_MATCH and any(
        t.startswith(term) for t in present if t[:4] == term[:4]
    )
