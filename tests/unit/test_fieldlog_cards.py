"""The log's entry cards, drawn in Python and kept in the cache: the same HTML the templates drew before
(tests/fixtures/log_cards holds them as they were), and never a card that shows less than the entry now holds."""
import re
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Engine
from django.utils import translation

from maydan import fieldlog, ui, vocab
from maydan.fieldlog import cards, links
from maydan.fieldlog import screens as fieldlog_screens
from maydan.models import Person
from tests.conftest import entry_form, form

REFERENCE = Engine(dirs=[str(Path(__file__).resolve().parent.parent / "fixtures" / "log_cards")], libraries={
    "i18n": "django.templatetags.i18n", "maydan": "maydan.templatetags.maydan",
    "maydan_rows": "maydan.templatetags.maydan_rows"})
ACTIONS = {cards.STUDENT: "maydan/fieldlog/_student_actions.html", cards.REVIEW: "maydan/fieldlog/_review_actions.html"}
DAY = date.today() - timedelta(days=10)


def shown(html):
    """HTML as a browser lays it out: a run of white space between words or tags reads as one space."""
    return re.sub(r"\s+", " ", str(html)).strip()


def reference_card(entry, screen, course, actions, placement, may_countersign):
    """An entry as `_entry.html` drew it, worded as the screen worded it then."""
    zone = ZoneInfo(course.time_zone)
    entry.status_label = str(vocab.STATUSES.get(entry.status, entry.status))
    entry.kinds_text = " · ".join(str(labels.get(value, value)) for labels, value in (
        (vocab.ACTIVITY_TYPES, entry.activity_type), (vocab.MODALITIES, entry.modality),
        (vocab.TIME_KINDS, entry.time_kind)))
    entry.competency_titles = [(c, str(vocab.COMPETENCIES.get(c, ""))) for c in entry.competencies or ()]
    entry.history = [(event, local.isoformat(), local.strftime("%Y-%m-%d %H:%M"))
                     for event in fieldlog.history(entry) if event.action in vocab.AUDIT_ACTIONS
                     for local in [event.at.astimezone(zone)]]
    return REFERENCE.get_template("maydan/fieldlog/_entry.html").render(Context({
        "entry": entry, "screen": screen, "actions": ACTIONS[actions], "placement": placement,
        "may_countersign": may_countersign, "show_history": True}))


@pytest.fixture
def log(cohort):
    """One student's entries in every state and shape a log shows, with marks that must be escaped."""
    student = cohort.student
    save = fieldlog.save_entry

    def on(days, **fields):
        return entry_form(date=(DAY + timedelta(days=days)).isoformat(), **fields)

    made = {
        "draft": save(student, on(0, competencies=["1", "5"])),
        "online": save(student, on(1, modality="remote", meeting_link="https://meet.example.org/a?b=1&c=2",
                                   start_time="", end_time="", duration="1:05", client_code="", reflection=""),
                       submit=True),
        "returned": save(student, on(2, agency=""), submit=True),
        "approved": save(student, on(3, description='Said "no" <b>twice</b> & left.\nThen came back.'), submit=True),
        "by_link": save(student, on(4, time_kind="indirect", description="", competencies=["9"]), submit=True),
        "countersigned": save(student, on(5), submit=True),
        "withdrawn": save(student, on(6)),
        "reopened": save(student, on(7), submit=True),
    }
    fieldlog.return_entry(cohort.agency, made["returned"].pk, "Add the client's <code> & the time kind.")
    fieldlog.approve_entry(cohort.agency, made["approved"].pk)
    _link, token = links.issue(cohort.academic, made["by_link"].placement_id, days=7)
    fieldlog.approve_entry(links.open_link(token), made["by_link"].pk, "Seen at the centre's 'open day'.")
    for key in ("countersigned", "reopened"):
        fieldlog.approve_entry(cohort.agency, made[key].pk)
        fieldlog.countersign_entry(cohort.academic, made[key].pk)
    fieldlog.reopen_entry(cohort.academic, made["reopened"].pk, "Hours do not match the sign-in sheet.")
    fieldlog.withdraw_entry(student, made["withdrawn"].pk)
    return made


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("reader, actions, may_countersign", [
    ("student", cards.STUDENT, False), ("agency", cards.REVIEW, False), ("academic", cards.REVIEW, True)])
