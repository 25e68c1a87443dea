"""Placements admin: agencies, and who is placed where, when, with whom, towards which target.

Only the field coordinator changes these. A CSV import is checked row by row first (a dry
run shows every row's result); applied, it is all or nothing, with an audit row per change.
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from .. import audit, roles, untrusted
from ..errors import Forbidden, Invalid
from ..models import Agency, Membership, Person, Placement
from ..parse import parse_date, parse_int

COLUMNS = ["student_id", "student_name", "agency", "agency_type", "agency_address", "agency_contact",
           "starts_on", "ends_on", "target_hours", "academic_supervisor_id", "agency_supervisor_id"]
MAX_ROWS = 5000
CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"


def require_coordinator(actor):
    if not actor.has(roles.COORDINATOR) or actor.link_placement is not None:
        raise Forbidden(_("Only the field coordinator may change agencies and placements."))


def agencies(actor):
    return list(Agency.objects.filter(course=actor.course).order_by("name"))


def _text(data, name, limit):
    return str(data.get(name) or "").strip()[:limit]


@transaction.atomic
def save_agency(actor, data):
    """Create an agency, or change the one with that name."""
    require_coordinator(actor)
    name = _text(data, "name", 255)
    if not name:
        message = _("Give the agency a name.")
        raise Invalid(message, {"name": [message]})
    values = {"kind": _text(data, "kind", 64), "address": _text(data, "address", 500),
              "contact": _text(data, "contact", 255)}
    agency, created = Agency.objects.select_for_update().get_or_create(course=actor.course, name=name, defaults=values)
    before = {} if created else {k: getattr(agency, k) for k in values}
    for key, value in values.items():
        setattr(agency, key, value)
    agency.save()
    audit.record(actor, "agency_save", changes={"agency": name, **audit.diff(before, values)})
    return agency


@dataclass
class RowResult:
    line: int
    student: str
    outcome: str = UNCHANGED
    errors: list = field(default_factory=list)
    changes: dict = field(default_factory=dict)


def import_csv(actor, text, *, apply=False):
    """(applied, [RowResult]) for every row. Nothing is written unless `apply` and every row is valid."""
    require_coordinator(actor)
    try:
        header, rows = untrusted.read_csv_records(text, max_rows=MAX_ROWS + 2)
    except untrusted.Unreadable as error:
        raise Invalid(untrusted.message(error)) from None
    missing = [c for c in ("student_id", "agency") if c not in header]
    if missing:
        raise Invalid(_("The CSV needs a header row with at least these columns: %(columns)s.")
                      % {"columns": ", ".join(missing)})
    if not rows:
        raise Invalid(_("The CSV has no rows."))
    if len(rows) > MAX_ROWS:
        raise Invalid(_("At most %(count)d rows at once.") % {"count": MAX_ROWS})
    with transaction.atomic():
        context = _Context(actor, rows)
        results = [_row(context, line, row) for line, row in enumerate(rows, start=2)]
        applied = apply and not any(r.errors for r in results)
        if not applied:
            transaction.set_rollback(True)
    return applied, results


class _Context:
    """What every row needs, read once: the course's agencies, people and supervisor roles."""

    def __init__(self, actor, rows):
        self.actor = actor
        self.course = actor.course
        named = {str(row.get(k) or "").strip() for row in rows
                 for k in ("student_id", "academic_supervisor_id", "agency_supervisor_id")}
        self.people = {p.subject: p for p in Person.objects.filter(issuer=self.course.issuer, subject__in=named)}
        self.roles = {}
        for person_id, role in Membership.objects.filter(course=self.course).values_list("person_id", "role"):
            self.roles.setdefault(person_id, set()).add(role)
        self.agencies = {a.name: a for a in Agency.objects.filter(course=self.course)}
        self.placements = {p.student_id: p for p in Placement.objects.filter(course=self.course)}
        self.seen = set()

    def supervisor(self, subject, role, errors, column):
        if not subject:
            return None
        person = self.people.get(subject)
        if person is None or role not in self.roles.get(person.pk, ()):
            errors.append(_("%(column)s: “%(id)s” is not a %(role)s of this course.")
                          % {"column": column, "id": subject, "role": roles.LABELS[role]})
        return person


