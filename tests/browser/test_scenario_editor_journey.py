"""The visual scenario editor in real Chromium.

In the LTI tool, in Arabic, an instructor builds a 12-node scenario across study, diagnosis and treatment,
finds a validator error shown on its node and fixes it, previews from a branch with chosen values, saves,
and a student plays the saved scenario to its ending. In the workbench, Studio's editor saves a scenario
and the component then shows it. Every shipped scenario, opened in the editor and saved under a new id,
keeps its data.
"""
import json

import pytest
import yaml
from playwright.sync_api import expect

from lti_tool import demo_setup
from lti_tool.sandbox.models import SandboxLink
from maydan.simulation import library
from maydan.simulation.models import CourseScenario, SimulationAttempt
from maydan.simulation.validate import parse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITOR = "[data-scenario-editor]"
# (phase, id, kind, Arabic, English) of the eleven nodes added to the editor's first node "start".
NODES = [
    ("study", "s-history", "choice", "تحكي الأم عن غياب ابنها عن المدرسة منذ شهر.", "The mother says her son has missed school for a month."),
    ("study", "s-notes", "free_text", "اكتب ما جمعته من حقائق، مشيرًا إلى العميل برمزه.", "Write the facts you gathered, naming the client by code."),
    ("diagnosis", "d-frame", "choice", "كيف تصوغ المشكلة؟", "How do you formulate the problem?"),
    ("diagnosis", "d-route", "branch", "", ""),
    ("diagnosis", "d-trust", "choice", "الأم تثق بك الآن وتطلب خطة.", "The mother trusts you now and asks for a plan."),
    ("diagnosis", "d-doubt", "choice", "الأم مترددة ولا ترى فائدة من الخطة.", "The mother doubts and sees no use in a plan."),
    ("treatment", "t-contract", "choice", "تتفقان على عقد للعمل معًا.", "You agree a contract for working together."),
    ("treatment", "t-follow", "choice", "بعد أسبوعين: عاد الابن إلى المدرسة يومين فقط.", "Two weeks on: the son went back to school two days only."),
    ("treatment", "end-good", "ending", "عاد الابن إلى المدرسة بانتظام.", "The son is back at school regularly."),
    ("treatment", "end-mixed", "ending", "تحسّن جزئي يحتاج متابعة.", "A partial improvement that needs follow-up."),
    ("treatment", "end-poor", "ending", "انقطعت الأسرة عن الخدمة.", "The family dropped out of the service."),
]
# node: [(choice id, Arabic, English, score, next, trust change)]
CHOICES = {
    "start": [("listen", "أستمع للأم وأسأل عن يوم ابنها.", "Listen and ask about her son's day.", 2, "s-history", 1),
              ("lecture", "أشرح لها واجبها القانوني بإلحاق ابنها بالمدرسة.", "Explain her legal duty to send him to school.", 0, "s-history", -1)],
    "s-history": [("ask-school", "أطلب إذنها للتواصل مع المدرسة.", "Ask her consent to contact the school.", 2, "s-notes", 1),
                  ("call-school", "أتصل بالمدرسة فورًا دون إذنها.", "Call the school at once without her consent.", 0, "s-notes", -1)],
    "d-frame": [("systems", "أربط الغياب بضغوط الأسرة والمدرسة معًا.", "Link the absence to pressures at home and school.", 2, "d-route", 1),
                ("blame", "أعدّ الابن مهملًا.", "Treat the son as lazy.", 0, "d-route", -1)],
    "d-trust": [("plan", "أضع الخطة معها خطوة خطوة.", "Make the plan with her step by step.", 2, "t-contract", 0)],
    "d-doubt": [("explore", "أستكشف ترددها قبل أي خطة.", "Explore her doubts before any plan.", 1, "t-contract", 1),
                ("push", "أضغط عليها للتوقيع.", "Press her to sign.", 0, "end-poor", 0)],
    "t-contract": [("review", "نحدد موعد مراجعة بعد أسبوعين.", "Set a review in two weeks.", 2, "t-follow", 0)],
    "t-follow": [("adjust", "نعدّل الخطة مع الأم والمدرسة.", "Adjust the plan with her and the school.", 2, "end-good", 0),
                 ("close", "أغلق الحالة: لقد تحسّن.", "Close the case: he has improved.", 0, "end-mixed", 0)],
}


