"""The five course roles and how each platform's role names map onto them."""
from django.utils.translation import gettext_lazy as _

STUDENT = "student"
ACADEMIC = "academic_supervisor"
AGENCY = "agency_supervisor"
AUTHOR = "author"
COORDINATOR = "coordinator"

LABELS = {
    STUDENT: _("Student"),
    ACADEMIC: _("Academic supervisor"),
    AGENCY: _("Agency supervisor"),
    AUTHOR: _("Course author"),
    COORDINATOR: _("Field coordinator"),
}
CHOICES = list(LABELS.items())

# Roles that supervise every placement of a course.
COURSE_SUPERVISORS = frozenset({ACADEMIC, COORDINATOR})

_LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
_LTI_ROLE_NAMES = {
    "Learner": STUDENT,
    "Instructor": ACADEMIC,
    "TeachingAssistant": ACADEMIC,
    "Mentor": AGENCY,
    "ContentDeveloper": AUTHOR,
    "Administrator": COORDINATOR,
}

_OPENEDX_ROLES = {
    "student": STUDENT,
    "staff": ACADEMIC,
    "instructor": ACADEMIC,
    # Not an Open edX role: the demo's user service uses these to let a person try every role.
    "maydan:agency_supervisor": AGENCY,
    "maydan:author": AUTHOR,
    "maydan:coordinator": COORDINATOR,
}


def from_lti(role_uris, default=STUDENT):
    """Map LTI 1.3 role URIs (context, institution or short names) to Maydan roles.

    No known role gives `default` (least privilege for a launch; a roster passes None to skip).
    """
    roles = set()
    for uri in role_uris or ():
        name = uri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if uri.startswith(_LIS + "institution/") and name != "Administrator":
            continue  # institution roles say nothing about this course, except administrators
        if name in _LTI_ROLE_NAMES:
            roles.add(_LTI_ROLE_NAMES[name])
    return roles or ({default} if default else set())


def from_openedx(user_role):
    """Map the `edx-platform.user_role` of the XBlock user service; unknown names get least privilege."""
    return {_OPENEDX_ROLES.get(user_role or "student", STUDENT)}
