"""From a question to the passages that answer it, or to nothing when none does.

``analyse`` reads the question and gathers candidates: BM25's passages (in
``retrieval.ranking``) and those found by following the question's names (meeting sentences
that name the people asked about, or BM25 within their articles, with who met whom read from
them). ``decide`` ranks the candidates with the ranking model and keeps those above its
threshold; a who-met-whom reading is kept only where its passage bears it out, so the line
above a quote never says more than the quote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz

from retrieval.corpus import Corpus, Sentence
from retrieval.entities import NameMatch
from retrieval.events import MeetingEvent
from retrieval.index import Hit, Holders
from retrieval.meetings import Tense, meeting_verb
from retrieval.names import DATELINE_PLACE, MODIFIERS, ORG_WORDS, PERSON_TITLES, TITLES, name_key
from retrieval.questions import Intent, Question, parse_question
from retrieval.ranking import (
    Candidate,
    RankingModel,
    Scored,
    candidates,
    default_model,
    rank,
)
from retrieval.tokens import STOPWORDS, stem_all, tokenize, words

MIN_COVERAGE = 0.65
"""Share of the question's term weight a passage must contain to count as an answer."""
MIN_ROLE_MATCH = 0.6
"""Share of a role description ("the Soviet foreign minister") a person's context must match."""
DUPLICATE_SIMILARITY = 90
"""rapidfuzz ratio at which two passages are copies of one story."""
CANDIDATES = 200
MEETING_ARTICLES = 200
"""Articles reporting a person's meetings read in full for one question, the question's best
by BM25 when there are more: a much-reported person (or a folder of many copies) has
thousands, and each costs every one of its passages' words."""
_DISCUSSION = frozenset(
    stem_all("discussed agreed focused covered exchanged reviewed raised".split())
)
"""Stems of passages that report what was talked about, preferred for "what did they discuss"."""
_DISCUSSED = frozenset(stem_all("discussed focused covered agreed".split()))
"""The plainest ways of saying what a conversation was about."""
_TALK_WORDS = frozenset(
    stem_all(
        "talks meeting met sides side two issues issue mutual interest views opinions other "
        "parties officials matters".split()
    )
)
"""Words of a passage that says a conversation took place, not what it was about."""
_REPORTED = frozenset(stem_all("told said says tell urged asked".split()))
_ASKS_SPEECH = re.compile(r"\b(?:tell|told|say|said|ask|asked|urge|urged)\b", re.IGNORECASE)
_GROUP = re.compile(
    r"\b(?:the two|both (?:sides|men|ministers|leaders)|the sides|the parties|they|"
    r"the (?:discussions?|talks|meeting|conversation|interlocutors))\b",
    re.IGNORECASE,
)
"""How a passage refers to both people, or to their meeting, at once."""
_FRAME = frozenset(
    stem_all(
        "level amount number figure total reach reached fast quickly far big large size kind "
        "type happen happened exactly approximately roughly much many".split()
    )
)
"""Words that frame a fact question ("what level did output reach") without being part of
the answer: the answer need not contain them."""
MAX_FINDINGS = 5
_PASSAGES_PER_ARTICLE = 2
_PLACE_NAME = (
    r"(?:the\s+)?(?:(?:port|city|capital|town|province|region)\s+of\s+)?((?:[A-Z][\w'’-]*\s*){1,3})"
)
_PLACE_PHRASE = re.compile(r"\b(?:in|at|to|visit|visits|visited|visiting)\s+" + _PLACE_NAME)
_VISIT_PHRASE = re.compile(
    r"\b(?:visit|visits|visited|visiting|arrived in|arrives in|trip to|tour of|toured)\s+"
    + _PLACE_NAME
)
_MODIFIERS = frozenset(stem_all(MODIFIERS))
_NEAR_VERB = 80
"""Characters between a name and the meeting verb within which the name is its subject or
object."""
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+|also\s+)?$", re.IGNORECASE)
_WORDS_BEFORE = 8
_WORDS_AFTER = 3


@dataclass(frozen=True, slots=True)
class Finding:
    passage: int
    score: float
    tense: Tense = Tense.NONE
    subject: str = ""
    counterparts: tuple[str, ...] = ()
    verb: str = ""
    """How the article words the meeting ("received"), for the reply."""
    subject_acts: bool = True
    """The subject is the one who met/received/visited, not the one received."""
    event_date: dt.date | None = None
    copies: tuple[str, ...] = ()
    features: Mapping[str, float] = field(default_factory=dict)
    """Each ranking feature's contribution to the score, for ``ask --json``."""
    tied: bool = False
    """A meeting link of the quoted sentence ties its meeting to someone asked about: only
    then is it theirs to call planned ("would involve long negotiations" is nobody's)."""


