"""Stable matching of students to openings: deferred acceptance, students proposing.

Pure Python, no Django. Students rank openings; an opening takes up to its capacity; an
agency may rank the students who applied to its opening. Students an agency did not rank
come after those it did, in the fixed `tie_break` order, so every opening has a strict
order and the result is stable: no student and opening would both rather have each other
than what they were given (no blocking pair). Student-proposing deferred acceptance gives
each student the best opening they can have in any stable matching.

Why not the `matching` package: its hospital-resident game wants every resident an agency
ranks to rank the agency back and every hospital to rank every applicant, which partial
agency preferences do not give; it also brings numpy and scipy for what is forty lines here.
"""
import heapq


def deferred_acceptance(student_ranks, capacity, agency_ranks=None, tie_break=None):
    """{student: opening} for the students who get one.

    student_ranks: {student: [opening, ...]} best first (unknown or full-zero openings skipped).
    capacity: {opening: seats}. agency_ranks: {opening: [student, ...]} best first, optional.
    tie_break: [student, ...] the order of students an agency did not rank (default: sorted).
    """
    agency_ranks = agency_ranks or {}
    order = _order(student_ranks, tie_break)
    base = {student: index for index, student in enumerate(order)}
    unranked_from = len(order)

    def priority(opening):
        ranked = {s: i for i, s in enumerate(agency_ranks.get(opening, ()))}
        # Lower is better: agency's own order first, then everyone else by tie_break.
        return lambda student: ranked.get(student, unranked_from + base[student])

    priorities = {opening: priority(opening) for opening in capacity}
    lists = {s: [o for o in ranks if capacity.get(o, 0) > 0] for s, ranks in student_ranks.items()}
    # Each opening holds a heap of (-priority, student): its worst held student on top.
    held = {opening: [] for opening in capacity}
    next_choice = {student: 0 for student in lists}
    free = [s for s in reversed(order) if s in lists]
    while free:
        student = free.pop()
        choices = lists[student]
        if next_choice[student] >= len(choices):
            continue
        opening = choices[next_choice[student]]
        next_choice[student] += 1
        heap = held[opening]
        heapq.heappush(heap, (-priorities[opening](student), _Key(student)))
        if len(heap) > capacity[opening]:
            _worst, rejected = heapq.heappop(heap)
            free.append(rejected.student)
    return {key.student: opening for opening, heap in held.items() for _p, key in heap}


def _order(student_ranks, tie_break):
    """Every student once: the tie-break order first, then the rest sorted, so priorities never tie."""
    order = list(dict.fromkeys(tie_break or ()))
    known = set(order)
    return order + sorted((s for s in student_ranks if s not in known), key=str)


class _Key:
    """Wraps a student so heap entries never compare students themselves (priorities are distinct)."""

    __slots__ = ("student",)

    def __init__(self, student):
        self.student = student

    def __lt__(self, other):
        return False


def blocking_pairs(result, student_ranks, capacity, agency_ranks=None, tie_break=None):
    """Every (student, opening) that would both rather be together: empty for a stable result."""
    agency_ranks = agency_ranks or {}
    order = _order(student_ranks, tie_break)
    base = {s: i for i, s in enumerate(order)}

    def rank_at(opening, student):
        ranked = {s: i for i, s in enumerate(agency_ranks.get(opening, ()))}
        return ranked.get(student, len(order) + base[student])

    taken = {}
    for student, opening in result.items():
        taken.setdefault(opening, []).append(student)
    pairs = []
    for student, ranks in student_ranks.items():
        current = result.get(student)
        for opening in ranks:
            if opening == current:
                break
            if capacity.get(opening, 0) <= 0:
                continue
            holders = taken.get(opening, [])
            if len(holders) < capacity[opening] or any(
                    rank_at(opening, student) < rank_at(opening, other) for other in holders):
                pairs.append((student, opening))
    return pairs
