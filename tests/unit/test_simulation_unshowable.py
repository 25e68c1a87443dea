"""A course's stored scenario that no longer passes the checks: it alone says it cannot be shown (and why, to
staff); the course's other activities, the catalog and the library still open."""
import pytest

from maydan import activities, roles
from maydan.simulation import library, screens
from maydan.simulation.models import CourseScenario
from maydan.ui import Screen
from tests.conftest import form

from .test_simulation_services import mini_source

BROKEN = {
    "unreadable": "id: broken\nnodes: [",
    "not-a-scenario": "id: broken\nnodes: 3\n",
    "dead-end": mini_source().replace("id: mini", "id: broken").replace("next: poor", "next: nowhere"),
    "alias-bomb": "id: broken\na: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
        f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8)),
    "python-tag": "id: !!python/object/apply:os.system ['echo owned']\n",
    "deep-json": "[" * 50_000 + "]" * 50_000,
}


def screen(actor, key, language="en"):
    return Screen(actor=actor, language=language, activity="simulation", key=key, endpoint="/sim")


@pytest.mark.parametrize("source", BROKEN.values(), ids=BROKEN.keys())
def test_a_stored_scenario_that_no_longer_validates_breaks_nothing_else(cohort, source):
    CourseScenario.objects.create(course=cohort.course, key="broken", source=source)
    items = activities.catalog(cohort.course)
    titles = {(item.kind, item.key): item for item in items}
    assert ("fieldlog", "") in titles and ("simulation", "etherapy-anxious") in titles
    assert titles[("simulation", "broken")].title("en") == "broken (cannot be shown)"
    assert titles[("simulation", "broken")].title("ar") != titles[("simulation", "broken")].title("en")

    status, html = screens.handle(screen(cohort.student, "broken"), form(action="view"))
    assert status == 409 and "cannot be shown" in html and "line" not in html  # students: no author detail
    status, staff = screens.handle(screen(cohort.academic, "broken"), form(action="view"))
    assert status == 409 and "cannot be shown" in staff and "(" in staff.split("editor.")[1]
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    assert screens.handle(screen(author, "broken"), form(action="start"))[0] == 409
    assert screens.handle(screen(cohort.student, "etherapy-anxious"), form(action="view"))[0] == 200


def test_an_author_repairs_it_by_saving_a_corrected_version(cohort):
    CourseScenario.objects.create(course=cohort.course, key="mini", source=BROKEN["unreadable"])
    author = cohort.enter("w1", roles.AUTHOR, "Author")
    from maydan.simulation import services

    assert services.save_scenario(author, mini_source()) == "mini"
    assert library.get(cohort.course, "mini").id == "mini"
    assert screens.handle(screen(cohort.student, "mini"), form(action="view"))[0] == 200
