"""Placement matching as an Open edX XBlock: a thin adapter over the core's program screens.

Students rank the term's openings for their program level with a short statement; the field
coordinator keeps agencies and openings, runs the matching and sends offers (the same screens
are also a section of the coordinator's cohort block). It gives no grade.
"""
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Scope, String

from .base import MaydanBlock

__all__ = ["ProgramXBlock"]

DEFAULT_DISPLAY_NAME = gettext_noop("Placement matching")


@XBlock.wants("user")
@XBlock.needs("i18n")
class ProgramXBlock(MaydanBlock, XBlock):
    """Students rank placement openings; the coordinator matches them and sends offers."""

    ACTIVITY = "program"
    has_score = False

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )

    def max_score(self):
        return None

    def studio_view(self, context=None):
        _actor, language = self._enter()
        return self._studio_fragment("maydan/program/studio.html", {
            "language": language,
            "display_name": self._title(language, DEFAULT_DISPLAY_NAME),
        }, "fieldlog_studio.js", "MaydanFieldLogStudio")

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        return self._studio_call(request, self._save_settings)

    def _save_settings(self, actor, data, language):
        name = str(data.get("display_name", self.display_name) or "").strip()
        self.display_name = (name or DEFAULT_DISPLAY_NAME)[:255]

    @staticmethod
    def workbench_scenarios():
        return [("Maydan placement matching: open with ?student=student_1 or coordinator_1", "<maydan_program/>")]
