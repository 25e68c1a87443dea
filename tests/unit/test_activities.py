"""The activity catalogue that deep linking offers and launches name."""
import pytest

from maydan import activities
from maydan.errors import NotFound


def test_the_field_log_is_placeable_with_titles_in_both_languages(cohort):
    items = activities.catalog(cohort.course)
    assert items[0].kind == "fieldlog"
    log = activities.find(cohort.course, "fieldlog")
    assert log.title("en") == "Field training log"
    assert log.title("ar") == "سجل التدريب الميداني"
    assert activities.screens("fieldlog").render and activities.screens("fieldlog").handle


def test_an_unknown_activity_is_not_found(cohort):
    with pytest.raises(NotFound):
        activities.find(cohort.course, "fieldlog", "no-such-key")
    with pytest.raises(NotFound):
        activities.screens("no-such-kind")
