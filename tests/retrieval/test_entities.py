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
