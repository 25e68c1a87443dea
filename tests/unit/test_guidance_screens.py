"""Each person sees what to do next: the student's week, the agency supervisor's greeting and week
approval through the link, bulk countersigning, the error summary, and the link's hand-off."""
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

from django.test import Client

from maydan import fieldlog, ui, vocab
from maydan.fieldlog import screens as fieldlog_screens
from maydan.fieldlog import links
from maydan.fieldlog.input import today_in
from maydan.models import AuditEvent, LogEntry
from tests.conftest import entry_form, form


def screen(actor, language="en", **values):
    return ui.Screen(actor=actor, language=language, endpoint="/act", **values)


def log(actor, days_ago, submit=True, **overrides):
    day = today_in(actor.course.time_zone) - timedelta(days=days_ago)
    return fieldlog.save_entry(actor, entry_form(date=day.isoformat(), **overrides), submit=submit)


def test_student_log_opens_on_this_week_with_returned_entries_first_and_a_banner(cohort):
    old = log(cohort.student, 21, description="Old group session")
    returned = log(cohort.student, 14, description="Returned home visit")
    fieldlog.return_entry(cohort.agency, returned.pk, "Add the client code and what you agreed.")
    today = log(cohort.student, 0, submit=False, description="Interview held today")
    html = fieldlog_screens.render(screen(cohort.student))
    assert "1 entry was returned to you." in html and 'href="#maydan-returned"' in html
    monday = today.date - timedelta(days=today.date.weekday())
    assert f"This week (from <bdi dir=\"ltr\">{monday:%Y-%m-%d}</bdi>)" in html
    assert f'name="week" value="{monday:%Y-%m-%d}"' in html  # submitting the week needs no date typed
    order = [html.index(text) for text in ("Returned home visit", "Interview held today", "Old group session")]
    assert order == sorted(order)
    assert "Add the client code and what you agreed." in html


def test_no_banner_when_nothing_was_returned(cohort):
    log(cohort.student, 1)
    assert "returned to you" not in fieldlog_screens.render(screen(cohort.student))


def link_page(cohort, days=9, name="Mrs. Nadia Fawzy"):
    placement = fieldlog.placement_for(cohort.student)
    link, token = links.issue(cohort.academic, placement.pk, days=days, supervisor_name=name)
    return link, links.url_for(token)


def test_agency_page_greets_names_student_and_placement_counts_and_says_until_when(cohort):
    for days_ago in (7, 8, 15):
        log(cohort.student, days_ago, agency="Hope Family Centre")
    link, address = link_page(cohort)
    html = Client().get(address, {"lang": "en"}).content.decode()
    assert "Hello, Mrs. Nadia Fawzy." in html
    assert "field training of <bdi>Sara Adel</bdi> at <bdi>Hope Family Centre</bdi>" in html
    assert "3 entries wait for your approval." in html
    assert "This link is valid until" in html
    assert html.count('value="approve_week"') == len({
        e.date - timedelta(days=e.date.weekday()) for e in LogEntry.objects.all()})


def test_agency_page_in_arabic_is_translated(cohort):
    log(cohort.student, 7)
    _link, address = link_page(cohort)
    html = Client().get(address, {"lang": "ar"}).content.decode()
    assert "مرحبًا" in html and "ينتظر" in html and "صالح حتى" in html


def test_agency_approves_a_week_through_the_link_and_returns_one_entry(cohort):
    # Monday to Wednesday of the week before last, so the week holds three entries whatever today is.
    today = today_in(cohort.student.course.time_zone)
    monday = today - timedelta(days=today.weekday() + 14)
    in_week = [log(cohort.student, (today - monday).days - offset) for offset in (0, 1, 2)]
    assert {e.date - timedelta(days=e.date.weekday()) for e in in_week} == {monday}
    _link, address = link_page(cohort)
    client = Client()
    keep = in_week[0]
    answer = client.post(address, {"action": "return", "entry": keep.pk, "comment": "Which family? Add the code.",
                                   "lang": "en"})
    assert answer.status_code == 200
    answer = client.post(address, {"action": "approve_week", "week": monday.isoformat(), "lang": "en"})
    html = answer.content.decode()
    assert answer.status_code == 200
    approved = [e for e in in_week if e.pk != keep.pk]
    assert f"{len(approved)} entr" in html
    assert LogEntry.objects.get(pk=keep.pk).status == vocab.RETURNED
    assert {e.status for e in LogEntry.objects.filter(pk__in=[e.pk for e in approved])} <= {vocab.APPROVED}
    assert AuditEvent.objects.filter(action="approve").count() == len(approved)


