"""Meeting events read from sentences in the shapes news uses: one record per sentence."""

import datetime as dt

from retrieval.articles import parse_article
from retrieval.corpus import build_corpus
from retrieval.events import places_set_in
from retrieval.meetings import Tense


def events_of(text: str):
    corpus = build_corpus([parse_article("a00", text)])
    names = {e.name: number for number, e in enumerate(corpus.entities.entities)}
    return corpus, list(corpus.events), names


def test_a_dateline_meeting_is_one_held_event_dated_by_its_weekday():
    corpus, [event], names = events_of(
        " date 2024-03-06 Talks\nOSLO - Foreign Minister Ola Strand met Trade Minister "
        "Anna Berg in Bergen on Monday, officials said.\n"
    )
    assert event.tense is Tense.HELD
    assert not event.negated
    assert event.verb == "met"
    assert event.date == dt.date(2024, 3, 4)
    assert "Bergen" in event.places
    [link] = [link for link in event.links if link.after]
    assert names["Ola Strand"] in link.before
    assert names["Anna Berg"] in link.after
    assert corpus.sentence_of(event).text.startswith("OSLO - Foreign Minister")


def test_only_sentences_that_report_a_meeting_become_events():
    _, events, _ = events_of(
        " date 2024-03-06 Fish\nOSLO, March 6 - Fishing quotas rose by a tenth.\n\n"
        "Ola Strand held talks with Anna Berg on the quotas.\n"
    )
    assert [e.verb for e in events] == ["held talks with"]


def test_a_denied_meeting_is_an_event_marked_negated():
    _, [event], names = events_of(
        " date 2024-06-19 Coffee\nWhile Ola Strand did not meet with Anna Berg, who was in "
        "Europe, he saw her deputy.\n"
    )
    assert event.negated
    assert {names["Ola Strand"], names["Anna Berg"]} <= event.named


def test_a_planned_meeting_counts_its_day_forward():
    _, [event], _ = events_of(
        " date 2024-03-06 Visit\nPrime Minister Ola Strand is due to meet President Anna Berg "
        "on Friday.\n"
    )
    assert event.tense is Tense.PLANNED
    assert event.date == dt.date(2024, 3, 8)


def test_a_passive_meeting_puts_the_host_after_the_link():
    _, [event], names = events_of(
        " date 2024-03-06 Visit\nAmbassador Ola Strand was received by President Anna Berg "
        "at the palace.\n"
    )
    [link] = [link for link in event.links if link.after]
    assert names["Ola Strand"] in link.before
    assert names["Anna Berg"] in link.after


def test_a_list_of_counterparts_stands_after_one_link():
    _, [event], names = events_of(
        " date 2024-03-06 Talks\nOla Strand met Anna Berg, Carlos Dias and Eva Fischer in Madrid.\n"
    )
    [link] = [link for link in event.links if link.after]
    assert {names["Anna Berg"], names["Carlos Dias"], names["Eva Fischer"]} <= link.after


def test_an_article_without_a_date_gives_events_without_a_day():
    _, [event], _ = events_of("Strand meets Berg\n\nOla Strand met Anna Berg on Monday.\n")
    assert event.date is None


def test_places_are_what_a_sentence_sets_something_in_or_at():
    assert places_set_in("They met in Cairo at the Ministry of Foreign Affairs.") == [
        "Cairo",
        "Ministry",
    ]


def test_the_day_told_with_the_meeting_link_wins_over_one_in_a_relative_clause():
    _, [event], _ = events_of(
        " date 1987-02-05 Talks\nNEW DELHI, Feb 4 - Sattar, who arrived on Friday for five days "
        "of talks, was also received by Prime Minister Rajiv Gandhi on Tuesday.\n"
    )
    assert event.date == dt.date(1987, 2, 3)


def test_a_day_in_a_clause_after_the_meeting_is_not_its_day():
    _, [event], _ = events_of(
        " date 1987-04-02 FAO\nSaouma, in Brazil for talks with agriculture officials, said he "
        "invited Jose Sarney to the Food Day in Rome October 16.\n"
    )
    assert event.date is None


def test_a_day_in_a_relative_clause_is_not_the_meetings():
    _, [event], _ = events_of(
        " date 1987-04-09 Banks\nTOKYO - The talks were separate from discussions between "
        "Japanese officials and minister Michael Howard, who left Tokyo yesterday for Seoul.\n"
    )
    assert event.date is None
    _, [event], _ = events_of(
        " date 2023-09-30 Visit\nBELGRADE - Speaker Milica Djordjevic met with Chairman "
        "Bakhodir Karimov, who is on an official visit to Belgrade, on Friday.\n"
    )
    assert event.date == dt.date(2023, 9, 29)


def test_the_table_tells_which_passages_report_a_meeting_without_reading_them():
    corpus = build_corpus(
        [
            parse_article(
                "a00",
                " date 2024-03-06 Talks\nOla Strand spoke about the fishing quotas at length.\n\n"
                "Later Ola Strand met Anna Berg in Bergen, officials said.\n",
            )
        ]
    )
    assert corpus.events.counts.tolist() == [0, 1]
    assert corpus.events.reporting({1, 0}) == [1]
    assert corpus.events.reporting([]) == []
