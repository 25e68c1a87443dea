"""The field-training log as an Open edX XBlock: a thin adapter over the Maydan core.

The block translates what the Open edX runtime knows into a core `Actor` (xblocks/base.py)
and shows the core's shared screens (`maydan.ui`). Every change goes through a core
service; no rule of the field log is written here.
"""
from django.db import transaction
from django.utils.translation import gettext_noop
from xblock.core import XBlock
from xblock.fields import Float, Scope, String

from .base import MENTEES_ATTR, MaydanBlock, read_once, upload_of, valid_weight

__all__ = ["FieldLogXBlock", "MENTEES_ATTR"]

DEFAULT_DISPLAY_NAME = gettext_noop("Field training log")


@XBlock.wants("user")
# Declared as every Maydan block does; the screens' strings come from the core's gettext
# catalog (maydan/conf/locale), activated for the person's language.
@XBlock.needs("i18n")
class FieldLogXBlock(MaydanBlock, XBlock):
    """Students log field-training hours; agency and academic supervisors review them."""

    display_name = String(
        display_name=gettext_noop("Display name"), default=DEFAULT_DISPLAY_NAME, scope=Scope.settings
    )
    weight = Float(
        display_name=gettext_noop("Weight"),
        help=gettext_noop("The most points this log is worth; the grade is the share of target hours approved."),
        default=1.0,
        values={"min": 0},
        scope=Scope.settings,
    )

    has_score = True
    icon_class = "problem"
    ACTIVITY = "fieldlog"

    def max_score(self):
        read_once(self, ("weight",))
        return self.weight

    # --- Studio -----------------------------------------------------------------------------

    def studio_view(self, context=None):
        from maydan import courses, vocab
        from maydan.documents import branding

        actor, language = self._enter()
        course = actor.course
        return self._studio_fragment("maydan/studio_fieldlog.html", {
            "language": language,
            "display_name": self._title(language, DEFAULT_DISPLAY_NAME),
            "weight": self.weight,
            "course": course,
            "programs": vocab.PROGRAMS.items(),
            "languages": courses.LANGUAGES.items(),
            "course_language": courses.chosen_language(course),
            "digit_choices": courses.DIGITS.items(),
            "category_rows": courses.category_rows(course),
            "category_choices": courses.category_choices(),
            "may_configure": courses.may_configure(actor),
            "logo": branding.logo_data_url(course),
        }, "fieldlog_studio.js", "MaydanFieldLogStudio")

    @XBlock.handler
    def studio_submit(self, request, suffix=""):
        """Save the block's settings and the course's settings (JSON, or a multipart form with the school's `logo`),
        through the same service as the tool's settings page."""
        logo, _name = upload_of(request, "logo")

        def save(actor, data, language):
            from maydan import course_settings
            from maydan.documents import branding
            from maydan.errors import Invalid

            with transaction.atomic():  # course settings and block fields succeed or fail together
                course_settings.save(actor, data, {"logo": logo})
                display_name, weight = self._block_settings(data, Invalid, DEFAULT_DISPLAY_NAME)
            self.display_name, self.weight = display_name, weight
            return {"logo": branding.logo_data_url(actor.course)}

        return self._studio_call(request, save)

    # --- OLX -------------------------------------------------------------------------------

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Fields are attributes (<maydan_fieldlog display_name=".." weight="2"/>); a bad weight is refused."""
        block = super().parse_xml(node, runtime, keys)
        if not valid_weight(block.weight):
            raise ValueError(f"maydan_fieldlog: weight must be a number, 0 or more (got {node.get('weight')!r})")
        return block

    # --- workbench -------------------------------------------------------------------------

    @staticmethod
    def workbench_scenarios():
        """The role comes from the workbench's ?student= id (see xblocks/demo.py): student_1,
        student_2, student_en (English), academic_1, agency_1 (mentors the students), coordinator_1."""
        return [
            (
                "Maydan field log: open with ?student=student_1, academic_1, agency_1 or coordinator_1",
                "<maydan_fieldlog/>",
            ),
            (
                "Maydan field log worth 10 points",
                '<maydan_fieldlog display_name="Field training log (MSW)" weight="10"/>',
            ),
        ]
