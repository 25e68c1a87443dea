"""The visual editor on a phone (360 px) in Arabic: a node's image set in its form, with its description in
both languages, saved in the scenario's own format; and a node that others lead to deleted, its arrows
emptied and marked on the nodes they start from, never left pointing at nothing."""
from urllib.parse import unquote_plus

import pytest
import yaml

from maydan.simulation import library
from maydan.simulation.models import CourseScenario
from maydan.simulation.validate import parse, targets

from .test_scenario_editor_journey import EDITOR, change, node_form, open_scenarios_page, select_node

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ALT = {"ar": "مفكرة نوم أسبوعية بخط العميلة", "en": "A weekly sleep diary in the client's hand"}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="ar-EG", has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def open_shipped(page, site, key):
    """The course's scenarios page in Arabic, with a library scenario opened in the editor."""
    open_scenarios_page(page, site, "ar")
    page.click(f"{EDITOR} .maydan-editor-settings summary")
    page.select_option(f"{EDITOR} select[name=open_key]", key)
    page.click(f"{EDITOR} [data-editor-open]")
    page.wait_for_function(f"document.querySelector('{EDITOR} input[name=scenario_id]').value === '{key}'")


def editor_data(page):
    return page.evaluate(f"JSON.parse(JSON.stringify(document.querySelector('{EDITOR}').maydanEditor.data()))")


def test_an_image_with_its_description_in_both_languages_is_set_in_the_node_s_form_and_saved(phone, site, shoot):
    page = phone
    open_shipped(page, site, "etherapy-chat")
    change(page, f"{EDITOR} input[name=scenario_id]", "chat-with-diary")
    select_node(page, "s-open")
    form = node_form(page)
    assert form.locator("select[name=media_kind]").input_value() == ""
    assert form.locator("input[name=media_src]").count() == 0  # no media: no file to name
    form.locator("select[name=media_kind]").select_option("image")
    # The uploaded and shipped files are offered for the file name.
    offered = page.eval_on_selector_all(f"{EDITOR} datalist option", "os => os.map(o => o.value)")
    assert "sleep-diary.svg" in offered
    assert not form.locator("input[name=media_per_language]").is_checked()  # one file for both languages
    form.locator("input[name=media_src]").fill("sleep-diary.svg")
    # The description is still missing: the validator says so on this node, in Arabic.
    page.click(f"{EDITOR} [data-editor-check]")
    page.wait_for_selector(f"{EDITOR} g[data-node='s-open'].has-problems")
    assert "الوصف" in form.locator(".maydan-editor-node-problems").inner_text() or \
        "(alt)" in form.locator(".maydan-editor-node-problems").inner_text()
    form.locator("textarea[name=alt_ar]").fill(ALT["ar"])
    form.locator("textarea[name=alt_en]").fill(ALT["en"])
    page.wait_for_selector(f"{EDITOR} g[data-node='s-open']:not(.has-problems)")
    assert no_sideways_scroll(page)
    shoot(page, "editor-media-image-360-ar")
    page.click(f"{EDITOR} [data-editor-save]")
    page.wait_for_function("document.querySelector('.maydan-editor-status').textContent.includes('chat-with-diary')")
    stored = yaml.safe_load(CourseScenario.objects.get(key="chat-with-diary").source)
    opening = next(n for n in stored["nodes"] if n["id"] == "s-open")
    assert opening["media"] == {"kind": "image", "src": "sleep-diary.svg", "alt": ALT}
    original = parse(*library.shipped()["etherapy-chat"])
    assert [n for n in stored["nodes"] if n["id"] != "s-open"] == [n for n in original["nodes"] if n["id"] != "s-open"]

    # A recording instead: per-language files, a transcript is asked for, the description goes.
    form.locator("select[name=media_kind]").select_option("audio")
    form.locator("input[name=media_per_language]").check()
    form.locator("input[name=media_src_ar]").fill("mother-voice-note.ar.mp3")
    form.locator("input[name=media_src_en]").fill("mother-voice-note.en.mp3")
    form.locator("input[name=media_captions_ar]").fill("mother-voice-note.ar.vtt")
    form.locator("input[name=media_captions_en]").fill("mother-voice-note.en.vtt")
    page.click(f"{EDITOR} [data-editor-check]")
    page.wait_for_function("document.querySelector('[data-scenario-editor]').dataset.problems === '0'")
    media = next(n for n in editor_data(page)["nodes"] if n["id"] == "s-open")["media"]
    assert media == {"kind": "audio", "src": {"ar": "mother-voice-note.ar.mp3", "en": "mother-voice-note.en.mp3"},
                     "captions": {"ar": "mother-voice-note.ar.vtt", "en": "mother-voice-note.en.vtt"}}
    # And none: the node has no media at all.
    form.locator("select[name=media_kind]").select_option("")
    assert "media" not in next(n for n in editor_data(page)["nodes"] if n["id"] == "s-open")


