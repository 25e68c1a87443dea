"""History across terms: a student's placements and an agency's students, for the program's coordinator, and
a de-identified export of every placement of the program for research (as the cohort exports are).

Read from the course-level placements of the program's courses (an accepted offer names its term); a fixed
number of queries per page, whatever the program's size.
"""
import itertools

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _, gettext_lazy

from .. import audit, vocab
from ..cohort import exports, rules as cohort_rules
from ..cohort.placements import require_coordinator
from ..errors import Invalid, NotFound
from ..models import LogEntry, Person, Placement
from ..parse import optional_id
from ..visits import services as visits
from .models import Offer, ProgramAgency
from .services import program_courses, program_for

PAGE = 50
MAX_PEOPLE = 20


def _placements(actor):
    return (Placement.objects.filter(course__in=program_courses(program_for(actor.course)))
            .select_related("course", "student", "agency_supervisor", "academic_supervisor"))


def _details(placements):
    """Each placement with its term (from the accepted offer, when it came through matching), approved hours
    and site visits recorded: three queries for the lot."""
    ids = [p.pk for p in placements]
    terms = dict(Offer.objects.filter(placement_id__in=ids, status="accepted")
                 .values_list("placement_id", "opening__term"))
    minutes = dict(LogEntry.objects.filter(placement_id__in=ids, status__in=vocab.APPROVED_STATUSES)
                   .values("placement_id").annotate(n=Sum("minutes")).values_list("placement_id", "n"))
    visited = visits.recorded(ids)
    for placement in placements:
        placement.term = terms.get(placement.pk, "")
        placement.approved_hours = round((minutes.get(placement.pk) or 0) / 60, 2)
        placement.visits_recorded = visited.get(placement.pk, (0, None))[0]
    return placements


def find_students(actor, text):
    """Students of the program whose name holds `text` (at most MAX_PEOPLE), to pick one."""
    require_coordinator(actor)
    text = (text or "").strip()[:100]
    if not text:
        return []
    return list(Person.objects.filter(placements__in=_placements(actor), name__icontains=text)
                .distinct().order_by("name", "pk")[:MAX_PEOPLE])


def of_student(actor, student_id):
    """(student, their placements across the program's courses and terms, newest first)."""
    require_coordinator(actor)
    found = _placements(actor).filter(student_id=optional_id(student_id))
    # Newest first; a placement without dates yet is the one just made.
    listed = list(found.order_by(F("starts_on").desc(nulls_first=True), "-course_id"))
    if not listed:
        raise NotFound(_("This student has no placement in the program."))
    return listed[0].student, _details(listed)


def of_agency(actor, agency_id, page=1):
    """(agency, a page (django.core.paginator) of its students across the program's courses and terms, newest
    first)."""
    require_coordinator(actor)
    try:
        agency = ProgramAgency.objects.get(pk=optional_id(agency_id), program=program_for(actor.course))
    except ProgramAgency.DoesNotExist:
        raise NotFound(_("This agency does not exist."))
    found = _placements(actor).filter(host_agency__name=agency.name).order_by(
        F("starts_on").desc(nulls_first=True), "student__name", "pk")
    pager = Paginator(found, PAGE).get_page(page)
    pager.object_list = _details(list(pager.object_list))
    return agency, pager


COLUMNS = [
    exports.Column("student_code", gettext_lazy("Student code"), width=exports.CODE_WIDTH),
    exports.Column("course", gettext_lazy("Course"), width=exports.WIDE),
    exports.Column("term", gettext_lazy("Term"), width=exports.WIDE),
    exports.AGENCY,
    exports.Column("starts_on", gettext_lazy("Start date"), width=exports.DATE_WIDTH),
    exports.Column("ends_on", gettext_lazy("End date"), width=exports.DATE_WIDTH),
    exports.Column("approved_h", gettext_lazy("Approved hours"), exports.NUMBER),
    exports.Column("visits", gettext_lazy("Site visits recorded"), exports.NUMBER),
]


CHUNK = 1000  # placements read (with their terms, hours and visits) at a time


@transaction.atomic  # the export's audit row is written whole before the file starts
def export(actor, fmt, language):
    """(file name, content type, chunks of bytes) of the program's history (`table`) in one of the cohort
    exports' formats."""
    if fmt not in exports.FORMATS:
        raise Invalid(_("Choose CSV, XLSX or SPSS."))
    return exports.as_file(table(actor), fmt, language)


def table(actor):
    """Every placement of the program, one row each; students as codes stable across the program's courses
    and terms (so a student's history links up), never names. The rows are read as the file is written,
    CHUNK placements at a time."""
    require_coordinator(actor)
    program = program_for(actor.course)
    found = _placements(actor).order_by("student_id", "starts_on", "course_id")
    key = f"program-{program.pk}"

    def rows():
        for chunk in itertools.batched(found.iterator(chunk_size=CHUNK), CHUNK):
            for p in _details(list(chunk)):
                yield [cohort_rules.student_code(settings.SECRET_KEY, key, p.student_id),
                       p.course.title or p.course.context_id, p.term, p.agency,
                       p.starts_on.isoformat() if p.starts_on else "", p.ends_on.isoformat() if p.ends_on else "",
                       p.approved_hours, p.visits_recorded]

    count = found.count()
    audit.record(actor, "history_export", changes={"program": program.pk, "rows": count})
    return exports.Table("history", COLUMNS, rows(), title=gettext_lazy("Placement history"), count=count)
