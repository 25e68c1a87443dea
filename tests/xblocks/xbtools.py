"""Running the field log block on XBlock's own TestRuntime, as the LMS would for each person."""
import json
import re
from datetime import date, timedelta
from html import unescape

import webob
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from xblock.fields import ScopeIds
from xblock.reference.user_service import UserService, XBlockUser
from xblock.runtime import DictKeyValueStore, KvsFieldData
from xblock.test.tools import TestRuntime

from xblocks.fieldlog import MENTEES_ATTR, FieldLogXBlock

COURSE_KEY = CourseLocator("MaydanU", "SW401", "2025")
USAGE_KEY = BlockUsageLocator(COURSE_KEY, block_type="maydan_fieldlog", block_id="fieldlog1")


class StaticUserService(UserService):
    def __init__(self, user, **kwargs):
        super().__init__(**kwargs)
        self._user = user

    def get_current_user(self):
        return self._user


class RecordingRuntime(TestRuntime):
    """TestRuntime leaves publish and handler URLs unimplemented; this records what the block publishes."""

    __test__ = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = []

    def publish(self, block, event_type, event_data):
        self.published.append((event_type, event_data))

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/courses/{COURSE_KEY}/xblock/{block.scope_ids.usage_id}/handler/{handler_name}"

    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"

    def resource_url(self, resource):
        return f"/static/{resource}"


def user_id(user):
    """The block's user id: the anonymous id, or (a user the LMS gave none) the number kept in opt_attrs."""
    return user.opt_attrs.get("edx-platform.anonymous_user_id") or user.opt_attrs["test.user_id"]


def lms_user(anonymous_id, role="student", lang="ar", name="", mentees=None, number=""):
    """The user the LMS's user service hands a block; with `anonymous_id` None, one known by `number` only."""
    user = XBlockUser(is_current_user=True, emails=[f"{anonymous_id or number}@example.edu"],
                       full_name=name or anonymous_id or number)
    user.opt_attrs.update({
        "edx-platform.user_role": role,
        "edx-platform.anonymous_user_id": anonymous_id,
        "test.user_id": number,
        "edx-platform.is_authenticated": True,
        "edx-platform.user_preferences": {"pref-lang": lang} if lang else {},
    })
    if mentees is not None:
        user.opt_attrs[MENTEES_ATTR] = mentees
    return user


class LmsCourse:
    """One course with one field-log block; the block's settings are shared by everyone, as in the LMS."""

    def __init__(self, usage_key=USAGE_KEY, block_class=FieldLogXBlock):
        self.usage_key, self.block_class = usage_key, block_class
        self.kvs = DictKeyValueStore()

    def open(self, user):
        """(block, runtime) for this person: a fresh runtime per request, as in the LMS."""
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(self.kvs), "user": StaticUserService(user)})
        scope_ids = ScopeIds(user_id(user), self.usage_key.block_type,
                             self.usage_key, self.usage_key)
        return runtime.construct_xblock_from_class(self.block_class, scope_ids), runtime


class Person:
    """Someone using the block: renders it and posts its forms, like the block's script does."""

    def __init__(self, course, user):
        self.course, self.user = course, user
        self.published = []

    def view(self, name="student_view"):
        block, runtime = self.course.open(self.user)
        html = runtime.render(block, name).content
        self.published += runtime.published
        return html

    def act(self, **form):
        return self.post("act", form)

    def post(self, handler, form):
        block, runtime = self.course.open(self.user)
        request = webob.Request.blank("/", POST={k: v for k, v in form.items() if v is not None})
        response = runtime.handle(block, handler, request)
        self.published += runtime.published
        return response

    def post_json(self, handler, payload):
        block, runtime = self.course.open(self.user)
        request = webob.Request.blank("/", method="POST", body=json.dumps(payload).encode())
        request.content_type = "application/json"
        response = runtime.handle(block, handler, request)
        self.published += runtime.published
        return response

    def block(self):
        return self.course.open(self.user)[0]


def entry(**overrides):
    """A valid entry from last week, as the entry form posts it."""
    values = {
        "action": "save",
        "submit": "1",
        "date": (date.today() - timedelta(days=7)).isoformat(),
        "start_time": "09:00",
        "end_time": "11:30",
        "activity_type": "home_visit",
        "modality": "in_person",
        "time_kind": "direct",
        "agency": "Hope Family Centre, Giza",
        "client_code": "C-014",
        "description": "Home visit to family C-014 to review the care plan.",
        "reflection": "I rushed the opening; next time I will contract first.",
    }
    values.update(overrides)
    return values


def entry_ids(html):
    return re.findall(r'data-entry="(\d+)"', html)


def placement_ids(html):
    return re.findall(r'data-placement="(\d+)"', html)


def new_link(html):
    match = re.search(r'class="maydan-new-link".*?value="([^"]+)"', html, re.S)
    return unescape(match.group(1)) if match else None


def tr(language, text):
    """`text` as a person reading `language` sees it, from the project's catalogs."""
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(text)
