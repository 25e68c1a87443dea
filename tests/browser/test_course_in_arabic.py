"""The course in Arabic, in a real Chromium: the e-therapy unit's case simulation played to an ending, and
every main page seen right to left with its labels in Arabic. Screenshots go to test-artifacts/.

The e-therapy unit is rendered in the XBlock workbench from its OLX: its reading, and each of its Maydan
blocks that is installed (the workbench has no capa problems, so the check question is left out). The
simulation is played through the LTI tool, placed in the sandbox course with the scenario the unit names:
the same screens the block shows.
"""
import re
from importlib.metadata import entry_points

import pytest
from lxml import etree

from lti_tool.sandbox.demo import COURSES, PEOPLE
from lti_tool.sandbox.models import SandboxLink
from maydan.content import course_dir
from maydan.models import Placement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Words a page may show in Latin letters: product and standard names (LTI roles among them), file
# formats, and English offered by its own name as the other language.
LATIN_ALLOWED = {"lti", "csv", "ics", "json", "yaml", "bsw", "msw", "epas", "cswe", "moodle", "zoom", "google", "outlook", "teams", "url",
                 "maydan", "webcal", "icalendar", "pdf", "n/o", "learner", "instructor", "mentor", "administrator",
                 "english", "meet", "jitsi", "branching", "xblock", "webvtt", "png", "jpeg", "gif", "webp"}
# Data, not labels: the sandbox's people and courses carry the names a platform gives them.
DATA = [person["name"] for person in PEOPLE.values()] + [course["title"] for course in COURSES.values()]
UI_LABELS = "button, label, legend, h1, h2, h3, h4, th[scope=col], summary, caption"


def unit_scenario():
    """The scenario the course's e-therapy unit places."""
    unit = etree.parse(str(course_dir() / "vertical" / "e_therapy_unit.xml")).getroot()
    return unit.find("maydan_simulation").get("scenario")


def place(activity, title, maximum=None):
    return SandboxLink.objects.create(course="field-training-1", title=title, score_maximum=maximum,
                                      custom={"maydan_activity": activity})


def launch(page, site, person, link=None):
    extra = f"&link={link.pk}" if link else ""
    page.goto(f"{site}/sandbox/launch?person={person}&course=field-training-1&lang=ar{extra}")
    page.wait_for_selector(".maydan[data-endpoint]")


def act(page, selector):
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def assert_arabic_page(page):
    """Right to left at the root and as Chromium lays it out, and no UI label left in English."""
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.get_attribute("html", "lang").startswith("ar")
    root = ".maydan" if page.locator(".maydan").count() else "body"
    assert page.eval_on_selector(root, "e => getComputedStyle(e).direction") == "rtl"
    labels = page.eval_on_selector_all(UI_LABELS, "els => els.map(e => e.innerText.trim()).filter(Boolean)")
    assert labels, "the page shows labels"
    english = [label for label in labels if _english_words(label)]
    assert english == [], f"UI labels not in Arabic: {english}"


