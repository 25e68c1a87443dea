"""What `maydan demo` prepares: the sandbox platform registered, and its first course seeded."""
from maydan import demo

from .sandbox import demo as sandbox_people
from .sandbox import ensure_sandbox_registration
from .sandbox.platform import issuer


def prepare():
    ensure_sandbox_registration()
    people = {sub: (sub, p["name"]) for sub, p in sandbox_people.PEOPLE.items()}
    by_role = {p["role"]: sub for sub, p in sandbox_people.PEOPLE.items()}
    context, course = next(iter(sandbox_people.COURSES.items()))
    return demo.seed(
        issuer(), context, title=course["title"],
        students=[people[s] for s, p in sandbox_people.PEOPLE.items() if p["role"] == "Learner"],
        academic=people[by_role["Instructor"]],
        agency=people[by_role["Mentor"]],
        coordinator=people[by_role["Administrator"]],
        mentees=sandbox_people.PEOPLE[by_role["Mentor"]]["mentees"],
    )


def prepare_program(n):
    """A program of n students (maydan.demo_program) whose large course is the sandbox's second course, its
    coordinator, academic supervisor, agency supervisor and first students the sandbox's people, so a launch
    shows every screen at a program's scale. Done once: a database that has the program keeps it."""
    from maydan import demo_program
    from maydan.models import Course

    if Course.objects.filter(issuer=issuer(), context_id=demo_program.course_context(1)).exists():
        print("The program is already there.")
        return None
    people = {p["role"]: (sub, p["name"]) for sub, p in sandbox_people.PEOPLE.items()}
    context = list(sandbox_people.COURSES)[1]
    made = demo_program.build(n, issuer=issuer(), large_context=context, key_people={
        "coordinator": people["Administrator"], "academic": people["Instructor"], "mentor": people["Mentor"],
        "students": [(sub, p["name"]) for sub, p in sandbox_people.PEOPLE.items() if p["role"] == "Learner"]})
    print(f"Program of {n} students written in {made.seconds:.0f} s: "
          + ", ".join(f"{count} {name}" for name, count in made.counts.items()))
    print(f"Its large course ({made.large.placements.count()} students) is the sandbox's "
          f"“{sandbox_people.COURSES[context]['title']}”.")
    return made
