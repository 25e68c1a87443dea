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
from ..entry_input import check_text, today_in
from ..errors import Conflict, Forbidden, Invalid
from ..fieldlog import placement_for
from ..grading import content
from ..models import Course
from .feedback_models import PlacementFeedback

SURVEY_FILE = content.CONTENT_ROOT / "surveys" / "placement-feedback.yaml"
# Fewer answers than this from one agency are not shown: with two, each student could be told apart.
MIN_RESPONSES = 3


@dataclass(frozen=True)
class Question:
    id: str
    text: dict


@dataclass(frozen=True)
class Section:
    id: str
    title: dict
    questions: tuple


@dataclass(frozen=True)
class Survey:
    id: str
    title: dict
    instructions: dict
    scale: tuple  # of content.Level
    sections: tuple
    comment: dict
    opens_days_before_end: int
    opens_after_form: str

    @property
    def questions(self):
        return [q for s in self.sections for q in s.questions]


def parse_survey(data, file="survey"):
    """A Survey from a parsed content file; ContentError names every problem (see maydan.grading.content)."""
    check = content._Checker(file)
    data = check.mapping(data, "")
    survey_id = check.ident(data, "", set())
    levels, values = [], set()
    for node, item in check.items(data, "scale", "", minimum=2):
        item = check.mapping(item, node)
        value = item.get("value")
        if not isinstance(value, int) or isinstance(value, bool) or value in values:
            check.fail(f"{node}.value", "must be a whole number, each used once")
        values.add(value)
        levels.append(content.Level(value, check.text(item, "label", node)))
    sections, section_ids, question_ids = [], set(), set()
    for node, item in check.items(data, "sections", ""):
        item = check.mapping(item, node)
        questions = tuple(Question(check.ident(check.mapping(q, qnode), qnode, question_ids),
                                   check.text(check.mapping(q, qnode), "text", qnode))
                          for qnode, q in check.items(item, "questions", node))
        sections.append(Section(check.ident(item, node, section_ids), check.text(item, "title", node), questions))
    days = data.get("opens_days_before_end", 0)
    if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 365:
        check.fail("opens_days_before_end", "must be a whole number of days from 0 to 365")
    return check.done(Survey(survey_id, check.text(data, "title", ""), check.text(data, "instructions", "",
                                                                                  required=False),
                             tuple(sorted(levels, key=lambda level: level.value)), tuple(sections),
                             check.text(data, "comment", ""), days, str(data.get("opens_after_form") or "")))


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
