"""How fast the term's matching runs, and whether the demand/capacity screen's queries grow with students.

Run: .venv/bin/python benchmarks/matching.py [STUDENTS] [AGENCIES]
Defaults: 2,000 students over 400 agencies (one opening of 5 seats each), 5 ranks per student drawn
with a popularity skew, a third of the agencies ranking some of their applicants. Measures the pure
deferred acceptance, then the whole service (read, match, write offers, audit) on a fresh SQLite database
(or DATABASE_URL), then the coordinator's matching screen with 10 % and 100 % of the students.
Target: the matching < 2 s; the screen's query count the same at both sizes.
"""
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("MAYDAN_VAR", tempfile.mkdtemp(prefix="maydan-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from maydan import people, roles  # noqa: E402
from maydan.models import Membership, Person, Placement  # noqa: E402
from maydan.program import matching, screens, services  # noqa: E402
from maydan.program.models import Offer, Opening, PlacementPreference, ProgramAgency  # noqa: E402
from maydan.ui import Screen  # noqa: E402

TARGET_S = 2.0
TERM = "2026-fall"
ISSUER, CONTEXT = "https://lms.example.edu", "bench-matching"


def market(students, agencies, seed=7):
    rng = random.Random(seed)
    openings = list(range(agencies))
    weights = [1 / (1 + i / 40) for i in openings]  # some agencies are far more wanted than others
    ranks = {}
    for s in range(students):
        chosen = []
        while len(chosen) < 5:
            pick = rng.choices(openings, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        ranks[s] = chosen
    agency_ranks = {o: rng.sample(range(students), 20) for o in openings if o % 3 == 0}
    return ranks, {o: 5 for o in openings}, agency_ranks


def seed_database(ranks, capacity, agency_ranks):
    coordinator = people.enter(ISSUER, CONTEXT, "coordinator", {roles.COORDINATOR})
    course = coordinator.course
    program = services.program_for(course)
    agencies = ProgramAgency.objects.bulk_create(
        [ProgramAgency(program=program, name=f"Agency {o}") for o in capacity])
    openings = Opening.objects.bulk_create([Opening(agency=a, term=TERM, title="Placement", capacity=capacity[o])
                                            for o, a in zip(capacity, agencies)])
    persons = Person.objects.bulk_create([Person(issuer=ISSUER, subject=f"s{s}", name=f"Student {s}") for s in ranks])
    Membership.objects.bulk_create([Membership(course=course, person=p, role=roles.STUDENT) for p in persons])
    Placement.objects.bulk_create([Placement(course=course, student=p) for p in persons])
    for o, ranked in agency_ranks.items():
        openings[o].agency_ranking = [persons[s].pk for s in ranked]
    Opening.objects.bulk_update(openings, ["agency_ranking"])
    return coordinator, program, persons, openings


def rank_all(program, course, persons, openings, ranks, upto):
    PlacementPreference.objects.all().delete()
    PlacementPreference.objects.bulk_create([
        PlacementPreference(program=program, course=course, student=persons[s], term=TERM,
                   ranking=[openings[o].pk for o in ranks[s]]) for s in list(ranks)[:upto]])


def screen_queries(coordinator):
    screen = Screen(actor=coordinator, language="ar", activity="program", endpoint="/act", view="matching",
                    filters={"term": TERM})
    with CaptureQueriesContext(connection) as captured:
        t0 = time.perf_counter()
        screens.render(screen)
        elapsed = time.perf_counter() - t0
    return len(captured), elapsed


def main():
    students = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    agencies = int(sys.argv[2]) if len(sys.argv) > 2 else 400
    ranks, capacity, agency_ranks = market(students, agencies)

    t0 = time.perf_counter()
    result = matching.deferred_acceptance(ranks, capacity, agency_ranks)
    pure = time.perf_counter() - t0
    print(f"{students} students, {agencies} agencies × {capacity[0]} seats, 5 ranks each")
    print(f"deferred acceptance (pure): {pure * 1000:.0f} ms, {len(result)} placed, "
          f"{len(matching.blocking_pairs(result, ranks, capacity, agency_ranks))} blocking pairs")

    call_command("migrate", verbosity=0)
    coordinator, program, persons, openings = seed_database(ranks, capacity, agency_ranks)
    course = coordinator.course
    counts = {}
    for share in (students // 10, students):
        rank_all(program, course, persons, openings, ranks, share)
        Offer.objects.all().delete()
        t0 = time.perf_counter()
        placed = services.run_matching(coordinator, TERM)
        service = time.perf_counter() - t0
        queries, page = screen_queries(coordinator)
        counts[share] = queries
        print(f"{share} students ranked: run_matching {service * 1000:.0f} ms ({placed} placed); "
              f"matching screen {queries} queries, {page * 1000:.0f} ms")
    verdict = "OK" if pure < TARGET_S and service < TARGET_S else "SLOW"
    print(f"target < {TARGET_S:.0f} s for the matching: {verdict}; "
          f"screen queries {'independent of' if len(set(counts.values())) == 1 else 'GROWING with'} students")


if __name__ == "__main__":
    main()
