"""Reminders the program's coordinators get from the daily run (maydan.notify.digests): an affiliation
agreement about to end, once per agreement and coordinator's address."""
from django.utils import translation
from django.utils.translation import gettext as _

from .. import roles
from ..models import Membership
from ..notify.messages import day
from . import rules
from .models import ProgramAgency
from .services import program_for


def agreements_ending(batch, courses, today_of):
    """Add to `batch` a reminder to each coordinator of `courses` for every agreement of their program that ends
    within rules.AGREEMENT_WARNING_DAYS. The key (agency, end date) makes it once: a renewed agreement,
    with a new end, is reminded again when that end nears."""
    coordinators = list(Membership.objects.filter(course__in=courses, role=roles.COORDINATOR)
                        .exclude(person__email="").select_related("person", "course"))
    if not coordinators:
        return
    programs = {course.pk: program_for(course) for course in {m.course_id: m.course for m in coordinators}.values()}
    agencies = {}
    for agency in ProgramAgency.objects.filter(program__in={p.pk for p in programs.values()},
                                               agreement_ends__isnull=False).order_by("agreement_ends", "name"):
        agencies.setdefault(agency.program_id, []).append(agency)
    for membership in coordinators:
        course, person, today = membership.course, membership.person, today_of(membership.course)
        for agency in agencies.get(programs[course.pk].pk, []):
            if rules.agreement_state(agency.agreement_starts, agency.agreement_ends, today) != rules.AGREEMENT_ENDING:
                continue
            with translation.override(course.language):
                ends = day(agency.agreement_ends, course.language)
                batch.add(
                    kind="agreement_ending", address=person.email, recipient=person, course=course,
                    about=f"agreement:{agency.pk}:{agency.agreement_ends.isoformat()}", period="once",
                    reason="agreement_ending",
                    subject=_("The affiliation agreement with %(agency)s ends on %(day)s") % {
                        "agency": agency.name, "day": ends},
                    content={"intro": _("Renew the agreement before it ends, or plan to place students elsewhere: "
                                        "students cannot start a placement at an agency without a valid "
                                        "agreement."),
                             "items": [{"text": f"{agency.name} · {ends}"}]})
