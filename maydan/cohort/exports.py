"""Research and accreditation exports of a cohort: CSV, XLSX and SPSS (.sav).

Students appear as stable codes unless a field coordinator asks, explicitly, for names
(that export is audited). Free text (descriptions, reflections) never leaves in an export.
SPSS files carry variable and value labels in English and Arabic.

Every file streams: who may export, the audit and the labels are settled before the first byte, then
rows are read from the database in chunks and written as they come (maydan.spreadsheets), so memory
stays flat whatever the size of the course or program.
"""
import dataclasses
import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

from .. import audit, roles, spreadsheets, vocab
from ..errors import Forbidden, Invalid
from ..models import LogEntry
from . import dashboard, evidence, queries, rules

FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "sav": "application/x-spss-sav"}
TEXT, NUMBER, CODED = "text", "number", "coded"


@dataclass(frozen=True)
class Column:
    name: str  # the SPSS variable name: ASCII, no spaces
    label: object  # a lazy gettext string, shown in English and Arabic
    kind: str = TEXT
    # For CODED columns: {stored text: lazy label}; SPSS numbers them 1, 2, ... in this order.
    values: dict = field(default_factory=dict)
    # Fills %(number)s in the label (a competency's number), in whichever language it is read.
    number: int | None = None
    # A TEXT column's width in SPSS, in UTF-8 bytes: 1020 holds any of the models' 255-character texts.
    width: int = 255

    def text(self):
        """The label in the active language."""
        return str(self.label) % {"number": self.number} if self.number is not None else str(self.label)


@dataclass
class Table:
    name: str
    columns: list
    rows: object  # lists of cell values, as the columns say: a list, or an iterable read once as it streams
    title: object = None  # a lazy label for the file; TABLES names the cohort's own tables
    count: object = None  # how many rows an iterable gives (counted in the database), or a function telling it

    def size(self):
        if self.count is None:
            return len(self.rows)
        return self.count() if callable(self.count) else self.count


class Later:
    """A course's few rows (one or a few per student), made from its aggregates when first asked for, so the
    file's first bytes leave before that work; then kept."""

    def __init__(self, make):
        self.make, self.made = make, None

    def _rows(self):
        if self.made is None:
            self.made = self.make()
        return self.made

    def __iter__(self):  # a generator: asking for an iterator (as a generator expression does) makes nothing yet
        yield from self._rows()

    def __len__(self):
        return len(self._rows())


def both(label):
    """“English · العربية” of a lazy label (or of anything with a text() method)."""
    text = label.text if hasattr(label, "text") else (lambda: str(label))
    with translation.override("en"):
        english = text()
    with translation.override("ar"):
        arabic = text()
    return english if english == arabic else f"{english} · {arabic}"


# --- who may export ----------------------------------------------------------------------------


def check(actor, identified):
    if actor.link_placement is not None or not actor.supervises_course:
        raise Forbidden(_("Only the field coordinator and academic supervisors may export cohort data."))
    if identified and not actor.has(roles.COORDINATOR):
        raise Forbidden(_("Only the field coordinator may export students' names."))


# --- the tables --------------------------------------------------------------------------------

WIDE, CODE_WIDTH, DATE_WIDTH = 1020, 16, 10
STUDENT_CODE = Column("student_code", gettext_lazy("Student code"), width=CODE_WIDTH)
STUDENT_ID = Column("student_id", gettext_lazy("Student platform id"), width=WIDE)
STUDENT_NAME = Column("student_name", gettext_lazy("Student name"), width=WIDE)
AGENCY = Column("agency", gettext_lazy("Placement agency"), width=WIDE)
STATUS_LABELS = {**vocab.STATUSES}
TABLES = {
    "logs": gettext_lazy("Log entries"),
    "hours": gettext_lazy("Hours per student"),
    "evaluations": gettext_lazy("Evaluation scores"),
    "simulations": gettext_lazy("Simulation results"),
}


class _Students:
    """The student columns of every table: a code, and with `identified` the id and name too."""

    def __init__(self, course, identified):
        self.course, self.identified = course, identified
        self.columns = [STUDENT_CODE] + ([STUDENT_ID, STUDENT_NAME] if identified else [])

    def cells(self, person):
        code = rules.student_code(settings.SECRET_KEY, self.course.pk, person.pk)
        return [code] + ([person.subject, person.name] if self.identified else [])


LOG_CHUNK = 2000  # log entries read from the database at a time


