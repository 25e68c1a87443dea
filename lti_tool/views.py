"""The LTI 1.3 adapter's views: login initiation, launch, JWKS and the launched screens.

Views translate the protocol into core calls (maydan.people, maydan.ui); no domain rule here.
Every view a platform can show lives in the platform's iframe, hence xframe_options_exempt.
"""
import logging

import jwt
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from pylti1p3.exception import LtiException, OIDCException

from maydan import activities, grades, links, pages, people, roles, ui
from maydan.errors import NotFound, Refused
from maydan.models import Course

from . import ags, context, deep_linking, dynamic_registration, keys, lti, nrps, placements
from .models import ResourceLink

log = logging.getLogger(__name__)

# Library message (prefix) -> HTTP status and what the person is told. The technical reason
# goes to the log, not the page.
_LAUNCH_ERRORS = [
    ("Missing state param", 400, _("The launch request is incomplete. Open the activity from the course again.")),
    ("State not found", 401, _("Your browser did not keep the launch cookie (third-party cookies may be blocked). "
                               "Open the activity in a new window and try again.")),
    ("Missing %s cookie", 401, _("Your browser did not keep the launch cookie (third-party cookies may be blocked). "
                                 "Open the activity in a new window and try again.")),
    ("Missing id_token", 400, _("The launch request is incomplete. Open the activity from the course again.")),
    ("Invalid id_token", 400, _("The launch message is malformed.")),
    ("Invalid JWT format", 400, _("The launch message is malformed.")),
    ('"nonce" is empty', 400, _("The launch message is malformed.")),
    ("Invalid Nonce", 401, _("This launch was not started here or has expired. Open the activity from the course again.")),
    ("Nonce already used", 409, _("This launch was already used. Open the activity from the course again.")),
    ("Unknown platform", 403, _("This platform is not registered with Maydan. Ask your administrator to register it.")),
    ("Client id not registered", 403, _("This launch was meant for another tool: its client ID is not registered here.")),
    ("Registration not found", 403, _("This platform is not registered with Maydan. Ask your administrator to register it.")),
    ("Could not find registration", 403, _("This platform is not registered with Maydan. Ask your administrator to register it.")),
    ("Unable to find public key", 401, _("The launch was signed with a key this tool does not know.")),
    ("JWT KID not found", 401, _("The launch was signed with a key this tool does not know.")),
    ("Can't decode id_token: Signature has expired", 401, _("The launch has expired. Open the activity from the course again.")),
    ("Can't decode id_token", 401, _("The launch signature could not be verified.")),
    ("Unable to find deployment", 403, _("This deployment of the tool is not registered with Maydan.")),
    ("Could not find issuer", 400, _("The login request does not name its platform.")),
    ("Could not find login hint", 400, _("The login request is incomplete.")),
    # The platform's JWKS could not be fetched: the fault is upstream, a gateway error.
    ("Error during fetch URL", 502, _("The platform's keys could not be fetched. Try again in a moment.")),
]
_INVALID_MESSAGE = _("The launch message is not valid.")


class LaunchRefused(Refused):
    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def _refusal_for(exc):
    text = str(exc)
    for prefix, status, message in _LAUNCH_ERRORS:
        if text.startswith(prefix):
            return LaunchRefused(message, status)
    return LaunchRefused(_INVALID_MESSAGE, 400)  # missing sub/roles/resource link, bad version or type


def _language_of(locale):
    return "ar" if (locale or "").lower().startswith("ar") else "en"


def _guess_language(request):
    """The language to refuse a launch in, before anything is verified. Only used to pick a language."""
    asked = request.GET.get("lang") or request.POST.get("lang")
    if asked in ("ar", "en"):
        return asked
    try:
        body = jwt.decode(request.POST.get("id_token", ""), options={"verify_signature": False})
        locale = (body.get(lti.CLAIM + "launch_presentation") or {}).get("locale")
        if locale:
            return _language_of(locale)
    except (jwt.PyJWTError, AttributeError, TypeError, ValueError):
        pass
    if "HTTP_ACCEPT_LANGUAGE" in request.META:
        return _language_of(translation.get_language_from_request(request))
    return "ar"


def _refuse(request, refusal, language, exc=None):
    if exc is not None:
        log.info("LTI request refused (%s): %s", refusal.status, exc)
    return pages.refusal_page(request, refusal, language)


