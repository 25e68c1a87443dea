"""The pages of the LTI Advantage services: a supervisor's grade delivery and roster, and Dynamic Registration.

Like the launched screens, the supervisor pages take the signed launch context (ctx) as their credential.
"""
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from maydan import activities, courses, grades, people, ui
from maydan.simulation import services as simulation
from maydan.errors import NotFound, Refused

from . import ags, context, dynamic_registration, nrps, placements, refusals
from . import supervisor_bar as bar
from .models import ResourceLink


def supervisor_bar(token, language, actor):
    """The course staff's navigation above a launched screen: what this person may open; "" for students."""
    may = {"supervise": actor.supervises_course, "configure": courses.may_configure(actor),
           "author": actor.has(*simulation.EDITORS)}
    if not any(may.values()):
        return ""
    return bar.draw(token, language, may)


def supervisor_page(view):
    """A page opened from the supervisor bar: the signed launch context is its credential (as for
    the launched screens, no cookie), it speaks the launch's language, and a core refusal is its page.
    `view` answers (template, values); values["status"] sets the answer's status (a form sent back)."""

    @csrf_exempt
    @xframe_options_exempt
    @require_POST
    def page(request):
        try:
            launched = context.load(request.POST.get("ctx", ""))
        except context.ContextRefused as refusal:
            return refusals.refuse(request, refusal, refusal.language or "ar")
        with translation.override(launched.language):
            try:
                template, values = view(request, launched.actor)
            except Refused as refusal:
                return refusals.refuse(request, refusal, launched.language)
            values.update(language=launched.language, direction=ui.direction(launched.language),
                          token=request.POST["ctx"])
            return render(request, template, values, status=values.pop("status", 200))

    page.__name__ = view.__name__
    return page


class RosterUnavailable(Refused):
    status = 502  # the platform's service failed: a gateway error, the roster unchanged


@supervisor_page
def roster(request, actor):
    """A supervisor asks for the platform's roster now (NRPS)."""
    link = ResourceLink.objects.select_related("registration").filter(
        registration__issuer=actor.course.issuer, context_id=actor.course.context_id
    ).exclude(memberships_url="").order_by("-updated").first()
    if link is None:
        raise NotFound(_("The platform does not offer this course's roster."))

    def fetch():
        try:
            return nrps.fetch(link.registration, link.memberships_url)
        except Exception as exc:  # whatever the platform or the network did
            refusals.log.info("roster fetch for course %s failed: %s", actor.course.pk, exc)
            raise RosterUnavailable(_("The platform did not answer with the roster. Try again in a moment."))

    return "lti_tool/roster.html", {"count": people.sync_roster(actor, fetch)}


@supervisor_page
def grade_delivery(request, actor):
    """A supervisor's view of the grades sent to the platform, with a resend button per student."""
    notice = ""
    if request.POST.get("resend"):
        row = grades.resend(actor, request.POST["resend"])
        delivered, _failed = ags.deliver([row], now_or_never=True)
        notice = _("The grade was sent.") if delivered else _("The platform did not take the grade yet; "
                                                               "it will be sent again shortly.")
    rows = grades.delivery_status(actor, ags.lti_destinations())
    titles = _activity_titles(actor, rows)
    for row in rows:
        row.activity_title = titles.get(row.destination, "")
    return "lti_tool/grades.html", {"rows": rows, "notice": notice}


def _activity_titles(actor, rows):
    """{line item address: the activity's title}: people read which activity a grade is for, not its address."""
    language = translation.get_language()
    titles = activities.titles(actor.course, language)
    links = ResourceLink.objects.filter(lineitem_url__in={row.destination for row in rows},
                                        context_id=actor.course.context_id,
                                        registration__issuer=actor.course.issuer)
    return {link.lineitem_url: titles.get(placements.split(link.activity), _("Activity"))
            for link in links}


@xframe_options_exempt
@require_GET
def register(request):
    """Dynamic Registration: the platform opens this with openid_configuration (+ registration_token)."""
    language = refusals.guess_language(request)
    with translation.override(language):
        try:
            dynamic_registration.check_key(request.GET.get("key", ""))
            row = dynamic_registration.register(
                request.GET.get("openid_configuration", ""), request.GET.get("registration_token", "")
            )
        except Refused as refusal:
            return refusals.refuse(request, refusal, language)
        return render(request, "lti_tool/registered.html", {
            "language": language, "direction": ui.direction(language), "registration": row,
        })
