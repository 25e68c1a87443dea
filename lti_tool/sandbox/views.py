"""The sandbox platform's pages: pick a person, a course and a language, launch the tool."""
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _  # worded in the asked language by _bad_request
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti1p3platform.exceptions import PreflightRequestValidationException
from lti1p3platform.framework.django.request import DjangoRequest

from maydan import ui

from . import services
from .demo import COURSES, PEOPLE
from .models import SandboxLink
from .platform import (AuthorizeError, SandboxMessageLaunch, SandboxPlatformConf, UnknownTool,
                       ensure_sandbox_registration, platform_jwks, site_url, start_launch)


def _language(request):
    asked = request.GET.get("lang")
    return asked if asked in ("ar", "en") else "ar"


def _bad_request(language, message):
    with translation.override(language):
        return HttpResponseBadRequest(str(message), content_type="text/plain; charset=utf-8")


@require_GET
def index(request):
    language = _language(request)
    with translation.override(language):
        return render(request, "lti_tool/sandbox/index.html", {
            "language": language,
            "direction": ui.direction(language),
            "other_language": "en" if language == "ar" else "ar",
            "courses": [(key, course["title"]) for key, course in COURSES.items()],
            "links": [(link, COURSES.get(link.course, {}).get("title", link.course), link.scores.all()[:20])
                      for link in SandboxLink.objects.prefetch_related("scores")],
            "failures_left": services.failures_left(),
            "people": [(key, person["label"], person["role"], person["name"], [
                str(PEOPLE[m]["label"]) for m in person.get("mentees", [])
            ]) for key, person in PEOPLE.items()],
        })


@require_GET
@xframe_options_exempt
def launch(request):
    """/sandbox/launch?person=student_1&course=field-training-1&lang=ar[&link=3][&tool=<client id>]: start
    an LTI launch (of Maydan, or of a tool registered with the sandbox)."""
    person, course = request.GET.get("person", ""), request.GET.get("course", "")
    language = _language(request)
    link = None
    if request.GET.get("link"):
        link = SandboxLink.objects.filter(pk=request.GET["link"] if request.GET["link"].isdigit() else 0).first()
        if link is None:
            return _bad_request(language, _("This activity is not placed in the sandbox."))
        course = link.course
    if person not in PEOPLE:
        return _bad_request(language, _("Choose one of the sandbox people."))
    if course not in COURSES:
        return _bad_request(language, _("Choose one of the sandbox courses."))
    ensure_sandbox_registration()  # also when `maydan demo` was not run first
    try:
        return start_launch(request, person=person, course=course, locale=language, link=link and link.pk,
                            tool=request.GET.get("tool") or None)
    except UnknownTool:
        return _bad_request(language, _("This tool is not registered with the sandbox."))


@csrf_exempt  # the tool redirects the browser here; nothing but the OIDC parameters is trusted
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def authorize(request):
    """OIDC authorization endpoint: checks the tool's request, signs the id_token, posts it back."""
    language = _language(request)
    try:
        conf = SandboxPlatformConf(client_id=request.GET.get("client_id") or request.POST.get("client_id"))
        conf.get_registration(tool_keys=False)  # signing a launch needs no tool key
        return SandboxMessageLaunch(DjangoRequest(request), conf).lti_launch()
    except (PreflightRequestValidationException, AuthorizeError, UnknownTool):
        return _bad_request(language, _("The sandbox refused this authorization request."))


@require_GET
def jwks(request):
    return JsonResponse(platform_jwks())


@csrf_exempt  # a server-to-server call from the tool, authenticated by its signed JWT assertion
@require_POST
def token(request):
    try:
        return JsonResponse(services.access_token(request.POST))
    except services.ServiceError as error:
        return error.response()


@require_GET
@xframe_options_exempt
def deep_link(request):
    """/sandbox/deep-link?person=instructor&course=field-training-1&lang=en: a deep-linking request."""
    person, course = request.GET.get("person", ""), request.GET.get("course", "")
    language = _language(request)
    if person not in PEOPLE or course not in COURSES:
        return _bad_request(language, _("Choose one of the sandbox people and courses."))
    ensure_sandbox_registration()
    return start_launch(request, person=person, course=course, locale=language, deep_link=True)


@csrf_exempt  # the tool's page posts the signed response from the platform's iframe
@xframe_options_exempt
@require_POST
def deep_link_return(request):
    language = _language(request)
    try:
        course, links = services.deep_link_return(request.POST)
    except services.ServiceError:
        return _bad_request(language, _("The sandbox refused this deep linking response."))
    with translation.override(language):
        return render(request, "lti_tool/sandbox/placed.html", {
            "language": language, "direction": ui.direction(language), "course": COURSES[course]["title"],
            "links": links,
        })


def _service(handler):
    """A JSON service endpoint: ServiceError becomes its status, with no page around it."""
    def view(request, **kwargs):
        try:
            return handler(request, **kwargs)
        except services.ServiceError as error:
            return error.response()
    view.__name__ = handler.__name__
    return csrf_exempt(view)


@_service
def lineitems(request, course):
    services.check_bearer(request, services.LINEITEM_SCOPE)
    return JsonResponse([services.lineitem(link) for link in SandboxLink.objects.filter(course=course)
                         if link.graded], safe=False)


@_service
def lineitem(request, pk):
    services.check_bearer(request, services.LINEITEM_SCOPE)
    return JsonResponse(services.lineitem(_link(pk)))


@_service
def scores(request, pk):
    if request.method != "POST":
        raise services.ServiceError("POST a score", 405)
    services.check_bearer(request, services.SCORE_SCOPE)
    services.post_score(_link(pk), request.body)
    return JsonResponse({}, status=200)


@_service
def memberships(request, course):
    services.check_bearer(request, services.NRPS_SCOPE)
    if course not in COURSES:
        raise services.ServiceError("unknown course", 404)
    return JsonResponse(services.memberships(course), content_type="application/vnd.ims.lti-nrps.v2.membershipcontainer+json")


@require_POST
def fail_calls(request):
    """The switch on the sandbox page: fail the next N score or roster calls."""
    try:
        services.fail_next(int(request.POST.get("count", "0")))
    except ValueError:
        return _bad_request(_language(request), _("Give a number of calls."))
    return redirect(reverse("sandbox:index") + "?lang=" + _language(request))


def _link(pk):
    link = SandboxLink.objects.filter(pk=pk).first()
    if link is None or not link.graded:
        raise services.ServiceError("no such line item", 404)
    return link


@require_GET
def openid_configuration(request):
    return JsonResponse(services.openid_configuration())


@_service
def register(request):
    if request.method != "POST":
        raise services.ServiceError("POST the registration", 405)
    return JsonResponse(services.register_tool(request))


@require_GET
@xframe_options_exempt
def dynamic_registration(request):
    """The sandbox administrator's "register a tool" button: opens the tool's registration URL."""
    query = urlencode({
        "openid_configuration": site_url() + reverse("sandbox:openid_configuration"),
        "registration_token": services.registration_token(),
    })
    return redirect(settings.MAYDAN_BASE_URL + reverse("lti:register") + "?" + query)