@dataclass(frozen=True)
class Result:
    question: Question
    findings: tuple[Finding, ...]
    about: tuple[str, ...] = ()
    """Who the question was understood to be about, for the reply's wording."""
    more_counterparts: tuple[str, ...] = ()
    """Who else the articles report meetings with, beyond the findings shown."""


@dataclass(frozen=True)
class Analysis:
    """What a question and the corpus offer before any weighing: the ranking model's input,
    kept apart so the weights can be tuned without searching again."""

    question: Question
    asked: tuple[int, ...]
    """The people, places and institutions the question names, people first."""
    people: int
    """How many of ``asked`` are people."""
    matched: tuple[Finding, ...]
    """Meeting sentences (or passages) found by following the question's names."""
    candidates: tuple[Candidate, ...]


def find(corpus: Corpus, text: str, model: RankingModel | None = None) -> Result:
    return decide(corpus, analyse(corpus, text), model or default_model())


def analyse(corpus: Corpus, text: str) -> Analysis:
    question = parse_question(text, corpus.entities)
    people, others = _subjects(corpus, question)
    matched = _name_driven(corpus, question, people, others)
    asked = _distinct(question, people + others)
    named_people = sum(e in people for e in asked)
    found = candidates(corpus, question, asked, named_people, [f.passage for f in matched])
    return Analysis(question, tuple(asked), named_people, tuple(matched), tuple(found))


def _distinct(question: Question, entities: list[int]) -> list[int]:
    """One entity per stretch of the question: "Daniel arap Moi" may match "Daniel arap
    Moi", "Moi" and "Daniel"; the best match stands for the person."""
    words_of = {}
    for m in question.names:
        words_of.setdefault(m.entity, set(m.words))
    kept: list[int] = []
    taken: set[str] = set()
    for entity in entities:
        spelt = words_of.get(entity, set())
        if spelt & taken:
            continue
        kept.append(entity)
        taken |= spelt
    return kept


def decide(corpus: Corpus, analysis: Analysis, model: RankingModel) -> Result:
    question = analysis.question
    ranked = rank(analysis.candidates, question.intent, model)
    findings = _answers(corpus, question, ranked, list(analysis.matched), model)
    names = tuple(corpus.entities.entities[e].name for e in analysis.asked)
    folded = _fold_copies(corpus, findings)
    shown = folded[:MAX_FINDINGS]
    named = {n for f in shown for n in f.counterparts}
    more = (n for f in folded[MAX_FINDINGS:] for n in f.counterparts if n not in named)
    return Result(question, tuple(shown), names, tuple(dict.fromkeys(more)))


def _name_driven(
    corpus: Corpus, question: Question, people: list[int], others: list[int]
) -> list[Finding]:
    """The passages found by following the question's names: meeting sentences that name
    them, or BM25 within their articles. The ranking model weighs these against what BM25
    finds over the whole folder."""
    if question.intent in (Intent.MEETING, Intent.WHEN) and (people or others):
        if people:
            return _meetings(corpus, question, people, others)
        if _describes_someone(question):
            # "Who did the Mexican president meet?" when no one fits: the words around the
            # role ("Mexican") are not who the question is about.
            return []
        return _meetings(corpus, question, others, [])
    return _passages(corpus, question, people, others)


def _answers(
    corpus: Corpus,
    question: Question,
    ranked: list[Scored],
    matched: list[Finding],
    model: RankingModel,
) -> list[Finding]:
    """The ranked candidates that reach the intent's threshold, as findings: a meeting the
    name-driven search read (who met whom) keeps that reading, any other candidate is
    quoted as it stands. Up to two passages per article: the next paragraph often completes
    the first (the dateline sentence names the meeting, the next one who was there)."""
    by_passage = {f.passage: f for f in reversed(matched)}
    per_article = _PASSAGES_PER_ARTICLE
    count: dict[str, int] = {}
    findings: list[Finding] = []
    for scored in ranked:
        if scored.score < model.threshold(question.intent):
            break
        article_id = corpus.article_of(scored.passage)
        if count.get(article_id, 0) >= per_article:
            continue
        count[article_id] = count.get(article_id, 0) + 1
        reading = by_passage.get(scored.passage)
        if reading is not None and (true := _true_reading(corpus, reading, scored.sentence)):
            findings.append(replace(true, score=scored.score, features=scored.contributions))
        else:
            findings.append(_as_quoted(corpus, question, scored))
    return findings


