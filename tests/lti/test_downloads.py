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


def test_a_cohort_export_streams_through_a_launch_and_names_stay_with_the_coordinator(sandbox):
    from django.http import StreamingHttpResponse

    from maydan.models import AuditEvent

    client = Client()
    place(client, "cohort")
    link = SandboxLink.objects.get().pk
    launch(client, person="student_1", link=link, lang="en")
    coordinator = ctx_of(launch(client, person="admin", link=link, lang="ar"))
    answer = client.post("/lti/app/", {"ctx": coordinator, "action": "export", "table": "hours", "format": "csv",
                                       "identified": "1"})
    assert isinstance(answer, StreamingHttpResponse) and answer.status_code == 200
    assert answer["Content-Disposition"] == 'attachment; filename="maydan-hours-identified.csv"'
    assert answer["Cache-Control"] == "private, no-store"
    text = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert text.startswith("student_code,student_id,student_name,agency") and "Sara Adel" in text
    assert AuditEvent.objects.filter(action="export_identified").count() == 1

    instructor = ctx_of(launch(client, person="instructor", link=link, lang="en"))
    refused = client.post("/lti/app/", {"ctx": instructor, "action": "export", "table": "hours", "format": "csv",
                                        "identified": "1"})
    assert refused.status_code == 403 and "Content-Disposition" not in refused
    assert "Only the field coordinator may export students" in refused.content.decode()
    assert AuditEvent.objects.filter(action="export_identified").count() == 1
