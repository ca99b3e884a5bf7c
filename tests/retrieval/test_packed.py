"""Lists kept on disk and read item by item read back exactly what was written."""

import pytest

from retrieval.packed import PackedGroups, PackedList, PackedMapping, PackedPassages, PackedStrings
from retrieval.passages import Passage

PASSAGES = [
    Passage("a1", 0, "BAKU, February 6. Bayramov met Zhang Ming."),
    Passage("a1", 1, "Żółkiewski discussed the GIPL 🚀 pipeline.", clipped=True),
    Passage("b2", 0, ""),
    Passage("c3", 0, "Gafarova welcomed the Kazakh President."),
]


def test_a_packed_list_reads_back_each_item_and_slice(tmp_path):
    items = [{"name": "Ola Strand", "passages": {1, 2}}, ("a", 1), None, "x" * 10_000]
    PackedList.write(tmp_path / "items.packed", items)
    packed = PackedList.open(tmp_path / "items.packed")
    assert len(packed) == 4
    assert list(packed) == items
    assert packed[-1] == items[-1]
    assert packed[1:3] == items[1:3]
    with pytest.raises(IndexError):
        packed[4]


def test_a_compressed_packed_list_reads_back_the_same_and_is_smaller(tmp_path):
    items = ["Bayramov met Zhang Ming in Baku. " * 200, "Żółkiewski " * 50]
    PackedList.write(tmp_path / "plain.packed", items)
    PackedList.write(tmp_path / "small.packed", items, compressed=True)
    assert list(PackedList.open(tmp_path / "small.packed", compressed=True)) == items
    assert (tmp_path / "small.packed").stat().st_size < (tmp_path / "plain.packed").stat().st_size


def test_an_empty_packed_list_opens(tmp_path):
    PackedList.write(tmp_path / "none.packed", [])
    assert list(PackedList.open(tmp_path / "none.packed")) == []


def test_packed_passages_read_back_text_article_paragraph_and_cut(tmp_path):
    PackedPassages.write(tmp_path / "passages.deflate", PASSAGES)
    packed = PackedPassages.open(tmp_path / "passages.deflate")
    assert list(packed) == PASSAGES
    assert packed.article_passages() == {"a1": range(0, 2), "b2": range(2, 3), "c3": range(3, 4)}
    assert [packed.article_of(n) for n in range(4)] == [p.article_id for p in PASSAGES]


def test_packed_passages_give_the_articles_of_many_passages_and_their_passages_at_once(
    tmp_path,
):
    PackedPassages.write(tmp_path / "passages.deflate", PASSAGES)
    packed = PackedPassages.open(tmp_path / "passages.deflate")
    assert packed.articles_of({0, 1, 3}) == {"a1", "c3"}
    assert packed.articles_of(set()) == set()
    by_article = packed.article_passages()
    assert sorted(by_article.all_of(["c3", "a1"]).tolist()) == [0, 1, 3]
    assert by_article.all_of([]).tolist() == []


def test_packed_passages_take_less_room_than_their_text(tmp_path):
    said = "Bayramov met Zhang Ming in Baku to discuss the pipeline."
    passages = [Passage(f"a{n // 8}", n % 8, f"{said} ({n})") for n in range(80)]
    PackedPassages.write(tmp_path / "passages.deflate", passages)
    packed = PackedPassages.open(tmp_path / "passages.deflate")
    assert list(packed) == passages
    text_bytes = sum(len(p.text.encode()) for p in passages)
    assert (tmp_path / "passages.deflate").stat().st_size < text_bytes / 3


def test_passages_of_an_article_must_follow_one_another(tmp_path):
    with pytest.raises(ValueError, match="follow one another"):
        PackedPassages.write(tmp_path / "p.utf8", [PASSAGES[0], PASSAGES[3], PASSAGES[1]])


def test_a_packed_mapping_reads_values_by_key_in_written_order():
    mapping = PackedMapping(["b", "a"], ["second", "first"])
    assert list(mapping.items()) == [("b", "second"), ("a", "first")]
    assert "a" in mapping and "z" not in mapping
    with pytest.raises(KeyError):
        mapping["z"]


def test_packed_groups_look_keys_up_in_place(tmp_path):
    groups = {"bayramov": {3, 1}, "gafarova": {2}, "zhang": {5, 4, 6}, "é-name": {7}}
    PackedGroups.write(tmp_path / "words", groups.items())

    table = PackedGroups.open(tmp_path / "words")

    assert list(table) == sorted(groups)
    assert table["bayramov"].tolist() == [1, 3]
    assert table["é-name"].tolist() == [7]
    assert "zhang" in table and "zhan" not in table and 3 not in table
    with pytest.raises(KeyError):
        table["nobody"]
    assert len(table) == 4


def test_packed_strings_find_their_place_by_binary_search(tmp_path):
    words = sorted(f"w{n:04d}" for n in range(0, 1000, 3))
    PackedStrings.write(tmp_path / "strings", words)
    strings = PackedStrings.open(tmp_path / "strings")
    assert strings.index_of("w0300") == words.index("w0300")
    assert strings.index_of("w0301") == -1
    assert "w0300" in strings and "w0301" not in strings and 300 not in strings
    assert PackedStrings.write(tmp_path / "empty", []) is None
    assert PackedStrings.open(tmp_path / "empty").index_of("a") == -1


def test_packed_strings_read_back_whole_in_one_piece(tmp_path):
    words = sorted(["bayramov", "gafarova", "żółkiewski", "zhang"])
    PackedStrings.write(tmp_path / "strings", words)
    assert (
        PackedStrings.open(tmp_path / "strings").to_list()
        == words
        == list(PackedStrings.open(tmp_path / "strings"))
    )