def _true_reading(corpus: Corpus, finding: Finding, sentence: Sentence) -> Finding | None:
    """The who-met-whom reading cut down to what its passage reports, or None when nothing
    of it stands: everyone it names is in the passage, each counterpart is tied to the
    subject by a meeting link in one sentence ("X met Y", "talks with Y", "Y was received
    by X") and is a person or a named group (not "Extraordinary", "Budapest", "Information
    Technology"), the passage denies no meeting, and the quoted sentence is as held or as
    planned as the reading."""
    if not finding.subject:
        return finding
    text = corpus.passages[finding.passage].text
    if any(event.negated for event in corpus.events.in_passage(finding.passage)):
        return None
    if sentence.tense is not Tense.NONE and sentence.tense is not finding.tense:
        return None
    # A name is only as good as its own words in the passage: "Washington Post" may have
    # absorbed every "Washington" of the folder, but the passage must write "Post".
    present = set(words(text))

    def written(name: str) -> bool:
        key = name_key(name)
        return bool(key) and key[-1] in present and not _part_of_a_longer_name(name, text)

    subject = corpus.entities.number_of(finding.subject)
    if (
        not written(finding.subject)
        or subject is None
        or not _is_someone(corpus, finding.subject, text)
        or not any(loc.entity == subject for loc in corpus.entities.in_passage[finding.passage])
    ):
        return None
    links = {
        name: link
        for name in finding.counterparts
        if written(name)
        and _is_someone(corpus, name, text)
        and (link := _link(corpus, finding.passage, subject, name)) is not None
    }
    if not links:
        return None
    # The verb of the link that names the first counterpart: in "visited the port and sat
    # down with the minister" the minister was sat down with, not visited.
    verb = meeting_verb(next(iter(links.values())))
    return replace(finding, counterparts=tuple(links), verb=verb[0] if verb else finding.verb)


def _part_of_a_longer_name(name: str, text: str) -> bool:
    """Whether the passage writes the name only as the start of a longer one ("Action
    Henrik" in "Climate Action Henrik Schäfer"): the name finder cut it short, and a reply
    must not name someone the article does not."""
    after = [text[m.end() :] for m in re.finditer(re.escape(name), text)]
    return bool(after) and all(_CAPITALISED_NEXT.match(tail) for tail in after)


_CAPITALISED_NEXT = re.compile(r"[ \t]+[A-Z][a-z]")
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|at|to|from|of|for|near|into|on)\s+(?:the\s+)?$", re.I)


_IN_A_TITLE = re.compile(
    r"\b(?:" + "|".join(sorted(PERSON_TITLES | {"ministry", "department"})) + r")\s+(?:of|for)\s+"
    r"(?:[\w'’-]+,?\s+){0,6}(?:and|&)\s+$",
    re.IGNORECASE,
)
"""The end of a title that the name continues: "Minister of Economic Affairs and" before
"Information Technology"."""


def _is_someone(corpus: Corpus, name: str, text: str) -> bool:
    """A person, or a name of several words none of which is a title or an institution word
    (a group such as "House Agriculture Committee" is named by its own words); never a name
    the passage only writes after a preposition or inside a title, as places and portfolios
    are ("in Budapest", "Minister of Economic Affairs and Information Technology")."""
    at = [m.start() for m in re.finditer(re.escape(name), text)]
    if at and all(
        _PREPOSITION_BEFORE.search(text[:start])
        or _IN_A_TITLE.search(text[max(0, start - 120) : start])
        for start in at
    ):
        return False
    number = corpus.entities.number_of(name)
    if number is not None and corpus.entities.entities[number].person:
        return True
    key = name_key(name)
    return len(key) > 1 and not (set(key) & (TITLES | ORG_WORDS))


def _link(corpus: Corpus, passage: int, subject: int, name: str) -> str | None:
    """The meeting link (from its first word to the sentence's end) by which a sentence of
    the passage ties the counterpart to the subject: one before the link and the other
    after it, or both after it ("talks between X and Y"); a sentence that names the
    counterpart alone after a link may refer back to the subject ("He met Y")."""
    other = corpus.entities.number_of(name)
    text = corpus.passages[passage].text
    for event in corpus.events.in_passage(passage):
        for link in event.links:
            if other in link.after and (
                subject not in event.named or subject in link.before | link.after
            ):
                return text[event.start + link.start : event.end]
            if subject in link.after and other in link.before:
                return text[event.start + link.start : event.end]
    return None


