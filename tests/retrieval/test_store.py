"""The index cache: a restart loads what the last run built, and never serves stale articles."""

import logging
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus import NoArticlesError
from retrieval.listing import folder_state
from retrieval.search import find
from retrieval.store import CorpusCache, corpus_key, listing_key, open_corpus

SEEDS = Path(__file__).parents[2] / "seeds"
LIMIT = 5_000_000


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "articles"
    shutil.copytree(SEEDS, articles)
    return articles


def answers(corpus, question: str) -> list[tuple[str, float]]:
    result = find(corpus, question)
    return [(corpus.passages[f.passage].text, f.score) for f in result.findings]


def test_a_restart_loads_the_cached_index_and_answers_the_same(folder, tmp_path, caplog):
    cache = CorpusCache(tmp_path / "cache")
    built = open_corpus(folder, LIMIT, cache)

    with caplog.at_level(logging.INFO, logger="retrieval.store"):
        loaded = open_corpus(folder, LIMIT, cache)

    assert "from the cache" in caplog.text
    assert loaded is not built
    assert loaded.articles == built.articles
    assert list(loaded.passages) == list(built.passages)
    assert list(loaded.events) == list(built.events)
    assert len(built.events) > 0
    questions = [
        "Who did Jin Pyo Kim meet?",
        "What did Tokayev and Gafarova discuss?",
        "Who did Bayramow meet?",
    ]
    for question in questions:
        assert answers(loaded, question) == answers(built, question)
    assert answers(loaded, "Who did Bayramow meet?")


def test_editing_adding_or_removing_an_article_changes_the_key(folder):
    keys = {corpus_key(folder, LIMIT)}
    first = sorted(folder.glob("*.txt"))[0]
    first.write_text(first.read_text(encoding="utf-8") + "\nA new closing line.\n", "utf-8")
    keys.add(corpus_key(folder, LIMIT))
    (folder / "new.txt").write_text(" date 2024-01-02 Title\nSome body text here.\n", "utf-8")
    keys.add(corpus_key(folder, LIMIT))
    first.unlink()
    keys.add(corpus_key(folder, LIMIT))
    assert len(keys) == 4
    assert corpus_key(folder, LIMIT) == corpus_key(folder, LIMIT)


def test_an_edited_article_is_served_fresh_after_a_restart(folder, tmp_path):
    cache = CorpusCache(tmp_path / "cache")
    open_corpus(folder, LIMIT, cache)
    (folder / "zz_new.txt").write_text(
        " date 2024-05-06 Ministers meet\nPetra Novakova met Jonas Lindqvist in Oslo yesterday.\n",
        encoding="utf-8",
    )

    corpus = open_corpus(folder, LIMIT, cache)

    assert "zz_new" in corpus.articles
    assert find(corpus, "Who did Petra Novakova meet?").findings


def test_a_damaged_cache_entry_is_rebuilt_with_a_warning(folder, tmp_path, caplog):
    cache = CorpusCache(tmp_path / "cache")
    open_corpus(folder, LIMIT, cache)
    pickle_file = next((tmp_path / "cache").glob("*/corpus.pickle"))
    pickle_file.write_bytes(b"not a pickle")

    with caplog.at_level(logging.WARNING):
        corpus = open_corpus(folder, LIMIT, cache)

    assert "unreadable index cache" in caplog.text
    assert len(corpus.articles) == len(list(SEEDS.glob("*.txt")))
    assert CorpusCache(tmp_path / "cache").load(listing_key(folder, LIMIT)) is not None


PACKED = ("", ".offsets.npy")
CACHED_FILES = [
    "corpus.pickle",
    "fingerprint.txt",
    "listing.pickle",
    "names.key",
    "events.counts.npy",
    *(
        f"{name}.packed{part}"
        for name in ("articles", "entities", "names", "events")
        for part in PACKED
    ),
    *(f"passages.deflate{part}" for part in (*PACKED, ".columns.npy", ".starts.npy", ".articles")),
    *(
        f"{name}.packed{part}"
        for name in ("name_keys", "name_words")
        for part in (*PACKED, ".indptr.npy", ".values.npy")
    ),
    *(f"common_words.packed{part}" for part in PACKED),
    "bm25/meta.json",
    *(
        f"bm25/{name}.npy"
        for name in (
            "indptr doc_ids tf_codes len_codes lengths code_norms ratio_table".split()
            + "idf max_impact params".split()
            + "terms_blob terms_offsets terms_prefix".split()
        )
    ),
]


