"""The cohort's alert rules, evidence flags, student codes and charts: pure functions."""
from datetime import date

from maydan.cohort import charts, rules


def test_even_pace_through_the_period():
    start, end = date(2025, 2, 1), date(2025, 3, 2)  # 30 days
    assert rules.expected_minutes(400, start, end, date(2025, 2, 1)) == 0
    assert rules.expected_minutes(400, start, end, date(2025, 2, 16)) == 400 * 60 * 15 / 30
    assert rules.expected_minutes(400, start, end, date(2025, 6, 1)) == 400 * 60  # after the end: the whole target
    assert rules.expected_minutes(400, None, end, date(2025, 2, 16)) is None
    assert rules.expected_minutes(400, end, start, date(2025, 2, 16)) is None


def test_behind_schedule_only_below_the_tolerance():
    start, end, today = date(2025, 2, 1), date(2025, 3, 2), date(2025, 2, 16)  # half way: 200 h expected
    assert rules.behind_schedule(150 * 60, 400, start, end, today)  # 150 < 0.8 × 200
    assert not rules.behind_schedule(170 * 60, 400, start, end, today)  # 170 ≥ 160
    assert not rules.behind_schedule(0, 400, start, end, start)  # not started yet
    assert not rules.behind_schedule(0, 400, None, None, today)  # no period known: no alert


def test_bunched_days_and_weeks():
    monday = date(2025, 3, 3)
    days = {monday: 13 * 60, date(2025, 3, 4): 12 * 60, date(2025, 3, 5): 10 * 60, date(2025, 3, 6): 6 * 60,
            date(2025, 3, 10): 8 * 60}
    over_days, over_weeks = rules.bunched(days)
    assert over_days == [monday]  # exactly 12 h is allowed
    assert over_weeks == [monday]  # 41 h in the week of 3 March; 8 h the next week
    assert rules.bunched({monday: 40 * 60 // 4, date(2025, 3, 9): 30 * 60}) == ([date(2025, 3, 9)], [])


def test_overdue_counts_waits_of_more_than_seven_days():
    today = date(2025, 3, 20)
    assert rules.overdue([date(2025, 3, 13), date(2025, 3, 12), date(2025, 3, 1), None], today) == 2


def test_alerts_list_their_kinds():
    assert not rules.Alerts()
    alerts = rules.Alerts(behind=True, bunched_weeks=(date(2025, 3, 3),), overdue=2)
    assert alerts.kinds == [rules.BEHIND, rules.BUNCHED_WEEK, rules.OVERDUE]
    assert rules.Alerts(no_visit=True).kinds == [rules.NO_VISIT]


def test_evidence_flags():
    assert rules.evidence_flags(2, 1, 600) == []
    assert rules.evidence_flags(1, 0, 600) == [rules.FEW_ASSESSMENTS, rules.NO_SIMULATION]
    assert rules.evidence_flags(0, 3, 0) == [rules.NO_REAL_PRACTICE]
    assert rules.evidence_flags(0, 0, 0) == [rules.FEW_ASSESSMENTS, rules.NO_REAL_PRACTICE, rules.NO_SIMULATION]


def test_student_codes_are_stable_and_reveal_nothing():
    code = rules.student_code("secret", 1, 42)
    assert code == rules.student_code("secret", 1, 42)
    assert code != rules.student_code("secret", 1, 43) and code != rules.student_code("secret", 2, 42)
    assert code != rules.student_code("other secret", 1, 42)
    assert code.startswith("S-") and len(code) == 10 and "42" not in code[2:4]


def test_chart_escapes_labels_and_mirrors_for_arabic():
    ltr = charts.bars([("<b>Home visit</b>", 10), ("None yet", None)], title="Hours & more", unit=" h")
    assert "<b>" not in ltr and "&lt;b&gt;Home visit" in ltr and "Hours &amp; more" in ltr
    assert "10 h" in ltr and "—" in ltr and ltr.startswith("<svg")
    rtl = charts.bars([("زيارة منزلية", 10)], title="الساعات", direction="rtl")
    assert 'direction="rtl"' in rtl
    # The longest bar fills the bar area; in Arabic it grows from the label's side, on the right.
    assert f'width="{charts.BAR}' in rtl and f'x="{charts.GAP}' in rtl
