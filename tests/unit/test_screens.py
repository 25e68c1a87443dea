"""The shared screens: each role sees its screen; failures keep the input and say why."""
from maydan import fieldlog, ui, vocab
from maydan.fieldlog import screens as fieldlog_screens
from maydan.fieldlog import links
from maydan.models import LogEntry
from tests.conftest import entry_form, form


def screen(actor, language="en"):
    return ui.Screen(actor=actor, language=language, endpoint="/act", hidden={"ctx": "T"})


def test_student_sees_form_progress_and_entries(cohort):
    fieldlog.save_entry(cohort.student, entry_form(description="Intake interview with C-3"))
    html = fieldlog_screens.render(screen(cohort.student))
    assert 'name="action" value="save"' in html and "Intake interview with C-3" in html
    assert "0 of 400 hours approved" in html
    assert 'name="ctx" value="T"' in html  # the adapter's hidden context rides on every form


def test_failed_save_keeps_everything_typed_and_names_the_problem(cohort):
    data = entry_form(reflection="long careful reflection", start_time="12:00", end_time="11:00")
    data["action"] = "save"
    status, html = fieldlog_screens.handle(screen(cohort.student), data)
    assert status == 400
    assert "long careful reflection" in html and 'value="12:00"' in html
    assert "The end time must be after the start time." in html and 'aria-invalid="true"' in html
    assert not LogEntry.objects.exists()


def test_save_action_from_the_screen(cohort):
    data = entry_form()
    data["action"] = "save"
    data["submit"] = "1"
    status, html = fieldlog_screens.handle(screen(cohort.student), data)
    assert status == 200 and "Entry submitted for approval." in html
    assert LogEntry.objects.get().status == vocab.SUBMITTED


def test_supervisor_overview_and_placement_screen(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    html = fieldlog_screens.render(screen(cohort.academic))
    assert "Sara Adel" in html and "Omar Nabil" in html
    status, html = fieldlog_screens.handle(screen(cohort.academic), form(action="view", view="placement", placement=entry.placement_id))
    assert status == 200 and "Field training log of Sara Adel" in html and 'value="approve"' in html
    status, html = fieldlog_screens.handle(screen(cohort.academic), form(action="issue_link", placement=entry.placement_id, days=10))
    assert status == 200 and "Link created" in html


def test_refusals_come_back_as_4xx_in_the_screen(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    status, html = fieldlog_screens.handle(screen(cohort.student), form(action="approve", entry=entry.pk))
    assert status == 403 and "maydan-error" in html
    status, _ = fieldlog_screens.handle(screen(cohort.student), form(action="explode"))
    assert status == 400
    assert LogEntry.objects.get().status == vocab.SUBMITTED


def test_arabic_screen_is_right_to_left(cohort):
    s = screen(cohort.student, "ar")
    assert s.direction == "rtl" and screen(cohort.student, "en").direction == "ltr"


def test_agency_link_page_end_to_end(cohort, client):
    entry = fieldlog.save_entry(cohort.student, entry_form(), submit=True)
    _link, token = links.issue(cohort.academic, entry.placement_id)
    url = f"/maydan/agency/{token}/"
    page = client.get(url + "?lang=en")
    assert page.status_code == 200 and 'dir="ltr"' in page.content.decode()
    assert "Field training log of Sara Adel" in page.content.decode()
    answer = client.post(url, {"action": "approve", "entry": entry.pk, "lang": "en"}, HTTP_X_REQUESTED_WITH="fetch")
    assert answer.status_code == 200 and "Entry approved." in answer.content.decode()
    assert LogEntry.objects.get().status == vocab.APPROVED
    assert client.get("/maydan/agency/not-a-token/?lang=en").status_code == 404


def test_history_shows_who_did_what(cohort, django_assert_max_num_queries):
    entries = [fieldlog.save_entry(cohort.student, entry_form(start_time=f"{h:02d}:00", end_time=f"{h:02d}:30"), submit=True)
               for h in (8, 9, 10)]
    _link, token = links.issue(cohort.academic, entries[0].placement_id)
    fieldlog.approve_entry(links.open_link(token), entries[0].pk, "Confirmed with the family")
    s = screen(cohort.academic)
    s.view, s.placement_id = "placement", str(entries[0].placement_id)
    with django_assert_max_num_queries(14):  # fixed, whatever the entries: documents and recordings too
        html = fieldlog_screens.render(s)
    assert "agency supervisor (link) · approved: Confirmed with the family" in html
    assert html.count("Sara Adel · submitted") == 3


def test_course_author_sees_the_settings_not_student_work(cohort):
    from maydan import roles
    author = cohort.enter("au1", roles.AUTHOR, "Author")
    fieldlog.save_entry(cohort.student, entry_form(description="Private visit notes C-9"))
    html = fieldlog_screens.render(screen(author))
    assert "400" in html and "Africa/Cairo" in html and "Private visit notes" not in html


def test_hour_figures_in_data_attributes_are_not_localised(cohort):
    entry = fieldlog.save_entry(cohort.student, entry_form(start_time="09:00", end_time="10:30"), submit=True)
    fieldlog.approve_entry(cohort.agency, entry.pk)
    assert 'data-approved-hours="1.5"' in fieldlog_screens.render(screen(cohort.student, "ar"))