def test_deleting_a_node_others_lead_to_empties_their_arrows_and_marks_them(phone, site, shoot):
    page = phone
    open_shipped(page, site, "etherapy-chat")
    page.wait_for_function("document.querySelector('[data-scenario-editor]').dataset.problems === '0'")
    original = parse(*library.shipped()["etherapy-chat"])
    leading = sorted({n["id"] for n in original["nodes"] if "s-inform" in targets(n)})
    assert len(leading) >= 2
    asked, answer = [], {"yes": False}
    page.on("dialog", lambda dialog: (asked.append(dialog.message),
                                      dialog.accept() if answer["yes"] else dialog.dismiss()))
    # Declined at the question (which names the nodes that lead to it): nothing changes.
    before = editor_data(page)
    select_node(page, "s-inform")
    page.click(f"{EDITOR} [data-editor-delete-node]")
    assert len(asked) == 1 and all(node_id in asked[0] for node_id in leading)
    assert editor_data(page) == before
    answer["yes"] = True
    page.click(f"{EDITOR} [data-editor-delete-node]")
    assert len(asked) == 2
    data = editor_data(page)
    assert "s-inform" not in {n["id"] for n in data["nodes"]} and len(data["nodes"]) == len(before["nodes"]) - 1
    # No arrow points at the deleted node; the ones that did lead nowhere, marked on the map.
    assert all("s-inform" not in targets(n) for n in data["nodes"])
    for node_id in leading:
        node = next(n for n in data["nodes"] if n["id"] == node_id)
        assert "" in targets(node)
        page.wait_for_selector(f"{EDITOR} g[data-node='{node_id}'].has-problems")
    # The form opens on the first of them, its emptied arrow told in Arabic.
    assert node_form(page).locator("h3 bdi").inner_text() == leading[0]
    page.wait_for_function("document.querySelector('.maydan-editor-node-problems').textContent.includes('سهم لا يؤدي')")
    assert all(node_id in page.inner_text(f"{EDITOR} .maydan-editor-status") for node_id in leading)
    assert no_sideways_scroll(page)
    shoot(page, "editor-deleted-node-360-ar")
    # Saving is refused while arrows lead nowhere: nothing stored.
    def saving(response):
        return response.request.method == "POST" and '"do":"save"' in unquote_plus(response.request.post_data or "")

    with page.expect_response(saving) as saved:
        page.click(f"{EDITOR} [data-editor-save]")
    assert saved.value.status == 400 and not CourseScenario.objects.exists()

    # Deleting the first node: the question says so, and the first node left starts the scenario.
    start = data.get("start", data["nodes"][0]["id"])
    select_node(page, start)
    page.click(f"{EDITOR} [data-editor-delete-node]")
    assert "العقدة الأولى" in asked[-1]
    data = editor_data(page)
    assert data["start"] == data["nodes"][0]["id"] != start
    assert page.input_value(f"{EDITOR} select[name=start]") == data["start"]
