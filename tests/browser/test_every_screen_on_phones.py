"""Every screen of every role, in Arabic and English, at 360, 390 and 1280 px in a real Chromium: nothing
scrolls sideways or leaves the screen, and axe-core (WCAG 2.2 AA) finds no serious or critical violation.

The demo course (the one `maydan demo` seeds: entries in every state, a weekly session) is opened through
the LTI sandbox by the student, the academic supervisor, the agency supervisor (by their link) and the field
coordinator; the course author's screens are the XBlocks' Studio editors and the log's author view in the
workbench. Each screen is loaded once per language and measured at each width by resizing one page, so
the walk stays a few minutes long. Screenshots of each screen at each width go to test-artifacts/screens/.
"""
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from django.http import QueryDict

from lti_tool import demo_setup
from lti_tool.sandbox.models import SandboxLink
from maydan import fieldlog, people, roles
from maydan.grading import selfeval, services
from maydan.readiness import services as readiness
from tests.conftest import form
from tests.readiness_kit import EXECUTABLE, document_storage, image, pdf  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 390, 1280)
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKS = ("maydan_fieldlog", "maydan_evaluation", "maydan_simulation", "maydan_sessions", "maydan_cohort",
          "maydan_readiness")

# The elements of a page that lie outside the viewport, sideways; hidden ones and ones clipped by a
# scrolling or clipping box inside the page (a chart that scrolls by itself) do not count.
OUTSIDE = """(scope) => {
  const width = document.documentElement.clientWidth, found = [];
  const root = document.querySelector(scope) || document.body;
  // The workbench's own chrome (its XML dump) is not a Maydan screen: there only the block is measured.
  if (scope === "body" && document.documentElement.scrollWidth > width) found.push(`page ${document.documentElement.scrollWidth}px wide`);
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== "visible") return true;
    }
    return false;
  };
  for (const e of root.querySelectorAll("*")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === "hidden") continue;
    if ((r.right > width + 1 || r.left < -1) && !clipped(e)) {
      const name = e.tagName.toLowerCase() + (e.name ? `[name=${e.name}]` : "") + (e.className && e.className.baseVal === undefined ? "." + String(e.className).trim().split(/\\s+/).join(".") : "");
      found.push(`${name} ${Math.round(r.left)}..${Math.round(r.right)}: ${(e.innerText || "").trim().slice(0, 40)}`);
    }
  }
  return found.slice(0, 8);
}"""


# Where a finger is expected (buttons, menus, fields), a target at least 44 × 44 px; check boxes and radio
# buttons at least WCAG 2.2's 24 × 24.
SMALL_TARGETS = """(scope) => {
  const root = document.querySelector(scope) || document.body, found = [];
  for (const e of root.querySelectorAll("button, summary, select, input, textarea")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || e.type === "hidden" || e.type === "file") continue;
    const least = (e.type === "checkbox" || e.type === "radio") ? 24 : 44;
    if (r.width < least - 0.5 || r.height < least - 0.5) {
      found.push(`${e.tagName.toLowerCase()}${e.name ? "[name=" + e.name + "]" : ""} ${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return found.slice(0, 8);
}"""


