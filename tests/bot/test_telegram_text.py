"""Packing HTML blocks into Telegram-sized messages, checked on many random blocks."""

from __future__ import annotations

import itertools
import random

import pytest
from telegram_stand_in import parse_html

from bot.telegram_text import pack, split_block, utf16_length

WORDS = ["Oslo", "mayor", "met", "the", "envoy", "talks", "2024", "Gafarova", "Kim", "NATO"]
# Astral emoji (two UTF-16 units), a ZWJ family, a flag, accented and CJK text.
EMOJI = ["🙂", "👨‍👩‍👧", "🇳🇴", "é", "会談", "👍🏽"]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&quot;", "&#128512;", "&#x1F600;"]
TAGS = ["b", "i", "blockquote"]


def random_text(rng: random.Random, length: int) -> str:
    parts = []
    for _ in range(length):
        kind = rng.random()
        if kind < 0.6:
            parts.append(rng.choice(WORDS))
        elif kind < 0.75:
            parts.append(rng.choice(EMOJI))
        elif kind < 0.9:
            parts.append(rng.choice(ENTITIES))
        else:
            parts.append("\n")
        parts.append(rng.choice([" ", " ", "", "\n"]))
    return "".join(parts)


def random_block(rng: random.Random, size: int, depth: int = 0) -> str:
    """Balanced HTML like the templates produce: text, with tags nested up to two deep."""
    if depth >= 2 or rng.random() < 0.4:
        return random_text(rng, size)
    tag = rng.choice(TAGS)
    inner = [random_block(rng, max(1, size // 3), depth + 1) for _ in range(rng.randint(1, 3))]
    return f"{random_text(rng, 2)}<{tag}>{''.join(inner)}</{tag}>{random_text(rng, 2)}"


def has_text(block: str) -> bool:
    return bool(parse_html(block).strip())


def squeeze(text: str) -> str:
    return "".join(text.split())


def random_cases(
    count: int,
    sizes: tuple[int, ...] = (1, 3, 10, 40, 150, 600),
    limits: tuple[int, ...] = (60, 97, 250, 4096),
):
    """(limit, blocks) pairs, the same on every run."""
    rng = random.Random(20240206)
    for _ in range(count):
        limit = rng.choice(limits)
        block_sizes = [rng.choice(sizes) for _ in range(rng.randint(1, 8))]
        yield limit, [random_block(rng, size) for size in block_sizes]


@pytest.mark.parametrize(("limit", "blocks"), list(random_cases(150)))
def test_every_message_fits_parses_and_keeps_the_text(limit, blocks):
    messages = pack(blocks, limit)

    assert messages
    for message in messages:
        assert utf16_length(message) < limit
        parse_html(message)  # raises on a cut tag or entity, or unbalanced tags
    sent_text = "".join(parse_html(m) for m in messages)
    assert squeeze(sent_text) == squeeze("".join(parse_html(b) for b in blocks))


FITTING_CASES = list(random_cases(150, sizes=(1, 2, 4, 8, 30), limits=(250, 1000, 4096)))


@pytest.mark.parametrize(("limit", "blocks"), FITTING_CASES)
def test_whole_blocks_are_packed_into_as_few_messages_as_possible(limit, blocks):
    blocks = [b for b in blocks if has_text(b)]
    assert all(utf16_length(b) < limit for b in blocks), "the case should need no splitting"

    messages = pack(blocks, limit)

    assert "\n\n".join(messages) == "\n\n".join(blocks)
    for first, second in itertools.pairwise(messages):
        assert utf16_length(f"{first}\n\n{second}") >= limit


def test_short_answers_go_out_as_one_message():
    blocks = ["<b>Lead</b>", "<blockquote>Quote &amp; more</blockquote>\n<i>— Source</i>"]
    assert pack(blocks) == [
        "<b>Lead</b>\n\n<blockquote>Quote &amp; more</blockquote>\n<i>— Source</i>"
    ]


def test_blocks_move_to_the_next_message_whole():
    blocks = ["a" * 3000, "b" * 1100, "c" * 100]
    assert pack(blocks) == ["a" * 3000, "b" * 1100 + "\n\n" + "c" * 100]


def test_the_limit_is_counted_in_utf16_units():
    emoji_block = "🙂" * 2000  # 2,000 characters but 4,000 UTF-16 units
    messages = pack([emoji_block, emoji_block])
    assert len(messages) == 2
    assert pack(["🙂" * 2048]) != ["🙂" * 2048]


def test_a_message_exactly_at_the_limit_is_split():
    assert pack(["x" * 4095]) == ["x" * 4095]
    assert len(pack(["x" * 4096])) == 2


def test_an_oversized_quote_keeps_its_tags_open_across_the_cut():
    block = "<blockquote><b>" + "news " * 30 + "</b></blockquote>"
    pieces = split_block(block, 60)

    assert len(pieces) > 2
    for piece in pieces:
        assert piece.startswith("<blockquote><b>")
        assert piece.endswith("</b></blockquote>")
        assert utf16_length(piece) < 60
    assert "".join(parse_html(p) for p in pieces) == parse_html(block)


def test_cuts_fall_between_words_when_a_block_has_spaces():
    block = "meeting " * 100
    pieces = split_block(block, 50)
    for piece in pieces:
        assert set(piece.split()) == {"meeting"}


def test_entities_and_emoji_are_never_cut():
    block = "&amp;🙂&#128512;" * 300
    pieces = split_block(block, 53)
    for piece in pieces:
        assert parse_html(piece)  # a cut entity would not parse
        assert piece.encode("utf-16-le").decode("utf-16-le") == piece
    assert "".join(pieces) == block


def test_a_word_longer_than_a_message_is_cut_where_it_must_be():
    block = "x" * 10_000
    pieces = pack([block])
    assert [len(p) for p in pieces] == [4095, 4095, 1810]


def test_blocks_without_visible_text_are_not_sent():
    assert pack(["", "  ", "<b></b>", "hello"]) == ["hello"]
    assert pack([]) == []


def test_tags_that_leave_no_room_for_text_are_an_error_not_a_loop():
    with pytest.raises(ValueError, match="nest too deeply"):
        pack(["<blockquote><b><i>" + "x" * 100 + "</i></b></blockquote>"], limit=30)


@pytest.mark.parametrize(("limit", "blocks"), list(random_cases(60, sizes=(150, 600))))
def test_split_pieces_put_together_give_back_the_exact_text(limit, blocks):
    for block in blocks:
        pieces = split_block(block, limit)
        assert all(utf16_length(p) < limit for p in pieces)
        assert "".join(parse_html(p) for p in pieces) == parse_html(block)
