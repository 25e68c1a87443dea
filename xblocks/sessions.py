"""Supervision sessions as an Open edX XBlock: a thin adapter over the Maydan core.

Shows the core's sessions screens (`maydan.sessions.screens`) to each person in their
role and language: upcoming sessions with join links and calendar downloads for everyone;
creating sessions, importing invitations and recording attendance for course staff.
Sessions are not graded: attendance becomes supervision hours in the field log instead.
"""
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Scope, String

from .base import MaydanBlock

DEFAULT_DISPLAY_NAME = gettext_noop("Supervision sessions")


@XBlock.wants("user")
@XBlock.needs("i18n")
class SessionsXBlock(MaydanBlock, XBlock):
    """Weekly group supervision and online classes: schedule, calendars, attendance."""

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )

    # Nothing here is scored: the hours attended reach the gradebook through the field log.
    has_score = False
    icon_class = "other"
    ACTIVITY = "sessions"

    def max_score(self):
        return None

    # --- Studio -----------------------------------------------------------------------------

    def studio_view(self, context=None):
        from maydan import courses

        actor, language = self._enter()
        return self._studio_fragment("maydan/sessions/studio.html", {
            "language": language,
            "display_name": self._title(language, DEFAULT_DISPLAY_NAME),
            "may_configure": courses.may_configure(actor),
        }, "fieldlog_studio.js", "MaydanFieldLogStudio")

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Save the display name (JSON or a form); course supervisors and authors only."""
        return self._studio_call(request, self._save_settings)

    def _save_settings(self, actor, data, language):
        from maydan import courses
        courses.require_configurer(actor)
        name = str(data.get("display_name", self.display_name) or "").strip()
        self.display_name = (name or DEFAULT_DISPLAY_NAME)[:255]

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
