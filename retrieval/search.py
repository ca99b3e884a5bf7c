"""From a question to the passages that answer it, or to nothing when none does."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.corpus import Corpus
from retrieval.tokens import tokenize

MIN_COVERAGE = 0.6
"""Share of the question's term weight a passage must contain to count as an answer; below
it a passage only shares common words with the question and quoting it would mislead."""
CANDIDATES = 30
MAX_FINDINGS = 5


@dataclass(frozen=True, slots=True)
class Finding:
    passage: int
    score: float
    coverage: float


def _coverage(corpus: Corpus, passage: int, terms: set[str]) -> float:
    weights = {t: corpus.index.idf(t) for t in terms}
    total = sum(weights.values())
    present = sum(w for t, w in weights.items() if corpus.index.contains(passage, t))
    return present / total if total else 0.0


def find(corpus: Corpus, question: str) -> list[Finding]:
    """The best passage first, then the best passage of each other relevant article."""
    terms = tokenize(question)
    distinct = set(terms)
    findings: list[Finding] = []
    seen_articles: set[str] = set()
    for hit in corpus.index.search(terms, CANDIDATES):
        article_id = corpus.passages[hit.passage].article_id
        if article_id in seen_articles:
            continue
        coverage = _coverage(corpus, hit.passage, distinct)
        if coverage < MIN_COVERAGE:
            continue
        seen_articles.add(article_id)
        findings.append(Finding(hit.passage, hit.score, coverage))
        if len(findings) == MAX_FINDINGS:
            break
    return findings


def example_questions(corpus: Corpus, limit: int) -> list[str]:
    return []
