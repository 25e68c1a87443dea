"""Files a screen offers (the simulation's analytics CSV) download through the LTI tool's pages too."""
from django.test import Client

from lti_tool.sandbox.models import SandboxLink

from .flow import ctx_of, launch, place


def _ctx(person, link):
    return ctx_of(launch(Client(), person=person, lang="en", link=link))


def test_a_supervisor_downloads_the_simulation_analytics_and_a_student_is_refused(sandbox):
    place(Client(), "simulation:etherapy-anxious")
    link = SandboxLink.objects.get().pk

    answer = Client().post("/lti/app/", {"ctx": _ctx("instructor", link), "action": "csv"})
    assert answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="simulation-etherapy-anxious.csv"'
    assert answer.content.decode().splitlines()[0].startswith("node,phase,node_text,visits,choice")

    refused = Client().post("/lti/app/", {"ctx": _ctx("student_1", link), "action": "csv"})
    assert refused.status_code == 403
    assert "Content-Disposition" not in refused and "node,phase" not in refused.content.decode()
