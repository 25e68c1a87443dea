"""The log's first screens as drawn in Python with their fixed words kept per language (maydan.fieldlog.entry_form,
overview_list, choices) and read in SQL written out (maydan.fieldlog.reads): the same HTML the templates drew
(tests/fixtures/log_forms holds them as they were), words that follow the reader's language, nothing a person wrote
kept, and the overview's sums as kept equal to the entries."""
import re
from pathlib import Path

import pytest
from django.db import transaction
from django.template import Context, Engine
from django.utils import translation
from django.utils.translation import gettext as _
from hypothesis import HealthCheck, given, settings

from maydan import fieldlog, ui, vocab
from maydan.fieldlog import choices, entry_form, overview_list
from maydan.fieldlog import screens as fieldlog_screens
from maydan.models import Course, LogEntry, Person
from tests.conftest import entry_form as filled, form

from .test_tallies import STEPS, World, play

REFERENCE = Engine(dirs=[str(Path(__file__).resolve().parent.parent / "fixtures" / "log_forms")], libraries={
    "i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n", "maydan": "maydan.templatetags.maydan",
    "maydan_rows": "maydan.templatetags.maydan_rows"})


def screen(actor, language="en", **fields):
    return ui.Screen(actor=actor, language=language, endpoint="/act?a=1&b=2",
                     hidden={"ctx": 'tok"en<&>', "lang": language}, **fields)


def reference(name, **context):
    return REFERENCE.get_template(f"maydan/fieldlog/{name}").render(Context({
        "activity_types": vocab.ACTIVITY_TYPES.items(), "modalities": vocab.MODALITIES.items(),
        "time_kinds": vocab.TIME_KINDS.items(), "competencies": vocab.COMPETENCIES.items(),
        "statuses": vocab.STATUSES.items(), **context}))


def _log(cohort):
    student = cohort.student
    returned = fieldlog.save_entry(student, filled(competencies=["2", "7"], agency='Hope & "Care"'), submit=True)
    fieldlog.return_entry(cohort.agency, returned.pk, "Add the time kind.")
    approved = fieldlog.save_entry(student, filled(date=returned.date.replace(day=1).isoformat(), start_time="",
                                                   end_time="", duration="90", modality="remote",
                                                   meeting_link="https://meet.example.org/a?b=1&c=2"), submit=True)
    fieldlog.approve_entry(cohort.agency, approved.pk)
    fieldlog.save_entry(cohort.other_student, filled(time_kind="indirect"), submit=True)
    return returned


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_entry_form_is_the_form_the_template_drew(cohort, language):
    returned = _log(cohort)
    placement = fieldlog.placement_for(cohort.student)
    entry = fieldlog.entries(cohort.student, placement, with_history=False)[0]
    states = [
        ({}, None, {}),  # a new entry
        (fieldlog_screens._form_from(None, placement), None, {}),
        (fieldlog_screens._form_from(entry, placement), entry, {}),  # editing, competencies ticked
        ({"date": "2025-13-01", "activity_type": "<b>", "competencies": ["1", "9", "x"], "description": "<i>&",
          "agency": '"A"'}, None, {"date": ["Enter a real date."], "activity_type": ["Choose an activity."],
                                   "competencies": ["Choose from the list."]}),
    ]
    assert entry.pk == returned.pk
    for values, editing, errors in states:
        shown = screen(cohort.student, language, errors=errors)
        with translation.override(language):
            drawn = entry_form.draw(shown, values, editing)
            assert drawn == reference("_entry_form.html", screen=shown, form=values, editing=editing)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_new_entry_s_form_is_kept_and_each_answer_carries_its_own_context(cohort, language):
    """The form of a new entry is drawn once for its values and kept; every answer writes in its own hidden context,
    and other values (another agency) are another form."""
    placement = fieldlog.placement_for(cohort.student)
    values = fieldlog_screens._form_from(None, placement)
    first = screen(cohort.student, language)
    second = ui.Screen(actor=cohort.student, language=language, endpoint=first.endpoint,
                       hidden={"ctx": "another<launch>&token", "lang": language})
    other = {**values, "agency": 'Other & "Co"'}
    entry_form._new_entry.cache_clear()
    with translation.override(language):
        drawn = [entry_form.draw(shown, values, None) for shown in (first, second, first)]
        assert entry_form._new_entry.cache_info()[:2] == (2, 1)  # (hits, misses)
        assert drawn == [reference("_entry_form.html", screen=shown, form=values, editing=None)
                         for shown in (first, second, first)]
        assert "another&lt;launch&gt;&amp;token" in drawn[1] and "another" not in drawn[0] + drawn[2]
        assert entry_form.draw(second, other, None) == reference("_entry_form.html", screen=second, form=other,
                                                                 editing=None)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("filters", [{}, {"student": 'Sa"ra<', "status": "submitted", "week": "2025-02-03"},
                                     {"status": "<nothing>"}])
def test_the_overview_is_the_table_the_template_drew(cohort, language, filters):
    _log(cohort)
    Course.objects.filter(pk=cohort.course.pk).update(digits="arab", target_hours=300)
    cohort.academic.course.refresh_from_db()
    shown = screen(cohort.academic, language, filters=filters)
    with ui.speaking(shown):
        rows = fieldlog.overview(cohort.academic)
        assert len(rows) == 2
        assert overview_list.draw(shown, rows) == reference("_overview.html", screen=shown, rows=rows)
        assert overview_list.draw(shown, []) == reference("_overview.html", screen=shown, rows=[])