def test_each_card_shows_what_the_template_showed(cohort, log, language, reader, actions, may_countersign):
    actor = getattr(cohort, reader)
    placement = fieldlog.placement_for(cohort.student)
    screen = ui.Screen(actor=actor, language=language, endpoint="/act?a=1&b=2",
                       hidden={"launch": 'tok"en<&>', "lang": language})
    with translation.override(language):
        entries = fieldlog.entries(actor, placement)
        entries[0].refusal = "This entry was already signed: nothing changed."
        cards.draw(fieldlog.entries(actor, placement, with_history=False), screen, cohort.course, actions=actions,
                   placement=placement, may_countersign=may_countersign)  # fills the cache: the draw below reads it
        drawn = fieldlog.entries(actor, placement, with_history=False)
        drawn[0].refusal = entries[0].refusal
        cards.draw(drawn, screen, cohort.course, actions=actions, placement=placement, may_countersign=may_countersign)
        assert len(drawn) >= 6
        for before, now in zip(entries, drawn, strict=True):
            assert shown(now.card) == shown(reference_card(before, screen, cohort.course, actions, placement,
                                                           may_countersign))
    assert "&lt;b&gt;twice&lt;/b&gt; &amp; left.<br>Then" in " ".join(e.card for e in drawn)


def student_log(cohort, language="en"):
    return fieldlog_screens.render(ui.Screen(actor=cohort.student, language=language, endpoint="/act"))


def card_of(page, entry):
    return re.search(rf'<article [^>]*id="entry-{entry.pk}">.*?</article>', page, re.S).group(0)


def test_a_kept_card_is_drawn_again_once_its_entry_changes(cohort, log):
    draft = log["draft"]
    before = card_of(student_log(cohort), draft)
    assert 'value="submit"' in before and "maydan-status-draft" in before
    fieldlog.submit_entry(cohort.student, draft.pk)
    after = card_of(student_log(cohort), draft)
    assert "maydan-status-submitted" in after and 'value="submit"' not in after
    assert after.count("<li>") == before.count("<li>") + 1  # the submission is in its history


def test_a_kept_card_follows_a_new_name_and_the_reader_s_language(cohort, log):
    page = card_of(student_log(cohort), log["approved"])
    assert "Agency supervisor Rami" in page and "approved" in page
    Person.objects.filter(pk=cohort.agency.person.pk).update(name="Rami Youssef")
    renamed = card_of(student_log(cohort), log["approved"])
    assert "Rami Youssef" in renamed
    arabic = card_of(student_log(cohort, "ar"), log["approved"])
    for language, expected in (("en", False), ("ar", True)):
        with translation.override(language):
            assert (str(vocab.STATUSES[vocab.APPROVED]) in arabic) is expected


def test_two_students_never_see_each_other_s_cards(cohort):
    theirs = fieldlog.save_entry(cohort.other_student, entry_form(description="A visit of the second student."))
    mine = fieldlog.save_entry(cohort.student, entry_form(description="A visit of the first student."))
    student_log(cohort)
    page = fieldlog_screens.render(ui.Screen(actor=cohort.other_student, language="en", endpoint="/act"))
    assert f'id="entry-{theirs.pk}"' in page and "A visit of the second student." in page
    assert f'id="entry-{mine.pk}"' not in page and "the first student" not in page


def test_the_answer_to_an_action_draws_only_the_entry_it_changed(cohort, log, monkeypatch):
    student_log(cohort)
    drawn = []
    card = cards._Words.card
    monkeypatch.setattr(cards._Words, "card", lambda words, entry, history: drawn.append(entry.pk) or card(
        words, entry, history))
    screen = ui.Screen(actor=cohort.student, language="en", endpoint="/act")
    status, page = fieldlog_screens.handle(screen, form(action="submit", entry=str(log["draft"].pk)))
    assert status == 200 and drawn == [log["draft"].pk]
    assert "maydan-status-submitted" in card_of(page, log["draft"])
    assert page.count('class="maydan-entry ') == len(log)


def _forms_context(page):
    """The launch context every form of `page` posts back."""
    return re.findall(r'<input type="hidden" name="ctx" value="([^"]*)">', page)


def test_a_new_launch_finds_the_cards_kept_and_each_posts_the_new_launch_s_context(cohort, log, monkeypatch):
    def launched(token):
        return fieldlog_screens.render(ui.Screen(actor=cohort.student, language="en", endpoint="/act",
                                                 hidden={"ctx": token, "lang": "en"}))

    first = launched("first<&\"launch")
    drawn = []
    card = cards._Words.card
    monkeypatch.setattr(cards._Words, "card", lambda words, entry, history: drawn.append(entry.pk) or card(
        words, entry, history))
    second = launched("second-launch")
    assert drawn == []  # every card was kept from the first launch
    assert card_of(second, log["draft"]).count('name="ctx"') >= 1
    assert set(_forms_context(first)) == {"first&lt;&amp;&quot;launch"}
    assert set(_forms_context(second)) == {"second-launch"}
    assert len(_forms_context(second)) == len(_forms_context(first))