def _screen(actor, language, token, activity="fieldlog", key=""):
    return ui.Screen(
        actor=actor,
        language=language,
        activity=activity,
        key=key,
        endpoint=reverse("lti:app"),
        hidden={"ctx": token, "lang": language},
        link_url=links.url_for,
    )


@require_GET
def jwks(request):
    return JsonResponse(keys.published_jwks())


@csrf_exempt  # a platform starts the login from its own site, with no token of ours
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def login(request):
    """OIDC third-party-initiated login (GET or POST, per LTI 1.3)."""
    language = _guess_language(request)
    target = request.GET.get("target_link_uri") or request.POST.get("target_link_uri") or ""
    if not target.startswith(settings.MAYDAN_BASE_URL + "/"):
        return _refuse(request, LaunchRefused(_("This login is meant for another tool."), 400), language)
    try:
        oidc = lti.OIDCLogin(request, lti.DatabaseToolConf(), launch_data_storage=lti.data_storage())
        return oidc.redirect(lti.launch_url())  # 302 to the platform, sets the lti1p3-state-* cookie
    except (LtiException, OIDCException) as exc:
        return _refuse(request, _refusal_for(exc), language, exc)


@csrf_exempt  # the platform posts the id_token cross-site; its signature, state and nonce are the proof
@xframe_options_exempt
@require_POST
def launch(request):
    language = _guess_language(request)
    conf = lti.DatabaseToolConf()
    try:
        message = lti.MessageLaunch(request, conf, launch_data_storage=lti.data_storage())
        claims = message.get_launch_data()  # state, nonce, registration, signature, deployment, message
    except (LtiException, OIDCException) as exc:
        return _refuse(request, _refusal_for(exc), language, exc)
    if not (claims.get(lti.CLAIM + "target_link_uri") or "").startswith(settings.MAYDAN_BASE_URL + "/"):
        return _refuse(request, LaunchRefused(_("This launch is meant for another tool."), 400), language)
    kind = claims.get(lti.CLAIM + "message_type")
    if kind not in (lti.RESOURCE_LINK, deep_linking.REQUEST):
        return _refuse(request, LaunchRefused(_("This kind of launch is not supported yet."), 400), language)
    course = claims.get(lti.CLAIM + "context") or {}
    if not course.get("id"):
        return _refuse(request, LaunchRefused(_("This launch does not say which course it comes from."), 400), language)
    language = _language_of((claims.get(lti.CLAIM + "launch_presentation") or {}).get("locale"))
    registration = conf.row(claims["iss"], message.get_client_id())
    try:
        with translation.override(language):  # the core words its refusals in the active language
            if kind == deep_linking.REQUEST:
                return _picker(request, claims, registration, course, language)
            actor, (activity, key) = _enter(claims, course, language, registration)
    except Refused as refusal:
        return _refuse(request, refusal, language)
    nrps.sync_on_launch(registration, claims, actor.course)
    token = context.dump(actor, language, activity, key)
    screen = _screen(actor, language, token, activity, key)
    inner = activities.screens(activity).render(screen)
    if actor.supervises_course:
        inner = _supervisor_bar(token, language) + inner
    return pages.screen_response(request, screen, inner)


def _supervisor_bar(token, language):
    with translation.override(language):
        return render_to_string("lti_tool/supervisor_bar.html", {"token": token, "language": language})


@csrf_exempt  # the signed ctx token is the credential (see `app` below)
@xframe_options_exempt
@require_POST
def roster(request):
    """A supervisor asks for the platform's roster now (NRPS)."""
    try:
        launched = context.load(request.POST.get("ctx", ""))
    except context.ContextRefused as refusal:
        return _refuse(request, refusal, refusal.language or "ar")
    actor, language = launched.actor, launched.language
    link = ResourceLink.objects.select_related("registration").filter(
        registration__issuer=actor.course.issuer, context_id=actor.course.context_id
    ).exclude(memberships_url="").order_by("-updated").first()
    with translation.override(language):
        try:
            if link is None:
                raise NotFound(_("The platform does not offer this course's roster."))
            count = people.sync_roster(actor, lambda: nrps.fetch(link.registration, link.memberships_url))
        except Refused as refusal:
            return _refuse(request, refusal, language)
        except Exception as exc:  # the platform's service failed: a gateway error, the roster unchanged
            return _refuse(request, LaunchRefused(_("The platform did not answer with the roster. Try again in a "
                                                    "moment."), 502), language, exc)
        return render(request, "lti_tool/roster.html", {
            "language": language, "direction": ui.direction(language), "token": request.POST["ctx"], "count": count,
        })

