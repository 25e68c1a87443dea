"""Notifications by e-mail, read as a person reads them, from a real SMTP server (aiosmtpd)."""
import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from maydan import fieldlog
from maydan.fieldlog import links
from maydan.errors import Conflict, Forbidden, Invalid, NotFound
from maydan.models import AgencyLink, Notification, Preference
from maydan.notify import digests, rules, services
from tests.conftest import entry_form
from tests.mailserver import parts, smtp  # noqa: F401 (a fixture)


def links_in(text):
    return re.findall(r"http://testserver(/\S+)", text)


def submitted(cohort, count, actor=None):
    actor = actor or cohort.student
    start = date.today() - timedelta(days=40)
    return [fieldlog.save_entry(actor, entry_form(date=(start + timedelta(days=i)).isoformat()), submit=True)
            for i in range(count)]


# --- (a) the agency link arrives by e-mail ---------------------------------------------------


def test_issued_link_arrives_in_arabic_with_a_link_that_opens_the_log(cohort, smtp):
    placement = fieldlog.placement_for(cohort.student)
    link, _token = links.issue(cohort.academic, placement.pk, days=14, email="Rami@Agency.example")
    assert services.send_due() == (1, 0)
    [(to, message)] = smtp.inbox.messages
    assert to == ["rami@agency.example"]
    assert "Sara Adel" in message["Subject"] and "التدريب الميداني" in message["Subject"]
    [sender] = message["From"].addresses
    assert sender.display_name == "ميدان" and sender.addr_spec == "noreply@maydan.example"
    text, html = parts(message)
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "Sara Adel" in text
    page = Client().get(links_in(text)[0])
    assert page.status_code == 200 and "Sara Adel" in page.content.decode()
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith("<http://testserver/maydan/mail/unsubscribe/")
    services.send_due()
    assert len(smtp.messages) == 1  # sent once


def test_resend_is_one_click_and_a_revoked_link_is_not_resent(cohort, smtp):
    placement = fieldlog.placement_for(cohort.student)
    link, _token = links.issue(cohort.academic, placement.pk, email="rami@agency.example")
    links.resend(cohort.academic, link.pk)
    services.send_due()
    assert len(smtp.messages) == 2
    with pytest.raises(Forbidden):
        links.resend(cohort.student, link.pk)
    with pytest.raises(Forbidden):
        links.resend(cohort.agency, link.pk)
    links.revoke(cohort.academic, link.pk)
    with pytest.raises(Conflict):
        links.resend(cohort.academic, link.pk)
    bare, _token = links.issue(cohort.academic, placement.pk)
    with pytest.raises(Conflict):
        links.resend(cohort.academic, bare.pk)
    assert services.send_due() == (0, 0) and len(smtp.messages) == 2


def test_a_wrong_address_is_refused_and_nothing_is_written(cohort):
    placement = fieldlog.placement_for(cohort.student)
    with pytest.raises(Invalid) as refused:
        links.issue(cohort.academic, placement.pk, email="not an address")
    assert "email" in refused.value.field_errors
    assert not AgencyLink.objects.exists() and not Notification.objects.exists()


# --- (b) the student hears of a returned entry and a released grade ---------------------------


def test_returned_entry_tells_the_student_in_english_with_the_comment(cohort, smtp):
    cohort.course.language = "en"
    cohort.course.save()
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    [entry] = submitted(cohort, 1)
    fieldlog.return_entry(cohort.agency, entry.pk, "Please add the time you left the home.")
    services.send_due()
    [message] = smtp.messages
    assert message["Subject"].startswith("Your field log entry of")
    text, html = parts(message)
    assert "Please add the time you left the home." in text and 'dir="ltr"' in html and 'lang="en"' in html
    assert "C-014" in text  # the client's code, never a name
    page = Client().get(links_in(text)[0])
    assert page.status_code == 200 and "Please add the time you left the home." in page.content.decode()


def test_a_person_without_an_address_gets_nothing_and_nothing_fails(cohort, smtp):
    [entry] = submitted(cohort, 1)
    fieldlog.return_entry(cohort.agency, entry.pk, "Add the time.")
    assert not Notification.objects.exists() and services.send_due() == (0, 0)


