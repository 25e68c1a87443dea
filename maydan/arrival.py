"""The read every arrival makes (a launch, a block's view or step, a launched screen's next request): the course,
the person, the roles they hold there and, for a student, whether they are placed; one query, written out in SQL.

Django's ORM compiles a query anew each time it runs it: for this one (two joins and a subquery) about a
millisecond and a half of CPU on a 2-core machine, some thirty times what the database then spends, on every
request of every adapter. Values always go as parameters; rows come back as model instances (maydan.rows).
"""
from .models import Course, Membership, Person, Placement
from .rows import columns, fetch, instance, table


def recorded(issuer, context_id, subject, *, placement=False):
    """(course, person, {roles held}, placed) as recorded, or None when the person holds no role in the course.
    `placed` is looked for only when `placement` is asked (a student's arrival)."""
    return _read("c.issuer = %s AND c.context_id = %s AND p.issuer = %s AND p.subject = %s",
                 [issuer, context_id, issuer, subject], placement)


def by_ids(person_id, course_id):
    """(course, person, {roles held}, False) for the ids a signed launch context carries, or None when the person
    holds no role in the course (any more)."""
    return _read("m.person_id = %s AND m.course_id = %s", [person_id, course_id], placement=False)


def _read(where, params, placement):
    course_columns, person_columns = columns(Course, "c"), columns(Person, "p")
    placed = (f"EXISTS(SELECT 1 FROM {table(Placement)} pl "
              f"WHERE pl.course_id = m.course_id AND pl.student_id = m.person_id)" if placement else "0")
    sql = (f"SELECT m.role, {placed}, {', '.join(course_columns + person_columns)} "
           f"FROM {table(Membership)} m "
           f"JOIN {table(Course)} c ON c.id = m.course_id "
           f"JOIN {table(Person)} p ON p.id = m.person_id "
           f"WHERE {where}")
    rows = fetch(sql, params)
    if not rows:
        return None
    first, split = rows[0], 2 + len(course_columns)
    return (instance(Course, first[2:split]), instance(Person, first[split:]), {row[0] for row in rows},
            bool(first[1]))
