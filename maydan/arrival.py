"""The read every arrival makes (a launch, a block's view or step, a launched screen's next request): the course,
the person, the roles they hold there and, for a student, whether they are placed; one query, written out in SQL.

Django's ORM compiles a query anew each time it runs it: for this one (two joins and a subquery) about a
millisecond and a half of CPU on a 2-core machine, some thirty times what the database then spends, on every
request of every adapter. Values always go as parameters; rows come back as model instances (maydan.rows).
"""
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from django.db import connection

from .models import Course, Membership, Person, Placement
from .rows import columns, fetch, instance, table


@dataclass
class Beside:
    """Rows of an adapter's or a screen's own that it reads on every arrival (the LTI tool's resource link, a student's
    placement for their first screen), joined into the arrival's query so that an arrival stays one round trip to the
    database. `joins` are SQL LEFT JOINs onto the membership `m`, with %s for `params`, that add one row at most;
    `columns` what they select. After the read, `row` is what `build(values, course, person)` made of those columns'
    values, and `read` says whether the query answered at all: it answers nothing when the person is not recorded in
    the course."""

    joins: str
    columns: tuple
    build: Callable
    params: list = field(default_factory=list)
    row: Any = None
    read: bool = False

    @classmethod
    def one_row(cls, model, condition, params):
        """The row of `model` (as `b`) that `condition` names, or None."""
        return cls(f"LEFT JOIN {table(model)} b ON {condition}", columns(model, "b"), _instance_or_none(model), params)


@lru_cache(maxsize=None)
def _instance_or_none(model):
    return lambda values, _course, _person: instance(model, values) if values[0] is not None else None


def recorded(issuer, context_id, subject, *, placement=False, beside=()):
    """(course, person, {roles held}, placed) as recorded, or None when the person holds no role in the course.
    `placed` is looked for only when `placement` is asked (a student's arrival); `beside` (Besides) are read with it."""
    return _read("c.issuer = %s AND c.context_id = %s AND p.issuer = %s AND p.subject = %s",
                 [issuer, context_id, issuer, subject], placement, beside)


def by_ids(person_id, course_id):
    """(course, person, {roles held}, False) for the ids a signed launch context carries, or None when the person
    holds no role in the course (any more)."""
    return _read("m.person_id = %s AND m.course_id = %s", [person_id, course_id], placement=False)


def _read(where, params, placement, beside=()):
    sql = _sql(connection.vendor, where, placement, tuple((part.joins, part.columns) for part in beside))
    course_columns, person_columns = columns(Course, "c"), columns(Person, "p")
    rows = fetch(sql, [*(value for part in beside for value in part.params), *params])
    if not rows:
        return None
    first, split = rows[0], 2 + len(course_columns)
    at = split + len(person_columns)
    course, person = instance(Course, first[2:split]), instance(Person, first[split:at])
    for part in beside:
        part.read, part.row = True, part.build(first[at:at + len(part.columns)], course, person)
        at += len(part.columns)
    return course, person, {row[0] for row in rows}, bool(first[1])


@lru_cache(maxsize=32)  # a handful of shapes, written once per process
def _sql(vendor, where, placement, beside):
    placed = (f"EXISTS(SELECT 1 FROM {table(Placement)} pl "
              f"WHERE pl.course_id = m.course_id AND pl.student_id = m.person_id)" if placement else "0")
    beside_columns = tuple(name for _joins, part_columns in beside for name in part_columns)
    return (f"SELECT m.role, {placed}, {', '.join(columns(Course, 'c') + columns(Person, 'p') + beside_columns)} "
            f"FROM {table(Membership)} m "
            f"JOIN {table(Course)} c ON c.id = m.course_id "
            f"JOIN {table(Person)} p ON p.id = m.person_id "
            + "".join(f"{joins} " for joins, _columns in beside) +
            f"WHERE {where}")