def test_a_quote_naming_someone_stays_out_of_the_mail(cohort, smtp):
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    row = services.queue(kind="entry_returned", address="sara@student.example", about="entry:1", period="x",
                         course=cohort.course, language="en", subject="Returned",
                         content={"items": [{"text": "line", "quote": "Call him on 01012345678"}]})
    assert row.content["items"][0]["quote"] == ""
    services.send_due()
    assert "01012345678" not in smtp.messages[0].as_string()


# --- unsubscribe and preferences ---------------------------------------------------------------


def test_one_click_unsubscribe_works_without_login_and_get_only_asks(cohort, smtp):
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    first, second = submitted(cohort, 2)
    fieldlog.return_entry(cohort.agency, first.pk, "Add the time.")
    services.send_due()
    target = smtp.messages[0]["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")
    asked = Client().get(target)
    assert asked.status_code == 200 and "<form" in asked.content.decode()
    assert services.cadence("sara@student.example", "entry_returned") == "now"
    done = Client(enforce_csrf_checks=True).post(target, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert services.cadence("sara@student.example", "entry_returned") == "never"
    fieldlog.return_entry(cohort.agency, second.pk, "Add the place.")
    services.send_due()
    assert len(smtp.messages) == 1
    assert Client().post(target[:-3] + "xyz/").status_code == 404


def test_preferences_page_sets_a_daily_digest_of_returned_entries(cohort, smtp):
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    entries = submitted(cohort, 3)
    fieldlog.return_entry(cohort.agency, entries[0].pk, "Add the time.")
    services.send_due()
    page = links_in(parts(smtp.messages[0])[0])[-1]
    assert "/mail/preferences/" in page
    assert Client().post(page, {"entry_returned": "daily"}).status_code == 200
    for entry in entries[1:]:
        fieldlog.return_entry(cohort.agency, entry.pk, "Add the time.")
    assert services.send_due() == (0, 0)  # waiting for tomorrow morning
    assert services.send_due(now=timezone.now() + timedelta(days=2)) == (1, 0)
    assert "2" in smtp.messages[-1]["Subject"]
    assert Client().post(page, {"entry_returned": "hourly"}).status_code == 400
    assert Client().get(page.replace("/preferences/", "/preferences/x")).status_code == 404


def test_each_person_sets_only_their_own_preferences(cohort):
    with pytest.raises(Forbidden):
        services.set_own_cadence(cohort.student, "entry_returned", "never")  # no address yet
    cohort.academic.person.email = "hoda@school.example"
    cohort.academic.person.save()
    services.set_own_cadence(cohort.academic, "academic_digest", "weekly")
    assert list(Preference.objects.values_list("address", "kind", "cadence")) == [
        ("hoda@school.example", "academic_digest", "weekly")]
    with pytest.raises(Invalid):
        services.set_own_cadence(cohort.academic, "address_confirm", "never")
    link, token = links.issue(cohort.academic, fieldlog.placement_for(cohort.student).pk)
    with pytest.raises(Forbidden):  # an agency link holds no address: theirs comes with their e-mails
        services.set_own_cadence(links.open_link(token), "agency_digest", "never")


def test_own_address_counts_once_confirmed_by_its_link(cohort, smtp):
    services.request_address(cohort.student, "Sara@Mail.example")
    services.send_due()
    [message] = smtp.messages
    target = links_in(parts(message)[0])[0]
    assert Client().get(target).status_code == 200
    cohort.student.person.refresh_from_db()
    assert cohort.student.person.email == ""
    assert Client().post(target).status_code == 200
    cohort.student.person.refresh_from_db()
    assert cohort.student.person.email == "sara@mail.example"
    with pytest.raises(Invalid):
        services.request_address(cohort.student, "sara@")
    services.request_address(cohort.student, "victim@mail.example")
    services.request_address(cohort.student, "victim@mail.example")  # asking again the same day sends nothing
    assert services.send_due() == (1, 0)
    assert Client().post("/maydan/mail/confirm/forged/").status_code == 404


# --- the mail server down for a while ------------------------------------------------------------


def test_mail_server_down_loses_nothing_and_sends_each_once_when_back(cohort, smtp, settings):
    settings.MAYDAN_MAIL_RETRY_SECONDS = 60
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    entries = submitted(cohort, 3)
    smtp.stop()
    for entry in entries:
        fieldlog.return_entry(cohort.agency, entry.pk, "Add the time.")
    assert services.send_due() == (0, 3)
    assert services.send_due() == (0, 0)  # backing off
    waiting = Notification.objects.filter(sent_at__isnull=True)
    assert waiting.count() == 3 and all("Error" in row.last_error for row in waiting)
    smtp.start()
    later = timezone.now() + timedelta(minutes=5)
    assert services.send_due(now=later) == (3, 0)
    assert services.send_due(now=later + timedelta(hours=2)) == (0, 0)
    assert len(smtp.messages) == 3 and not Notification.objects.filter(sent_at__isnull=True).exists()


# --- (c) digests and (d) reminders --------------------------------------------------------------


def test_ten_waiting_entries_make_one_digest_and_a_second_run_sends_nothing(cohort, smtp):
    placement = fieldlog.placement_for(cohort.student)
    links.issue(cohort.academic, placement.pk, email="rami@agency.example")
    services.send_due()
    submitted(cohort, 10)
    assert digests.run() == 1
    services.send_due()
    digest = smtp.messages[-1]
    assert "10" in digest["Subject"]
    text, _html = parts(digest)
    assert text.count("Sara Adel") == 10 and Client().get(links_in(text)[0]).status_code == 200
    assert digests.run() == 0 and services.send_due() == (0, 0)
    assert len(smtp.messages) == 2
    services.set_cadence("rami@agency.example", "agency_digest", "now")  # a digest's "now" is the day's digest
    today = services.today_in(cohort.course)
    assert digests.run(today=today + timedelta(days=1)) == 1
    services.set_cadence("rami@agency.example", "agency_digest", "weekly")
    week = rules.week_start(today) + timedelta(days=7)
    assert digests.run(today=week + timedelta(days=1)) == 0 and digests.run(today=week) == 1


def test_academic_digest_lists_entries_to_countersign(cohort, smtp):
    cohort.academic.person.email = "hoda@school.example"
    cohort.academic.person.save()
    for entry in submitted(cohort, 2):
        fieldlog.approve_entry(cohort.agency, entry.pk)
    digests.run()
    services.send_due()
    [message] = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == "hoda@school.example"]
    assert parts(message)[0].count("Sara Adel") == 2