def editor_settles(page):
    """Wait for the editor's latest check to come back."""
    page.wait_for_load_state("networkidle")


def open_scenarios_page(page, site, language="ar"):
    demo_setup.prepare()
    link = SandboxLink.objects.create(course="field-training-1", title="Log", custom={"maydan_activity": "fieldlog"})
    page.goto(f"{site}/sandbox/launch?person=instructor&course=field-training-1&lang={language}&link={link.pk}")
    page.wait_for_selector("#maydan-supervisor-bar")
    page.click("#maydan-supervisor-bar summary")
    page.click("#maydan-course-scenarios button")
    page.wait_for_selector(f"{EDITOR} svg")


def change(page, selector, value):
    field = page.locator(selector)
    field.fill(value)
    field.dispatch_event("change")


def node_form(page):
    return page.locator(f"{EDITOR} .maydan-editor-node")


def add_node(page, phase, node_id, kind, arabic, english):
    page.select_option(f"{EDITOR} select[name=new_phase]", phase)
    page.click(f"{EDITOR} [data-editor-add]")
    change(page, f"{EDITOR} input[name=node_id]", node_id)
    page.wait_for_selector(f"{EDITOR} g[data-node='{node_id}'].is-selected")
    if kind != "choice":
        page.select_option(f"{EDITOR} select[name=node_type]", kind)
    if arabic:
        node_form(page).locator("textarea[name=text_ar]").first.fill(arabic)
        node_form(page).locator("textarea[name=text_en]").first.fill(english)


def select_node(page, node_id):
    page.click(f"{EDITOR} g[data-node='{node_id}']")
    page.wait_for_selector(f"{EDITOR} g[data-node='{node_id}'].is-selected")


def add_choice(page, choice_id, arabic, english, score, target, trust):
    page.click(f"{EDITOR} [data-editor-add-choice]")
    item = node_form(page).locator(".maydan-editor-item").last
    item.locator("input[name=choice_id]").fill(choice_id)
    item.locator("textarea[name=text_ar]").fill(arabic)
    item.locator("textarea[name=text_en]").fill(english)
    change(page, f"{EDITOR} .maydan-editor-item >> nth=-1 >> input[name=score]", str(score))
    if trust:
        change(page, f"{EDITOR} .maydan-editor-item >> nth=-1 >> input[name=effect_trust]", str(trust))
    node_form(page).locator(".maydan-editor-item").last.locator("select[name=next]").select_option(target)


