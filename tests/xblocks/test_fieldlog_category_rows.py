"""The field log's Studio editor gives the hours per category as rows (a category by its name and its hours),
not JSON: saved from Arabic and English editors, numbers never localised, refusals in the author's words."""
import re

import pytest
from django.utils import translation

from maydan import vocab
from maydan.models import AuditEvent, Course

from .test_studio_settings_languages import _rendered_form
from .xbtools import Person, lms_user


@pytest.fixture
def author(lms, request):
    return lambda language: Person(lms, lms_user(f"anon-author-{language}", role="staff", lang=language,
                                                 name="Dr. Hoda Samir"))


def _label(key, language):
    with translation.override(language):
        return str({**vocab.TIME_KINDS, **vocab.ACTIVITY_TYPES}[key])


@pytest.mark.parametrize("language", ["ar", "en"])
def test_rows_are_saved_and_shown_back_by_name_with_plain_numbers(author, language):
    hoda = author(language)
    form = _rendered_form(hoda.view("studio_view"))
    assert form["category_key"] == [""] and form["category_hours"] == [""]  # one empty row to start
    rows = {"category_key": ["direct", "supervision", "", "home_visit"], "category_hours": ["450", "22.5", "", ""]}
    response = hoda.post_json("studio_submit", {**form, **rows})
    assert response.status_code == 200, response.json
    # The empty row and the row left without hours are not kept.
    assert Course.objects.get().category_targets == {"direct": 450, "supervision": 22.5}
    html = hoda.view("studio_view")
    shown = _rendered_form(html)
    assert shown["category_key"] == ["direct", "supervision"] and shown["category_hours"] == ["450", "22.5"]
    selected = re.findall(r'<option value="(\w+)" selected>([^<]+)</option>', html)
    assert ("supervision", _label("supervision", language)) in selected
    assert "{&quot;" not in html and '{"direct"' not in html  # no JSON left on the screen
    # Saved again as shown: nothing changes, nothing is audited twice.
    assert hoda.post_json("studio_submit", shown).status_code == 200
    assert AuditEvent.objects.filter(action="course_settings").count() == 1


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows, says", [
    ({"category_key": ["direct", "direct"], "category_hours": ["10", "20"]}, "twice"),
    ({"category_key": ["", "direct"], "category_hours": ["10", "20"]}, "category of the 10"),
    ({"category_key": ["supervision"], "category_hours": ["0"]}, "from 1 to 5000"),
    ({"category_key": ["supervision"], "category_hours": ["lots"]}, "from 1 to 5000"),
    ({"category_key": ["naps"], "category_hours": ["10"]}, "naps"),
])
def test_bad_rows_are_refused_in_the_authors_language_and_nothing_is_saved(author, language, rows, says):
    hoda = author(language)
    form = _rendered_form(hoda.view("studio_view"))
    response = hoda.post_json("studio_submit", {**form, "display_name": "Changed", **rows})
    assert response.status_code == 400 and "category_targets" in response.json["errors"]
    message = " ".join(response.json["errors"]["category_targets"])
    if language == "en":
        assert says in message
    else:
        assert re.search("[\u0600-\u06ff]", message)
    if "direct" in rows["category_key"] and "twice" == says:
        assert _label("direct", language) in message and "direct" not in message.replace(_label("direct", language), "")
    assert Course.objects.get().category_targets == {} and hoda.block().display_name != "Changed"


def test_a_student_may_not_change_the_rows(author, lms):
    sara = Person(lms, lms_user("anon-student", name="Sara Adel"))
    response = sara.post_json("studio_submit", {"category_key": ["direct"], "category_hours": ["10"]})
    assert response.status_code == 403 and Course.objects.get().category_targets == {}