def _as_quoted(corpus: Corpus, question: Question, scored: Scored) -> Finding:
    """A candidate quoted without a who-met-whom reading; a meeting sentence still gives
    its tense and day."""
    event = corpus.events.at(scored.passage, scored.sentence.start)
    tense = event.tense if event and question.intent is not Intent.FACT else Tense.NONE
    when = event.date if event and tense is not Tense.NONE else None
    return Finding(
        scored.passage,
        scored.score,
        tense=tense,
        event_date=when,
        features=scored.contributions,
        tied=scored.evidence.tied,
    )


def _subjects(corpus: Corpus, question: Question) -> tuple[list[int], list[int]]:
    """The people the question is about (named, else the one its role words describe), and
    the places and institutions it names."""
    entities = corpus.entities.entities

    def is_person(match: NameMatch) -> bool:
        # A name spelt out exactly, never marked as a place or institution, is taken for
        # a person even when no title says so ("the head of the Bank of Spain, Mariano Rubio").
        # Not when the question describes someone by title: "West Germany" in "West
        # Germany's finance minister" belongs to the description.
        entity = entities[match.entity]
        spelt_out = set(match.words) <= {t for alias in entity.aliases for t in alias}
        # "FAO chief Saouma": a full name's surname after the title is the person meant.
        by_surname = len(entity.key) > 1 and entity.key[-1] in match.words
        return entity.person or (
            entity.may_be_person and spelt_out and (by_surname or not _describes_someone(question))
        )

    people = [m.entity for m in question.names if is_person(m)]
    others = [m.entity for m in question.names if not is_person(m)]
    if not people and _describes_someone(question):
        described = _resolve_role(corpus, question.role_words, _role_candidates(corpus, question))
        if described is not None:
            return [described], []
    return people, others


def _describes_someone(question: Question) -> bool:
    return any(w in PERSON_TITLES for w in question.role_words)


def _role_candidates(corpus: Corpus, question: Question) -> list[int]:
    terms = stem_all(question.role_words)
    hits = corpus.index.search(terms, CANDIDATES)
    return sorted({p for hit in hits for p in _people_in(corpus, hit.passage)})


def _people_in(corpus: Corpus, passage: int) -> Iterable[int]:
    entities = corpus.entities
    return (
        loc.entity for loc in entities.in_passage[passage] if entities.entities[loc.entity].person
    )


def _similar(a: str, b: str) -> bool:
    """Same stem, or one word a longer form of the other ("kazakh", "kazakhstan")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short)


def _resolve_role(
    corpus: Corpus,
    role_words: Iterable[str],
    candidates: Iterable[int],
    passages: set[int] | None = None,
) -> int | None:
    """The person a role description fits best ("the Speaker of the Milli Majlis"): their
    title must stand right by their name; the other words count fully there, less in a
    passage that names them, and little elsewhere in their articles."""
    role = [w for w in role_words if w not in STOPWORDS and not w.isdigit()]
    wanted = {stem: corpus.index.idf(stem) for stem in stem_all(role)}
    titles = set(stem_all(w for w in role if w in PERSON_TITLES))
    asked_modifiers = _MODIFIERS & set(stem_all(role))
    # Words that say whose official it is ("Japan", "Soviet"): one of them has to fit.
    owners = set(stem_all(w for w in role if w not in TITLES and w not in ORG_WORDS))
    total = sum(wanted.values())
    if not total:
        return None
    best, best_score = None, 0.0
    for entity in candidates:
        close = set(stem_all(_context_words(corpus, entity, passages)))
        matched = {stem for stem in wanted if any(_similar(stem, c) for c in close)}
        if not titles <= matched:
            continue
        # "the Prime Minister" is not the Deputy Prime Minister.
        roles = set(
            stem_all(w for role in corpus.entities.entities[entity].roles for w in words(role))
        )
        if (_MODIFIERS & roles) - asked_modifiers:
            continue
        near = _passage_terms(corpus, entity, passages)
        if owners and not any(_similar(o, t) for o in owners for t in matched | near):
            continue
        around = _article_terms(corpus, entity, passages)
        score = sum(
            w * (1.0 if stem in matched else 0.75 if stem in near else 0.25 * (stem in around))
            for stem, w in wanted.items()
        )
        if score > best_score:
            best, best_score = entity, score
    return best if best_score >= MIN_ROLE_MATCH * total else None


def _naming(corpus: Corpus, entity: int, passages: set[int] | None) -> Iterable[int]:
    """The entity's passages among ``passages`` (all of them when None), found from the
    smaller side: a common name's passages run to tens of thousands, a scope to a few."""
    mentioned = corpus.entities.entities[entity].passages
    if passages is None:
        return mentioned
    if len(passages) < len(mentioned):
        return (p for p in passages if p in mentioned)
    return (p for p in mentioned if p in passages)


