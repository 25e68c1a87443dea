"""Reconciliation math, checked on properties rather than a few hand-picked numbers."""
from hypothesis import given, strategies as st

from maydan.grading import content, scoring
from maydan.grading.scoring import MINIMUM, MODERATOR, WEIGHTED_MEAN, Rule

values = st.one_of(st.none(), st.integers(1, 5))
weights = st.floats(0, 10, allow_nan=False)


@given(values, values, weights, weights)
def test_weighted_mean_lies_between_the_two_values(agency, academic, wa, wb):
    rule = Rule(WEIGHTED_MEAN, wa, wb)
    if wa + wb == 0:
        assert rule.problems() == ["weights"]
        return
    outcome = scoring.reconcile(agency, academic, rule)
    observed = [v for v in (agency, academic) if v is not None]
    if not observed:
        assert outcome.value is None and not outcome.needs_decision
    else:
        assert min(observed) - 1e-9 <= outcome.value <= max(observed) + 1e-9


@given(st.integers(1, 5), st.integers(1, 5), st.floats(0.01, 10))
def test_a_side_with_all_the_weight_decides_and_equal_weights_give_the_midpoint(agency, academic, w):
    assert scoring.reconcile(agency, academic, Rule(WEIGHTED_MEAN, w, 0)).value == agency
    assert scoring.reconcile(agency, academic, Rule(WEIGHTED_MEAN, 0, w)).value == academic
    assert scoring.reconcile(agency, academic, Rule(WEIGHTED_MEAN, w, w)).value == (agency + academic) / 2


@given(values, values, st.sampled_from(scoring.RULES))
def test_not_observed_on_one_side_takes_the_other_sides_value_in_every_rule(agency, academic, kind):
    outcome = scoring.reconcile(agency, academic, Rule(kind))
    if agency is None or academic is None:
        assert outcome == scoring.Outcome(academic if agency is None else agency)


@given(st.integers(1, 5), st.integers(1, 5))
def test_minimum_takes_the_lower(agency, academic):
    assert scoring.reconcile(agency, academic, Rule(MINIMUM)).value == min(agency, academic)


@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 4))
def test_moderator_is_asked_only_beyond_the_threshold(agency, academic, threshold):
    outcome = scoring.reconcile(agency, academic, Rule(MODERATOR, threshold=threshold))
    assert outcome.needs_decision == (abs(agency - academic) > threshold)
    decided = scoring.reconcile_all({"1a": agency}, {"1a": academic}, Rule(MODERATOR, threshold=threshold), {"1a": 4})
    assert decided["1a"].value == (4 if outcome.needs_decision else outcome.value)


@given(st.lists(values, max_size=20))
def test_form_score_is_within_0_and_1_and_ignores_not_observed(final_values):
    score = scoring.form_score(final_values, 5)
    observed = [v for v in final_values if v is not None]
    if not observed:
        assert score is None
    else:
        assert 0 < score <= 1
        assert score == scoring.form_score(observed, 5)


def test_answers_need_every_behaviour_and_comments_for_not_observed_and_low_levels():
    form = content.library().forms["midterm"]
    all_threes = {b.id: 3 for b in form.framework.behaviours}
    assert scoring.check_answers(form, all_threes, {}) == []
    values = dict(all_threes, **{"1a": None, "2b": 2, "3a": 4})
    del values["9b"]
    problems = scoring.check_answers(form, values, {"2": "  "})
    assert problems == [("comment_1", "comment_required"), ("comment_2", "comment_required"), ("value_9b", "missing")]
    values["9b"] = 7
    assert ("value_9b", "off_scale") in scoring.check_answers(form, values, {"1": "x", "2": "y"})


def test_parse_value_reads_the_scale_and_not_observed():
    scale = content.library().forms["midterm"].scale
    assert scoring.parse_value("4", scale) == 4
    assert scoring.parse_value("NO", scale) is None and scoring.parse_value("n/o", scale) is None
    for junk in ("0", "6", "x", ""):
        try:
            scoring.parse_value(junk, scale)
        except ValueError:
            continue
        raise AssertionError(junk)


def test_rubric_score_adds_chosen_points():
    rubric = content.library().rubrics["reflection"]
    assert scoring.rubric_score(rubric, {"description": 2, "analysis": 4, "self_awareness": 1, "next_steps": 0}) == (7, 0.7)
    try:
        scoring.rubric_score(rubric, {"description": 2, "analysis": 3, "self_awareness": 1, "next_steps": 0})
    except ValueError as error:
        assert str(error) == "analysis"
    else:
        raise AssertionError("3 is not a level of analysis")
