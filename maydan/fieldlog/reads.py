"""The log's first screens read in SQL written out: a student's placement (with its learning agreement and agency
supervisor), a placement's entries, their history, and a supervisor's placements with their kept sums.

Each is one query, run on every launch and every later view of the log. Built by the ORM, each cost about a
millisecond of CPU to compile, many times what the database then spends (see maydan.arrival, which reads the
arrival the same way). Values always go as parameters; rows come back as model instances through the fields' own
converters (maydan.rows). Who may see what stays decided in maydan.fieldlog.services.
"""
from functools import cache, lru_cache

from django.db import connection

from .. import vocab
from ..arrival import Beside
from ..grading.models import Agreement
from ..models import AuditEvent, LogEntry, Person, Placement
from ..rows import column, columns, fetch, instance, table, values
from ..tallies.models import PlacementTally

# The overview's sums, as kept per placement (maydan.tallies.sums).
SUMS = ("approved_minutes", "pending_minutes", "waiting", "returned_minutes", "to_countersign", "last_logged")


def _placeholders(values_):
    return ", ".join(["%s"] * len(values_))


def own_placement(course, student):
    """A student's placement in a course with its learning agreement and its agency supervisor, or None."""
    found = fetch(_own_placement_sql(connection.vendor), [course.pk, student.pk])
    return _own_placement_of(found[0], course, student) if found else None


def own_placement_beside():
    """A student's placement as own_placement reads it, read in the arrival's query instead (maydan.arrival.Beside):
    one round trip fewer for the first screen of a student's launch, which shows it."""
    return Beside(_own_placement_joins(connection.vendor), _own_placement_columns(connection.vendor),
                  _own_placement_of)


# The placement, its agreement and its agency supervisor, as `op`, `oa` and `os`.
@cache
def _own_placement_columns(vendor):
    return columns(Placement, "op") + columns(Agreement, "oa") + columns(Person, "os")


@cache
def _own_placement_joins(vendor, alone=False):
    """The LEFT JOINs of the arrival's query (onto its membership `m`), or what follows FROM when `alone`."""
    placement = (f"{table(Placement)} op" if alone else
                 f"LEFT JOIN {table(Placement)} op ON op.{column(Placement, 'course')} = m.course_id "
                 f"AND op.{column(Placement, 'student')} = m.person_id")
    return (f"{placement} LEFT JOIN {table(Agreement)} oa ON oa.{column(Agreement, 'placement')} = op.id "
            f"LEFT JOIN {table(Person)} os ON os.id = op.{column(Placement, 'agency_supervisor')}")


@cache
def _own_placement_sql(vendor):
    return (f"SELECT {', '.join(_own_placement_columns(vendor))} FROM {_own_placement_joins(vendor, alone=True)} "
            f"WHERE op.{column(Placement, 'course')} = %s AND op.{column(Placement, 'student')} = %s")


def _own_placement_of(values, course, student):
    """The placement of own placement's columns' `values`, with its agreement and agency supervisor; None when the
    values are a LEFT JOIN's that found none."""
    if values[0] is None:
        return None
    split = len(columns(Placement, "op"))
    agreement_end = split + len(columns(Agreement, "oa"))
    placement = instance(Placement, values[:split])
    agreement_values, supervisor_values = values[split:agreement_end], values[agreement_end:]
    agreement = instance(Agreement, agreement_values) if agreement_values[0] is not None else None
    Placement.agreement.related.set_cached_value(placement, agreement)
    supervisor = instance(Person, supervisor_values) if supervisor_values[0] is not None else None
    Placement.agency_supervisor.field.set_cached_value(placement, supervisor)
    Placement.student.field.set_cached_value(placement, student)
    placement.course = course
    return placement


def entries(placement, *, status=None, leave_out=(), week=None):
    """The placement's entries, newest first (LogEntry's ordering): of one status, or all but those left out, within
    the (Monday, Sunday) of `week`."""
    sql = _entries_sql(connection.vendor, bool(status), len(leave_out), bool(week))
    params = [placement.pk, *([status] if status else []), *leave_out, *(week or ())]
    return [instance(LogEntry, row) for row in fetch(sql, params)]


