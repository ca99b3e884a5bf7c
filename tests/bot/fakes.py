"""An answerer with canned answers, so the Telegram tests exercise the bot, not the search."""

from __future__ import annotations

import datetime as dt
import threading

from bot.answers import Answer, Citation

# Every character that HTML or Markdown would treat specially, in a quote from an article.
TRICKY_QUOTE = 'Officials said <b>not bold</b> & "talks" went *well* _today_ [see](x) `code` <3'
EXAMPLES = ["Who met the <mayor> & why?", "What did *they* discuss?"]


class AnswerFailed(RuntimeError):
    pass


class FakeAnswerer:
    """Implements ``bot.answers.Answering``.

    Questions containing ``fail_on`` raise ``error``; questions containing ``long`` get an
    answer with ``long_citations`` citations of about 3,500 characters each; questions
    containing ``nothing`` find nothing. Anything else gets a lead and two citations, the
    first quoting ``TRICKY_QUOTE``. Every question is recorded, with the
    thread it was answered on, so tests can check what reached the answerer and how.
    """

    def __init__(
        self,
        fail_on: str | None = None,
        error: Exception | None = None,
        long_citations: int = 6,
    ) -> None:
        self.fail_on = fail_on
        self.error = error or AnswerFailed("the index is broken")
        self.long_citations = long_citations
        self.questions: list[str] = []
        self.answer_threads: list[threading.Thread] = []

    @property
    def article_count(self) -> int:
        return 42

    def examples(self, limit: int = 3) -> list[str]:
        return EXAMPLES[:limit]

    def answer(self, question: str) -> Answer:
        self.questions.append(question)
        self.answer_threads.append(threading.current_thread())
        if self.fail_on is not None and self.fail_on in question:
            raise self.error
        if "nothing" in question:
            return Answer(question=question, found=False)
        if "long" in question:
            citations = tuple(
                citation(f"Passage {i}: " + "word " * 700, article_id=f"long-{i}")
                for i in range(self.long_citations)
            )
            return Answer(question=question, found=True, citations=citations)
        return Answer(
            question=question,
            found=True,
            lead="The <minister> met the mayor & the envoy.",
            citations=(citation(TRICKY_QUOTE), citation("A second report.", article_id="b2")),
        )


def citation(quote: str, article_id: str = "a1") -> Citation:
    return Citation(
        article_id=article_id,
        title="Talks in <Oslo> & more",
        source="Daily *News*",
        date=dt.date(2024, 2, 6),
        quote=quote,
        score=1.5,
    )