class Walk:
    """One browser page per language; each screen measured at every width, problems gathered for one report."""

    def __init__(self, browser, site, language, artifacts):
        self.site, self.language, self.artifacts = site, language, artifacts
        self.context = browser.new_context(locale="ar-EG" if language == "ar" else "en-GB",
                                           viewport={"width": WIDTHS[0], "height": 800})
        self.page = self.context.new_page()
        self.axe = Axe()
        self.problems, self.walked = [], []

    def launch(self, person, link=None):
        extra = f"&link={link.pk}" if link else ""
        self.page.goto(f"{self.site}/sandbox/launch?person={person}&course=field-training-1&lang={self.language}{extra}")
        self.page.wait_for_selector(".maydan")

    def open(self, person, link, name):
        """Launch an activity as this person and measure the screen it opens on."""
        self.launch(person, link)
        self.check(name)

    def tabs(self, name, tabs):
        """Open each tab of the screen in turn, measuring each."""
        for tab in tabs:
            self.act(f"nav.maydan-tabs button[value={tab}]")
            self.check(f"{name}-{tab}")

    def act(self, selector):
        """Press a button of the screen (the screen answers in place)."""
        with self.page.expect_response(lambda r: r.request.method == "POST"):
            self.page.click(selector)
        self.page.wait_for_selector(".maydan:not([aria-busy])")

    def check(self, name, scope="body"):
        """The screen now shown, at every width."""
        page = self.page
        self.walked.append(name)
        direction = page.eval_on_selector(scope, "e => getComputedStyle(e).direction")
        assert direction == ("rtl" if self.language == "ar" else "ltr"), name
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            outside = page.evaluate(OUTSIDE, scope)
            if outside:
                self.problems.append(f"{self.language} {name} @{width}px leaves the screen: {outside}")
            page.screenshot(path=str(self.artifacts / f"{self.language}-{name}-{width}.png"), full_page=True)
            if width == WIDTHS[0]:
                self._axe(name, scope)
                small = page.evaluate(SMALL_TARGETS, scope)
                if small:
                    self.problems.append(f"{self.language} {name}: targets too small for a finger: {small}")
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})

    def _axe(self, name, scope):
        results = self.axe.run(self.page, context=scope,
                               options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [str(node["target"]) for node in violation["nodes"][:3]]
                self.problems.append(f"{self.language} {name}: axe {violation['id']} ({violation['impact']}) {targets}")


def phone_walk(browser, site, language):
    """A walk whose screenshots go with the others (test-artifacts/screens)."""
    from .conftest import ARTIFACTS

    artifacts = ARTIFACTS / "screens"
    artifacts.mkdir(parents=True, exist_ok=True)
    return Walk(browser, site, language, artifacts)


def _links():
    def place(activity, title, maximum=None):
        return SandboxLink.objects.create(course="field-training-1", title=title, score_maximum=maximum,
                                          custom={"maydan_activity": activity})

    return {"fieldlog": place("fieldlog", "Field log · سجل التدريب", 10),
            "sessions": place("sessions", "Sessions · الجلسات"),
            "evaluation": place("evaluation:midterm", "Midterm · منتصف الفصل", 20),
            "final": place("evaluation:final", "Final · النهائي", 20),
            "simulation": place("simulation:etherapy-chat", "E-therapy · العلاج الإلكتروني", 10),
            "cohort": place("cohort", "Cohort · الدفعة"),
            "readiness": place("readiness", "Readiness · الاستعداد")}


def _seed_readiness(course):
    """The program's list, and Sara's documents in every state: expiring and approved, waiting, returned."""
    def enter(subject, role):
        return people.enter(course.issuer, course.context_id, subject, {role})

    coordinator, sara = enter("admin", roles.COORDINATOR), enter("student_1", roles.STUDENT)
    listed = [readiness.save_requirement(coordinator, form(title=title, description=text, valid_days=days,
                                                            required=required))
              for title, text, days, required in (
                  ("صحيفة الحالة الجنائية (الفيش الجنائي)", "من قسم الشرطة التابع له محل إقامتك، مختومة", "180", "1"),
                  ("الشهادة الصحية", "من مكتب الصحة، تشمل فحص الدرن", "365", "1"),
                  ("تعهد بالحفاظ على سرية بيانات العملاء، موقَّع", "", "", "1"),
                  ("Accident insurance certificate for the whole placement period", "", "", ""))]
    today = timezone.localdate()
    for requirement, data, issued, review in ((listed[0], pdf(), 170, "approve"), (listed[1], image("JPEG"), 20, "return"),
                                              (listed[2], image("PNG"), 2, None)):
        document = readiness.upload(sara, requirement.pk, SimpleUploadedFile("scan", data),
                                    form(issued_on=(today - timedelta(days=issued)).isoformat()))
        if review:
            readiness.review(coordinator, document.pk, review == "approve",
                             "الختم غير واضح في الصورة؛ صوّر المستند كاملًا في ضوء جيد وارفعه مرة أخرى")
    return listed


def _readiness(walk, links, agency_url):
    walk.open("student_1", links["readiness"], "student-readiness")
    insurance = "article[data-requirement]:last-of-type"  # nothing handed in yet: its upload form is open
    walk.page.set_input_files(f"{insurance} input[type=file]", files=[
        {"name": "insurance.pdf", "mimeType": "application/pdf", "buffer": EXECUTABLE}])
    walk.page.fill(f"{insurance} input[name=issued_on]", timezone.localdate().isoformat())
    walk.act(f"{insurance} button[value=upload]")  # an executable named .pdf: refused beside its field
    walk.check("student-readiness-refused")
    walk.page.set_input_files(f"{insurance} input[type=file]", files=[
        {"name": "insurance.pdf", "mimeType": "application/pdf", "buffer": pdf()}])
    walk.page.fill(f"{insurance} input[name=issued_on]", timezone.localdate().isoformat())
    walk.act(f"{insurance} button[value=upload]")
    assert walk.page.locator(".maydan-notice").count() >= 1
    walk.check("student-readiness-uploaded")
    walk.open("admin", links["readiness"], "coordinator-readiness")
    walk.act("[data-waiting] button[value=person] >> nth=0")
    walk.check("coordinator-readiness-student")
    walk.tabs("coordinator-readiness", ("requirements",))
    walk.open("instructor", links["readiness"], "supervisor-readiness")
    walk.page.goto(agency_url + "?activity=readiness")
    walk.page.wait_for_selector(".maydan")
    walk.check("agency-link-readiness")


def _released_final():
    """The demo's first student's final evaluation, released: her self-evaluation, both supervisors', the final."""
    from lti_tool.sandbox.platform import issuer

    def who(subject, role):
        return people.enter(issuer(), "field-training-1", subject, {role})

    student, agency, academic = who("student_1", roles.STUDENT), who("mentor", roles.AGENCY), who("instructor", roles.ACADEMIC)
    behaviours = services.form_of("final").framework.behaviours
    placement = fieldlog.placement_for(student)

    def scores(value):
        fields = QueryDict(mutable=True)
        fields.update({f"value_{b.id}": str(value) for b in behaviours})
        return fields

    selfeval.save(student, "final", scores(5), submit=True)
    for actor, value in ((agency, 4), (academic, 3)):
        services.save_sheet(actor, placement.pk, "final", scores(value), submit=True)
    services.release(academic, placement.pk, "final")


def _corrections_and_placement_ratings():
    """Both students' final evaluations released (student_1's with her self-evaluation, by
    _released_final), then corrected (student_1's waiting for acknowledgement); student_1 at the end
    of the placement (the rating form open); three answers at one agency and one at another."""
    from datetime import date

    from maydan import people, roles
    from maydan.grading import corrections, services
    from maydan.models import Placement
    from maydan.program import placement_feedback
    from tests.unit.test_grading_evaluations import answers
    from tests.unit.test_placement_feedback import answers as ratings

    placements = Placement.objects.filter(course__context_id="field-training-1")
    course = placements.first().course
    admin = people.enter(course.issuer, course.context_id, "admin", {roles.COORDINATOR})
    for placement in placements.filter(student__subject__in=("student_1", "student_2")):
        for side, value in (("agency", 4), ("academic", 3)):
            if not placement.evaluations.filter(form="final", sheets__side=side, sheets__submitted_at__isnull=False):
                services.save_sheet(admin, placement.pk, "final", answers(value), submit=True, side=side)
        if not placement.evaluations.filter(form="final", status="released").exists():
            services.release(admin, placement.pk, "final")
        corrections.reopen(admin, placement.pk, "final", "الدرجات أُدخلت لطالب آخر · entered for another student",
                           ["academic"])
        services.save_sheet(admin, placement.pk, "final", answers(4), submit=True, side="academic")
        services.release(admin, placement.pk, "final")
    placements.update(ends_on=date.today())
    for n, agency in enumerate(("دار الأمل · Hope House",) * 3 + ("Nile Care Home",)):
        rater = people.enter(course.issuer, course.context_id, f"rater_{n}", {roles.STUDENT}, name=f"Rater {n}")
        placement = rater.person.placements.get_or_create(course=course)[0]
        placement.agency, placement.ends_on = agency, date.today()
        placement.save()
        placement_feedback.submit(rater, ratings(4 - n % 2, comment="إشراف منتظم · regular supervision"))


def _student(walk, links):
    walk.open("student_1", links["fieldlog"], "student-log")
    walk.act("form.maydan-form button[name=submit][value='1']")  # nothing filled in: refused, an error summary
    walk.check("student-log-refused")
    walk.act(".maydan-documents-link button")
    walk.check("student-documents")
    walk.open("student_1", links["sessions"], "student-sessions")
    walk.open("student_1", links["evaluation"], "student-evaluation")
    for _step in services.form_of("midterm").framework.competencies:  # the stepper, on to its summary
        walk.page.click(".maydan-step-current button[data-step-go='1']")
    walk.check("student-self-evaluation-summary")
    walk.tabs("student-evaluation", ("agreement", "recordings", "placement_feedback"))
    walk.open("student_1", links["final"], "student-evaluation-released")  # corrected, waiting for her acknowledgement
    walk.open("student_1", links["simulation"], "student-simulation-intro")
    walk.act("form:has(input[name=action][value=start]) button")
    walk.check("student-simulation-play")


def _academic(walk, links):
    walk.open("instructor", links["fieldlog"], "supervisor-log-overview")
    walk.page.click("#maydan-supervisor-bar summary")
    walk.check("supervisor-course-tools-open")
    walk.act("tr[data-placement] button[value=view] >> nth=0")
    walk.page.fill("input[name=name]", "أ. رامي فوزي" if walk.language == "ar" else "Rami Fawzy")
    walk.act("form:has(input[name=action][value=issue_link]) button")
    walk.check("supervisor-student-log-with-agency-link")
    agency_url = walk.page.input_value(".maydan-new-link input")
    walk.open("instructor", links["sessions"], "supervisor-sessions")
    for view in ("edit", "attendance"):
        walk.launch("instructor", links["sessions"])
        walk.act(f"form:has(input[name=view][value={view}]) button >> nth=0")
        walk.check(f"supervisor-session-{view}")
    walk.open("instructor", links["evaluation"], "supervisor-grading-list")
    walk.tabs("supervisor-grading", ("queue", "settings", "bulk"))
    walk.act("nav.maydan-tabs button[value=list]")
    walk.act("form:has(input[name=view][value=evaluate]) button >> nth=0")
    walk.check("supervisor-evaluation-form")
    walk.tabs("supervisor-student", ("agreement", "recordings", "reflections"))
    walk.open("instructor", links["simulation"], "supervisor-simulation-report")
    walk.launch("instructor", links["fieldlog"])
    walk.page.click("#maydan-supervisor-bar summary")
    walk.page.click("#maydan-grade-delivery button")
    walk.page.wait_for_selector("h1")
    walk.check("supervisor-grades-sent")
    return agency_url


def _agency(walk, agency_url):
    walk.page.goto(agency_url)
    walk.page.wait_for_selector(".maydan")
    walk.check("agency-link-log")
    walk.act("button[value=approve_week] >> nth=0")
    walk.check("agency-link-week-approved")
    walk.act(".maydan-documents-link button")
    walk.check("agency-link-documents")
    walk.page.goto(agency_url + "?activity=evaluation&key=midterm")
    walk.page.wait_for_selector(".maydan")
    walk.check("agency-link-evaluation")


def _coordinator(walk, links):
    walk.open("admin", links["cohort"], "coordinator-cohort")
    walk.tabs("coordinator-cohort", ("visits", "evidence", "placements", "exports"))
    walk.act("nav.maydan-tabs button[value=home]")
    walk.act("form:has(input[name=view][value=student]) button >> nth=0")
    walk.check("coordinator-cohort-student")
    walk.act("form:has(input[name=view][value=visit]) button")
    walk.check("coordinator-site-visits-of-a-student")
    walk.page.fill("form:has(input[name=which][value=plan]) input[name=day]", "2026-12-01")
    walk.page.fill("form:has(input[name=which][value=plan]) input[name=time]", "10:00")
    walk.page.fill("form:has(input[name=which][value=plan]) input[name=meeting_link]", "not a link")
    walk.page.eval_on_selector("form:has(input[name=which][value=plan])", "f => f.noValidate = true")
    walk.act("button[value=schedule_visit]")  # refused: the error summary and the field's message
    walk.check("coordinator-site-visit-refused")
    walk.act("nav.maydan-tabs button[value=agencies]")
    walk.tabs("coordinator-program", ("matching", "history", "feedback"))


def _course_pages(walk, links):
    """The tool's staff pages reached from the course tools menu: settings and the course's scenarios."""
    for button, name in (("#maydan-course-settings", "coordinator-course-settings"),
                         ("#maydan-course-scenarios", "coordinator-course-scenarios")):
        walk.launch("admin", links["fieldlog"])
        walk.page.click("#maydan-supervisor-bar summary")
        walk.page.click(f"{button} button")
        walk.page.wait_for_selector("h1")
        walk.check(name)
    # The visual editor with a library scenario open, a node's form and a preview from it.
    walk.page.click("[data-scenario-editor] [data-editor-open]")
    walk.page.wait_for_selector("[data-scenario-editor] g[data-node] >> nth=3")
    walk.page.click("[data-scenario-editor] g[data-node] >> nth=0")
    walk.page.click("[data-scenario-editor] .maydan-editor-item >> nth=0 >> summary")  # its competencies
    walk.page.click("[data-scenario-editor] [data-editor-preview]")
    walk.page.click("[data-scenario-editor] [data-preview-start]")
    walk.page.wait_for_selector("[data-scenario-editor] .maydan-editor-preview-node")
    walk.check("coordinator-scenario-editor-node")


def _author(walk):
    """In the workbench (the XBlocks' adapter): the log's author view and every block's Studio editor."""
    who = "author_1" if walk.language == "ar" else "author_en"
    walk.page.goto(f"{walk.site}/workbench/scenario/maydan_fieldlog.0/?student={who}")
    walk.page.wait_for_selector(".maydan")
    walk.check("author-log-settings", ".maydan")
    walk.page.goto(f"{walk.site}/workbench/scenario/maydan_fieldlog.0/?student={'student_1' if walk.language == 'ar' else 'student_en'}")
    walk.page.wait_for_selector(".maydan")
    walk.check("workbench-student-log", ".maydan")
    for block in BLOCKS:
        walk.page.goto(f"{walk.site}/workbench/scenario/{block}.0/studio_view/?student={who}")
        walk.page.wait_for_selector(".maydan-studio")
        walk.check(f"author-studio-{block}", ".maydan")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_screen_fits_a_phone_and_passes_axe(browser, site, language, document_storage):
    _seed_readiness(demo_setup.prepare())
    _released_final()
    _corrections_and_placement_ratings()
    links = _links()
    walk = phone_walk(browser, site, language)
    try:
        walk.page.goto(f"{site}/sandbox/?lang={language}")
        walk.check("sandbox")
        walk.page.check("input[name=person][value=instructor]")
        walk.page.click("#sandbox-add-activity")
        walk.page.frame(name="sandbox-tool").wait_for_selector("form")
        walk.check("author-deep-linking-picker")
        _student(walk, links)
        agency_url = _academic(walk, links)
        _agency(walk, agency_url)
        _readiness(walk, links, agency_url)
        _coordinator(walk, links)
        _course_pages(walk, links)
        _author(walk)
    finally:
        walk.context.close()
    assert len(walk.walked) >= 62, walk.walked
    assert walk.problems == [], "\n".join(walk.problems)