def _passage_terms(corpus: Corpus, entity: int, passages: set[int] | None) -> set[str]:
    return {term for p in _naming(corpus, entity, passages) for term in corpus.index.terms(p)}


def _article_terms(corpus: Corpus, entity: int, passages: set[int] | None) -> set[str]:
    """The words of the articles that name the entity, within ``passages`` when given: then
    only the articles those passages belong to are read, not every article naming them."""
    mentioned = corpus.entities.entities[entity].passages
    if passages is None:
        articles = corpus.articles_of(mentioned)
    else:
        articles = {
            article_id
            for article_id in corpus.articles_of(passages)
            if any(p in mentioned for p in corpus.article_passages[article_id])
        }
    return {
        term
        for article_id in articles
        for p in corpus.article_passages[article_id]
        if passages is None or p in passages
        for term in corpus.index.terms(p)
    }


def _context_words(corpus: Corpus, entity: int, passages: set[int] | None) -> set[str]:
    found: set[str] = set()
    for passage in _naming(corpus, entity, passages):
        text = corpus.passages[passage].text
        for sentence in corpus.sentences(passage):
            for loc in corpus.entities.in_passage[passage]:
                if loc.entity == entity and sentence.start <= loc.mention.start < sentence.end:
                    before = words(text[sentence.start : loc.mention.start])[-_WORDS_BEFORE:]
                    after = words(text[loc.mention.end : sentence.end])[:_WORDS_AFTER]
                    found.update(before, after, words(loc.mention.role))
    return found


def _entities_between(corpus: Corpus, passage: int, start: int, end: int) -> list[int]:
    return [
        loc.entity
        for loc in corpus.entities.in_passage[passage]
        if start <= loc.mention.start < end
    ]


def _meetings(
    corpus: Corpus, question: Question, people: list[int], places: list[int]
) -> list[Finding]:
    """Meeting sentences about the first person (with the second, when the question names
    two), best first; an article that reports meetings with different people gives each."""
    entities = corpus.entities.entities
    subject, *others = people
    other = others[0] if others else None
    # Only passages that name the subject can hold their meeting, and only those with an
    # event: the work grows with the subject's meetings, not with their articles' length.
    reporting: dict[str, list[int]] = defaultdict(list)
    for passage in corpus.events.reporting(entities[subject].passages):
        reporting[corpus.article_of(passage)].append(passage)
    if other is not None:
        with_other = corpus.articles_of(entities[other].passages)
        reporting = {a: ps for a, ps in reporting.items() if a in with_other}
    if len(reporting) > MEETING_ARTICLES:
        reporting = _most_relevant(corpus, question, reporting)
    qualifiers = _qualifiers(corpus, question) | _name_stems(question, places)
    holders = Holders(corpus.index)
    findings: list[Finding] = []
    for article_id in sorted(reporting):
        numbers = corpus.article_passages[article_id]
        if qualifiers and _coverage(corpus, numbers, qualifiers, holders) < MIN_COVERAGE:
            continue
        found = [
            finding
            for passage in reporting[article_id]
            for event in corpus.events.in_passage(passage)
            if (finding := _meeting_finding(corpus, event, subject, other, question, qualifiers))
        ]
        found.sort(key=lambda f: (-f.score, f.passage))
        kept: list[Finding] = []
        for finding in found:
            if all(set(finding.counterparts).isdisjoint(k.counterparts) for k in kept):
                kept.append(finding)
            if other is not None:
                break
        findings += kept
    findings.sort(key=lambda f: (-f.score, f.passage))
    return findings


