"""The field coordinator's cohort dashboard as an Open edX staff view: a thin adapter over the core.

It shows the core's cohort screens (`maydan.cohort.screens`) through the shared block machinery of
`xblocks.base`. Course staff (academic supervisors) and coordinators see the cohort; a learner who
comes across the block sees only that it is for staff. It gives no grade.
"""
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_noop
from webob import Response
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from .base import MaydanBlock, posted, valid_weight

__all__ = ["CohortXBlock"]

DEFAULT_DISPLAY_NAME = gettext_noop("Cohort dashboard")


@XBlock.wants("user")
@XBlock.needs("i18n")
class CohortXBlock(MaydanBlock):
    """Staff see every student's hours, alerts, accreditation evidence and research exports."""

    ACTIVITY = "cohort"
    DEFAULT_DISPLAY_NAME = DEFAULT_DISPLAY_NAME
    # A staff view: nothing to grade.
    has_score = False

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )
    weight = Float(display_name=gettext_noop("Weight"), default=0.0, values={"min": 0}, scope=Scope.settings)

    def _deliver_grade(self, actor):
        """No grade leaves this block."""

    def studio_view(self, context=None):
        from maydan import ui

        _actor, language = self._enter()
        with translation.override(language):
            html = render_to_string("maydan/cohort/studio.html", {
                "language": language, "direction": ui.direction(language),
                "endpoint": self.runtime.handler_url(self, "studio_submit"),
                "display_name": self._title(language),
            })
        return self._studio_fragment(html)

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        from maydan.errors import Invalid, Refused

        if request.method != "POST":
            return Response(status=405, allow="POST")
        data = posted(request)
        _actor, language = self._enter()
        with translation.override(language):
            try:
                display_name, _weight = self._block_settings({**data, "weight": 0}, Invalid)
            except Refused as refusal:
                return self._refusal(refusal)
        self.display_name = display_name
        return Response(json_body={"result": "success"})

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Fields are attributes: <maydan_cohort display_name=".."/>."""
        block = super().parse_xml(node, runtime, keys)
        if not valid_weight(block.weight):
            raise ValueError(f"maydan_cohort: weight must be a number, 0 or more (got {node.get('weight')!r})")
        return block

    @staticmethod
    def workbench_scenarios():
        return [("Maydan cohort dashboard: open with ?student=coordinator_1 or academic_1", "<maydan_cohort/>")]