def _row(context, line, row):
    get = {k: str(row.get(k) or "").strip() for k in COLUMNS}
    result = RowResult(line, get["student_id"])
    errors = result.errors
    if not get["student_id"]:
        errors.append(_("student_id is empty."))
    elif get["student_id"] in context.seen:
        errors.append(_("This student is already on an earlier row."))
    context.seen.add(get["student_id"])
    if not get["agency"]:
        errors.append(_("agency is empty."))
    starts_on, ends_on = _day(get, "starts_on", errors), _day(get, "ends_on", errors)
    if starts_on and ends_on and ends_on < starts_on:
        errors.append(_("ends_on is before starts_on."))
    target = None
    if get["target_hours"]:
        message = _("target_hours must be a whole number of hours from 1 to 5000.")
        try:
            target = parse_int(get["target_hours"], low=1, high=5000, message=message)
        except Invalid:
            errors.append(message)
    academic = context.supervisor(get["academic_supervisor_id"], roles.ACADEMIC, errors, "academic_supervisor_id")
    agency_supervisor = context.supervisor(get["agency_supervisor_id"], roles.AGENCY, errors, "agency_supervisor_id")
    if errors:
        result.outcome = ERROR
        return result
    agency = _agency(context, get)
    student = _student(context, get)
    placement = context.placements.get(student.pk) or Placement(course=context.course, student=student)
    after = {"agency": agency.name, "host_agency_id": agency.pk, "starts_on": starts_on, "ends_on": ends_on,
             "target_hours": target, "academic_supervisor_id": getattr(academic, "pk", None),
             "agency_supervisor_id": getattr(agency_supervisor, "pk", None)}
    before = {} if placement.pk is None else {k: getattr(placement, k) for k in after}
    result.changes = audit.diff(before, after)
    result.outcome = CREATE if placement.pk is None else (UPDATE if result.changes else UNCHANGED)
    if result.outcome != UNCHANGED:
        for key, value in after.items():
            setattr(placement, key, value)
        placement.save()
        context.placements[student.pk] = placement
        audit.record(context.actor, "placement_import", placement=placement, changes=result.changes)
    return result


def _day(get, name, errors):
    if not (get[name] or "").strip():
        return None
    message = _("%(column)s must be a date written YYYY-MM-DD.") % {"column": name}
    try:
        return parse_date(get[name], message=message)
    except Invalid:
        errors.append(message)
        return None


def _agency(context, get):
    agency = context.agencies.get(get["agency"][:255])
    details = {"kind": get["agency_type"][:64], "address": get["agency_address"][:500],
               "contact": get["agency_contact"][:255]}
    if agency is None:
        agency = Agency.objects.create(course=context.course, name=get["agency"][:255], **details)
        context.agencies[agency.name] = agency
        audit.record(context.actor, "agency_save", changes={"agency": agency.name, **audit.diff({}, details)})
    elif any(details.values()) and any(getattr(agency, k) != v for k, v in details.items() if v):
        for key, value in details.items():
            if value:
                setattr(agency, key, value)
        agency.save()
        audit.record(context.actor, "agency_save", changes={"agency": agency.name, **details})
    return agency


def _student(context, get):
    """The student by their platform id; someone who has not opened the course yet is added now."""
    student = context.people.get(get["student_id"])
    if student is None:
        student = Person.objects.create(issuer=context.course.issuer, subject=get["student_id"][:255],
                                        name=get["student_name"][:255])
        context.people[student.subject] = student
    if roles.STUDENT not in context.roles.get(student.pk, ()):
        Membership.objects.get_or_create(course=context.course, person=student, role=roles.STUDENT)
        context.roles.setdefault(student.pk, set()).add(roles.STUDENT)
    return student
