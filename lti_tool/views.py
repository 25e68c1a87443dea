"""The LTI 1.3 adapter's views: login initiation, launch, deep linking, JWKS and the launched screens.

Refusal pages are in refusals.py; the supervisor's service pages and registration in service_views.py.
Views translate the protocol into core calls (maydan.people, maydan.ui); no domain rule here.
Every view a platform can show lives in the platform's iframe, hence xframe_options_exempt.
"""
from dataclasses import replace

from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.exception import LtiException, OIDCException

from maydan import activities, fieldlog, pages, people, roles, ui
from maydan.fieldlog import links
from maydan.errors import Forbidden, Refused
from maydan.models import Course
from maydan.paths import path_of

from . import context, deep_linking, keys, lti, nrps, placements, refusals, service_views
from .claims import ClaimRefused, check_login


def _screen(actor, language, token, activity="fieldlog", key="", mode="assessment"):
    return ui.Screen(
        actor=actor,
        language=language,
        activity=activity,
        key=key,
        mode=mode,
        endpoint=path_of("lti:app"),
        hidden={"ctx": token, "lang": language},
        link_url=links.url_for,
    )


def _refuse_early(request, refusal, exc=None):
    """A refusal before the launch is verified, in the language the request hints at (worked out
    only when refusing: it decodes the token once more)."""
    return refusals.refuse(request, refusal, refusals.guess_language(request), exc)


@require_GET
def jwks(request):
    return JsonResponse(keys.published_jwks())


@csrf_exempt  # a platform starts the login from its own site, with no token of ours
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def login(request):
    """OIDC third-party-initiated login (GET or POST, per LTI 1.3)."""
    try:
        check_login(lambda name: request.GET.getlist(name) + request.POST.getlist(name))
    except ClaimRefused as refusal:
        return _refuse_early(request, refusal, refusal)
    target = request.GET.get("target_link_uri") or request.POST.get("target_link_uri")
    if not target.startswith(settings.MAYDAN_BASE_URL + "/"):
        return _refuse_early(request, refusals.LaunchRefused(_("This login is meant for another tool."), 400))
    try:
        oidc = lti.OIDCLogin(request, lti.DatabaseToolConf(login=True))
        return oidc.redirect(lti.launch_url())  # 302 to the platform, sets the lti1p3-state-* cookie
    except (LtiException, OIDCException) as exc:
        return _refuse_early(request, refusals.refusal_for(exc), exc)


@csrf_exempt  # the platform posts the id_token cross-site; its signature, state and nonce are the proof
@xframe_options_exempt
@require_POST
def launch(request):
    conf = lti.DatabaseToolConf(launch=True)  # confirmed as the nonce is marked used (lti.MessageLaunch)
    try:
        message = lti.MessageLaunch(request, conf)
        # state, claims table (claims.py), nonce, registration, signature, deployment, message
        claims = message.get_launch_data()
    except ClaimRefused as refusal:
        return _refuse_early(request, refusal, refusal)
    except (LtiException, OIDCException) as exc:
        return _refuse_early(request, refusals.refusal_for(exc), exc)
    if not claims[lti.CLAIM + "target_link_uri"].startswith(settings.MAYDAN_BASE_URL + "/"):
        return _refuse_early(request, refusals.LaunchRefused(_("This launch is meant for another tool."), 400))
    kind = claims[lti.CLAIM + "message_type"]
    course = claims[lti.CLAIM + "context"]
    language = refusals.launch_language(request, claims)
    registration = conf.row(claims["iss"], message.get_client_id())
    try:
        with translation.override(language):  # the core words its refusals in the active language
            if kind == deep_linking.REQUEST:
                return _picker(request, claims, registration, course, language)
            actor, (activity, key, mode) = _enter(claims, course, language, registration)
    except Refused as refusal:
        return refusals.refuse(request, refusal, language)
    nrps.sync_on_launch(registration, claims, actor.course, conf.roster_synced)
    token = context.dump(actor, language, activity, key, mode)
    screen = _screen(actor, language, token, activity, key, mode)
    inner = service_views.supervisor_bar(token, language, actor) + activities.screens(activity).render(screen)
    return pages.screen_response(request, screen, inner)


def _enter(claims, course, language, registration):
    """Record the launched person in their course with their roles and the link's activity.

    A Mentor's mentees become theirs; the course roster follows when the platform offers it.
    Most launches find everything recorded as they describe it and are only read; the others
    write in one transaction, which a refusal rolls back.
    """
    arrival = _arrival(claims, course)
    link = placements.beside_arrival(registration, claims)  # read in the person's query
    # So is a student's placement: the first screen shows it, drawn before anything else is written.
    own = fieldlog.own_placement_beside() if roles.STUDENT in arrival["role_set"] else None
    actor = people.as_recorded(**arrival, beside=[link, own] if own else [link])
    known = placements.check_course(registration, claims, link)
    placed = actor and placements.as_recorded(claims, actor.course, known)
    if placed and people.supervises_as_recorded(actor, _mentees(claims, arrival)):
        return (replace(actor, own_placement=own.row) if own else actor), placed
    return _record(claims, arrival, language, registration, known)


def _arrival(claims, course):
    """people.enter's arguments for the launched person."""
    # Each part is bounded by the claims table; joined, they are cut to what the core stores.
    name = claims.get("name") or " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))[:255]
    return {"issuer": claims["iss"], "context_id": course["id"], "subject": claims["sub"],
            "role_set": roles.from_lti(claims.get(lti.CLAIM + "roles")), "course_title": course.get("title") or "",
            "name": name, "email": claims.get("email") or ""}