def _most_relevant(
    corpus: Corpus, question: Question, reporting: dict[str, list[int]]
) -> dict[str, list[int]]:
    """The MEETING_ARTICLES articles whose meeting passages BM25 ranks best for the question
    (the first ones by id when it ranks none)."""
    within = [p for passages in reporting.values() for p in passages]
    hits = corpus.index.search(list(question.terms), MEETING_ARTICLES, within)
    best = {corpus.article_of(hit.passage) for hit in hits}
    best.update(sorted(reporting)[: MEETING_ARTICLES - len(best)])
    return {a: ps for a, ps in reporting.items() if a in best}


def _spelt_out_stems(corpus: Corpus, question: Question, entities: list[int]) -> set[str]:
    """Stems of the names the question writes exactly as the articles do."""
    wanted = set(entities)
    found: set[str] = set()
    for m in question.names:
        tokens = {t for alias in corpus.entities.entities[m.entity].aliases for t in alias}
        if m.entity in wanted and set(m.words) <= tokens:
            found.update(stem_all(m.words))
    return found


def _name_stems(question: Question, entities: list[int]) -> set[str]:
    """The question's words that named these entities ("in Paris", "Portuguese")."""
    wanted = set(entities)
    return set(stem_all(w for m in question.names if m.entity in wanted for w in m.words))


def _meeting_finding(
    corpus: Corpus,
    event: MeetingEvent,
    subject: int,
    other: int | None,
    question: Question,
    qualifiers: set[str],
) -> Finding | None:
    entities = corpus.entities.entities
    passage, sentence = event.passage, corpus.sentence_of(event)
    in_sentence = _entities_between(corpus, passage, sentence.start, sentence.end)
    in_passage = [loc.entity for loc in corpus.entities.in_passage[passage]]
    wanted = Tense.PLANNED if question.future else Tense.HELD
    score = 4.0 if sentence.tense is wanted else 2.0
    if subject in in_sentence:
        score += 3
    elif subject in in_passage:
        score += 1
    else:
        return None
    if other is not None:
        if other in in_sentence:
            score += 3
        elif other in in_passage:
            score += 1.5
        else:
            return None
    exclude = {subject, other}
    counterparts = [
        e for e in dict.fromkeys(in_sentence) if e not in exclude and entities[e].may_be_person
    ]
    if other is not None:
        # The question names who met: the reply names them, not everyone in the sentence.
        counterparts = [other]
    if not counterparts and other is None:
        article_id = corpus.article_of(passage)
        scope = set(corpus.article_passages[article_id])
        candidates = {p for n in scope for p in _people_in(corpus, n)} - exclude
        verb_at = (meeting_verb(sentence.text) or ("", 0))[1]
        tail = sentence.text[verb_at:]
        described = _resolve_role(corpus, words(tail)[1:], candidates, scope)
        counterparts = [described] if described is not None else []
    if not counterparts and other is None:
        return None
    score += 1.5
    score += 0.5 / (1 + corpus.passages[passage].paragraph)
    asked = set(question.terms)
    sentence_terms = set(tokenize(sentence.text))
    if asked:
        score += 2 * len(asked & sentence_terms) / len(asked)
    if qualifiers:
        # "Who did X meet in Paris?": the sentence that says Paris, over X's other meetings;
        # better still where it says the meeting was there (the dateline, "in Paris").
        score += 4 * _share(corpus, qualifiers, sentence_terms)
        score += 2 * _share(corpus, qualifiers, corpus.index.terms(passage))
        score += 3 * _share(corpus, qualifiers, _where(corpus, passage, sentence.text))
    article_id = corpus.article_of(passage)
    if question.places and not _held_at(corpus, passage, sentence.text, set(question.places)):
        return None
    named_at = [
        loc.mention.start - sentence.start
        for loc in corpus.entities.in_passage[passage]
        if loc.entity in counterparts and sentence.start <= loc.mention.start < sentence.end
    ]
    verb_found = meeting_verb(sentence.text, named_at[0] if named_at else None)
    verb, verb_at = verb_found or ("met", 0)
    subject_at = [
        loc.mention.start - sentence.start
        for loc in corpus.entities.in_passage[passage]
        if loc.entity == subject and sentence.start <= loc.mention.start < sentence.end
    ]
    # "Y was received by X": the one before the verb is the one received.
    passive = bool(_PASSIVE.search(sentence.text[:verb_at]))
    if _next_to_verb(corpus, passage, sentence, subject, verb_at if verb_found else None):
        score += 2.5
    return Finding(
        passage=passage,
        score=score,
        tense=sentence.tense,
        subject=entities[subject].name,
        counterparts=tuple(entities[e].name for e in counterparts)
        or ((entities[other].name,) if other is not None else ()),
        event_date=event.date or _dateline_day(corpus, article_id),
        verb=verb,
        subject_acts=not subject_at or (subject_at[0] < verb_at) != passive,
    )


