"""The features of a candidate answer: small pure functions of what one sentence offers.

Each feature reads one fact about a candidate sentence (its BM25 strength, the question's
words and names it holds, whether it reports a meeting, held or planned, denied, dated)
and returns a number, mostly between 0 and 1. None of them accepts or rejects a candidate
on its own: ``retrieval.ranking`` weighs them all, with weights that are data
(``config/ranking.json``), so evidence that is missing (a place the article only names in
its dateline, a paraphrased verb) lowers a score instead of refusing an answer. Only
evidence that contradicts the question excludes a candidate (``contradicts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from retrieval.meetings import Tense


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one candidate sentence, its passage and its article hold for one question."""

    bm25: float
    """The passage's BM25 score over the question's terms, relative to the best candidate's."""
    sentence_share: float
    """The idf-weighted share of the question's content terms the sentence holds."""
    passage_share: float
    article_share: float
    asked: int
    """How many people, places or institutions the question names."""
    asked_in_sentence: int
    asked_in_passage: int
    asked_in_article: int
    tense: Tense
    """Whether the sentence reports a meeting, and whether it took place or is planned."""
    others_in_sentence: int
    """People the sentence names besides those asked about: who met them, perhaps."""
    negated: bool
    """The sentence denies a meeting ("did not meet")."""
    dated: bool
    """The sentence gives a day ("on Monday", "March 5", "yesterday")."""
    asks_day: bool
    """The question asks when, or names the day it is about."""
    asked_nearby: int
    """People asked about named in the sentence or the one before it ("He met ...")."""
    rule_rank: int | None
    """Rank of the passage among the meeting-sentence matches of the name-driven search."""
    rule_found: bool
    """The name-driven search found anything at all for the question."""
    named_in_sentence: int
    """Names of any kind (people, groups, institutions) in the sentence besides those asked."""
    paragraph: int
    future: bool
    """The question asks about a meeting to come."""
    asks_negation: bool
    """The question asks about a meeting that did not happen ("why did X not meet Y")."""
    asks_meeting: bool
    """The question asks who met whom, or when."""
    frame: bool
    """The sentence ties a meeting to both sides: someone asked about before a link ("met",
    "talks with", "received") and someone named after it, or the other way round."""
    role_asked: bool
    """The question describes its person by title ("the Mexican president") and names no one."""
    role_fits: bool
    """The sentence, or the one before it, bears every title the question gives, none of
    them made another one by a word the question lacks ("Deputy Prime Minister")."""
    headline: bool
    """The sentence is a headline: it names the story, the body reports it."""
    places_asked: int
    """Words the question places the meeting with ("in Tokyo", "at Kashikojima")."""
    places_in_passage: int
    places_in_article: int
    placed_elsewhere: bool
    """The sentence sets the meeting in a place (or the dateline names one) that is not the
    one asked about, and the passage never names the one asked about."""
    tied: bool = False
    """A meeting link in the sentence has someone asked about on one side of it ("Gros met
    bankers on Wednesday"), or the sentence refers back to them ("He met ...")."""
    denied_in_article: bool = False
    """The article denies a meeting of the people asked about ("he did not meet with Y"),
    and this sentence does not itself report one between them."""


Feature = Callable[[Evidence], float]


def contradicts(e: Evidence) -> bool:
    """The cases evidence excludes a candidate: a sentence that reports no meeting cannot
    say who met whom, one that denies the meeting the question takes for granted ("did not
    meet") does not answer "when did X meet Y", and a meeting in Cairo does not answer "who
    did X meet in Barcelona", nor does a finance minister's meeting answer "who did the
    president meet". An article that says X did not meet Y answers "when did X meet Y" only
    with a sentence that reports them meeting after all."""
    if not e.asks_meeting:
        return False
    return (
        e.tense is Tense.NONE
        or (e.negated and not e.asks_negation)
        or (e.denied_in_article and not e.asks_negation)
        or e.placed_elsewhere
        or (e.role_asked and not e.role_fits)
    )


def bm25(e: Evidence) -> float:
    return e.bm25


def sentence_terms(e: Evidence) -> float:
    return e.sentence_share


def passage_terms(e: Evidence) -> float:
    return e.passage_share


def article_terms(e: Evidence) -> float:
    return e.article_share


def _share(found: int, asked: int) -> float:
    return found / asked if asked else 0.0


def names_in_sentence(e: Evidence) -> float:
    return _share(e.asked_in_sentence, e.asked)


def names_in_passage(e: Evidence) -> float:
    return _share(e.asked_in_passage, e.asked)


