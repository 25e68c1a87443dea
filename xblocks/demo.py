"""A `user` service for the xblock-sdk workbench that lets you act as each Maydan role.

The stock workbench user service reports no role. This one reads the workbench's
`?student=` id and answers like Open edX would, so on
http://127.0.0.1:8000/workbench/scenario/maydan_fieldlog.0/ you can be:

    ?student=student_1      a student (Sara Adel)          ?student=student_2   another student
    ?student=academic_1     the academic supervisor (Open edX course staff)
    ?student=agency_1       the agency supervisor of student_1 and student_2
    ?student=coordinator_1  the field coordinator
    ?student=student_en     a student who reads English (any id ending in "_en" gets English)

Unknown ids get their role from their prefix (`academic_7` → academic supervisor), else student.

Language: the workbench hands a user service no request, so a `?lang=` parameter cannot
reach it (and the workbench's handler URLs drop it). The language is therefore part of
the demo person: Arabic, or English for ids ending in "_en".
"""
import warnings

from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import UserIdDeprecationWarning

from .base import MENTEES_ATTR

# Open edX `edx-platform.user_role` values, plus the demo-only "maydan:*" roles of maydan.roles.
_PREFIX_ROLES = (
    ("academic", "staff"),
    ("staff", "staff"),
    ("instructor", "instructor"),
    ("agency", "maydan:agency_supervisor"),
    ("coordinator", "maydan:coordinator"),
    ("author", "maydan:author"),
    ("student", "student"),
)

DEMO_PEOPLE = {
    "student_1": "Sara Adel / سارة عادل",
    "student_2": "Omar Nabil / عمر نبيل",
    "student_en": "Emily Carter",
    "academic_1": "Dr. Hoda Samir / د. هدى سمير",
    "agency_1": "Rami Fathy / رامي فتحي",
    "coordinator_1": "Amal Mahmoud / أمل محمود",
    "author_1": "Dr. Karim Youssef / د. كريم يوسف",
}
# Whom each demo agency supervisor mentors (their anonymous ids, see `anonymous_id`).
DEMO_MENTEES = {"agency_1": ["student_1", "student_2", "student_en"]}


def role_of(student_id):
    for prefix, role in _PREFIX_ROLES:
        if student_id.startswith(prefix):
            return role
    return "student"


def language_of(student_id):
    return "en" if student_id.endswith("_en") else "ar"


def anonymous_id(student_id):
    """The demo's anonymous id is the workbench id, so the stock user service sees the same person."""
    return student_id


def make_user(student_id):
    """The XBlockUser Open edX would hand a block for this demo person."""
    user = XBlockUser(
        is_current_user=True,
        emails=[f"{student_id}@example.edu"],
        full_name=DEMO_PEOPLE.get(student_id, f"Demo {student_id}"),
    )
    user.opt_attrs.update({
        "edx-platform.user_role": role_of(student_id),
        "edx-platform.username": student_id,
        "edx-platform.anonymous_user_id": anonymous_id(student_id),
        "edx-platform.is_authenticated": True,
        "edx-platform.user_preferences": {"pref-lang": language_of(student_id)},
        "xblock-workbench.user_id": student_id,
    })
    if student_id in DEMO_MENTEES:
        user.opt_attrs[MENTEES_ATTR] = [anonymous_id(s) for s in DEMO_MENTEES[student_id]]
    return user


class RoleUserService(UserService):
    """Set in settings.WORKBENCH["services"]["user"].

    The workbench instantiates services as cls() and sets `.runtime` afterwards; the
    runtime learns its user id only after that, so it is read on each call.
    """

    runtime = None

    def get_current_user(self):
        with warnings.catch_warnings():  # Runtime.user_id is deprecated, but it is the workbench's only source
            warnings.simplefilter("ignore", UserIdDeprecationWarning)
            student_id = getattr(self.runtime, "user_id", None)
        return make_user(str(student_id or "student_1"))
