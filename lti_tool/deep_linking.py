"""Deep Linking 2.0: a teacher picks Maydan activities and the platform places them.

The picker's form carries the validated request in a signed, expiring token (like the launch
context, no cookie): whoever posts it back was shown the picker after a real launch.
"""
from django.core import signing
from django.utils.translation import gettext_lazy as _
from pylti1p3.deep_link import DeepLink
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem

from maydan import activities, roles
from maydan.errors import Forbidden, Invalid

from .claims import DEEP_LINKING as REQUEST, DL
from .lti import CLAIM, DatabaseToolConf, launch_url
from .placements import CUSTOM_ACTIVITY, join

SETTINGS_CLAIM = DL + "deep_linking_settings"
SALT = "maydan.lti-deep-linking"
MAX_AGE = 60 * 60  # an hour to choose
# Who may place activities: Instructor/TeachingAssistant, ContentDeveloper, Administrator.
PLACERS = frozenset({roles.ACADEMIC, roles.AUTHOR, roles.COORDINATOR})


def check_placer(claims):
    """Refuse a Learner (or a Mentor) before anything is written."""
    if not roles.from_lti(claims.get(CLAIM + "roles")) & PLACERS:
        raise Forbidden(_("Only teachers can add Maydan activities to a course."))


def request_token(claims, client_id, course, language):
    settings = claims[SETTINGS_CLAIM]
    return signing.dumps({
        "iss": claims["iss"], "client": client_id, "deployment": claims[CLAIM + "deployment_id"],
        "settings": settings, "course": course.pk, "language": language,
    }, salt=SALT, compress=True)


def load_request(token):
    try:
        return signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise Forbidden(_("This choice has expired. Add the activity from the course again."))
    except (signing.BadSignature, ValueError, TypeError):
        raise Forbidden(_("This choice was not started from your course. Add the activity from the course again."))


def chosen_items(course, chosen, settings):
    """The catalogue items a teacher ticked, refusing unknown ones and more than the platform accepts."""
    if not chosen:
        raise Invalid(_("Choose at least one activity."))
    if len(chosen) > 1 and str(settings.get("accept_multiple", True)).lower() == "false":
        raise Invalid(_("This course accepts one activity at a time."))
    offered = {join(item.kind, item.key): item for item in activities.catalog(course)}
    try:
        return [offered[value] for value in chosen]
    except KeyError:
        raise Invalid(_("This activity does not exist."))


def response_jwt(request, items, language):
    """The LtiDeepLinkingResponse, signed with the tool's key (kid in its header); titles in `language`."""
    registration = DatabaseToolConf().find_registration_by_params(request["iss"], request["client"])
    resources = []
    for item in items:
        resource = (DeepLinkResource().set_url(launch_url()).set_title(item.title(language))
                    .set_custom_params({CUSTOM_ACTIVITY: join(item.kind, item.key)}))
        if item.graded:
            resource.set_lineitem(LineItem().set_score_maximum(item.max_score).set_label(item.title(language))
                                  .set_resource_id(join(item.kind, item.key)))
        resources.append(resource)
    return DeepLink(registration, request["deployment"], request["settings"]).get_response_jwt(resources)
