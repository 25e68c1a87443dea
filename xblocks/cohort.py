"""The field coordinator's cohort dashboard as an Open edX staff view: a thin adapter over the core.

It shows the core's cohort screens (`maydan.cohort.screens`) through the shared block machinery of
`xblocks.base`. Course staff (academic supervisors) and coordinators see the cohort; a learner who
comes across the block sees only that it is for staff. It gives no grade.
"""
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Scope, String

from .base import MaydanBlock

__all__ = ["CohortXBlock"]

DEFAULT_DISPLAY_NAME = gettext_noop("Cohort dashboard")


@XBlock.wants("user")
@XBlock.needs("i18n")
class CohortXBlock(MaydanBlock, XBlock):
    """Staff see every student's hours, alerts, accreditation evidence and research exports."""

    ACTIVITY = "cohort"
    # A staff view: nothing to grade.
    has_score = False
    DEFAULT_NAME = DEFAULT_DISPLAY_NAME
    STUDIO_TEMPLATE = "maydan/cohort/studio.html"

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )

    def max_score(self):
        return None

    def studio_view(self, context=None):
        _actor, language = self._enter()
        return self._studio_fragment(self.STUDIO_TEMPLATE, {
            "language": language,
            "display_name": self._title(language, self.DEFAULT_NAME),
        }, "fieldlog_studio.js", "MaydanFieldLogStudio")

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        return self._studio_call(request, self._save_settings)

    def _save_settings(self, actor, data, language):
        name = str(data.get("display_name", self.display_name) or "").strip()
        self.display_name = (name or self.DEFAULT_NAME)[:255]

    @staticmethod
    def workbench_scenarios():
        return [("Maydan cohort dashboard: open with ?student=coordinator_1 or academic_1", "<maydan_cohort/>")]