@cache
def _entries_sql(vendor, of_status, left_out, in_week):
    status = f"e.{column(LogEntry, 'status')}"
    conditions = [f"e.{column(LogEntry, 'placement')} = %s", *([f"{status} = %s"] if of_status else []),
                  *([f"{status} NOT IN ({_placeholders(range(left_out))})"] if left_out else []),
                  *([f"e.{column(LogEntry, 'date')} BETWEEN %s AND %s"] if in_week else [])]
    order = ", ".join(f"e.{column(LogEntry, name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}"
                      for name in LogEntry._meta.ordering)
    return (f"SELECT {', '.join(columns(LogEntry, 'e'))} FROM {table(LogEntry)} e WHERE {' AND '.join(conditions)} "
            f"ORDER BY {order}")


_EVENT = ("entry", "at", "via", "action", "comment")


def histories(entry_ids):
    """[(entry id, at, via, action, comment, the actor's name or subject (None without one))] of the entries'
    events a log shows, oldest first."""
    if not entry_ids:
        return []
    actions = list(vocab.AUDIT_ACTIONS)
    found = fetch(_histories_sql(connection.vendor, len(entry_ids)), [*entry_ids, *actions])
    return values(AuditEvent, _EVENT, found)


@lru_cache(maxsize=256)  # one per count of entries
def _histories_sql(vendor, count):
    # The actor's name is looked up per event (on its primary key): joined, the planner reads the whole table of
    # people to meet a few hundred events.
    return (f"SELECT {', '.join('a.' + column(AuditEvent, name) for name in _EVENT)}, "
            f"(SELECT CASE WHEN p.name = '' THEN p.subject ELSE p.name END FROM {table(Person)} p "
            f"WHERE p.id = a.{column(AuditEvent, 'actor')}) "
            f"FROM {table(AuditEvent)} a WHERE a.{column(AuditEvent, 'entry')} IN ({_placeholders(range(count))}) "
            f"AND a.{column(AuditEvent, 'action')} IN ({_placeholders(vocab.AUDIT_ACTIONS)}) ORDER BY a.at, a.id")


def placements_with_sums(course, visible):
    """The course's placements `visible` names (None: every one; else [(field, value)], any of which holds), by
    their students' names, each with its student and `sums`: SUMS as kept (zeros where nothing was kept)."""
    if visible is not None and not visible:
        return []
    names = tuple(name for name, _value in visible or ())
    sql, split, sums_at = _placements_sql(connection.vendor, None if visible is None else names)
    found = fetch(sql, [course.pk, *(value for _name, value in visible or ())])
    kept = values(PlacementTally, SUMS, [row[sums_at:] for row in found])
    placements = []
    for row, sums in zip(found, kept):
        placement = instance(Placement, row[:split])
        Placement.student.field.set_cached_value(placement, instance(Person, row[split:sums_at]))
        placement.sums = [value or 0 for value in sums[:-1]] + [sums[-1]]
        placements.append(placement)
    return placements


@cache
def _placements_sql(vendor, names):
    conditions = [f"pl.{column(Placement, 'course')} = %s"]
    if names is not None:
        conditions.append("(" + " OR ".join(f"pl.{column(Placement, name)} = %s" for name in names) + ")")
    placement_columns, student_columns = columns(Placement, "pl"), columns(Person, "st")
    sql = (f"SELECT {', '.join(placement_columns + student_columns)}, "
           f"{', '.join('t.' + column(PlacementTally, name) for name in SUMS)} "
           f"FROM {table(Placement)} pl JOIN {table(Person)} st ON st.id = pl.{column(Placement, 'student')} "
           f"LEFT JOIN {table(PlacementTally)} t ON t.{column(PlacementTally, 'placement')} = pl.id "
           f"WHERE {' AND '.join(conditions)} ORDER BY st.{column(Person, 'name')}, st.{column(Person, 'subject')}")
    return sql, len(placement_columns), len(placement_columns) + len(student_columns)
