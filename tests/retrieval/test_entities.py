"""The names of a folder: one entity per person, and questions matched to them."""

import os
import subprocess
import sys

from retrieval.entities import EntityIndex

TEXTS = [
    "Foreign Minister Ola Strand met Trade Minister Anna Berg in Oslo.",
    "Anna Berg later met Ola Strand again, with Carlos Dias.",
]

_MATCH_ORDER = """
from retrieval.entities import EntityIndex
index = EntityIndex({texts!r})
print([index.entities[m.entity].name for m in index.match("Did Strand or Berg or Dias meet?")])
"""


def test_a_surname_and_the_full_name_are_one_entity():
    index = EntityIndex(TEXTS)
    [strand] = [m for m in index.match("Strand") if index.entities[m.entity].name == "Ola Strand"]
    assert {0, 1} <= index.entities[strand.entity].passages


def test_equally_good_matches_come_out_in_the_same_order_on_every_run():
    """Reply wording lists the matched names: it must not change between two starts."""
    script = _MATCH_ORDER.format(texts=TEXTS)
    orders = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(orders) == 1


COMEX = [
    "Trade Minister Ola Comex met Anna Berg in Oslo.",
    "Delegations will come to Oslo next week, officials said.",
]


def test_a_misspelt_surname_finds_its_person():
    index = EntityIndex(COMEX)
    assert [index.entities[m.entity].name for m in index.match("Who did Comez meet?")] == [
        "Ola Comex"
    ]


def test_a_word_the_articles_write_in_lower_case_is_never_taken_for_a_name_near_it():
    """ "come" is one letter from "Comex": in a large folder some name is near any word."""
    index = EntityIndex(COMEX)
    matched = [index.entities[m.entity].name for m in index.match("Did Berg come to Oslo?")]
    assert "Ola Comex" not in matched and "Anna Berg" in matched


def test_common_words_still_keep_fuzzy_names_apart_once_read_from_the_packed_tables(tmp_path):
    index = EntityIndex(COMEX)
    paths = [tmp_path / name for name in ("keys", "words", "common")]
    index.write_lookups(*paths)
    index.open_lookups(*paths)
    assert "Ola Comex" not in [index.entities[m.entity].name for m in index.match("come")]
    assert [index.entities[m.entity].name for m in index.match("Comez")] == ["Ola Comex"]


def test_the_leading_people_are_those_with_a_full_name_in_most_passages():
    texts = [
        "Minister Ola Strand met Minister Anna Berg in Oslo.",
        "Ola Strand spoke to Anna Berg and Carlos Dias.",
        "Strand said talks would go on.",
        "Anna Berg met Minister Carlos Dias.",
        "Norway and Sweden signed a deal.",
    ]
    index = EntityIndex(texts)
    assert [e.name for e in index.leading_people(2)] == ["Anna Berg", "Ola Strand"]
    assert [e.name for e in index.leading_people(10)] == ["Anna Berg", "Ola Strand", "Carlos Dias"]
