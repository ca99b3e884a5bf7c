"""The searchable corpus: articles, their passages and the index, built together once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from retrieval.articles import Article, load_articles
from retrieval.index import PassageIndex
from retrieval.passages import Passage, all_passages
from retrieval.tokens import tokenize


class NoArticlesError(RuntimeError):
    """The folder holds no usable article: the bot has nothing to answer from."""


@dataclass(frozen=True)
class Corpus:
    articles: dict[str, Article]
    passages: Sequence[Passage]
    index: PassageIndex = field(repr=False)


def build_corpus(articles: Sequence[Article]) -> Corpus:
    passages = all_passages(articles)
    index = PassageIndex([tokenize(p.text) for p in passages])
    return Corpus({a.id: a for a in articles}, passages, index)


def load_corpus(folder: Path, max_article_bytes: int) -> Corpus:
    if not folder.is_dir():
        raise NoArticlesError(f"The articles folder {folder} does not exist or is not a folder.")
    articles = load_articles(folder, max_article_bytes)
    if not articles:
        raise NoArticlesError(f"No usable *.txt article in {folder}: nothing to answer from.")
    return build_corpus(articles)