def _next_to_verb(
    corpus: Corpus, passage: int, sentence: Sentence, subject: int, verb_at: int | None
) -> bool:
    """Whether the subject is the one meeting: no other person stands between them and the
    meeting verb ("Gafarova welcomed ...", "... received Japan's minister, Tamura"), unlike
    "Gafarova highlighted Tokayev's visit and the meetings held with Aliyev"."""
    if verb_at is None:
        return False
    verb = sentence.start + verb_at
    entities = corpus.entities.entities
    located = [
        loc for loc in corpus.entities.in_passage[passage] if sentence.start <= loc.mention.start
    ]
    for loc in located:
        if loc.entity != subject or loc.mention.start >= sentence.end:
            continue
        lo, hi = sorted((loc.mention.end, verb))
        if hi - lo > _NEAR_VERB:
            continue
        if not any(
            lo <= other.mention.start < hi
            and other.entity != subject
            and entities[other.entity].person
            for other in located
        ):
            return True
    return False


def _held_at(corpus: Corpus, passage: int, sentence: str, places: set[str]) -> bool:
    """Whether the meeting took place where the question says: its passage sets something
    there ("in Paris", "at the port of Rijeka"), the article's dateline names it, or the
    article reports a visit there ("is scheduled to visit Bishkek"); a place merely named in
    the article is not enough ("a joint commission will sit in Prague", "the Lisbon Energy
    Summit")."""
    article_id = corpus.article_of(passage)
    numbers = corpus.article_passages[article_id]
    found = [m.group(1) for m in _PLACE_PHRASE.finditer(corpus.passages[passage].text)]
    for number in numbers:
        found += [m.group(1) for m in _VISIT_PHRASE.finditer(corpus.passages[number].text)]
    if dateline := DATELINE_PLACE.match(corpus.passages[numbers[0]].text):
        found.append(dateline.group(1))
    around = set(stem_all(w for place in found for w in words(place)))
    return all(any(t.startswith(p) for t in around) for p in places)


def _where(corpus: Corpus, passage: int, sentence: str) -> set[str]:
    """Stems of the places a meeting sentence sets it in: the dateline's place, when the
    sentence opens the article, and the words after "in", "at" or "visited"."""
    places = [m.group(1) for m in _PLACE_PHRASE.finditer(sentence)]
    if corpus.passages[passage].paragraph == 0 and (dateline := DATELINE_PLACE.match(sentence)):
        places.append(dateline.group(1))
    return set(stem_all(w for place in places for w in words(place)))


def _dateline_day(corpus: Corpus, article_id: str) -> dt.date | None:
    reference = corpus.reference_date(article_id)
    return reference if reference != corpus.articles[article_id].date else None


def _qualifiers(corpus: Corpus, question: Question) -> set[str]:
    return set(question.topic_terms) - set(stem_all(question.role_words))


def _share(corpus: Corpus, terms: set[str], present: Collection[str]) -> float:
    """The idf-weighted share of the terms that are present."""
    weights = {t: corpus.index.idf(t) for t in terms}
    total = sum(weights.values())
    return sum(w for t, w in weights.items() if t in present) / total if total else 0.0


def _coverage(corpus: Corpus, passages: Sequence[int], terms: set[str], holders: Holders) -> float:
    """The idf-weighted share of the terms that one of the passages holds."""
    weights = {t: corpus.index.idf(t) for t in terms}
    total = sum(weights.values())
    present = sum(w for t, w in weights.items() if holders.any_of(t, passages))
    return present / total if total else 1.0


