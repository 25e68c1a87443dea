"""Supervision sessions as an Open edX XBlock: a thin adapter over the Maydan core.

Shows the core's sessions screens (`maydan.sessions.screens`) to each person in their
role and language: upcoming sessions with join links and calendar downloads for everyone;
creating sessions, importing invitations and recording attendance for course staff.
Sessions are not graded: attendance becomes supervision hours in the field log instead.
"""
from django.template.loader import render_to_string  # only called at render time, with settings configured
from django.utils import translation
from django.utils.translation import gettext as _, gettext_noop
from web_fragments.fragment import Fragment
from webob import Response
from xblock.core import XBlock
from xblock.fields import Scope, String

from .base import MaydanBlock, own_text, package_text, posted

DEFAULT_DISPLAY_NAME = gettext_noop("Supervision sessions")


@XBlock.wants("user")
@XBlock.needs("i18n")
class SessionsXBlock(MaydanBlock):
    """Weekly group supervision and online classes: schedule, calendars, attendance."""

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )

    # Nothing here is scored: the hours attended reach the gradebook through the field log.
    has_score = False
    icon_class = "other"
    ACTIVITY = "sessions"
    DEFAULT_DISPLAY_NAME = DEFAULT_DISPLAY_NAME

    def max_score(self):
        return None

    # --- Studio -----------------------------------------------------------------------------

    def studio_view(self, context=None):
        from maydan import courses, ui

        actor, language = self._enter()
        with translation.override(language):
            html = render_to_string("maydan/sessions/studio.html", {
                "language": language,
                "direction": ui.direction(language),
                "endpoint": self.runtime.handler_url(self, "studio_submit"),
                "display_name": self._title(language),
                "may_configure": courses.may_configure(actor),
            })
        fragment = Fragment(html)
        fragment.add_css(package_text("maydan.css"))
        fragment.add_javascript(own_text("static", "fieldlog_studio.js"))
        fragment.initialize_js("MaydanFieldLogStudio")
        return fragment

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Save the display name (JSON or a form); course supervisors and authors only."""
        from maydan import courses

        if request.method != "POST":
            return Response(status=405, allow="POST")
        actor, language = self._enter()
        with translation.override(language):
            if not courses.may_configure(actor):
                return Response(json_body={"result": "error", "error": _(
                    "Only the academic supervisor, the field coordinator or a course author may change these settings."),
                    "errors": {}}, status=403)
        name = str(posted(request).get("display_name", self.display_name) or "").strip()
        self.display_name = (name or DEFAULT_DISPLAY_NAME)[:255]
        return Response(json_body={"result": "success"})

    # --- workbench -------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        """The role comes from the workbench's ?student= id (see xblocks/demo.py)."""
        return [
            (
                "Maydan supervision sessions: open with ?student=academic_1, student_1 or agency_1",
                "<maydan_sessions/>",
            ),
        ]
