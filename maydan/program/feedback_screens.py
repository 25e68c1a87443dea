"""The screens of the placement evaluation (see `placement_feedback`): the student's form, shown among
their evaluation screens, and the field coordinator's results per agency, among the program's screens."""
from django.utils.translation import gettext as _

from .. import numbers
from . import placement_feedback


def _text(value, language):
    return value.get(language) or value.get("en", "")


def student_view(screen):
    """Context of the student's form (template maydan/grading/placement_feedback.html)."""
    placement, found, open_now = placement_feedback.mine(screen.actor)
    survey, language, posted = placement_feedback.survey(), screen.language, screen.form
    levels = [(str(level.value), _text(level.label, language)) for level in survey.scale]
    sections = [{"id": s.id, "title": _text(s.title, language),
                 "questions": [{"id": q.id, "text": _text(q.text, language),
                                "chosen": posted.get(f"rating_{q.id}", "")} for q in s.questions]}
                for s in survey.sections]
    return {"placement": placement, "feedback": found, "open_now": open_now, "opens_on": placement_feedback.opens_on(
        placement), "survey_title": _text(survey.title, language), "instructions": _text(survey.instructions, language),
            "comment_label": _text(survey.comment, language), "comment": posted.get("comment", ""),
            "levels": levels, "sections": sections, "agency": placement_feedback.agency_of(placement),
            "minimum": numbers.screen_number(placement_feedback.MIN_RESPONSES, language, 0)}


def rate(screen, form):
    screen.view = "placement_feedback"
    screen.form = {key: form.get(key, "") for key in form}
    placement_feedback.submit(screen.actor, form)
    screen.form = {}
    screen.notice = _("Thank you: your evaluation of the placement is recorded.")


def coordinator_view(screen):
    """(template, context) of the results per agency, for the program's screens."""
    survey, language = placement_feedback.survey(), screen.language
    rows = []
    for result in placement_feedback.results(screen.actor):
        rows.append({"result": result, "responses": numbers.screen_number(result.responses, language, 0), "sections": [
            {"title": _text(s.title, language), "mean": _mean(result.sections.get(s.id), language),
             "questions": [(_text(q.text, language), _mean(result.questions.get(q.id), language))
                           for q in s.questions]} for s in survey.sections]})
    return "maydan/program/feedback.html", {
        "rows": rows, "minimum": numbers.screen_number(placement_feedback.MIN_RESPONSES, language, 0), "survey_title": _text(survey.title, language),
        "top": numbers.screen_number(survey.scale[-1].value, language)}


def _mean(value, language):
    return "—" if value is None else numbers.screen_number(value, language, 1)