def test_log_reminder_the_day_before_the_deadline_only_for_an_empty_week(cohort, smtp):
    for actor, address in ((cohort.student, "sara@s.example"), (cohort.other_student, "omar@s.example")):
        actor.person.email = address
        actor.person.save()
    saturday = rules.log_deadline(date.today() - timedelta(days=7)) - timedelta(days=1)  # last week's
    fieldlog.save_entry(cohort.other_student, entry_form(date=(saturday - timedelta(days=1)).isoformat()), submit=True)
    assert digests.run(today=saturday - timedelta(days=1)) == 0
    assert digests.run(today=saturday) == 1
    services.send_due()
    assert [m["To"].addresses[0].addr_spec for m in smtp.messages] == ["sara@s.example"]


def test_evaluation_reminders_three_days_before_and_the_day_after(cohort, smtp):
    from maydan.grading import services as grading

    cohort.academic.person.email = "hoda@school.example"
    cohort.academic.person.save()
    form_id = next(iter(grading.forms()))
    due_on = date.today() + timedelta(days=20)
    grading.configure(cohort.coordinator, rule="weighted_mean", agency_weight=1, academic_weight=1, threshold=1,
                      show_both_voices=True, due_dates={form_id: due_on.isoformat()})
    assert digests.run(today=due_on - timedelta(days=4)) == 0
    assert digests.run(today=due_on - timedelta(days=3)) == 1
    assert digests.run(today=due_on + timedelta(days=1)) == 1
    assert digests.run(today=due_on + timedelta(days=1)) == 0
    services.send_due()
    assert len(smtp.messages) == 2 and "Sara Adel" in parts(smtp.messages[0])[0]


def test_demo_outbox_shows_the_mails(cohort, smtp):
    placement = fieldlog.placement_for(cohort.student)
    links.issue(cohort.academic, placement.pk, email="rami@agency.example")
    page = Client().get("/demo/outbox/")
    assert page.status_code == 200 and "rami@agency.example" in page.content.decode()


