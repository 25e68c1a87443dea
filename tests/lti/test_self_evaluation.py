"""The self-evaluation through real LTI launches: the Learner fills the evaluation's form, the Mentor and
the Instructor are refused its writing and see it only once their own scores are in."""
from django.test import Client

from lti_tool.sandbox.models import SandboxLink
from maydan.grading import services
from maydan.grading.models import SelfEvaluation

from .flow import ctx_of, launch

BEHAVIOURS = [b.id for b in services.form_of("midterm").framework.behaviours]


def scores(value, action, **extra):
    return {**{f"value_{b}": str(value) for b in BEHAVIOURS}, "action": action, "submit": "1", **extra}


def test_the_learner_self_evaluates_and_supervisors_see_it_after_their_own_scores(sandbox):
    client = Client()
    link = SandboxLink.objects.create(course="field-training-1", title="Midterm", score_maximum=20,
                                      custom={"maydan_activity": "evaluation:midterm"})
    launch(client, person="mentor", link=link.pk, lang="en")
    student = launch(client, person="student_1", link=link.pk, lang="ar")
    assert 'value="save_self"' in student.content.decode()
    refused = client.post("/lti/app/", {"ctx": ctx_of(student), **scores(4, "save_self", value_1a="NO")})
    assert refused.status_code == 400 and 'id="err-comment_1"' in refused.content.decode()
    assert not SelfEvaluation.objects.exists()
    done = client.post("/lti/app/", {"ctx": ctx_of(student), **scores(4, "save_self", comment_overall="Self view.")})
    assert done.status_code == 200 and SelfEvaluation.objects.get().submitted_at is not None
    placement = str(SelfEvaluation.objects.get().placement_id)

    mentor = launch(client, person="mentor", link=link.pk, lang="en")
    forged = client.post("/lti/app/", {"ctx": ctx_of(mentor), **scores(1, "save_self"), "placement": placement})
    assert forged.status_code == 403 and SelfEvaluation.objects.get().values["1a"] == 4
    opened = client.post("/lti/app/", {"ctx": ctx_of(mentor), "action": "view", "view": "evaluate",
                                       "placement": placement}).content.decode()
    assert "Self view." not in opened and "maydan-self-value" not in opened
    scored = client.post("/lti/app/", {"ctx": ctx_of(mentor), **scores(5, "save_sheet"), "placement": placement})
    assert scored.status_code == 200 and "Self view." in scored.content.decode()
    teacher = launch(client, person="instructor", link=link.pk, lang="en")
    seen = client.post("/lti/app/", {"ctx": ctx_of(teacher), "action": "view", "view": "evaluate",
                                     "placement": placement}).content.decode()
    assert "Self view." not in seen and "maydan-self-value" not in seen