def logs(actor, students, chosen):
    columns = students.columns + [
        AGENCY, Column("date", gettext_lazy("Date"), width=DATE_WIDTH),
        Column("minutes", gettext_lazy("Minutes"), NUMBER),
        Column("activity", gettext_lazy("Activity"), CODED, vocab.ACTIVITY_TYPES),
        Column("modality", gettext_lazy("Modality"), CODED, vocab.MODALITIES),
        Column("time_kind", gettext_lazy("Direct or indirect time"), CODED, vocab.TIME_KINDS),
        Column("status", gettext_lazy("Status"), CODED, STATUS_LABELS),
    ] + [Column(f"comp{c}", gettext_lazy("Competency %(number)s"), NUMBER, number=c) for c in vocab.COMPETENCIES]
    # Each placement's own cells, made once: a placement has many entries.
    people = {p.pk: students.cells(p.student) + [p.agency] for p in chosen}
    entries = (LogEntry.objects.filter(placement_id__in=list(people)).exclude(status=vocab.WITHDRAWN)
               .order_by("placement_id", "date", "start_time", "id"))

    def rows():
        for placement_id, day, minutes, activity, modality, kind, status, tags in entries.values_list(
                "placement_id", "date", "minutes", "activity_type", "modality", "time_kind", "status",
                "competencies").iterator(chunk_size=LOG_CHUNK):
            tags = {str(t) for t in tags or ()}
            yield (people[placement_id] + [day.isoformat(), minutes, activity, modality, kind, status]
                   + [1 if str(c) in tags else 0 for c in vocab.COMPETENCIES])

    return Table("logs", columns, rows(), count=entries.count())


def hours_table(actor, students, chosen):
    keep = {p.pk for p in chosen}
    categories = [*vocab.TIME_KINDS, *vocab.ACTIVITY_TYPES]
    columns = students.columns + [
        AGENCY, Column("target_h", gettext_lazy("Target hours"), NUMBER),
        Column("approved_h", gettext_lazy("Approved hours"), NUMBER),
        Column("pending_h", gettext_lazy("Hours waiting for approval"), NUMBER),
        Column("behind", gettext_lazy("Behind schedule (1 = yes)"), NUMBER),
    ] + [Column(f"h_{key}", labels[key], NUMBER)
         for labels in (vocab.TIME_KINDS, vocab.ACTIVITY_TYPES) for key in labels]

    def rows():
        made = []
        for row in dashboard.rows(actor):
            if row.placement.pk not in keep:
                continue
            hours_by = dict(row.category_hours())
            made.append(students.cells(row.student) + [row.placement.agency, row.bar.target_hours,
                                                       row.bar.approved_hours, row.bar.pending_hours,
                                                       int(row.alerts.behind)]
                        + [hours_by[key] for key in categories])
        return made

    return Table("hours", columns, Later(rows))


def evaluations_table(actor, students, chosen):
    columns = students.columns + [
        AGENCY, Column("form", gettext_lazy("Evaluation form")),
        Column("competency", gettext_lazy("Competency"), NUMBER),
        Column("agency_score", gettext_lazy("Agency supervisor's score"), NUMBER),
        Column("academic_score", gettext_lazy("Academic supervisor's score"), NUMBER),
        Column("final_score", gettext_lazy("Final score"), NUMBER),
    ]

    def rows():
        found = queries.evaluations([p.pk for p in chosen])
        mapping = queries.competency_behaviours()
        return [students.cells(placement.student) + [placement.agency, item["form"], int(cell.competency),
                                                     item["agency"], item["academic"], item["final"]]
                for placement in chosen
                for cell in evidence.cells(found.get(placement.pk, []), [], {}, mapping)
                for item in cell.evaluations]

    return Table("evaluations", columns, Later(rows))


def simulations_table(actor, students, chosen):
    columns = students.columns + [
        Column("scenario", gettext_lazy("Scenario")), Column("attempt", gettext_lazy("Attempt"), NUMBER),
        Column("score", gettext_lazy("Score (0 to 1)"), NUMBER),
    ] + [Column(f"sim_comp{c}", gettext_lazy("Competency %(number)s score"), NUMBER, number=c)
         for c in vocab.COMPETENCIES]
    by_student = {p.student_id: p for p in chosen}

    def rows():
        made = []
        for student_id, attempts in queries.simulations(actor.course, list(by_student)).items():
            for attempt in attempts:
                tags = {str(k): v for k, v in (attempt["competencies"] or {}).items()}
                made.append(students.cells(by_student[student_id].student)
                            + [attempt["scenario"], attempt["number"], attempt["score"]]
                            + [tags.get(str(c)) for c in vocab.COMPETENCIES])
        return made

    return Table("simulations", columns, Later(rows))


