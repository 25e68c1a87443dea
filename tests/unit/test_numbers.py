"""Numbers on screens are written one way per language; numbers in form inputs are never localised."""
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from maydan import numbers

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "maydan" / "templates", ROOT / "lti_tool" / "templates"]


@pytest.mark.parametrize("value, language, digits, shown", [
    (6.98, "ar", "latn", "6.98"), (18.5, "ar", "latn", "18.5"), (18.5, "en", "latn", "18.5"),
    (6.98333, "en", "latn", "6.98"), (1234.5, "en", "latn", "1,234.5"), (1234.5, "ar", "latn", "1,234.5"),
    (18.5, "ar", "arab", "١٨٫٥"), (400, "ar", "arab", "٤٠٠"), (0, "ar", "latn", "0"), (None, "ar", "latn", ""),
])
def test_a_number_reads_the_same_way_wherever_it_appears_in_one_language(value, language, digits, shown):
    assert numbers.number(value, language, 2, digits) == shown


def test_hours_on_one_arabic_screen_share_one_decimal_mark():
    template = Template("{% load maydan %}{{ a|hours }} س · {{ b|hours }} س · {{ c|number:0 }}%")
    with translation.override("ar"):
        text = template.render(Context({"a": 6.98, "b": 18.5, "c": 33.3}))
    assert text == "6.98 س · 18.5 س · 33%"


@pytest.mark.parametrize("typed, meant", [("10", 10.0), ("10.5", 10.5), ("10,5", 10.5), ("١٠٫٥", 10.5),
                                          ("۱۲", 12.0), (" 3 ", 3.0), (4, 4.0)])
def test_numbers_people_type_are_read_as_meant(typed, meant):
    assert numbers.parse(typed) == meant


@pytest.mark.parametrize("typed", ["1,000.5", "1,2,3", "nan", "inf", "", "ten"])
def test_ambiguous_or_non_numbers_are_refused(typed):
    with pytest.raises(ValueError):
        numbers.parse(typed)


def _templates():
    return [p for d in TEMPLATE_DIRS for p in d.rglob("*.html")]


def test_no_template_writes_a_localised_number_into_a_number_field():
    """Every <input type="number"> whose value comes from the context is unlocalised, by |unlocalize or by
    sitting in the Studio editors' frame, which turns localisation off for the whole form."""
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        localized_off = "{% localize off %}" in text or 'extends "maydan/_studio.html"' in text
        for tag in re.findall(r"<input[^>]*type=\"number\"[^>]*>", text):
            value = re.search(r'value="([^"]*)"', tag)
            if value and "{{" in value.group(1) and "unlocalize" not in value.group(1) and not localized_off:
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
    assert offenders == []


def test_a_course_that_chose_arabic_indic_digits_reads_them_on_its_arabic_screens_only(cohort):
    from maydan import ui
    from maydan.fieldlog import screens as fieldlog_screens
    from tests.conftest import entry_form

    from maydan import fieldlog

    fieldlog.save_entry(cohort.student, entry_form())
    cohort.course.digits = "arab"
    cohort.course.save(update_fields=["digits"])
    cohort.student.course.refresh_from_db()
    arabic = fieldlog_screens.render(ui.Screen(actor=cohort.student, language="ar"))
    english = fieldlog_screens.render(ui.Screen(actor=cohort.student, language="en"))
    assert "٠ من ٤٠٠" in arabic  # "0 of 400 hours approved", in the course's digits
    assert "0 of 400 hours approved" in english
