"""Answers as data: quotes and lists stay bounded whatever the articles hold."""

from bot.answers import Answer, Answerer, Citation, quoted
from bot.templates import PLAIN, answer_blocks, not_found, render_plain
from retrieval.articles import parse_article
from retrieval.corpus import build_corpus
from retrieval.passages import Passage


def test_a_cut_piece_of_a_sentence_is_quoted_with_its_cuts_marked():
    middle = Passage("a1", 0, "the minister met delegate number 7,", clipped=True)
    first = Passage("a1", 0, "The minister met delegate number 1,", clipped=True)
    whole = Passage("a1", 0, "the lower-case start of a normal passage")

    assert quoted(middle) == "… the minister met delegate number 7, …"
    assert quoted(first) == "The minister met delegate number 1, …"
    assert quoted(whole) == whole.text


def test_a_not_found_reply_names_a_few_people_and_counts_the_rest():
    people = [f"Ali Hussein {n}" for n in range(40)]

    reply = not_found("Who did Hussein meet?", people, PLAIN)

    assert "and 34 more" in reply
    assert "Ali Hussein 39" not in reply
    assert len(reply) < 400


def test_further_counterparts_are_capped_too():
    citation = Citation("a1", "Talks", "Wire", None, "Ola Strand met Envoy 0.", 1.0)
    answer = Answer(
        question="Who did Ola Strand meet?",
        found=True,
        citations=(citation,),
        more_counterparts=tuple(f"Envoy {n}" for n in range(1, 31)),
    )

    last = answer_blocks(answer, PLAIN)[-1]

    assert last.endswith("and 24 more.")
    assert "Envoy 30" not in last


def test_an_answer_from_a_run_on_page_stays_short_and_verbatim():
    run_on = ", ".join(f"delegate number {n} discussed fishing quotas" for n in range(8000))
    corpus = build_corpus([parse_article("page", f" date 2024-03-04 Page\n{run_on}\n")])

    answer = Answerer(lambda: corpus).answer("Which delegate discussed fishing quotas?")

    assert answer.found
    assert len(render_plain(answer)) < 4096
    for citation in answer.citations:
        assert all(s.strip() in run_on for s in citation.quote.split("…") if s.strip())


def test_a_plan_is_called_the_asked_meeting_only_when_the_sentence_ties_it_to_them():
    untied = (
        " date 1987-03-31 GATT\nPEKING, March 31 - Willy de Clercq told a news conference "
        "that the application would involve long and difficult negotiations.\n"
    )
    tied = untied + "\nDe Clercq will hold talks with Premier Zhao Ziyang next week.\n"
    question = "Who did Willy de Clercq meet in Peking?"

    vague = Answerer(lambda: build_corpus([parse_article("a", untied)])).answer(question)
    announced = Answerer(lambda: build_corpus([parse_article("a", tied)])).answer(question)

    assert "planned, not as held" not in render_plain(vague)
    assert announced.planned


def test_a_plan_is_not_called_unheld_when_another_article_reports_it_held():
    planned = (
        " date 1987-03-30 GATT\nPEKING, March 30 - De Clercq will hold talks with Premier "
        "Zhao Ziyang next week, officials said.\n"
    )
    held = (
        " date 1987-04-06 GATT TALKS\nPEKING, April 6 - Willy de Clercq held talks with "
        "Premier Zhao Ziyang on Monday, officials said.\n"
    )
    corpus = build_corpus([parse_article("a", planned), parse_article("b", held)])

    answer = Answerer(lambda: corpus).answer("When will De Clercq meet Zhao Ziyang?")

    assert [c.article_id for c in answer.citations] == ["a", "b"]
    assert not answer.planned
    assert "planned, not as held" not in render_plain(answer)
    only_planned = build_corpus([parse_article("a", planned)])
    assert Answerer(lambda: only_planned).answer("When will De Clercq meet Zhao Ziyang?").planned


def test_the_overview_reads_the_articles_once_per_corpus():
    first = build_corpus(
        [parse_article("a", " date 2024-03-04 Talks\nOla Strand met Anna Berg.\n")]
    )
    second = build_corpus(
        [parse_article("b", " date 2025-01-02 Visit\nAnna Berg met Carlos Dias.\n")]
    )
    current = [first]
    answerer = Answerer(lambda: current[0])

    assert answerer.overview() is answerer.overview()
    current[0] = second
    assert answerer.overview().first_date == second.articles["b"].date