def scramble(path: Path) -> None:
    """Flips every data byte and leaves a .npy file's header as it was, so it still loads."""
    raw = bytearray(path.read_bytes())
    if path.suffix == ".npy":
        with path.open("rb") as f:
            if np.lib.format.read_magic(f) == (1, 0):
                np.lib.format.read_array_header_1_0(f)
            else:
                np.lib.format.read_array_header_2_0(f)
            start = f.tell()
    elif path.suffix == ".json":
        raw = bytearray(path.read_bytes().replace(b'"n_docs": ', b'"n_docs": 1'))
        start = len(raw)
    else:
        start = 16
    raw[start:] = bytes(b ^ 0xFF for b in raw[start:])
    assert raw != path.read_bytes()
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("name", CACHED_FILES)
def test_scrambled_data_in_any_cached_file_is_rebuilt_with_one_warning(
    folder, tmp_path, caplog, name
):
    cache = CorpusCache(tmp_path / "cache")
    built = open_corpus(folder, LIMIT, cache)
    [entry] = (tmp_path / "cache").iterdir()
    assert sorted(p.relative_to(entry).as_posix() for p in entry.rglob("*.*")) == sorted(
        [*CACHED_FILES, "checksums.json"]
    )
    scramble(entry / name)

    with caplog.at_level(logging.WARNING):
        corpus = open_corpus(folder, LIMIT, cache)

    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and name in warnings[0], warnings
    for question in ["Who did Jin Pyo Kim meet?", "What did Tokayev and Gafarova discuss?"]:
        assert answers(corpus, question) == answers(built, question)
    caplog.clear()
    with caplog.at_level(logging.INFO):
        again = open_corpus(folder, LIMIT, cache)
    assert "from the cache" in caplog.text and "unreadable" not in caplog.text
    question = "Who did Jin Pyo Kim meet?"
    assert answers(again, question) == answers(built, question)


def test_a_cache_that_cannot_be_written_only_costs_speed(folder, tmp_path, caplog):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")

    with caplog.at_level(logging.WARNING):
        corpus = open_corpus(folder, LIMIT, CorpusCache(blocker / "cache"))

    assert corpus.articles
    assert "cannot write the index cache" in caplog.text


def test_only_the_most_recent_entries_are_kept(folder, tmp_path):
    cache = CorpusCache(tmp_path / "cache", keep=2)
    for n in range(4):
        (folder / f"extra{n}.txt").write_text(f"Headline {n}\nBody number {n} of the text.\n")
        open_corpus(folder, LIMIT, cache)
    entries = [p for p in (tmp_path / "cache").iterdir() if not p.name.startswith(".")]
    assert len(entries) == 2
    assert (tmp_path / "cache" / listing_key(folder, LIMIT)).is_dir()


