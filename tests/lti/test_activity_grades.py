"""Every graded activity placed by deep linking reports to its own gradebook column over AGS.

The case simulation stands for the activities other than the field log: placed by a teacher,
played by the launched student, its grade reaches the sandbox's line item for that link only.
"""
import pytest
from django.test import Client

from lti_tool import ags
from lti_tool.sandbox import ensure_sandbox_registration
from lti_tool.sandbox.models import SandboxLink, SandboxScore
from maydan import people, roles
from maydan.models import GradeOutbox
from maydan.simulation import library, services as sim

from .flow import launch, place

pytestmark = pytest.mark.django_db(transaction=True)
SCENARIO = "etherapy-anxious"


@pytest.fixture
def site(live_server, settings):
    settings.MAYDAN_BASE_URL = live_server.url
    settings.MAYDAN_GRADE_RETRY_SECONDS = 0
    registration = ensure_sandbox_registration()
    return registration


def play_to_the_end(actor, key):
    """Take the choice that leads to an ending at every step, answer every written step, reflect."""
    scenario = library.get(actor.course, key)
    attempt = sim.start(actor, key)
    while attempt.status == "playing":
        state = scenario.replay(attempt.path)
        node = scenario.node(state)
        if node["type"] == "choice":
            attempt = sim.choose(actor, attempt.pk, node["id"], scenario.guide(state))
        else:
            attempt = sim.answer(actor, attempt.pk, node["id"], "C-27 fears being judged; strengths: insight.")
    return sim.reflect(actor, attempt.pk, "I learnt to agree the contract before any exercise.")


def test_a_simulation_grade_reaches_its_own_column(site):
    place(Client(), "fieldlog", f"simulation:{SCENARIO}")
    log_link, sim_link = SandboxLink.objects.order_by("pk")
    assert sim_link.custom == {"maydan_activity": f"simulation:{SCENARIO}"}
    launch(Client(), person="student_1", link=sim_link.pk, lang="ar")  # registers the column for this activity

    student = people.enter(site.issuer, "field-training-1", "student_1", {roles.STUDENT})
    attempt = play_to_the_end(student, SCENARIO)
    assert attempt.status == "finished"
    assert ags.deliver_due() == (1, 0)

    score = SandboxScore.objects.get()
    assert score.link == sim_link and score.user_id == "student_1"
    assert score.score_given == pytest.approx(attempt.score * sim_link.score_maximum)
    assert not SandboxScore.objects.filter(link=log_link).exists()  # the field log's column is untouched
    assert GradeOutbox.objects.get().delivered_at is not None