def test_an_instructor_builds_a_scenario_in_arabic_fixes_it_previews_saves_and_a_student_plays_it(page, site, shoot):
    open_scenarios_page(page, site)
    assert page.get_attribute("html", "dir") == "rtl"
    editor = page.locator(EDITOR)
    # The scenario itself: its id, titles and a variable.
    page.click(f"{EDITOR} .maydan-editor-settings summary")
    change(page, f"{EDITOR} input[name=scenario_id]", "school-absence")
    editor.locator(".maydan-editor-settings input[name=title_ar]").fill("زيارة منزلية: ابن يغيب عن المدرسة")
    editor.locator(".maydan-editor-settings input[name=title_en]").fill("A home visit: a son who misses school")
    page.click(f"{EDITOR} .maydan-editor-variables button:not(.maydan-editor-remove)")
    change(page, f"{EDITOR} input[name=variable]", "trust")
    change(page, f"{EDITOR} input[name=variable_max]", "5")
    # The first node, then eleven more in their phases.
    select_node(page, "start")
    node_form(page).locator("textarea[name=text_ar]").first.fill("تستقبلك الأم على الباب متوترة.")
    node_form(page).locator("textarea[name=text_en]").first.fill("The mother meets you at the door, tense.")
    for node in NODES:
        add_node(page, *node)
    assert editor.locator("g[data-node]").count() == 12
    # Arrows: every choice, then the free-text answers' next nodes and the branch on trust.
    for node_id, choices in CHOICES.items():
        select_node(page, node_id)
        for choice in choices:
            add_choice(page, *choice)
    select_node(page, "s-notes")
    node_form(page).locator("select[name=next]").select_option("d-frame")
    select_node(page, "d-route")
    page.click(f"{EDITOR} .maydan-editor-list button:not(.maydan-editor-remove)")  # a second branch
    branches = node_form(page).locator(".maydan-editor-list .maydan-editor-item")
    branches.nth(0).locator("input[name=condition]").fill("trust >= 3")
    branches.nth(0).locator("select[name=next]").select_option("d-trust")
    branches.nth(1).locator("select[name=next]").select_option("d-doubt")
    for ending, outcome in (("end-good", "good"), ("end-mixed", "mixed"), ("end-poor", "poor")):
        select_node(page, ending)
        node_form(page).locator("select[name=outcome]").select_option(outcome)
    # One text was left without its Arabic: the validator's message shows on that node, in Arabic.
    select_node(page, "t-follow")
    node_form(page).locator("textarea[name=text_ar]").first.fill("")
    page.click(f"{EDITOR} [data-editor-check]")
    page.wait_for_selector(f"{EDITOR} g[data-node='t-follow'].has-problems")
    assert editor.locator("g.has-problems").count() == 1
    assert page.get_attribute(EDITOR, "data-problems") == "1"
    problems = node_form(page).locator(".maydan-editor-node-problems")
    # What is wrong, then the validator's detail, both in Arabic.
    assert problems.inner_text().strip() == "نص تنقصه نسخته العربية أو الإنجليزية (النص: ليس له نص عربي (ar))"
    shoot(page, "editor-1-problem-on-node-ar")
    # The map reads right to left: study stands right of diagnosis, diagnosis right of treatment.
    x = {n: editor.locator(f"g[data-node='{n}']").bounding_box()["x"] for n in ("start", "d-frame", "t-contract")}
    assert x["start"] > x["d-frame"] > x["t-contract"]
    node_form(page).locator("textarea[name=text_ar]").first.fill("بعد أسبوعين: عاد الابن إلى المدرسة يومين فقط.")
    page.wait_for_selector(f"{EDITOR} g[data-node='t-follow']:not(.has-problems)")
    page.wait_for_function("document.querySelector('[data-scenario-editor]').dataset.problems === '0'")

    # Preview from the branch with trust chosen high, then low: the engine follows the values.
    select_node(page, "d-route")
    page.click(f"{EDITOR} [data-editor-preview]")
    page.fill(f"{EDITOR} input[name=preview_trust]", "4")
    page.click(f"{EDITOR} [data-preview-start]")
    page.wait_for_selector(f"{EDITOR} .maydan-editor-preview-node[data-node='d-trust']")
    page.click(f"{EDITOR} [data-preview-choice='plan']")
    page.wait_for_selector(f"{EDITOR} .maydan-editor-preview-node[data-node='t-contract']")
    shoot(page, "editor-2-preview-ar")
    page.fill(f"{EDITOR} input[name=preview_trust]", "1")
    page.click(f"{EDITOR} [data-preview-start]")
    page.wait_for_selector(f"{EDITOR} .maydan-editor-preview-node[data-node='d-doubt']")

    # Save: the stored text is YAML the validator accepts, with all twelve nodes.
    page.click(f"{EDITOR} [data-editor-save]")
    page.wait_for_function("document.querySelector('.maydan-editor-status').textContent.includes('school-absence')")
    stored = yaml.safe_load(CourseScenario.objects.get(key="school-absence").source)
    assert len(stored["nodes"]) == 12 and {n["phase"] for n in stored["nodes"]} == {"study", "diagnosis", "treatment"}
    assert stored["variables"] == {"trust": {"initial": 0, "max": 5}}
    shoot(page, "editor-3-saved-ar")

    # A student plays it to the good ending.
    link = SandboxLink.objects.create(course="field-training-1", title="Absence", score_maximum=10,
                                      custom={"maydan_activity": "simulation:school-absence"})
    page.goto(f"{site}/sandbox/launch?person=student_1&course=field-training-1&lang=ar&link={link.pk}")
    page.wait_for_selector(".maydan[data-endpoint]")
    play(page, "form:has(input[name=action][value=start]) button")
    for choice in ("listen", "ask-school"):
        play(page, f"button[name=choice][value='{choice}']")
    page.fill("textarea[name=answer]", "الأم متعاونة، والابن C-12 يغيب منذ شهر، والمدرسة لم تتواصل مع الأسرة.")
    play(page, ".maydan-sim-answer button")
    for choice in ("systems", "plan", "review", "adjust"):
        play(page, f"button[name=choice][value='{choice}']")
    assert "عاد الابن إلى المدرسة بانتظام" in page.inner_text(".maydan-sim-ending")
    attempt = SimulationAttempt.objects.get(scenario="school-absence")
    assert attempt.ending == "end-good" and attempt.variables == {"trust": 3}