def test_an_empty_folder_still_says_there_is_nothing_to_answer_from(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(NoArticlesError):
        open_corpus(tmp_path / "empty", LIMIT, CorpusCache(tmp_path / "cache"))


def test_folder_state_sees_edits_without_reading_files(folder):
    before = folder_state(folder)
    target = sorted(folder.glob("*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert folder_state(folder) != before
    assert folder_state(folder / "missing").files == ()


def test_a_start_trusts_the_listing_and_a_verified_open_the_contents(folder, tmp_path):
    """A restart finds its entry by names, sizes and times alone; an edit that keeps them
    all is seen only by a verified open (the watcher's full check), which rebuilds."""
    cache = CorpusCache(tmp_path / "cache")
    built = open_corpus(folder, LIMIT, cache)
    assert built.fingerprint == corpus_key(folder, LIMIT)
    path = sorted(folder.glob("*.txt"))[0]
    info = path.stat()
    text = path.read_text(encoding="utf-8")
    edited = text.replace("a", "o", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))

    trusted = open_corpus(folder, LIMIT, cache)
    verified = open_corpus(folder, LIMIT, cache, verify=True)

    assert trusted.fingerprint == built.fingerprint != corpus_key(folder, LIMIT)
    assert verified.fingerprint == corpus_key(folder, LIMIT)
    assert open_corpus(folder, LIMIT, cache).fingerprint == verified.fingerprint


def test_large_files_are_checked_once_the_corpus_is_in_use(folder, tmp_path, caplog):
    """Past ``check_later_bytes`` a file's CRC is checked on a thread after the load; a
    damaged one is then removed and counted, for the watcher to rebuild."""
    cache = CorpusCache(tmp_path / "cache", check_later_bytes=0)
    open_corpus(folder, LIMIT, cache)
    [entry] = (tmp_path / "cache").iterdir()
    scramble(entry / "passages.deflate")

    with caplog.at_level(logging.WARNING):
        open_corpus(folder, LIMIT, cache)
        cache.wait_for_checks(10)

    assert cache.damaged == 1
    assert "passages.deflate does not match its checksum" in caplog.text
    assert not entry.exists()


def test_a_file_cut_short_is_never_loaded_even_when_checked_later(folder, tmp_path, caplog):
    cache = CorpusCache(tmp_path / "cache", check_later_bytes=0)
    built = open_corpus(folder, LIMIT, cache)
    [entry] = (tmp_path / "cache").iterdir()
    texts = entry / "passages.deflate"
    texts.write_bytes(texts.read_bytes()[:-10])

    with caplog.at_level(logging.WARNING):
        corpus = open_corpus(folder, LIMIT, cache)

    assert "passages.deflate is not the size it was written with" in caplog.text
    question = "Who did Jin Pyo Kim meet?"
    assert answers(corpus, question) == answers(built, question)


def test_a_start_after_a_few_changes_joins_them_to_the_last_entry(folder, tmp_path, caplog):
    cache = CorpusCache(tmp_path / "cache")
    open_corpus(folder, LIMIT, cache)
    (folder / "zz_new.txt").write_text(
        " date 2024-05-06 Ministers meet\nPetra Novakova met Jonas Lindqvist in Oslo.\n",
        encoding="utf-8",
    )

    with caplog.at_level(logging.INFO):
        joined = open_corpus(folder, LIMIT, cache, join=True)

    assert "the articles changed since joined" in caplog.text
    assert not joined.complete
    assert "Lindqvist" in find(joined, "Who did Petra Novakova meet?").findings[0].counterparts[0]
    rebuilt = open_corpus(folder, LIMIT, cache)
    assert rebuilt.complete
    question = "Who did Jin Pyo Kim meet?"
    assert answers(joined, question) == answers(rebuilt, question)


def test_recent_finds_the_entry_for_the_folders_names_and_gives_its_listing(folder, tmp_path):
    """A watching bot starts from the names alone; the listing it gets back is what the
    entry was built from, for the watcher's first poll to compare with the folder."""
    cache = CorpusCache(tmp_path / "cache")
    built = open_corpus(folder, LIMIT, cache)
    listing = folder_state(folder)
    path = sorted(folder.glob("*.txt"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\nA line added.\n", encoding="utf-8")

    found = cache.recent(folder, LIMIT)

    assert found is not None
    corpus, built_from = found
    assert corpus.articles == built.articles
    assert built_from() == listing != folder_state(folder)


def test_recent_finds_nothing_once_the_names_differ(folder, tmp_path):
    cache = CorpusCache(tmp_path / "cache")
    open_corpus(folder, LIMIT, cache)
    (folder / "zz_new.txt").write_text("Headline\nA body of text.\n", encoding="utf-8")
    assert cache.recent(folder, LIMIT) is None
    assert cache.recent(folder, LIMIT + 1) is None
    assert cache.recent(tmp_path / "missing", LIMIT) is None


def test_recent_never_gives_another_folders_entry_for_the_same_file_names(folder, tmp_path):
    cache = CorpusCache(tmp_path / "cache")
    open_corpus(folder, LIMIT, cache)
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    assert cache.recent(other, LIMIT) is None
    assert cache.recent(folder, LIMIT) is not None
