"""Placement matching as an Open edX XBlock: a thin adapter over the core's program screens.

Students rank the term's openings for their program level with a short statement; the field
coordinator keeps agencies and openings, runs the matching and sends offers (the same screens
are also a section of the coordinator's cohort block). Like that block it gives no grade, so
it shares its Studio settings.
"""
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Scope, String

from .cohort import CohortXBlock

__all__ = ["ProgramXBlock"]

DEFAULT_DISPLAY_NAME = gettext_noop("Placement matching")


@XBlock.wants("user")
@XBlock.needs("i18n")
class ProgramXBlock(CohortXBlock):
    """Students rank placement openings; the coordinator matches them and sends offers."""

    ACTIVITY = "program"
    DEFAULT_NAME = DEFAULT_DISPLAY_NAME
    STUDIO_TEMPLATE = "maydan/program/studio.html"

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )

    @staticmethod
    def workbench_scenarios():
        return [("Maydan placement matching: open with ?student=student_1 or coordinator_1", "<maydan_program/>")]
