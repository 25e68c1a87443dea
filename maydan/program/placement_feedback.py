"""The student's evaluation of their placement: a short form from a content file, read only in aggregate.

At the end of the placement the student rates the agency and the supervision once. The field coordinator
sees the answers per agency across the program's courses, and only where at least `MIN_RESPONSES`
students answered, so that no answer can be traced to a student; agency supervisors never see them.
"""
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from statistics import mean

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import audit, roles
from ..fieldlog.input import check_text, today_in
from ..errors import Conflict, Forbidden, Invalid
from ..fieldlog import placement_for
from ..grading import content
from ..models import Course
from .feedback_models import PlacementFeedback
from .survey import parse_survey

SURVEY_FILE = content.CONTENT_ROOT / "surveys" / "placement-feedback.yaml"
# Fewer answers than this from one agency are not shown: with two, each student could be told apart.
MIN_RESPONSES = 3


@lru_cache(maxsize=1)
def survey():
    return parse_survey(content.read(SURVEY_FILE), f"surveys/{SURVEY_FILE.name}")


def agency_of(placement):
    return placement.host_agency.name if placement.host_agency_id else placement.agency


# --- the student -------------------------------------------------------------------------------


def _student_placement(actor):
    if not actor.has(roles.STUDENT) or actor.supervises_course or actor.link_placement is not None:
        raise Forbidden(_("Only the student of the placement rates it."))
    return placement_for(actor)


def opens_on(placement):
    """The day the form opens, or None when it waits for the final evaluation's release instead."""
    if placement.ends_on is None:
        return None
    return placement.ends_on - timedelta(days=survey().opens_days_before_end)


def is_open(placement):
    start = opens_on(placement)
    if start is not None:
        return today_in(placement.course.time_zone) >= start
    return placement.evaluations.filter(form=survey().opens_after_form, status="released").exists()


def mine(actor):
    """(placement, the student's answers or None, whether the form is open)."""
    placement = _student_placement(actor)
    found = PlacementFeedback.objects.filter(placement=placement).first()
    return placement, found, found is None and is_open(placement)


def read_answers(data):
    """({question id: value}, comment) from posted rating_<question> and comment; Invalid names every bad field."""
    form, errors, ratings = survey(), {}, {}
    allowed = {str(level.value): level.value for level in form.scale}
    for question in form.questions:
        raw = str(data.get(f"rating_{question.id}") or "").strip()
        if raw not in allowed:
            errors[f"rating_{question.id}"] = [_("Choose one answer for each statement.")]
        else:
            ratings[question.id] = allowed[raw]
    try:
        comment = check_text(data.get("comment"), "comment")
    except Invalid as refusal:
        errors.update(refusal.field_errors)
        comment = ""
    if errors:
        raise Invalid(next(iter(errors.values()))[0], errors)
    return ratings, comment


@transaction.atomic
def submit(actor, data):
    """The student's answers, once; the audit row says that they answered, never what."""
    placement, found, _open = mine(actor)
    if found is not None:
        raise Conflict(_("You already rated this placement. Thank you."))
    if not is_open(placement):
        raise Conflict(_("This form opens at the end of your placement."))
    ratings, comment = read_answers(data)
    feedback, created = PlacementFeedback.objects.get_or_create(
        placement=placement, defaults={"survey": survey().id, "agency": agency_of(placement), "ratings": ratings,
                                       "comment": comment})
    if not created:  # answered a moment ago, in another tab
        raise Conflict(_("You already rated this placement. Thank you."))
    audit.record(actor, "placement_feedback", placement=placement, changes={"survey": feedback.survey})
    return feedback


# --- the coordinator ---------------------------------------------------------------------------


@dataclass
class AgencyResult:
    name: str
    responses: int
    shown: bool
    questions: dict  # {question id: mean}, empty unless shown
    sections: dict  # {section id: mean}, empty unless shown
    comments: list  # sorted, so their order says nothing of who wrote them; empty unless shown


def _program_courses(course):
    """The courses whose placements count together: those of the course's program (see program.services)."""
    from .services import program_for

    program = program_for(course)
    together = Q(program_link__program=program) | Q(pk=course.pk)
    if program.key == "main":  # a course that names no program is in its platform's "main"
        together |= Q(issuer=program.issuer, program_link__isnull=True)
    return Course.objects.filter(together)


def results(actor):
    """[AgencyResult] per agency, by name, for the field coordinator only."""
    if not actor.has(roles.COORDINATOR) or actor.link_placement is not None:
        raise Forbidden(_("Only the field coordinator sees the students' evaluations of their placements."))
    form = survey()
    grouped = {}
    for agency, ratings, comment in PlacementFeedback.objects.filter(
            placement__course__in=_program_courses(actor.course)).values_list("agency", "ratings", "comment"):
        grouped.setdefault(agency, []).append((ratings, comment))
    found = []
    for name, answers in sorted(grouped.items(), key=lambda pair: pair[0].casefold()):
        shown = len(answers) >= MIN_RESPONSES
        questions, sections, comments = {}, {}, []
        if shown:
            for question in form.questions:
                given = [r[question.id] for r, _c in answers if isinstance(r.get(question.id), int)]
                if given:
                    questions[question.id] = mean(given)
            for section in form.sections:
                given = [questions[q.id] for q in section.questions if q.id in questions]
                if given:
                    sections[section.id] = mean(given)
            comments = sorted(c for _r, c in answers if c)
        found.append(AgencyResult(name, len(answers), shown, questions, sections, comments))
    return found