def play(page, selector):
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.click(selector)
    page.wait_for_selector(".maydan:not([aria-busy])")


def test_every_shipped_scenario_opened_and_saved_under_a_new_id_keeps_its_data(page, site):
    open_scenarios_page(page, site, "en")
    page.click(f"{EDITOR} .maydan-editor-settings summary")
    for index, key in enumerate(sorted(library.shipped())):
        page.select_option(f"{EDITOR} select[name=open_key]", key)
        page.click(f"{EDITOR} [data-editor-open]")
        page.wait_for_function(f"document.querySelector('{EDITOR} input[name=scenario_id]').value === '{key}'")
        for node_id in page.eval_on_selector_all(f"{EDITOR} g[data-node]", "gs => gs.map(g => g.dataset.node)")[:8]:
            select_node(page, node_id)  # drawn in the form, not changed
        change(page, f"{EDITOR} input[name=scenario_id]", f"copy-{index}")
        page.click(f"{EDITOR} [data-editor-save]")
        page.wait_for_function(f"document.querySelector('.maydan-editor-status').textContent.includes('copy-{index}')")
        original = parse(*library.shipped()[key])
        saved = parse(CourseScenario.objects.get(key=f"copy-{index}").source)
        assert saved == dict(original, id=f"copy-{index}"), key


def test_the_studio_editor_saves_and_the_component_then_shows_the_scenario(page, site):
    from xblocks.simulation import SimulationXBlock  # noqa: F401  (the workbench finds it by its entry point)

    page.goto(f"{site}/workbench/scenario/maydan_simulation.0/studio_view/?student=author_1")
    page.wait_for_selector(f"{EDITOR} svg")
    assert page.get_attribute(".maydan-studio", "dir") == "rtl"
    assert page.locator(f"{EDITOR} g[data-node]").count() == len(parse(*library.shipped()["etherapy-anxious"])["nodes"])
    page.click(f"{EDITOR} .maydan-editor-settings summary")
    change(page, f"{EDITOR} input[name=scenario_id]", "anxious-local")
    page.locator(f"{EDITOR} .maydan-editor-settings input[name=title_ar]").fill("عميلة قلقة: نسخة المقرر")
    with page.expect_response(lambda r: "studio_editor" in r.url and r.request.method == "POST" and
                              json.loads(r.request.post_data).get("do") == "save") as saved:
        page.click(f"{EDITOR} [data-editor-save]")
    assert saved.value.status == 200
    assert parse(CourseScenario.objects.get().source)["title"]["ar"] == "عميلة قلقة: نسخة المقرر"
    # The editor chooses the saved scenario once it has read the answer.
    expect(page.locator(".maydan-studio select[name=scenario]")).to_have_value("anxious-local")
    with page.expect_response(lambda r: "studio_submit" in r.url) as submitted:
        page.click(".maydan-studio form button[type=submit]")
    assert submitted.value.status == 200
    page.goto(f"{site}/workbench/scenario/maydan_simulation.0/?student=student_1")
    page.wait_for_selector(".maydan[data-endpoint]")
    assert "عميلة قلقة: نسخة المقرر" in page.inner_text(".maydan")