def _mentees(claims, arrival):
    """The subjects of an agency supervisor's students (LTI role_scope_mentor): all of them, so they replace
    the recorded ones; None when the launch does not say (a platform without the claim, or not a Mentor)."""
    return claims.get(lti.CLAIM + "role_scope_mentor") if roles.AGENCY in arrival["role_set"] else None


@transaction.atomic
def _record(claims, arrival, language, registration, known):
    actor = people.enter(**arrival, language=language)
    if (mentees := _mentees(claims, arrival)) is not None:
        students = [people.enter(arrival["issuer"], arrival["context_id"], sub, {roles.STUDENT}, exact=False).person
                    for sub in mentees]
        people.set_mentees(actor.course, actor.person, students)
    return actor, placements.place(registration, claims, actor.course, known)


def _picker(request, claims, registration, course, language):
    """A deep-linking request: the teacher's list of activities to place."""
    deep_linking.check_placer(claims)
    actor = people.enter(
        claims["iss"], course["id"], claims["sub"], roles.from_lti(claims.get(lti.CLAIM + "roles")),
        course_title=course.get("title") or "", name=claims.get("name") or "", language=language,
    )
    token = deep_linking.request_token(claims, registration.client_id, actor.course, language)
    return _picker_page(request, actor.course, language, token)


def _picker_page(request, course, language, token, error="", status=200):
    with translation.override(language):
        return render(request, "lti_tool/deep_linking.html", {
            "language": language, "direction": ui.direction(language), "token": token, "error": error,
            "items": [_card(item, course, language) for item in activities.catalog(course)],
        }, status=status)


def _card(item, course, language):
    """An activity as the picker shows it: its title in the teacher's language, its kind, one line about it,
    and the title the gradebook column will carry (the course's language) when that reads otherwise."""
    title, column = item.title(language), item.title(course.language)
    return {"value": placements.join(item.kind, item.key), "title": title, "kind": item.kind_label(),
            "description": item.description(language), "points": item.max_score if item.graded else None,
            "column": column if column != title else "", "column_language": course.language}


@csrf_exempt  # the signed picker token is the credential (see `app` below)
@xframe_options_exempt
@require_POST
def deep_link(request):
    """The teacher's choice: answer the platform with a signed LtiDeepLinkingResponse."""
    asked = request.POST.get("lang")
    language = asked if asked in ("ar", "en") else "ar"
    try:
        dl = deep_linking.load_request(request.POST.get("dl"))
        language = dl["language"]
        course = Course.objects.get(pk=dl["course"])
        with translation.override(language):
            items = deep_linking.chosen_items(course, request.POST.getlist("activity"), dl["settings"])
    except Course.DoesNotExist:
        return refusals.refuse(request, refusals.LaunchRefused(_("This course no longer exists."), 404), language)
    except Refused as refusal:
        if refusal.status == 400:
            with translation.override(language):
                return _picker_page(request, course, language, request.POST["dl"], str(refusal.message), 400)
        return refusals.refuse(request, refusal, language)
    with translation.override(language):
        return render(request, "lti_tool/deep_link_return.html", {
            "return_url": dl["settings"]["deep_link_return_url"],
            "jwt": deep_linking.response_jwt(dl, items, course.language, request.POST.get("mode") == "practice"),
        })


# The signed ctx token in the posted form is the credential, not a cookie: a browser never
# attaches it by itself, so a forged cross-site post has no authority unless it already holds
# the token. That is why CSRF protection (a cookie-based defence) is neither needed nor
# possible here: inside an LMS iframe the CSRF cookie is often blocked.
@csrf_exempt
@xframe_options_exempt
@require_POST
def app(request):
    token = request.POST.get("ctx", "")
    try:
        launched = context.load(token)
    except context.ContextRefused as refusal:
        asked = request.POST.get("lang")
        return refusals.refuse(request, refusal, refusal.language or (asked if asked in ("ar", "en") else "ar"))
    actor, language, activity, key, mode = launched
    header = service_views.supervisor_bar(token, language, actor)
    return pages.respond(request, _screen(actor, language, token, activity, key, mode), header)


@csrf_exempt  # as `app`: the signed launch context is the credential
@xframe_options_exempt
@require_POST
def dashboard(request):
    """From any launched screen, a supervisor opens the cohort dashboard, whichever link they came by."""
    try:
        actor, language, activity, _key, _mode = context.load(request.POST.get("ctx", ""))
    except context.ContextRefused as refusal:
        return refusals.refuse(request, refusal, refusal.language or "ar")
    if not actor.supervises_course:
        refusal = Forbidden(_("Only the field coordinator and supervisors may see the cohort."))
        return refusals.refuse(request, refusal, language)
    token = context.dump(actor, language, "cohort", "")
    screen = _screen(actor, language, token, "cohort", "")
    back = ""
    if activity != "cohort":  # the way back to the activity the dashboard was opened from
        with translation.override(language):
            back = render_to_string("lti_tool/_back.html", {"token": request.POST["ctx"], "language": language})
    inner = service_views.supervisor_bar(token, language, actor) + back + activities.screens("cohort").render(screen)
    return pages.screen_response(request, screen, inner)


@require_GET
def home(request):
    language = request.GET.get("lang") if request.GET.get("lang") in ("ar", "en") else "ar"
    with translation.override(language):
        return render(request, "lti_tool/home.html", {
            "demo": settings.MAYDAN_DEMO_SITES,  # the sandbox and workbench exist for `make demo` only
            "language": language,
            "direction": ui.direction(language),
            "other_language": "en" if language == "ar" else "ar",
        })
