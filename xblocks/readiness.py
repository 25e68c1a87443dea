"""Readiness documents as an Open edX XBlock: a thin adapter over the core's readiness screens.

Students upload the documents the program asks for; the field coordinator keeps the list and
approves or returns each; supervisors follow their students. It gives no grade, so it shares the
cohort block's Studio settings.
"""
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Scope, String

from .cohort import CohortXBlock

__all__ = ["ReadinessXBlock"]

DEFAULT_DISPLAY_NAME = gettext_noop("Readiness documents")


@XBlock.wants("user")
@XBlock.needs("i18n")
class ReadinessXBlock(CohortXBlock):
    """Students hand in their readiness documents; the coordinator reviews them."""

    ACTIVITY = "readiness"
    DEFAULT_NAME = DEFAULT_DISPLAY_NAME
    STUDIO_TEMPLATE = "maydan/readiness/studio.html"

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )

    @staticmethod
    def workbench_scenarios():
        return [("Maydan readiness documents: open with ?student=student_1 or coordinator_1", "<maydan_readiness/>")]
