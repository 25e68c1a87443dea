"""The sandbox platform's pages: pick a person, a course and a language, launch the tool."""
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from lti1p3platform.exceptions import PreflightRequestValidationException
from lti1p3platform.framework.django.request import DjangoRequest

from maydan import ui

from .demo import COURSES, PEOPLE
from .platform import (AuthorizeError, SandboxMessageLaunch, SandboxPlatformConf, ensure_sandbox_registration,
                       platform_jwks, start_launch)


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
            "people": [(key, person["label"], person["role"], person["name"], [
                str(PEOPLE[m]["label"]) for m in person.get("mentees", [])
            ]) for key, person in PEOPLE.items()],
        })


@require_GET
@xframe_options_exempt
def launch(request):
    """/sandbox/launch?person=student_1&course=field-training-1&lang=ar: start an LTI launch."""
    person, course = request.GET.get("person", ""), request.GET.get("course", "")
    language = _language(request)
    if person not in PEOPLE:
        return _bad_request(language, _("Choose one of the sandbox people."))
    if course not in COURSES:
        return _bad_request(language, _("Choose one of the sandbox courses."))
    ensure_sandbox_registration()  # also when `maydan demo` was not run first
    return start_launch(request, person=person, course=course, locale=language)


@csrf_exempt  # the tool redirects the browser here; nothing but the OIDC parameters is trusted
@xframe_options_exempt
@require_http_methods(["GET", "POST"])
def authorize(request):
    """OIDC authorization endpoint: checks the tool's request, signs the id_token, posts it back."""
    language = _language(request)
    try:
        return SandboxMessageLaunch(DjangoRequest(request), SandboxPlatformConf()).lti_launch()
    except (PreflightRequestValidationException, AuthorizeError):
        return _bad_request(language, _("The sandbox refused this authorization request."))


@require_GET
def jwks(request):
    return JsonResponse(platform_jwks())


@csrf_exempt
@require_POST
def token(request):
    # Access tokens (AGS, NRPS) are not offered by the sandbox yet.
    return JsonResponse({"error": "unsupported_grant_type"}, status=400)