def test_a_bad_week_keeps_the_page_names_the_problem_and_writes_nothing(cohort):
    log(cohort.student, 8)
    _link, address = link_page(cohort)
    answer = Client().post(address, {"action": "approve_week", "week": "not-a-day", "lang": "en"})
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'class="maydan-error-summary"' in html and 'href="#err-week"' in html
    assert "Field training log of Sara Adel" in html  # still on the same page
    assert not AuditEvent.objects.filter(action="approve").exists()


def test_academic_countersigns_selected_entries_and_sees_each_refusal_beside_its_entry(cohort):
    approved, waiting = log(cohort.student, 8), log(cohort.student, 9)
    fieldlog.approve_entry(cohort.agency, approved.pk)
    page = screen(cohort.academic, view="placement", placement_id=str(approved.placement_id))
    html = fieldlog_screens.render(page)
    assert f'name="entries" value="{approved.pk}" form="maydan-countersign-selected"' in html
    status, html = fieldlog_screens.handle(page, form(action="countersign_selected", placement=approved.placement_id,
                                        entries=[approved.pk, waiting.pk]))
    assert status == 200 and "1 entry countersigned." in html
    assert "Only entries approved by the agency can be countersigned." in html
    assert f'href="#entry-{waiting.pk}"' in html and f'id="refusal-{waiting.pk}"' in html
    assert LogEntry.objects.get(pk=approved.pk).status == vocab.COUNTERSIGNED
    assert LogEntry.objects.get(pk=waiting.pk).status == vocab.SUBMITTED


def test_when_every_chosen_entry_is_refused_nothing_is_signed_and_the_answer_says_why(cohort):
    waiting = log(cohort.student, 8)
    page = screen(cohort.academic, view="placement", placement_id=str(waiting.placement_id))
    status, html = fieldlog_screens.handle(page, form(action="countersign_selected", placement=waiting.placement_id,
                                        entries=[waiting.pk]))
    assert status == 409 and "Nothing was signed: see the reason beside each entry." in html
    assert f'id="refusal-{waiting.pk}"' in html and "Field training log of Sara Adel" in html
    assert not AuditEvent.objects.filter(action="countersign").exists()


def test_student_posting_a_bulk_countersign_is_refused(cohort):
    entry = log(cohort.student, 8)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    status, html = fieldlog_screens.handle(screen(cohort.student), form(action="countersign_selected", entries=[entry.pk]))
    assert status == 403 and "Only the academic supervisor may countersign." in html
    assert LogEntry.objects.get(pk=entry.pk).status == vocab.APPROVED


def test_an_invalid_field_is_focused_and_listed_in_the_error_summary(cohort):
    data = entry_form(start_time="12:00", end_time="11:00")
    data["action"] = "save"
    status, html = fieldlog_screens.handle(screen(cohort.student), data)
    assert status == 400
    assert 'aria-describedby="err-end_time" autofocus' in html
    assert html.index('class="maydan-error-summary"') < html.index('name="end_time"')
    assert 'href="#err-end_time"' in html


def test_new_link_hand_off_copy_mail_and_whatsapp_in_the_course_language(cohort):
    placement = fieldlog.placement_for(cohort.student)
    page = screen(cohort.academic, language="en", link_url=lambda token: f"https://maydan.example/a/{token}/")
    status, html = fieldlog_screens.handle(page, form(action="issue_link", placement=placement.pk, days=7, name="Nadia"))
    assert status == 200
    assert 'id="maydan-new-link"' in html and "readonly" in html and 'data-copy="maydan-new-link"' in html
    mailto = html.split('href="mailto:?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    fields = parse_qs(mailto)
    assert "Sara Adel" in fields["subject"][0]
    assert "https://maydan.example/a/" in fields["body"][0]
    assert "سجل التدريب الميداني" in fields["subject"][0]  # the course speaks Arabic, the sender English
    wa = html.split('href="https://wa.me/?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert "https://maydan.example/a/" in parse_qs(wa)["text"][0]
    assert urlparse("https://wa.me/?" + wa).netloc == "wa.me"
