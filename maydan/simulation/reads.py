"""The two reads of a student's attempt that every view and every step of a simulation makes, in SQL.

Django's ORM compiles a query anew each time it runs it; for these (an attempt with the course's undo
rule for its scenario beside it) that costs about a millisecond of CPU, some twenty times what the
database then spends. Written out once here, each costs the database's time. Portable SQL (SQLite,
PostgreSQL); values always go as parameters; rows come back as model instances (maydan.rows).
"""
from functools import lru_cache

from django.db import connection

from ..rows import columns, instance
from .models import SimulationAttempt, SimulationPolicy

_UNDO_DEFAULT = SimulationPolicy._meta.get_field("undo_allowed").default


def _select(where, lock=False):
    return _written(where, lock, connection.vendor)


@lru_cache(maxsize=None)
def _written(where, lock, vendor):
    """The SELECT of `_select`, written once per process for each database kind."""
    attempts, policies = SimulationAttempt._meta.db_table, SimulationPolicy._meta.db_table
    # The course's undo rule rides along (see services.may_undo); no policy row: the default.
    sql = (f"SELECT {', '.join(columns(SimulationAttempt, 'a'))}, "
           f"COALESCE((SELECT p.undo_allowed FROM {policies} p WHERE p.course_id = a.course_id "
           f"AND p.scenario = a.scenario), {'TRUE' if _UNDO_DEFAULT else 'FALSE'}) "
           f"FROM {attempts} a WHERE {where} ORDER BY a.number")
    if lock and connection.features.has_select_for_update:
        of = ("a",) if connection.features.has_select_for_update_of else ()
        sql += " " + connection.ops.for_update_sql(of=of)
    return sql


def _first(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    attempt = instance(SimulationAttempt, row[:-1])
    attempt.undo_rule = bool(row[-1])
    return attempt


def open_attempt(course, student, key, mode, statuses):
    """The student's first attempt of scenario `key` in `mode` whose status is one of the two `statuses`, or None."""
    where = "a.course_id = %s AND a.student_id = %s AND a.scenario = %s AND a.mode = %s AND a.status IN (%s, %s)"
    return _first(_select(where), [course.pk, student.pk, key, mode, *statuses])


def own_attempt(course, student, attempt_id):
    """The student's attempt `attempt_id` (an int) in this course, locked for the step's transaction, or None."""
    where = "a.id = %s AND a.course_id = %s AND a.student_id = %s"
    return _first(_select(where, lock=True), [attempt_id, course.pk, student.pk])
