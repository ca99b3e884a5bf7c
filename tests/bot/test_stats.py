"""The counts behind /stats."""

from bot.stats import Stats, percentile


def test_percentiles_are_measured_values():
    values = [0.1 * i for i in range(1, 21)]  # 0.1 .. 2.0
    assert percentile(values, 0.5) == values[9]
    assert percentile(values, 0.95) == values[18]
    assert percentile([], 0.5) is None
    assert percentile([3.0], 0.95) == 3.0


def test_stats_count_questions_and_misses():
    stats = Stats()
    for found, seconds in [(True, 0.2), (False, 0.1), (True, 0.4), (True, 3.0)]:
        stats.record(found, seconds)
    snapshot = stats.snapshot()
    assert (snapshot.questions, snapshot.not_found) == (4, 1)
    assert snapshot.p50 == 0.2
    assert snapshot.p95 == 3.0