@csrf_exempt  # the signed ctx token is the credential (see `app` below)
@xframe_options_exempt
@require_POST
def grade_delivery(request):
    """A supervisor's view of the grades sent to the platform, with a resend button per student."""
    try:
        launched = context.load(request.POST.get("ctx", ""))
    except context.ContextRefused as refusal:
        return _refuse(request, refusal, refusal.language or "ar")
    actor, language = launched.actor, launched.language
    notice, status = "", 200
    with translation.override(language):
        try:
            if request.POST.get("resend"):
                row = grades.resend(actor, request.POST["resend"] if request.POST["resend"].isdigit() else 0)
                delivered, _failed = ags.deliver([row], now_or_never=True)
                notice = _("The grade was sent.") if delivered else _("The platform did not take the grade yet; "
                                                                       "it will be sent again shortly.")
            rows = grades.delivery_status(actor, ags.lti_destinations())
        except Refused as refusal:
            return _refuse(request, refusal, language)
        return render(request, "lti_tool/grades.html", {
            "language": language, "direction": ui.direction(language), "token": request.POST["ctx"],
            "rows": rows, "notice": notice,
        }, status=status)


@transaction.atomic
def _enter(claims, course, language, registration):
    """Record the launched person in their course with their roles and the link's activity.

    A Mentor's mentees become theirs; the course roster follows when the platform offers it.
    A refusal raised here rolls everything back.
    """
    placements.check_course(registration, claims)
    issuer = claims["iss"]
    name = claims.get("name") or " ".join(filter(None, [claims.get("given_name"), claims.get("family_name")]))
    role_set = roles.from_lti(claims.get(lti.CLAIM + "roles"))
    actor = people.enter(
        issuer, course["id"], claims["sub"], role_set, course_title=course.get("title") or "",
        name=name, email=claims.get("email") or "", language=language,
    )
    mentees = claims.get(lti.CLAIM + "role_scope_mentor") or []
    if roles.AGENCY in role_set and mentees:
        students = [people.enter(issuer, course["id"], str(sub), {roles.STUDENT}).person for sub in mentees]
        people.assign_agency_supervisor(actor.course, actor.person, students)
    return actor, placements.place(registration, claims, actor.course)


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
            # Titles in the course's language: they become the gradebook columns everyone in the course sees.
            "items": [(placements.join(item.kind, item.key), item.title(course.language), item.max_score if item.graded
                       else None) for item in activities.catalog(course)],
        }, status=status)


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
        return _refuse(request, LaunchRefused(_("This course no longer exists."), 404), language)
    except Refused as refusal:
        if refusal.status == 400:
            with translation.override(language):
                return _picker_page(request, course, language, request.POST["dl"], str(refusal.message), 400)
        return _refuse(request, refusal, language)
    with translation.override(language):
        return render(request, "lti_tool/deep_link_return.html", {
            "return_url": dl["settings"]["deep_link_return_url"],
            "jwt": deep_linking.response_jwt(dl, items, course.language),
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
        return _refuse(request, refusal, refusal.language or (asked if asked in ("ar", "en") else "ar"))
    actor, language, activity, key = launched
    header = _supervisor_bar(token, language) if actor.supervises_course else ""
    return pages.respond(request, _screen(actor, language, token, activity, key), header)


@require_GET
def home(request):
    language = request.GET.get("lang") if request.GET.get("lang") in ("ar", "en") else "ar"
    with translation.override(language):
        return render(request, "lti_tool/home.html", {
            "language": language,
            "direction": ui.direction(language),
            "other_language": "en" if language == "ar" else "ar",
        })


@xframe_options_exempt
@require_GET
def register(request):
    """Dynamic Registration: the platform opens this with openid_configuration (+ registration_token)."""
    language = _guess_language(request)
    with translation.override(language):
        try:
            dynamic_registration.check_key(request.GET.get("key", ""))
            row = dynamic_registration.register(
                request.GET.get("openid_configuration", ""), request.GET.get("registration_token", "")
            )
        except Refused as refusal:
            return _refuse(request, refusal, language)
        return render(request, "lti_tool/registered.html", {
            "language": language, "direction": ui.direction(language), "registration": row,
        })
