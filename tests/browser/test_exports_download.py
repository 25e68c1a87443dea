"""The coordinator downloads exports in Chromium, on a phone, through a real LTI launch: the browser saves the
streamed file and the screen stays where it was; an Arabic workbook reads right to left."""
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.lti.flow import launch as lti_launch

from .test_every_screen_on_phones import _links, phone_walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_coordinator_downloads_each_format_and_stays_on_the_screen(browser, site, language):
    links = _links()
    client = Client()
    for person in ("student_1", "student_2"):
        lti_launch(client, person=person, link=links["cohort"].pk)
    walk = phone_walk(browser, site, language)
    page = walk.page
    try:
        walk.launch("admin", links["cohort"])
        walk.act("nav.maydan-tabs button[value=exports]")
        for fmt in ("csv", "xlsx", "sav"):
            page.select_option("select[name=table]", "hours")
            page.select_option("select[name=format]", fmt)
            with page.expect_download() as started:
                page.click("form:has(input[name=action][value=export]) button[type=submit]")
            download = started.value
            assert download.suggested_filename == f"maydan-hours-coded.{fmt}"
            data = open(download.path(), "rb").read()
            if fmt == "csv":
                assert data.decode("utf-8-sig").startswith("student_code,agency,target_h")
            elif fmt == "xlsx":
                sheet = load_workbook(io.BytesIO(data)).active
                assert bool(sheet.sheet_view.rightToLeft) == (language == "ar") and sheet.max_row == 4
            else:
                assert data[:4] == b"$FL2"
            assert page.locator("select[name=format]").is_visible()  # the screen is still there
    finally:
        walk.context.close()
