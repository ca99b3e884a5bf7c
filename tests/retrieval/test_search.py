"""Meeting answers on small made-up folders: each test is one behaviour a reader relies on."""

from retrieval.articles import parse_article
from retrieval.corpus import build_corpus
from retrieval.meetings import Tense
from retrieval.search import (
    MAX_FINDINGS,
    MEETING_ARTICLES,
    _part_of_a_longer_name,
    analyse,
    find,
)

COUNTERPARTS = [
    "Anna Berg",
    "Carlos Dias",
    "Eva Fischer",
    "Goran Horvat",
    "Ines Jansen",
    "Karl Lund",
    "Marta Novak",
]


def corpus_of(*texts: str):
    return build_corpus([parse_article(f"a{n:02d}", t) for n, t in enumerate(texts)])


def test_every_meeting_is_named_even_beyond_the_quoted_ones():
    corpus = corpus_of(
        *(
            f" date 2024-03-{n + 1:02d} Talks\nOSLO, March {n + 1} - Foreign Minister Ola Strand "
            f"met Trade Minister {name} in Oslo on Monday, officials said.\n"
            for n, name in enumerate(COUNTERPARTS)
        )
    )

    result = find(corpus, "Who did Ola Strand meet?")

    shown = [name for f in result.findings for name in f.counterparts]
    assert len(result.findings) == MAX_FINDINGS
    assert sorted(shown + list(result.more_counterparts)) == sorted(COUNTERPARTS)


def test_the_one_received_is_not_reported_as_the_host():
    corpus = corpus_of(
        " date 1987-02-05 Talks\nNEW DELHI, Feb 4 - Foreign Secretary Abdul Sattar arrived on "
        "Friday. Sattar was also received by Prime Minister Rajiv Gandhi on Tuesday, an "
        "official said.\n"
    )

    [finding] = find(corpus, "Who did Abdul Sattar meet?").findings

    assert finding.counterparts == ("Rajiv Gandhi",)
    assert finding.subject_acts is False


def test_a_place_in_the_question_picks_the_meeting_held_there():
    corpus = corpus_of(
        " date 1987-03-11 Talks\nBONN, March 10 - Finance Minister Hans Vogt held talks with "
        "Finance Minister Kenji Sato in Bonn yesterday after last month's Paris accord.\n",
        " date 1987-03-18 Talks\nPARIS, March 17 - Finance Minister Hans Vogt visited Paris on "
        "Monday and sat down with Finance Minister Pierre Roux.\n",
    )

    first = find(corpus, "Who did Vogt meet in Paris?").findings[0]

    assert first.counterparts == ("Pierre Roux",)


def test_a_question_about_the_future_prefers_the_planned_meeting():
    corpus = corpus_of(
        " date 1987-04-08 Loans\nWASHINGTON, April 8 - Finance Minister Luis Ortega met Fund "
        "Director Michel Blanc on Tuesday. Ortega is due to hold talks with Bank President "
        "Paul Grant on Thursday.\n"
    )

    held = find(corpus, "Who did Ortega meet?").findings[0]
    planned = find(corpus, "Who is Ortega scheduled to hold talks with?").findings[0]

    assert (held.counterparts, held.tense) == (("Michel Blanc",), Tense.HELD)
    assert (planned.counterparts, planned.tense) == (("Paul Grant",), Tense.PLANNED)


def test_an_unknown_role_is_not_answered_with_its_nationality():
    corpus = corpus_of(
        " date 1987-04-08 Loans\nWASHINGTON, April 8 - Mexican Finance Minister Luis Ortega met "
        "Fund Director Michel Blanc on Tuesday, Mexican officials said.\n"
    )

    assert find(corpus, "Who did the Mexican president meet?").findings == ()


def test_talks_expected_during_a_visit_are_planned_not_held():
    corpus = corpus_of(
        " date 2024-09-16 Visit\nForeign Minister Amir Haddad is scheduled to visit Bishkek. "
        "During the visit, Haddad is expected to hold talks with Foreign Minister "
        "Aibek Toktogulov.\n"
    )

    [finding] = find(corpus, "When did Haddad hold talks with Toktogulov?").findings

    assert finding.tense is Tense.PLANNED


