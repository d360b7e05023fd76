"""Two coders' codings split into both / A only / B only pieces, per code."""

from fieldcase.coding.compare import Piece, disagreements, pieces


def c(coder, code, start, end):
    return {"coder": coder, "code_key": code, "start": start, "end": end}


def test_pieces_split_overlaps_per_code_and_ignore_other_coders():
    found = pieces([c("a", "k", 0, 10), c("b", "k", 5, 15), c("a", "k", 8, 12), c("b", "j", 20, 25),
                    c("x", "k", 0, 30), c("a", "j", 20, 22)], "a", "b")
    assert found == [Piece(0, 5, "k", "a"), Piece(5, 12, "k", "both"), Piece(12, 15, "k", "b"),
                     Piece(20, 22, "j", "both"), Piece(22, 25, "j", "b")]
    assert disagreements(found) == [(0, 5), (12, 15), (22, 25)]


def test_the_same_span_with_different_codes_is_two_disagreements_joined_into_one_place():
    found = pieces([c("a", "k", 3, 9), c("b", "j", 3, 9)], "a", "b")
    assert found == [Piece(3, 9, "j", "b"), Piece(3, 9, "k", "a")]
    assert disagreements(found) == [(3, 9)]


def test_the_next_disagreement_elsewhere_is_in_the_nearest_source_with_one_either_way():
    from fieldcase.coding.compare import next_elsewhere

    places = {1: [(0, 5), (9, 12)], 3: [(2, 4), (7, 8)], 4: []}
    order = [4, 1, 2, 3]
    assert next_elsewhere(places, order, 1, 1) == (3, 2, 4)
    assert next_elsewhere(places, order, 3, -1) == (1, 9, 12)
    assert next_elsewhere(places, order, 3, 1) is None and next_elsewhere(places, order, 4, -1) is None
    assert next_elsewhere(places, order, None, 1) == (1, 0, 5)
    assert next_elsewhere(places, order, None, -1) == (3, 7, 8)