def names_in_article(e: Evidence) -> float:
    return _share(e.asked_in_article, e.asked)


def names_missing(e: Evidence) -> float:
    """1 when the article lacks someone the question names: the question is about others."""
    return 1.0 if e.asked and e.asked_in_article < e.asked else 0.0


def reports_meeting(e: Evidence) -> float:
    return 0.0 if e.tense is Tense.NONE else 1.0


def tense_fits(e: Evidence) -> float:
    """A held meeting answers "who did X meet", a planned one "who will X meet"."""
    if e.tense is Tense.NONE:
        return 0.0
    wanted = Tense.PLANNED if e.future else Tense.HELD
    return 1.0 if e.tense is wanted else 0.0


def counterpart(e: Evidence) -> float:
    """Someone besides the people asked about is named in the sentence."""
    return 1.0 if e.others_in_sentence else 0.0


def denied(e: Evidence) -> float:
    """A denied meeting answers only a question about one that did not happen."""
    return 1.0 if e.negated and not e.asks_negation else 0.0


def dated(e: Evidence) -> float:
    return 1.0 if e.dated else 0.0


def day_given(e: Evidence) -> float:
    """The sentence gives a day where the question asks for one or names one."""
    return 1.0 if e.dated and e.asks_day else 0.0


def meeting_of_names(e: Evidence) -> float:
    """The sentence reports a meeting of the people asked about, or of whom the sentence
    before it names: the shape of a who-met-whom answer."""
    if e.tense is Tense.NONE:
        return 0.0
    return _share(max(e.asked_in_sentence, e.asked_nearby), e.asked)


def meeting_with_counterpart(e: Evidence) -> float:
    """The sentence reports a meeting and names someone besides those asked about."""
    return 1.0 if e.tense is not Tense.NONE and e.others_in_sentence else 0.0


def headline(e: Evidence) -> float:
    return 1.0 if e.headline else 0.0


def place_in_passage(e: Evidence) -> float:
    return _share(e.places_in_passage, e.places_asked)


def place_missing(e: Evidence) -> float:
    """The article never names the place the question puts the meeting in."""
    return 1.0 if e.places_asked and not e.places_in_article else 0.0


def meeting_frame(e: Evidence) -> float:
    return 1.0 if e.frame else 0.0


def full_reading(e: Evidence) -> float:
    """Everything a who-met-whom sentence needs at once: a meeting, everyone asked about
    named in it or just before it, and someone else to have met."""
    if e.tense is Tense.NONE or not e.asked or e.asked_nearby < e.asked:
        return 0.0
    return 1.0 if e.others_in_sentence or e.asked > 1 else 0.0


def rule_match(e: Evidence) -> float:
    """The name-driven meeting search picked this passage; its first picks count most."""
    return 0.0 if e.rule_rank is None else 1.0 / (1 + e.rule_rank)


def rule_silent(e: Evidence) -> float:
    """Following the question's names led nowhere: any answer rests on wording alone."""
    return 0.0 if e.rule_found else 1.0


def other_names(e: Evidence) -> float:
    """The sentence names someone or some body besides those asked about: a counterpart
    may be a group ("members of the House Agriculture Committee")."""
    return 1.0 if e.named_in_sentence else 0.0


def early(e: Evidence) -> float:
    """News puts what happened first: lead paragraphs report the event itself."""
    return 1.0 / (1 + e.paragraph)


FEATURES: dict[str, Feature] = {
    f.__name__: f
    for f in (
        bm25,
        sentence_terms,
        passage_terms,
        article_terms,
        names_in_sentence,
        names_in_passage,
        names_in_article,
        names_missing,
        reports_meeting,
        tense_fits,
        counterpart,
        denied,
        dated,
        day_given,
        meeting_of_names,
        meeting_with_counterpart,
        full_reading,
        meeting_frame,
        headline,
        place_in_passage,
        place_missing,
        rule_match,
        rule_silent,
        other_names,
        early,
    )
}
"""Every feature by the name the weights file uses for it."""

HURTS = frozenset({"names_missing", "denied", "headline", "place_missing", "rule_silent"})
"""Features that can only count against a candidate; fitted weights keep the sign each
feature's meaning gives it (these at most 0, the rest but ``dated`` at least 0), so a
quirk of the tuning questions cannot make a missing name a reason to answer."""
FREE = frozenset({"dated"})
"""Features whose weight may take either sign: a date helps "when" and says little else."""


def allowed_sign(name: str) -> int:
    """-1, 0 (either) or +1: the sign a fitted weight of this feature may take."""
    if name in FREE:
        return 0
    return -1 if name in HURTS else 1
