"""An agency supervisor without an account fills the evaluation through their signed link."""
from django.test import Client

from maydan.fieldlog import links
from maydan.grading.models import Scoresheet
from tests.unit.test_grading_evaluations import answers


def test_the_link_page_opens_and_submits_the_evaluation_in_arabic(cohort):
    placement = cohort.student.person.placements.get()
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    address = links.url_for(token)
    client = Client()
    page = client.get(address, {"activity": "evaluation", "key": "final", "lang": "ar"})
    html = page.content.decode()
    assert page.status_code == 200 and 'dir="rtl"' in html and "التقييم النهائي للكفايات" in html
    assert 'name="value_1a"' in html and 'name="activity" value="evaluation"' in html
    data = dict(answers(4).items(), action="save_sheet", submit="1", activity="evaluation", key="final",
                lang="ar", placement=placement.pk)
    response = client.post(address, data)
    assert response.status_code == 200 and "قُدّمت درجاتك" in response.content.decode()
    sheet = Scoresheet.objects.get()
    assert sheet.side == "agency" and sheet.evaluation.form == "final" and sheet.submitted_at


def test_an_unknown_activity_on_a_link_is_a_clear_404(cohort):
    placement = cohort.student.person.placements.get()
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    response = Client().get(links.url_for(token), {"activity": "evaluation", "key": "nope", "lang": "en"})
    assert response.status_code == 404 and "This activity does not exist." in response.content.decode()


def test_the_link_page_speaks_the_courses_chosen_language_before_the_browsers(cohort):
    placement = cohort.student.person.placements.get()
    _link, token = links.issue(cohort.academic, placement.pk, days=5)
    address = links.url_for(token)
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    assert 'lang="en"' in Client().get(address, **english_browser).content.decode()
    course = placement.course
    course.language, course.language_chosen = "ar", True
    course.save()
    assert 'dir="rtl"' in Client().get(address, **english_browser).content.decode()
    assert 'lang="en"' in Client().get(address, {"lang": "en"}, **english_browser).content.decode()