def test_the_kept_words_follow_the_reader_s_language_and_the_course_settings_are_never_kept(cohort):
    _log(cohort)
    pages = {}
    for language in ("en", "ar", "en"):
        pages[language] = (fieldlog_screens.render(screen(cohort.student, language)),
                           fieldlog_screens.render(screen(cohort.academic, language)))
        with translation.override(language):
            words = [_("New entry"), _("Save draft"), _("Competencies practised (CSWE 2022 EPAS)"),
                     str(vocab.ACTIVITY_TYPES["home_visit"]), str(vocab.COMPETENCIES[5])]
            overview_words = [_("Filter"), _("To countersign"), str(vocab.STATUSES[vocab.APPROVED])]
        log, overview = pages[language]
        assert all(word in log for word in words) and all(word in overview for word in overview_words)
    assert "Save draft" not in pages["ar"][0] and "Filter" not in pages["ar"][1]
    # The hours target and the digits are the course's: a change shows on the next answer.
    assert "0 / 400 h" in pages["en"][1]
    Course.objects.filter(pk=cohort.course.pk).update(target_hours=300, digits="arab")
    cohort.academic.course.refresh_from_db()
    assert "0 / 300 h" in fieldlog_screens.render(screen(cohort.academic, "en"))
    assert "٠ / ٣٠٠ س" in fieldlog_screens.render(screen(cohort.academic, "ar"))


def test_nothing_a_person_wrote_is_kept(cohort):
    typed = {"description": "Visit about <b>rent</b> with C-9", "agency": "Hope & Care Centre",
             "activity_type": "made-up<script>", "modality": "by pigeon", "competencies": ["4", "42"],
             "client_code": "C-9", "reflection": "I listened more."}
    status, page = fieldlog_screens.handle(screen(cohort.student), form(
        action="save", **filled(**typed, start_time="12:00", end_time="11:00")))
    assert status == 400
    assert "Visit about &lt;b&gt;rent&lt;/b&gt; with C-9" in page and "Hope &amp; Care Centre" in page
    assert 'name="competencies" value="4" checked' in page and "<script>" not in page
    assert not re.search(r'<select name="activity_type"[^>]*>(?:(?!</select>).)*selected', page, re.S)
    fieldlog_screens.render(screen(cohort.academic, filters={"student": "Sara Adel <C-9>"}))
    kept = repr((entry_form.KEPT, overview_list.KEPT, choices.KEPT))
    for text in ("rent", "Hope", "made-up", "pigeon", "C-9", "listened", "Sara"):
        assert text not in kept


def _plain_sums(placement):
    entries = list(LogEntry.objects.filter(placement=placement))

    def minutes(*statuses):
        return sum(e.minutes for e in entries if e.status in statuses)

    return (minutes(*vocab.APPROVED_STATUSES), minutes(vocab.SUBMITTED),
            sum(e.status == vocab.SUBMITTED for e in entries), minutes(vocab.RETURNED),
            sum(e.status == vocab.APPROVED for e in entries),
            max((e.date for e in entries if e.status != vocab.WITHDRAWN), default=None))


def _figures(row):
    return (row.approved_minutes, row.pending_minutes, row.waiting, row.returned_minutes, row.to_countersign,
            row.last_entry)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_the_overview_s_kept_sums_equal_the_entries_and_the_filtered_overview(cohort, steps):
    with transaction.atomic():
        play(World(cohort), steps)
        for actor in (cohort.academic, cohort.agency):
            rows = fieldlog.overview(actor)
            assert {row.pk: _figures(row) for row in rows} == {
                p.pk: _plain_sums(p) for p in fieldlog.visible_placements(actor)}
            for status in vocab.STATUSES:  # summed from the entries, for the placements with such an entry
                for row in fieldlog.overview(actor, status=status):
                    assert _figures(row) == _figures(next(r for r in rows if r.pk == row.pk))
        transaction.set_rollback(True)


def test_a_history_names_each_actor_by_name_or_else_subject(cohort):
    entry = fieldlog.save_entry(cohort.student, filled(), submit=True)
    Person.objects.filter(pk=cohort.agency.person.pk).update(name="")
    fieldlog.approve_entry(cohort.agency, entry.pk)
    page = fieldlog_screens.render(screen(cohort.student))
    assert " · Sara Adel · " in page and f" · {cohort.agency.person.subject} · " in page


def test_a_supervisor_s_next_launch_shows_the_list_as_it_is_with_its_own_context(cohort):
    returned = _log(cohort)

    def launched(token):
        shown = ui.Screen(actor=cohort.academic, language="en", endpoint="/act", hidden={"ctx": token, "lang": "en"})
        with ui.speaking(shown):
            return overview_list.draw(shown, fieldlog.overview(cohort.academic))

    first, again = launched("first"), launched("second")
    for page, token in ((first, "first"), (again, "second")):
        assert set(re.findall(r'name="ctx" value="([^"]*)"', page)) == {token}
        assert page.count('name="ctx"') == 1 + 2  # the filters and each student's Open button
    assert again.replace("second", "first") == first
    # What changed between two launches shows on the next: the returned entry, submitted again, waits.
    fieldlog.submit_entry(cohort.student, returned.pk)
    waiting = launched("third")
    assert waiting != again.replace("second", "third")
    assert re.findall(r"<td>(\d+)</td>", waiting) != re.findall(r"<td>(\d+)</td>", again)