def test_a_place_only_named_in_the_article_is_not_where_they_met():
    corpus = corpus_of(
        " date 2024-06-05 Talks\nPODGORICA, June 5 - Foreign Minister Dragana Vukovic hosted "
        "Deputy Prime Minister Tomas Stastny on Tuesday.\n\n"
        "The first session of the joint commission will be held in Prague in October.\n"
    )

    assert find(corpus, "Who did Tomas Stastny meet in Podgorica?").findings
    assert find(corpus, "Who did Tomas Stastny meet in Prague?").findings == ()


def lead_of(corpus, question: str) -> str:
    from bot.answers import build_answer

    return build_answer(corpus, find(corpus, question)).lead


def test_a_portfolio_continuing_a_title_is_not_a_counterpart():
    corpus = corpus_of(
        " date 2024-01-18 Talks\nWARSAW, January 18 - Minister of Digital Affairs Marek Nowak "
        "will meet Estonia's Minister of Economic Affairs and Information Technology, Kadri "
        "Tamm, in Tallinn on 24 January, the ministry said.\n"
    )
    lead = lead_of(corpus, "Who will Marek Nowak meet?")
    assert "Kadri Tamm" in lead
    assert "Information Technology" not in lead


def test_the_verb_is_the_one_that_links_the_counterpart():
    corpus = corpus_of(
        " date 2024-05-14 Visit\nROTTERDAM, May 14 - Deputy Prime Minister Lan Huong visited "
        "the Port of Rotterdam on Tuesday and sat down with the Dutch Minister of "
        "Infrastructure, Maarten Vries.\n"
    )
    assert lead_of(corpus, "Who did Lan Huong meet?") == "Lan Huong sat down with Maarten Vries."


def test_a_place_the_question_names_is_never_who_met():
    corpus = corpus_of(
        " date 2024-05-16 Talks\nBUDAPEST, May 16 - Speaker Zoltan Erdos met with Chairman "
        "Hamad Al Kindi in Budapest on Thursday, officials said.\n"
    )
    assert "met Budapest" not in lead_of(corpus, "WHO WAS AL KINDIS HOST IN BUDAPEST")


def test_someone_only_mentioned_beside_a_meeting_is_not_said_to_have_met():
    corpus = corpus_of(
        " date 1987-03-18 Wheat\nWASHINGTON, March 18 - In a meeting with grain exporters, "
        "Agriculture Secretary Richard Lyng said the Reagan administration had no plan to "
        "subsidise wheat.\n"
    )
    assert "Reagan" not in lead_of(corpus, "Who did Richard Lyng meet?")


def test_a_name_written_only_as_the_start_of_a_longer_one_is_not_trusted():
    text = "Ministry for Climate Action Henrik Schafer met Anna Berg. Berg thanked Schafer."
    assert _part_of_a_longer_name("Action Henrik", text)
    assert not _part_of_a_longer_name("Henrik Schafer", text)
    assert not _part_of_a_longer_name("Anna Berg", text)


def test_a_surname_after_a_title_in_the_question_is_the_person_meant():
    corpus = corpus_of(
        " date 1987-03-17 FAO AID\nLIMA, March 17 - The Director-General of the Food and "
        "Agricultural Organisation (FAO), Edouard Saouma, signed an aid agreement.\n\n"
        "Saouma also discussed agricultural projects with president Alan Garcia last night.\n"
    )
    result = find(corpus, "Who did FAO chief Saouma discuss agricultural projects with in Lima?")
    assert result.findings
    assert "Alan Garcia" in corpus.passages[result.findings[0].passage].text


def test_a_much_reported_person_is_searched_among_the_articles_that_fit_the_question_best():
    """Past MEETING_ARTICLES articles of one person's meetings, BM25 picks which to read."""
    routine = [
        f" date 2024-03-01 Talks\nOla Strand met Trade Minister {COUNTERPARTS[n % 7]} "
        f"to discuss fishing quotas, officials said.\n"
        for n in range(MEETING_ARTICLES + 20)
    ]
    singular = (
        " date 2024-05-02 Summit\nOla Strand met President Nils Vik in Tromso to discuss the "
        "Arctic railway, officials said.\n"
    )
    articles = [parse_article(f"r{n:04d}", text) for n, text in enumerate(routine)]
    corpus = build_corpus([*articles, parse_article("z_summit", singular)])

    analysis = analyse(corpus, "Who did Ola Strand meet about the Arctic railway in Tromso?")

    read = {corpus.article_of(f.passage) for f in analysis.matched}
    assert len(read) <= MEETING_ARTICLES
    assert "Nils Vik" in {name for f in analysis.matched for name in f.counterparts}
