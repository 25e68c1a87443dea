"""The read every arrival makes (a launch, a block's view or step, a launched screen's next request): the course,
the person, the roles they hold there and, for a student, whether they are placed; one query, written out in SQL.

Django's ORM compiles a query anew each time it runs it: for this one (two joins and a subquery) about a
millisecond and a half of CPU on a 2-core machine, some thirty times what the database then spends, on every
request of every adapter. Values always go as parameters; rows come back as model instances (maydan.rows).
"""
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection

from .models import Course, Membership, Person, Placement
from .rows import columns, fetch, instance, table


@dataclass
class Beside:
    """One row of an adapter's own that it reads on every arrival (the LTI tool's resource link), joined into the
    arrival's query so that an arrival stays one round trip to the database. `condition` is SQL on the alias `b`
    of `model`'s table with %s for `params`, and names one row at most. After the read, `row` is the instance found (None if none) and `read`
    says whether the query answered at all: it answers nothing when the person is not recorded in the course."""

    model: Any
    condition: str
    params: list = field(default_factory=list)
    row: Any = None
    read: bool = False


def recorded(issuer, context_id, subject, *, placement=False, beside=None):
    """(course, person, {roles held}, placed) as recorded, or None when the person holds no role in the course.
    `placed` is looked for only when `placement` is asked (a student's arrival); `beside` (a Beside) is read with it."""
    return _read("c.issuer = %s AND c.context_id = %s AND p.issuer = %s AND p.subject = %s",
                 [issuer, context_id, issuer, subject], placement, beside)


def by_ids(person_id, course_id):
    """(course, person, {roles held}, False) for the ids a signed launch context carries, or None when the person
    holds no role in the course (any more)."""
    return _read("m.person_id = %s AND m.course_id = %s", [person_id, course_id], placement=False)


def _read(where, params, placement, beside=None):
    sql = _sql(connection.vendor, where, placement, beside.model if beside else None, beside.condition if beside else "")
    course_columns, person_columns = columns(Course, "c"), columns(Person, "p")
    rows = fetch(sql, [*(beside.params if beside else ()), *params])
    if not rows:
        return None
    first, split = rows[0], 2 + len(course_columns)
    person_end = split + len(person_columns)
    if beside:
        own = first[person_end:]
        beside.read, beside.row = True, (instance(beside.model, own) if own[0] is not None else None)
    return (instance(Course, first[2:split]), instance(Person, first[split:person_end]), {row[0] for row in rows},
            bool(first[1]))


@lru_cache(maxsize=32)  # a handful of shapes, written once per process
def _sql(vendor, where, placement, beside_model, beside_condition):
    placed = (f"EXISTS(SELECT 1 FROM {table(Placement)} pl "
              f"WHERE pl.course_id = m.course_id AND pl.student_id = m.person_id)" if placement else "0")
    beside_columns = columns(beside_model, "b") if beside_model else ()
    return (f"SELECT m.role, {placed}, {', '.join(columns(Course, 'c') + columns(Person, 'p') + beside_columns)} "
            f"FROM {table(Membership)} m "
            f"JOIN {table(Course)} c ON c.id = m.course_id "
            f"JOIN {table(Person)} p ON p.id = m.person_id "
            + (f"LEFT JOIN {table(beside_model)} b ON {beside_condition} " if beside_model else "") +
            f"WHERE {where}")
