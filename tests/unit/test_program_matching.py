"""Deferred acceptance: capacities held, no blocking pair, everyone placed when seats allow."""
from hypothesis import given, settings, strategies as st

from maydan.program.matching import blocking_pairs, deferred_acceptance


@st.composite
def markets(draw, full=False):
    openings = list(range(draw(st.integers(1, 8))))
    capacity = {o: draw(st.integers(0, 4)) for o in openings}
    students = [f"s{i}" for i in range(draw(st.integers(0, 25)))]
    ranks = {}
    for student in students:
        if full:
            ranks[student] = draw(st.permutations(openings))
        else:
            ranks[student] = draw(st.lists(st.sampled_from(openings), unique=True, max_size=5))
    agency = {}
    for opening in openings:
        if draw(st.booleans()):
            agency[opening] = draw(st.lists(st.sampled_from(students), unique=True)) if students else []
    tie_break = draw(st.permutations(students))
    return ranks, capacity, agency, tie_break


@settings(max_examples=300, deadline=None)
@given(markets())
def test_no_opening_over_capacity_and_only_ranked_openings(market):
    ranks, capacity, agency, tie_break = market
    result = deferred_acceptance(ranks, capacity, agency, tie_break)
    for opening, seats in capacity.items():
        assert sum(1 for o in result.values() if o == opening) <= seats
    assert all(result[s] in ranks[s] for s in result)


@settings(max_examples=300, deadline=None)
@given(markets())
def test_the_result_is_stable(market):
    ranks, capacity, agency, tie_break = market
    result = deferred_acceptance(ranks, capacity, agency, tie_break)
    assert blocking_pairs(result, ranks, capacity, agency, tie_break) == []


@settings(max_examples=200, deadline=None)
@given(markets(full=True))
def test_everyone_is_placed_when_all_rank_all_and_seats_allow(market):
    ranks, capacity, agency, tie_break = market
    result = deferred_acceptance(ranks, capacity, agency, tie_break)
    assert len(result) == min(len(ranks), sum(capacity.values()))


def test_agency_preference_wins_a_contested_seat():
    ranks = {"a": [1, 2], "b": [1, 2]}
    assert deferred_acceptance(ranks, {1: 1, 2: 1}, {1: ["b"]}) == {"b": 1, "a": 2}
    assert deferred_acceptance(ranks, {1: 1, 2: 1}) == {"a": 1, "b": 2}


def test_blocking_pairs_finds_an_unstable_result():
    ranks = {"a": [1], "b": [1]}
    assert blocking_pairs({"b": 1}, ranks, {1: 1}, {1: ["a"]}) == [("a", 1)]
    assert blocking_pairs({}, ranks, {1: 1}) == [("a", 1), ("b", 1)]
