"""A build stage's count: told every few thousand items and after the last one."""

from retrieval.build_progress import EVERY, reported


def test_the_count_is_told_every_few_thousand_items_and_at_the_end():
    heard: list[tuple[int, int]] = []
    total = 2 * EVERY + 7
    items = list(reported(range(total), total, lambda done, of: heard.append((done, of))))
    assert items == list(range(total))
    assert heard == [(EVERY, total), (2 * EVERY, total), (total, total)]


def test_no_count_means_the_items_only():
    assert list(reported("abc", 3, None)) == ["a", "b", "c"]
