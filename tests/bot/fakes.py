"""An answerer with canned answers, so the Telegram tests exercise the bot, not the search."""

from __future__ import annotations

import datetime as dt
import threading

from bot.answers import Answer, Citation, FullArticle, Overview

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
    first quoting ``TRICKY_QUOTE``; questions containing ``Gafarova`` or ``Zhang`` get
    a meeting of Sahiba Gafarova with Zhang Ming (subject and counterpart set, as follow-ups
    need). Questions containing ``slow`` wait for ``release`` to be set before answering.
    Every question is recorded, with the thread it was answered on, so tests can check what
    reached the answerer and how. Questions containing ``vanished`` cite an article that
    ``article`` no longer finds; otherwise ``article`` knows the ids of the citations it hands out;
    ``reload`` counts its calls and reports ``reload_changes``.
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
        self.release = threading.Event()
        self.reloads = 0
        self.reload_changes = True

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
        if "slow" in question:
            self.release.wait(10)
        if "Bayramov" in question:
            return meeting_answer(question, "Jeyhun Bayramov", "Hikmet Hajiyev")
        if "Gafarova" in question or "Zhang" in question:
            return meeting_answer(question)
        if "vanished" in question:
            return Answer(question, True, citations=(citation("Gone.", article_id="gone-1"),))
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

    def article(self, article_id: str) -> FullArticle | None:
        if article_id.startswith("gone"):
            return None
        paragraphs = (f"The first paragraph of {article_id} & <its> story.",)
        if article_id.startswith("long"):
            paragraphs = tuple(f"Paragraph {i}: " + "text " * 300 for i in range(40))
        return FullArticle(article_id, "Talks in <Oslo> & more", "Daily *News*", DAY, paragraphs)

    def overview(self) -> Overview:
        return Overview(42, 420, dt.date(2023, 1, 5), DAY, (("Daily *News*", 30), ("Trend", 12)))

    def reload(self) -> bool:
        self.reloads += 1
        return self.reload_changes


DAY = dt.date(2024, 2, 6)


def citation(quote: str, article_id: str = "a1", **fields: object) -> Citation:
    return Citation(
        article_id=article_id,
        title="Talks in <Oslo> & more",
        source="Daily *News*",
        date=DAY,
        quote=quote,
        score=1.5,
        **fields,  # type: ignore[arg-type]
    )


def meeting_answer(
    question: str, subject: str = "Sahiba Gafarova", counterpart: str = "Zhang Ming"
) -> Answer:
    """Two findings: the subject meeting the counterpart, then receiving a third person in
    another article."""
    first = citation(
        f"{subject} met {counterpart} in Baku.",
        article_id=f"{subject[:3]}-1",
        summary=f"{subject} met {counterpart}.",
        subject=subject,
        counterparts=(counterpart,),
    )
    second = citation(
        f"{subject} also received Ilham Mammadov.",
        article_id=f"{subject[:3]}-2",
        summary=f"{subject} received Ilham Mammadov.",
        subject=subject,
        counterparts=("Ilham Mammadov",),
    )
    return Answer(
        question=question,
        found=True,
        lead=first.summary,
        citations=(first, second),
        about=(subject,),
    )
