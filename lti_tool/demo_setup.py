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
