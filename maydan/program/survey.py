"""The placement evaluation form as a content file (course_content/surveys/), checked on load.

Pure Python, no Django, like `maydan.grading.content`, whose checker it uses: every problem names the file,
the node and the reason, all at once. `maydan validate` runs it on course_content/surveys/.
"""
from dataclasses import dataclass

from ..grading import content

SURVEYS = "surveys"


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


def problems(path):
    """The problems of one survey file, as `content.Problem`s; [] when it reads well."""
    try:
        parse_survey(content.read(path), f"{SURVEYS}/{path.name}")
    except content.ContentError as error:
        return error.problems
    return []
