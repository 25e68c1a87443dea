"""Readiness documents on screen, for every adapter: the activity "readiness".

A student sees the program's list, uploads each document and reads how it stands ("mine"); the
field coordinator keeps the list ("requirements"), follows every placed student ("students", with the
expiring and expired ones flagged) and approves or returns each document ("person"); supervisors
follow their own students read-only. Files leave only through `download`, which checks who asks.
"""
from django.utils import translation
from django.utils.translation import gettext as _, gettext_noop

from .. import activities, roles, ui
from ..errors import Forbidden
from ..program.services import program_for
from . import files, rules, services

TITLE = gettext_noop("Readiness documents")
STAFF_VIEWS = ("students", "person", "requirements")
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


def items(course):
    return [activities.Activity("readiness", "", activities._translated(TITLE), graded=False)]


def _coordinates(actor):
    return actor.has(roles.COORDINATOR) and actor.link_placement is None


def _follows(actor):
    return _coordinates(actor) or actor.supervises_course or actor.has(roles.AGENCY) or actor.link_placement is not None


def render(screen):
    return ui.draw(screen, _view, "maydan/readiness/refused.html", lambda screen: {
        "nav": _nav(screen), "rules": rules, "max_mb": f"{files.max_bytes() / 1_000_000:.0f}",
        "coordinates": _coordinates(screen.actor)})


def handle(screen, form):
    screen.view = form.get("view", screen.view)
    screen.student_id = form.get("student", "")
    return ui.perform(screen, form, _ACTIONS, render)


DOWNLOADS = ("readiness_file",)


def download(screen, form):
    """(file name, content type, open file) when the form asks for a document's file, else None."""
    if form.get("action") not in DOWNLOADS:
        return None
    with translation.override(screen.language):
        document, stream = services.open_document(screen.actor, form.get("document"))
    return f"readiness-{document.pk}.{EXTENSIONS.get(document.content_type, 'bin')}", document.content_type, stream


# --- actions -------------------------------------------------------------------------------------


def _look(screen, form):
    """Moves between views (handled above)."""


def _upload(screen, form):
    screen.view = "mine"
    screen.form = {k: form.get(k, "") for k in ("requirement", "issued_on", "expires_on")}
    uploads = getattr(screen, "uploads", None) or {}
    services.upload(screen.actor, form.get("requirement"), uploads.get("file"), form)
    screen.notice, screen.form = _("Document uploaded. The field coordinator will review it."), {}


def _save_requirement(screen, form):
    screen.view = "requirements"
    screen.form = {k: form.get(k, "") for k in ("requirement", "title", "description", "valid_days", "required",
                                                "retired")}
    requirement = services.save_requirement(screen.actor, form)
    screen.notice, screen.form = _("Saved: %(title)s.") % {"title": requirement.title}, {}


def _retention(screen, form):
    screen.view = "requirements"
    program = services.set_retention(screen.actor, form.get("retention"))
    screen.notice = translation.ngettext(
        "Documents that no longer count are deleted after %(count)d day.",
        "Documents that no longer count are deleted after %(count)d days.",
        program.document_retention_days) % {"count": program.document_retention_days}


def _review(approve):
    def act(screen, form):
        screen.view = "person"
        screen.form = {"comment": form.get("comment", ""), "document": form.get("document", "")}
        services.review(screen.actor, form.get("document"), approve, form.get("comment", ""))
        screen.notice = _("Document approved.") if approve else _("Document returned to the student with your comment.")
        screen.form = {}
    return act


_ACTIONS = {"view": _look, "upload": _upload, "save_requirement": _save_requirement, "retention": _retention,
            "approve": _review(True), "return": _review(False)}


# --- views ---------------------------------------------------------------------------------------


def _nav(screen):
    if not _coordinates(screen.actor):
        return []
    return [("students", _("Students")), ("requirements", _("Documents asked for"))]


def _view(screen):
    actor = screen.actor
    if _follows(actor):
        screen.view = screen.view if screen.view in STAFF_VIEWS else "students"
        if screen.view == "requirements" and not _coordinates(actor):
            screen.view = "students"
        if screen.view == "person" and not getattr(screen, "student_id", ""):
            screen.view = "students"
        return _STAFF_VIEWS[screen.view](screen)
    if actor.has(roles.STUDENT):
        screen.view = "mine"
        return "maydan/readiness/mine.html", {"readiness": services.mine(actor)}
    raise Forbidden(_("Only students, their supervisors and the field coordinator use readiness documents."))


def _students(screen):
    rows = services.students_in_view(screen.actor)
    waiting = [(placement, standing) for placement, found in rows for standing in found.waiting]
    return "maydan/readiness/students.html", {
        "rows": rows, "waiting": waiting, "requirements": services.requirements(program_for(screen.actor.course)),
        "flagged": sum(1 for _p, found in rows if found.flags)}


def _person(screen):
    placement, found = services.student_readiness(screen.actor, screen.student_id)
    return "maydan/readiness/person.html", {"placement": placement, "readiness": found}


def _requirements(screen):
    program = program_for(screen.actor.course)
    return "maydan/readiness/requirements.html", {
        "program": program, "requirements": services.requirements(program, retired=True)}


_STAFF_VIEWS = {"students": _students, "person": _person, "requirements": _requirements}
