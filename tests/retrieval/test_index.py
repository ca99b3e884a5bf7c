from retrieval.index import Holders, PassageIndex
from retrieval.ranking import holds


def test_a_one_passage_corpus_still_finds_its_passage():
    # BM25Okapi scores everything 0 here (idf = log(0.5 / 1.5) < 0 is floored by epsilon).
    index = PassageIndex.from_tokens([["minist", "met", "envoy"]])
    assert [h.passage for h in index.search(["envoy"], 5)] == [0]


def test_a_two_passage_corpus_ranks_by_matching_terms():
    index = PassageIndex.from_tokens([["trade", "talk"], ["minist", "envoy", "talk"]])
    assert [h.passage for h in index.search(["envoy", "minist"], 5)] == [1]


def test_unknown_terms_find_nothing_rather_than_a_random_passage():
    index = PassageIndex.from_tokens([["a1"], ["b1"], ["c1"], ["d1"]])
    assert index.search(["zebra"], 5) == []
    assert index.search([], 5) == []


def test_empty_corpus_does_not_divide_by_zero():
    assert PassageIndex.from_tokens([]).search(["anything"], 3) == []


def test_results_are_best_first_and_capped_at_k():
    docs = [["x"] * n + ["pad"] * (10 - n) for n in range(1, 8)] + [["other"]] * 10
    hits = PassageIndex.from_tokens(docs).search(["x"], 3)
    assert [h.passage for h in hits] == [6, 5, 4]
    assert hits[0].score > hits[1].score > hits[2].score


def test_holders_tell_from_the_postings_what_the_passages_term_sets_tell():
    """A term of four letters or more also stands for the longer terms it begins."""
    docs = [["grow", "kazakh"], ["grown", "talk"], ["kazakhstan"], ["gro", "talks"], ["talk"]]
    holders = Holders(PassageIndex.from_tokens(docs))
    groups = [[0], [1], [2, 3], [3, 4], [0, 1, 2, 3, 4], []]
    for term in ["grow", "gro", "kazakh", "talk", "talks", "zebra"]:
        for passages in groups:
            expected = any(holds(term, set(docs[p])) for p in passages)
            assert holders.any_of(term, passages) is expected, (term, passages)
