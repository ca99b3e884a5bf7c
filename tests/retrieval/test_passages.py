from retrieval.articles import Article
from retrieval.passages import is_quotable, sentences, split_passages


def test_sentences_survive_titles_initials_and_country_abbreviations():
    text = (
        "Mr. Smith met U.S. officials in Washington on Monday. "
        'He said: "We agree." Then J. R. Doe left. Talks ended.'
    )
    assert sentences(text) == [
        "Mr. Smith met U.S. officials in Washington on Monday.",
        'He said: "We agree."',
        "Then J. R. Doe left.",
        "Talks ended.",
    ]


def test_page_residue_is_not_quotable():
    for residue in ["+ ↺ − 16 px", "MNA/TSNM2834509", "Share this article", "12:30 | 14.05.2024"]:
        assert not is_quotable(residue), residue
    assert is_quotable("The minister met his counterpart in Baku on Monday.")


def test_long_paragraphs_are_split_between_sentences_and_keep_every_word():
    sentence = (
        "The delegation of the ministry discussed trade, energy and transport links at length."
    )
    paragraph = " ".join([sentence] * 20)
    article = Article(
        "a", "", "", None, (paragraph, "+ ↺ − 16 px", "Short closing line of text here.")
    )

    passages = split_passages(article, limit=300)

    body = [p for p in passages if p.paragraph == 0]
    assert len(body) > 1
    assert all(len(p.text) <= 300 for p in body)
    assert all(p.text.endswith(".") for p in body)
    assert " ".join(p.text for p in body) == paragraph
    assert [p.paragraph for p in passages if p.paragraph != 0] == [2]


def test_a_run_on_paragraph_is_cut_into_verbatim_pieces_between_clauses():
    run_on = ", ".join(f"the minister met delegate number {n}" for n in range(5000))
    article = Article("a1", "", "", None, (run_on,))

    passages = split_passages(article, limit=700)

    assert len(passages) > 100
    assert all(len(p.text) <= 700 and p.clipped for p in passages)
    assert all(p.text in run_on for p in passages)
    assert all(p.text.endswith(",") for p in passages[:-1])


def test_ordinary_paragraphs_are_not_marked_as_cut():
    article = Article("a1", "", "", None, ("Foreign Minister Ola Strand met Anna Berg today.",))
    assert [p.clipped for p in split_passages(article)] == [False]