_BUILDERS = {"logs": logs, "hours": hours_table, "evaluations": evaluations_table, "simulations": simulations_table}


def table(actor, name, *, identified=False):
    """The named table of the actor's cohort; names only for a coordinator who asked (audited)."""
    check(actor, identified)
    if name not in _BUILDERS:
        raise Invalid(_("Choose what to export."))
    chosen = list(queries.placements(actor).select_related("student").order_by("student__subject"))
    built = _BUILDERS[name](actor, _Students(actor.course, identified), chosen)
    if identified:
        return dataclasses.replace(built, rows=_audited(actor, built), count=built.size)
    return built


def _audited(actor, built):
    """The rows of an identified export, its audit row written before the first of them is: a file of names
    that stops halfway has still let names out (its headers may leave before: they name no one)."""
    audit.record(actor, "export_identified", changes={"table": built.name, "rows": built.size()})
    yield from built.rows


# --- the formats ---------------------------------------------------------------------------------


@transaction.atomic  # an identified export's audit row is written whole before the file starts
def export(actor, name, fmt, *, identified=False, language="en"):
    """(file name, content type, the file's bytes as an iterator of chunks) of one table in one format."""
    if fmt not in FORMATS:
        raise Invalid(_("Choose CSV, XLSX or SPSS."))
    return as_file(table(actor, name, identified=identified), fmt, language, identified=identified)


def as_file(built, fmt, language, *, identified=False):
    """(file name, content type, chunks of bytes) of a built table in one of FORMATS; everything that
    depends on the language is settled here, before the first chunk is asked for."""
    if fmt not in FORMATS:
        raise Invalid(_("Choose CSV, XLSX or SPSS."))
    chunks = {"csv": to_csv, "xlsx": to_xlsx, "sav": to_sav}[fmt](built, language)
    suffix = "identified" if identified else "coded"
    return f"maydan-{built.name}-{suffix}.{fmt}", FORMATS[fmt], chunks


def whole(chunks):
    """A streamed file's bytes at once (for a file small enough to hold, and for tests)."""
    return b"".join(chunks)


def to_csv(built, language="en"):
    return spreadsheets.csv_chunks(itertools.chain([[c.name for c in built.columns]], built.rows))


def to_xlsx(built, language="en"):
    with translation.override(language):
        headers = [c.text() for c in built.columns]
        # A coded value appears as its label in the spreadsheet's language: {value: label} per column.
        shown = [{key: str(text) for key, text in c.values.items()} if c.kind == CODED else None
                 for c in built.columns]
    rows = ([v if labels is None else labels.get(v, v) for labels, v in zip(shown, row)] for row in built.rows)
    return spreadsheets.xlsx_chunks(built.name, itertools.chain([headers, [c.name for c in built.columns]], rows),
                                    right_to_left=language == "ar")


def to_sav(built, language="en"):
    import polars

    template, value_labels, cells = {}, {}, []
    for column in built.columns:
        if column.kind == CODED:
            codes = {key: number for number, key in enumerate(column.values, start=1)}
            template[column.name] = polars.Series(column.name, [1], dtype=polars.Int64)
            value_labels[column.name] = {codes[k]: both(label) for k, label in column.values.items()}
            cells.append(codes.get)
        elif column.kind == NUMBER:
            template[column.name] = polars.Series(column.name, [0.0], dtype=polars.Float64)
            cells.append(_number)
        else:
            template[column.name] = polars.Series(column.name, ["x" * column.width], dtype=polars.Utf8)
            cells.append(_text)
    widths = [column.width if column.kind == TEXT else None for column in built.columns]
    cases = ([cell(v) for cell, v in zip(cells, row)] for row in built.rows)
    return spreadsheets.sav_chunks(polars.DataFrame(template), widths, cases,
                                   file_label=both(built.title or TABLES[built.name]),
                                   column_labels={c.name: both(c) for c in built.columns}, value_labels=value_labels,
                                   measures={c.name: "nominal" for c in built.columns if c.kind != NUMBER})


def _number(value):
    return None if value is None else float(value)


def _text(value):
    return "" if value is None else spreadsheets.inert(str(value))