def _english_words(label):
    for data in DATA:
        label = label.replace(data, "")
    label = re.sub(r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b", "", label)  # a time zone's name: Africa/Cairo
    words = re.findall(r"[A-Za-z][A-Za-z/]{2,}", label)
    return [w for w in words if w.lower() not in LATIN_ALLOWED]


def test_the_etherapy_unit_simulation_is_played_to_an_ending_in_arabic(page, site, shoot):
    key = unit_scenario()
    assert key == "etherapy-chat"
    link = place(f"simulation:{key}", "محاكاة حالة: العلاج الإلكتروني بالمحادثة", 10)
    launch(page, site, "student_1", link)
    assert "العلاج الإلكتروني بالمحادثة" in page.inner_text("body")
    assert_arabic_page(page)
    shoot(page, "course-ar-1-simulation-intro")

    act(page, "form:has(input[name=action][value=start]) button")
    steps = 0
    while page.locator(".maydan-sim-play").count() and steps < 40:
        steps += 1
        if page.locator(".maydan-sim-answer").count():
            page.fill("textarea[name=answer]",
                      "يعاني C-41 قلقًا مستمرًا يغذيه العمل الليلي وقلة النوم والسكن المزدحم، ومن نقاط قوته "
                      "التزامه بعمله وطلبه المساعدة. سأقيس التغير بالمقياس نفسه وبمفكرة النوم.")
            shoot(page, "course-ar-3-simulation-free-text")
            act(page, ".maydan-sim-answer button")
        else:
            if steps == 2:
                shoot(page, "course-ar-2-simulation-play")
            assert_arabic_page(page)
            act(page, ".maydan-sim-choices button >> nth=0")  # the first choice is the sound one here
    assert page.locator(".maydan-sim-debrief").count(), "the case reached its debrief"
    ending = page.inner_text(".maydan-sim-ending")
    assert "انخفضت درجته الثانية" in ending  # the good ending, in Arabic
    assert_arabic_page(page)
    shoot(page, "course-ar-4-simulation-debrief")

    page.fill("textarea[name=reflection]", "تعلمت أن التعاقد الواضح والقياس المتكرر يجعلان العمل بالمحادثة آمنًا ومفيدًا.")
    act(page, ".maydan-sim-reflect button")
    assert "تعلمت أن التعاقد" in page.inner_text(".maydan")
    shoot(page, "course-ar-5-simulation-finished")


def test_every_main_page_reads_right_to_left_in_arabic(browser, site, shoot):
    def new_page():
        return browser.new_context(locale="ar-EG", viewport={"width": 1200, "height": 900}).new_page()

    sandbox = new_page()
    sandbox.goto(f"{site}/sandbox/?lang=ar")
    assert_arabic_page(sandbox)
    shoot(sandbox, "pages-ar-lti-sandbox")

    student = new_page()
    launch(student, site, "student_1")
    assert_arabic_page(student)
    shoot(student, "pages-ar-student-log")

    supervisor = new_page()
    launch(supervisor, site, "instructor")
    assert_arabic_page(supervisor)
    shoot(supervisor, "pages-ar-supervisor-overview")

    placement = Placement.objects.get(student__name="Sara Adel")  # the launched student; the roster adds others
    act(supervisor, f"tr[data-placement='{placement.pk}'] button[value=view]")
    supervisor.fill("input[name=name]", "أ. رامي فوزي")
    act(supervisor, "form:has(input[name=action][value=issue_link]) button")
    agency_url = supervisor.input_value(".maydan-new-link input")
    agency = new_page()
    agency.goto(agency_url)
    assert_arabic_page(agency)
    shoot(agency, "pages-ar-agency-link")

    agency.goto(agency_url + "?activity=evaluation&key=midterm")
    agency.wait_for_selector(".maydan")
    assert "تقييم" in agency.inner_text("body")
    assert_arabic_page(agency)
    shoot(agency, "pages-ar-evaluation-form")

    sessions = place("sessions", "جلسات الإشراف")
    launch(student, site, "student_1", sessions)
    assert_arabic_page(student)
    shoot(student, "pages-ar-sessions-list-student")
    launch(supervisor, site, "instructor", sessions)
    assert_arabic_page(supervisor)
    shoot(supervisor, "pages-ar-sessions-list-supervisor")


def test_the_etherapy_unit_renders_in_the_workbench_with_its_arabic_reading_right_to_left(page, site, shoot):
    """Each component of the unit is one workbench scenario (the workbench's vertical has no template here)."""
    from workbench.runtime_util import reset_global_state
    from workbench.scenarios import add_xml_scenario

    reset_global_state()
    try:
        _show_etherapy_unit(page, site, shoot, add_xml_scenario)
    finally:
        reset_global_state()  # the workbench's scenarios are process-wide: leave only the blocks' own


def _show_etherapy_unit(page, site, shoot, add_xml_scenario):
    unit = etree.parse(str(course_dir() / "vertical" / "e_therapy_unit.xml")).getroot()
    installed = {ep.name for ep in entry_points(group="xblock.v1")}
    shown = []
    for index, element in enumerate(e for e in unit if isinstance(e.tag, str)):
        if element.tag == "html":
            reading = (course_dir() / "html" / f"{element.get('url_name')}.html").read_text(encoding="utf-8")
            xml = f"<html_demo>{reading}</html_demo>"
        elif element.tag in installed:
            xml = etree.tostring(element, encoding="unicode")
        else:
            continue  # a capa problem: the workbench has none
        add_xml_scenario(f"course.e_therapy.{index}", f"{unit.get('display_name')} {index}", xml)
        shown.append((f"course.e_therapy.{index}", element.tag))
    assert shown[0][1] == "html"

    page.goto(f"{site}/workbench/scenario/{shown[0][0]}/?student=student_1")
    arabic = page.locator("section.maydan-reading[lang=ar]")
    assert arabic.get_attribute("dir") == "rtl"
    assert arabic.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "العلاج الإلكتروني" in arabic.inner_text()
    english = page.locator("section.maydan-reading[lang=en]")
    assert english.evaluate("e => getComputedStyle(e).direction") == "ltr"
    shoot(page, "course-ar-0-etherapy-unit-reading-workbench")
    for name, tag in shown[1:]:
        page.goto(f"{site}/workbench/scenario/{name}/?student=student_1")
        block = page.locator(".maydan").first
        assert block.get_attribute("dir") == "rtl"
        assert block.evaluate("e => getComputedStyle(e).direction") == "rtl"
        shoot(page, f"course-ar-0-etherapy-unit-{tag}-workbench")
