import datetime as dt
import logging
import os
import threading
from pathlib import Path

import pytest

from retrieval.articles import ArticleError, load_articles, parse_article, read_regular_file


def test_date_line_with_human_date_gives_date_and_no_title():
    article = parse_article(
        "a1", " date 2023-11-01 1 November 2023 17:32 (UTC+04:00)\n\nBody text here.\n"
    )
    assert article.date == dt.date(2023, 11, 1)
    assert article.title == ""
    assert article.paragraphs == ("Body text here.",)


def test_date_line_with_headline_keeps_it_as_title():
    article = parse_article(
        "w1", " date 1987-03-03 FRENCH, GERMAN MINISTERS MEET\nBONN, March 3 - Talks.\n"
    )
    assert article.title == "FRENCH, GERMAN MINISTERS MEET"
    assert article.paragraphs == ("BONN, March 3 - Talks.",)


def test_date_line_holding_the_lead_paragraph_is_quotable_and_names_the_outlet():
    text = (
        " date 2024-02-07 (MENAFN- Some Agency) CITY, February 6."
        " The minister met a guest.\n\nMore."
    )
    article = parse_article("x", text)
    assert article.source == "Some Agency"
    assert article.paragraphs[0] == "CITY, February 6. The minister met a guest."


def test_without_date_line_the_first_line_is_the_headline_and_the_date_is_unknown():
    article = parse_article("u", "Leaders discuss trade\n\n\nThe leaders met on Monday.\n")
    assert article.date is None
    assert article.title == "Leaders discuss trade"
    assert article.paragraphs == ("The leaders met on Monday.",)


def test_lines_of_a_paragraph_are_joined_and_blank_lines_separate_paragraphs():
    article = parse_article("p", "Title\n\nfirst line\nsecond line\n\n\nnext para\n")
    assert article.paragraphs == ("first line second line", "next para")


def test_impossible_date_is_unknown_not_invented(caplog):
    article = parse_article("bad", " date 2023-02-30 Headline\n\nText of the story.")
    assert article.date is None
    assert "impossible date" in caplog.text


def test_wire_signoff_becomes_the_source():
    article = parse_article("w", " date 1987-03-03 HEADLINE\n\nBONN, March 3 - Text.\n\n Reuter\n")
    assert article.source == "Reuter"
    assert article.paragraphs == ("BONN, March 3 - Text.",)


@pytest.mark.parametrize("text", ["", "   \n\n", "\x00\x01binary\x00"])
def test_empty_or_binary_text_is_rejected(text):
    with pytest.raises(ArticleError):
        parse_article("e", text)


def test_bad_files_are_skipped_with_one_log_line_each_and_the_rest_is_served(
    tmp_path: Path, caplog
):
    (tmp_path / "good.txt").write_text(" date 2024-01-02 Headline\n\nThe minister met the envoy.\n")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 society\n\nThe mayor met.".encode("latin-1"))
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "huge.txt").write_text("word " * 1000)
    (tmp_path / "notes.md").write_text("not an article")
    (tmp_path / "folder.txt").mkdir()
    caplog.set_level(logging.WARNING)

    articles = load_articles(tmp_path, max_bytes=2000)

    assert [a.id for a in articles] == ["good"]
    skipped = [r.getMessage() for r in caplog.records]
    for name in ("latin1.txt", "empty.txt", "binary.txt", "huge.txt"):
        assert sum(name in line for line in skipped) == 1, name
    assert "UTF-8" in next(line for line in skipped if "latin1.txt" in line)
    assert "too large" in next(line for line in skipped if "huge.txt" in line)


def test_utf8_bom_is_not_part_of_the_date_line():
    article = parse_article("bom", "\ufeff date 2024-03-11 + ↺ − 16 px\n\nThe president visited.")
    assert article.date == dt.date(2024, 3, 11)
    assert article.title == ""


GOOD = " date 2024-01-02 Headline\n\nThe minister met the envoy.\n"


def _directory(path: Path) -> None:
    path.mkdir()


def _symlink_loop(path: Path) -> None:
    path.symlink_to(path.with_name("other.txt"))
    path.with_name("other.txt").symlink_to(path)


def _dangling_symlink(path: Path) -> None:
    path.symlink_to(path.with_name("gone.md"))


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (_directory, "directory"),
        (_symlink_loop, "link loop"),
        (_dangling_symlink, "target is missing"),
        (_fifo, "FIFO"),
    ],
)
def test_a_non_file_named_txt_is_skipped_with_one_line_saying_why(tmp_path, caplog, make, why):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "link.txt").symlink_to(tmp_path / "good.txt")
    make(tmp_path / "odd.txt")
    caplog.set_level(logging.INFO)
    loaded: list = []

    # A FIFO that blocked the read would hang the thread, not the test.
    reader = threading.Thread(target=lambda: loaded.append(load_articles(tmp_path, 2000)))
    reader.start()
    reader.join(5)

    assert not reader.is_alive(), "reading the folder hung"
    assert [a.id for a in loaded[0]] == ["good", "link"]
    lines = [r.getMessage() for r in caplog.records if "odd.txt" in r.getMessage()]
    assert len(lines) == 1, lines
    assert why in lines[0] and "skipping" in lines[0]


def test_a_fifo_swapped_in_after_listing_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(ArticleError, match="FIFO"):
        read_regular_file(tmp_path / "pipe.txt")
