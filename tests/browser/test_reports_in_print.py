"""Reports people show to others, printed from Chromium in Arabic and English: the cohort dashboard and the
accreditation evidence keep their headings, tables and charts; tabs, menus, filters and buttons are not printed;
no row is cut across pages; the printout is a real PDF with the students' names in it.
"""
import io

import pytest
from pypdf import PdfReader

from lti_tool import demo_setup

from .test_every_screen_on_phones import Walk, _links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIBLE = """(selector) => [...document.querySelectorAll(selector)].filter(e => {
  const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== "hidden";
}).length"""
NOT_CUT = """() => [...document.querySelectorAll(".maydan tr, .maydan-charts figure, .maydan-evidence-student")]
  .filter(e => getComputedStyle(e).breakInside !== "avoid").length"""


@pytest.mark.parametrize("language", ["ar", "en"])
def test_dashboard_and_evidence_print_without_controls_and_with_charts(browser, site, language):
    from .conftest import ARTIFACTS

    demo_setup.prepare()
    walk = Walk(browser, site, language, ARTIFACTS)
    page = walk.page
    try:
        page.set_viewport_size({"width": 1000, "height": 900})
        walk.launch("admin", _links()["cohort"])
        for view in ("home", "evidence"):
            if view != "home":
                walk.act(f"nav.maydan-tabs button[value={view}]")
            page.emulate_media(media="print")
            for controls in ("nav.maydan-tabs", ".maydan-menu", ".maydan-filters", ".maydan button"):
                assert page.evaluate(VISIBLE, controls) == 0, (view, controls)
            assert page.evaluate(VISIBLE, ".maydan-charts svg") == 2, view
            assert page.evaluate(VISIBLE, ".maydan-table tbody tr") >= 2, view
            assert page.evaluate(NOT_CUT) == 0, view
            pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
            text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
            page.screenshot(path=str(ARTIFACTS / f"print-{language}-cohort-{view}.png"), full_page=True)
            assert "Omar Nabil" in text or "Sara Adel" in text, view
            page.emulate_media(media="screen")
    finally:
        walk.context.close()