def test_a_released_evaluation_tells_the_student(cohort, smtp):
    from tests.unit.test_grading_evaluations import both_submit
    from maydan.grading import services as grading

    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    placement = fieldlog.placement_for(cohort.student)
    both_submit(cohort, placement)
    assert not Notification.objects.exists()  # submitting tells the student nothing
    grading.release(cohort.academic, placement.pk, "midterm")
    services.send_due()
    [message] = smtp.messages
    assert "Mid" in message["Subject"] or "منتصف" in message["Subject"]
    assert Client().get(links_in(parts(message)[0])[0]).status_code == 200


def test_the_change_commits_then_the_mail_leaves_at_once(cohort, smtp, django_capture_on_commit_callbacks):
    """In the demo (no broker) the send task runs in-process right after the commit."""
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    [entry] = submitted(cohort, 1)
    with django_capture_on_commit_callbacks(execute=True):
        fieldlog.return_entry(cohort.agency, entry.pk, "Add the time.")
    assert len(smtp.messages) == 1 and Notification.objects.get().sent_at is not None


def test_a_refused_change_writes_no_notification(cohort, smtp):
    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    [entry] = submitted(cohort, 1)
    with pytest.raises(Invalid):
        fieldlog.return_entry(cohort.agency, entry.pk, "")  # a return needs a comment
    with pytest.raises(NotFound):
        fieldlog.return_entry(cohort.other_student, entry.pk, "No.")
    assert not Notification.objects.exists()


def test_the_academic_supervisor_hears_when_an_agency_approved_nothing_for_a_week(cohort, smtp):
    from maydan.models import LogEntry

    cohort.academic.person.email = "hoda@school.example"
    cohort.academic.person.save()
    entries = submitted(cohort, 2)
    LogEntry.objects.filter(pk=entries[0].pk).update(submitted_at=timezone.now() - timedelta(days=9))
    today = services.today_in(cohort.course)
    assert digests.run(today=today) == 1  # the quiet agency; nothing approved yet, so no countersign digest
    services.send_due()
    [message] = smtp.messages
    assert "7" in message["Subject"] and "Sara Adel" in parts(message)[0]
    fieldlog.approve_entry(cohort.agency, entries[1].pk)
    Notification.objects.all().delete()
    digests.run(today=today)
    assert not Notification.objects.filter(kind="agency_quiet").exists()


def test_the_coordinator_gets_the_dashboards_alerts_weekly(cohort, smtp):
    from maydan.models import Placement

    cohort.coordinator.person.email = "amal@school.example"
    cohort.coordinator.person.save()
    Placement.objects.filter(course=cohort.course).update(starts_on=date.today() - timedelta(days=60),
                                                          ends_on=date.today() + timedelta(days=30))
    first_day = rules.week_start(date.today())
    assert not digests.run(today=first_day + timedelta(days=1))  # not the week's first day
    assert digests.run(today=first_day) == 1
    assert digests.run(today=first_day) == 0
    services.send_due()
    [message] = smtp.messages
    text = parts(message)[0]
    assert "Sara Adel" in text and "Omar Nabil" in text


def test_the_placement_screen_issues_a_link_by_email_and_resends_it(cohort, smtp):
    from maydan import ui
    from maydan.fieldlog import screens as fieldlog_screens

    placement = fieldlog.placement_for(cohort.student)
    screen = ui.Screen(actor=cohort.academic, language="en", endpoint="/x", view="placement")
    from tests.conftest import form as posted

    status, page = fieldlog_screens.handle(screen, posted(action="issue_link", placement=placement.pk, email="rami@agency.example"))
    assert status == 200 and "e-mailed" in page
    link = AgencyLink.objects.get()
    status, page = fieldlog_screens.handle(screen, posted(action="resend_link", placement=placement.pk, link=link.pk))
    assert status == 200 and "rami@agency.example" in page
    status, page = fieldlog_screens.handle(screen, posted(action="issue_link", placement=placement.pk, email="rami@"))
    assert status == 400 and AgencyLink.objects.count() == 1
    services.send_due()
    assert len(smtp.messages) == 2


