"""The services' audit rows are the events: the ones people must hear of become notifications,
in the same transaction as the change (a notification is never written for a change that rolled back)."""
from django.db.models.signals import post_save

from ..models import AgencyLink, AuditEvent
from . import messages


def _entry_returned(event):
    messages.entry_returned(event.entry, event)


def _form_title(event):
    """The evaluation form's title in the course's language, or None when the form left the catalogue."""
    from ..grading import services as grading

    form_id = event.changes.get("form", "")
    try:
        form = grading.form_of(form_id)
    except Exception:  # noqa: BLE001 a form gone from the catalogue: nothing to name, nothing to tell
        return None
    return form.title.get(event.course.language) or form.title.get("en", form_id)


def _evaluation_released(event):
    title = _form_title(event)
    # A corrected release is told once, with its reason (see _evaluation_corrected).
    if title is not None and not event.changes.get("correction"):
        messages.grade_released(event.placement, title, event)


def _evaluation_corrected(event):
    title = _form_title(event)
    if title is not None:
        messages.evaluation_corrected(event.placement, title, event)


def _marking_released(event):
    from ..grading import markings
    from ..grading.models import Marking

    if (event.changes.get("status") or [None, None])[-1] != Marking.RELEASED:
        return
    marking = Marking.objects.filter(pk=event.changes.get("marking")).first()
    if marking is None:
        return
    try:
        title = markings.rubric_of(marking.rubric).title
    except Exception:  # noqa: BLE001 a rubric gone from the library: its grade still counts, its name is lost
        return
    language = event.course.language
    messages.grade_released(event.placement, title.get(language) or title.get("en", marking.rubric), event)


def _link_sent(event):
    link = AgencyLink.objects.select_related("placement__course", "placement__student",
                                             "placement__host_agency").filter(pk=event.changes.get("link")).first()
    if link is not None and link.email:
        messages.agency_link(link, f"event:{event.pk}", reason=event.action)


def _document_returned(event):
    from ..readiness import upkeep

    upkeep.returned(event)


HANDLERS = {
    "return": _entry_returned,
    "reopen": _entry_returned,
    "evaluation_release": _evaluation_released,
    "evaluation_corrected": _evaluation_corrected,
    "marking_status": _marking_released,
    "link_issue": _link_sent,
    "link_resend": _link_sent,
    "readiness_return": _document_returned,
}


def on_audit(sender, instance, created, raw=False, **kwargs):
    handler = HANDLERS.get(instance.action)
    if created and not raw and handler is not None:
        handler(instance)


def connect():
    post_save.connect(on_audit, sender=AuditEvent, dispatch_uid="maydan.notify.events")
