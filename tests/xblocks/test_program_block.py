"""Placement matching as an Open edX block: a student ranks, the coordinator matches, staff are refused."""
import pytest
from opaque_keys.edx.locator import BlockUsageLocator
from xblock.fields import ScopeIds
from xblock.runtime import KvsFieldData

from maydan.program.models import Offer, PlacementPreference, ProgramAgency
from xblocks.program import ProgramXBlock

from .xbtools import COURSE_KEY, LmsCourse, Person, RecordingRuntime, StaticUserService, lms_user

USAGE = BlockUsageLocator(COURSE_KEY, block_type="maydan_program", block_id="program1")
TERM = "2026-fall"


class ProgramCourse(LmsCourse):
    def open(self, user):
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(self.kvs), "user": StaticUserService(user)})
        ids = ScopeIds(user.opt_attrs["edx-platform.anonymous_user_id"], "maydan_program", USAGE, USAGE)
        return runtime.construct_xblock_from_class(ProgramXBlock, ids), runtime


@pytest.fixture
def course(db):
    return ProgramCourse(USAGE)


def test_student_ranks_and_the_coordinator_matches(course):
    amal = Person(course, lms_user("anon-amal", role="maydan:coordinator", name="Amal Mahmoud", lang="en"))
    assert "Placement matching" in amal.view()
    amal.act(action="save_agency", view="agencies", name="Hope Family Centre", modality="in_person")
    agency = ProgramAgency.objects.get()
    amal.act(action="save_opening", view="openings", agency=str(agency.pk), term=TERM, title="Child protection",
             capacity="1", level="BSW")
    sara = Person(course, lms_user("anon-sara", name="Sara Adel"))
    page = sara.view()
    assert 'dir="rtl"' in page and "Child protection" in page and "رغباتك" in page
    opening = agency.openings.get()
    response = sara.act(action="rank", term=TERM, rank1=str(opening.pk), statement="أحب العمل مع الأطفال")
    assert response.status_code == 200 and "حُفظت رغباتك." in response.text
    assert PlacementPreference.objects.get().ranking == [opening.pk]
    refused = sara.act(action="run", view="matching", term=TERM)
    assert refused.status_code == 403 and not Offer.objects.exists()
    response = amal.act(action="run", view="matching", term=TERM)
    assert response.status_code == 200 and "1 student matched." in response.text
    assert not amal.published and not sara.published and ProgramXBlock.has_score is False


def test_bad_ranking_is_a_4xx_in_arabic_and_nothing_is_saved(course):
    sara = Person(course, lms_user("anon-sara", name="Sara Adel"))
    sara.view()
    response = sara.act(action="rank", term="bad term!", rank1="1")
    assert response.status_code == 400 and "سمِّ الفصل الدراسي" in response.text
    assert not PlacementPreference.objects.exists()
    hoda = Person(course, lms_user("anon-hoda", role="staff", lang="en"))
    assert "Only the field coordinator and students use placement matching." in hoda.view()


def test_studio_sets_the_display_name(course):
    hoda = Person(course, lms_user("anon-hoda", role="staff", lang="en"))
    assert "Students rank the term's placement openings here" in hoda.view("studio_view")
    assert hoda.post_json("studio_submit", {"display_name": "Choices · الرغبات"}).status_code == 200