def _passages(
    corpus: Corpus, question: Question, people: list[int], others: list[int]
) -> list[Finding]:
    """BM25 over the passages of the articles that name the question's people, kept only
    when they hold most of its other distinctive words; places and institutions it names
    count among those words rather than restricting the search (their names vary: "West
    German", "West Germany")."""
    entities = corpus.entities.entities
    allowed: set[str] | None = None
    for entity in people:
        articles = corpus.articles_of(entities[entity].passages)
        allowed = articles if allowed is None else allowed & articles
    if people:
        required = _qualifiers(corpus, question) | _name_stems(question, others)
    else:
        required = set(question.terms)
    required -= _FRAME
    terms = list(question.terms)
    topic = question.intent is Intent.TOPIC and bool(people)
    if topic:
        # "What did X and Y discuss?": the answer says what was talked about, in whatever
        # words ("for talks on", "agreed"), in a passage about these people.
        named = stem_all(w for m in question.names for w in m.words)
        terms = [*question.topic_terms, *sorted(_DISCUSSION), *named]
    within = None
    if allowed is not None:
        within = corpus.passages_of(allowed)
    findings: list[Finding] = []
    # Places and institutions the question names exactly must be in the answer's article:
    # trade with Indonesia does not answer a question about exports to Portugal.
    named = _spelt_out_stems(corpus, question, others)
    holders = Holders(corpus.index)
    for hit in corpus.index.search(terms, CANDIDATES, within):
        if _coverage(corpus, [hit.passage], required, holders) < MIN_COVERAGE:
            continue
        article = corpus.article_passages[corpus.article_of(hit.passage)]
        if named and _coverage(corpus, article, named, holders) < 1.0:
            continue
        present = sum(hit.passage in entities[e].passages for e in people)
        score = hit.score * (1 + present)
        if topic:
            score = _topic_score(corpus, question, hit, people)
        findings.append(Finding(hit.passage, score))
    findings.sort(key=lambda f: (-f.score, f.passage))
    per_article = 2 if topic else 1
    kept: list[Finding] = []
    count: dict[str, int] = {}
    for finding in findings:
        article_id = corpus.article_of(finding.passage)
        if count.get(article_id, 0) < per_article:
            count[article_id] = count.get(article_id, 0) + 1
            kept.append(finding)
    return kept


def _topic_score(corpus: Corpus, question: Question, hit: Hit, people: list[int]) -> float:
    """What was discussed: a passage that says so ("the sides discussed renewable energy",
    "the talks covered arms control") about these people, or about "the two ministers", over
    one that only names them; a passage with nothing beyond the names and the talking
    ("exchanged views on issues of mutual interest") counts for less. Which discussion verb
    a passage uses says nothing about its relevance, so BM25 only breaks ties here."""
    entities = corpus.entities.entities
    terms = corpus.index.terms(hit.passage)
    text = corpus.passages[hit.passage].text
    present = sum(hit.passage in entities[e].passages for e in people)
    if _GROUP.search(text):
        present = len(people)
    said = _REPORTED if _ASKS_SPEECH.search(question.text) else frozenset()
    if not _DISCUSSED.isdisjoint(terms) or not said.isdisjoint(terms):
        reports = 2.0
    elif not _DISCUSSION.isdisjoint(terms):
        reports = 1.5
    else:
        reports = 1.0
    named = set(stem_all(w for e in people for key in entities[e].aliases for w in key))
    content = terms - named - _DISCUSSION - _TALK_WORDS - said
    score = (1 + present) * reports * (1 + min(len(content), 20) / 40)
    if question.topic_terms:
        score *= 1 + 2 * _share(corpus, set(question.topic_terms), terms)
    score *= 0.25 if len(content) < 4 else 1.0
    return score + 0.01 * hit.score


def _fold_copies(corpus: Corpus, findings: list[Finding]) -> list[Finding]:
    """One entry per story: a near-identical passage from another article (the same wire
    story sent twice, a syndicated copy) is folded into the first one found."""
    kept: list[Finding] = []
    copies: dict[int, list[str]] = {}
    for finding in findings:
        text = corpus.passages[finding.passage].text
        for number, earlier in enumerate(kept):
            # Templated releases differ only in the names: those are different meetings.
            if earlier.counterparts != finding.counterparts:
                continue
            if fuzz.ratio(text, corpus.passages[earlier.passage].text) >= DUPLICATE_SIMILARITY:
                copies.setdefault(number, []).append(corpus.article_of(finding.passage))
                break
        else:
            kept.append(finding)
    return [replace(f, copies=tuple(copies.get(n, ()))) for n, f in enumerate(kept)]


def example_questions(corpus: Corpus, limit: int) -> list[str]:
    """Questions this corpus can answer, built from its most-mentioned people."""
    people = corpus.entities.leading_people(limit)
    examples = [f"Who did {e.name} meet?" for e in people[: max(1, limit - 1)]]
    if len(people) > len(examples):
        examples.append(f"Who met {people[len(examples)].name}?")
    return examples[:limit]