def test_a_person_without_an_address_adds_one_from_the_field_log(cohort, smtp):
    from maydan import ui
    from maydan.fieldlog import screens as fieldlog_screens
    from tests.conftest import form as posted

    screen = ui.Screen(actor=cohort.student, language="ar", endpoint="/x")
    assert 'name="email"' in fieldlog_screens.render(screen)
    status, page = fieldlog_screens.handle(screen, posted(action="add_email", email="nope"))
    assert status == 400 and not Notification.objects.exists()
    status, page = fieldlog_screens.handle(screen, posted(action="add_email", email="sara@mail.example"))
    assert status == 200 and "sara@mail.example" in page
    services.send_due()
    Client().post(links_in(parts(smtp.messages[0])[0])[0])
    cohort.student.person.refresh_from_db()
    screen = ui.Screen(actor=cohort.student, language="ar", endpoint="/x")
    page = fieldlog_screens.render(screen)
    assert 'name="email"' not in page and "/maydan/mail/preferences/" in page
    _link, token = links.issue(cohort.academic, fieldlog.placement_for(cohort.student).pk)
    linked = fieldlog_screens.render(ui.Screen(actor=links.open_link(token), language="ar", endpoint="/x"))
    assert "maydan-mail" not in linked


@pytest.mark.django_db(transaction=True)
def test_the_demo_engine_runs_the_beat_schedule_in_process(cohort, smtp):
    """`make demo` has no worker: a thread runs the schedule's tasks, digests included."""
    import threading

    from lti_tool import tasks

    placement = fieldlog.placement_for(cohort.student)
    AgencyLink.objects.create(placement=placement, issued_by=cohort.academic.person, email="rami@agency.example",
                              expires_at=timezone.now() + timedelta(days=3))
    submitted(cohort, 2)
    stop = threading.Event()
    engine = threading.Thread(target=tasks.run_in_process, kwargs={"stop": stop, "tick": 0.2})
    engine.start()
    try:
        for _ in range(100):
            if smtp.messages:
                break
            stop.wait(0.1)
    finally:
        stop.set()
        engine.join(10)
    assert [m["To"].addresses[0].addr_spec for m in smtp.messages] == ["rami@agency.example"]


def test_a_released_rubric_grade_tells_the_student(cohort, smtp):
    from tests.unit.test_grading_markings import walk_to_release

    cohort.student.person.email = "sara@student.example"
    cohort.student.person.save()
    [entry] = submitted(cohort, 1)
    walk_to_release(cohort.academic, entry)
    services.send_due()
    [message] = smtp.messages
    assert message["Subject"].startswith("صدرت درجتك")


def test_the_academic_digest_lists_recordings_waiting_for_a_grade(cohort, smtp):
    from maydan.grading import recordings
    from tests.unit.test_grading_recordings import recording_form

    cohort.academic.person.email = "hoda@school.example"
    cohort.academic.person.save()
    recordings.save(cohort.student, recording_form(), submit=True)
    recordings.save(cohort.other_student, recording_form())  # a draft waits for nobody
    [entry] = submitted(cohort, 1)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    assert digests.run() == 1
    services.send_due()
    text = parts(smtp.messages[0])[0]
    assert text.count("Sara Adel") == 2 and "Omar Nabil" not in text


def test_a_link_issued_from_an_evaluation_is_mailed_and_opens_the_evaluation(cohort, smtp):
    from maydan.grading import screens
    from tests.conftest import form as posted

    placement = fieldlog.placement_for(cohort.student)
    supervisor = screens.ui.Screen(actor=cohort.academic, language="en", activity="evaluation", key="midterm",
                                   endpoint="/act", view="evaluate")
    supervisor.placement_id = placement.pk
    status, _html = screens.handle(supervisor, posted(action="issue_link", placement=placement.pk, days=5,
                                                      email="rami@agency.example"))
    assert status == 200
    services.send_due()
    [url] = [u for u in links_in(parts(smtp.messages[0])[0]) if "/agency/" in u]
    assert "activity=evaluation" in url and "key=midterm" in url
    page = Client().get(url)
    assert page.status_code == 200 and 'name="value_1a"' in page.content.decode()


def test_the_admin_shows_who_was_told_what_why_and_when_and_changes_nothing(cohort, admin_client):
    placement = fieldlog.placement_for(cohort.student)
    links.issue(cohort.academic, placement.pk, email="rami@agency.example")
    page = admin_client.get("/admin/maydan/notification/")
    body = page.content.decode()
    assert page.status_code == 200 and "rami@agency.example" in body and "link_issue" in body
    row = Notification.objects.get()
    assert admin_client.post(f"/admin/maydan/notification/{row.pk}/change/", {"subject": "x"}).status_code == 403
    assert admin_client.get("/admin/maydan/notification/add/").status_code == 403
