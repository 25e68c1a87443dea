"""The competency evaluation as an Open edX XBlock: one evaluation form, scored by both supervisors.

It shows the core's evaluation screens (`maydan.grading.screens`) through the shared block
machinery of `xblocks.base`. The grade is decided on the server when a course supervisor
releases the evaluation; it is queued in the core's outbox and published to the student's
gradebook on their next visit (Open edX publishes for the runtime's own user only).
"""
from django.utils.translation import gettext as _, gettext_noop
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from .base import MaydanBlock, read_once, valid_weight

DEFAULT_DISPLAY_NAME = gettext_noop("Competency evaluation")
DEFAULT_FORM = "final"


@XBlock.wants("user")
@XBlock.needs("i18n")
class EvaluationXBlock(MaydanBlock, XBlock):
    """The agency and academic supervisors score one competency form; the course reconciles and releases."""

    ACTIVITY = "evaluation"
    has_score = True
    icon_class = "problem"

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )
    weight = Float(
        display_name=gettext_noop("Weight"),
        help=gettext_noop("The most points this evaluation is worth; the grade is the released final score."),
        default=1.0,
        values={"min": 0},
        scope=Scope.settings,
    )
    form = String(
        display_name=gettext_noop("Evaluation form"),
        help=gettext_noop("Which form of course_content/forms this block shows, e.g. midterm or final."),
        default=DEFAULT_FORM,
        scope=Scope.settings,
    )

    VIEW_FIELDS = ("form",)

    def max_score(self):
        read_once(self, ("weight",))
        return self.weight

    def _screen(self, actor, language):
        screen = super()._screen(actor, language)
        screen.key = self.form
        return screen

    def _activity(self):
        return f"evaluation:{self.form}"

    # --- Studio -----------------------------------------------------------------------------

    def studio_view(self, context=None):
        from maydan.grading import services

        _actor, language = self._enter()
        forms = [(f.id, f.title.get(language) or f.title["en"]) for f in services.forms().values()]
        return self._studio_fragment("maydan/grading/studio.html", {
            "language": language,
            "display_name": self._title(language, DEFAULT_DISPLAY_NAME),
            "weight": self.weight,
            "form": self.form,
            "forms": forms,
        }, "fieldlog_studio.js", "MaydanFieldLogStudio")

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Save the block's settings: display name, weight and form. Course staff and authors only."""
        from maydan import courses
        from maydan.errors import Invalid
        from maydan.grading import services
        from maydan.models import GradeDestination

        def save(actor, data, language):
            courses.require_configurer(actor)
            display_name, weight = self._block_settings(data, Invalid, DEFAULT_DISPLAY_NAME)
            form = str(data.get("form", self.form) or "")
            if form not in services.forms():
                message = _("This evaluation form does not exist.")
                raise Invalid(message, {"form": [message]})
            # The block now reports this form's grade: its registered destination follows.
            GradeDestination.objects.filter(course=actor.course, address=self._destination()).update(
                activity=f"evaluation:{form}")
            self.display_name, self.weight, self.form = display_name, weight, form

        return self._studio_call(request, save)

    # --- OLX -------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Fields are attributes (<maydan_evaluation form="midterm" weight="20"/>), checked on import."""
        from maydan.grading import services

        block = super().parse_xml(node, runtime, keys)
        if not valid_weight(block.weight):
            raise ValueError(f"maydan_evaluation: weight must be a number, 0 or more (got {node.get('weight')!r})")
        if block.form not in services.forms():
            raise ValueError(f"maydan_evaluation: no evaluation form {block.form!r} "
                             f"(known: {', '.join(sorted(services.forms()))})")
        return block

    # --- workbench -------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        """The role comes from the workbench's ?student= id (see xblocks/demo.py): agency_1 and
        academic_1 score, coordinator_1 reconciles too, student_1 sees what is released."""
        return [
            (
                "Maydan mid-term evaluation: open with ?student=agency_1, academic_1 or student_1",
                '<maydan_evaluation form="midterm"/>',
            ),
            (
                "Maydan final evaluation worth 20 points",
                '<maydan_evaluation form="final" weight="20"/>',
            ),
        ]
