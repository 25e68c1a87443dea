"""A course with a person in every role, and every handler of both adapters as something to post to.

Handlers are discovered, not listed: the project's URL patterns (lti_tool.urls, which includes the
core's maydan.urls), each activity kind's screen actions (maydan.activities.KINDS), and every
@XBlock.handler of every block registered as an `xblock.v1` entry point. `uncovered()` names what a
new URL, action or block handler would add without a way here to post to it.
"""
import json
import time
from dataclasses import dataclass
from importlib.metadata import entry_points

import webob
from django.apps import apps
from django.core import signing
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from opaque_keys.edx.locator import BlockUsageLocator, CourseLocator
from xblock.fields import ScopeIds
from xblock.runtime import DictKeyValueStore, KvsFieldData

from lti_tool import context
from maydan import activities, demo, people, roles
from maydan.fieldlog import links
from maydan.cohort import exports
from maydan.notify import services as notify
from maydan.program import agency_links, services as program_services
from maydan.sessions import calendars
from tests.xblocks.xbtools import RecordingRuntime, StaticUserService, lms_user

ANONYMOUS = "anonymous"
ROLES = (roles.STUDENT, roles.ACADEMIC, roles.AGENCY, roles.AUTHOR, roles.COORDINATOR, ANONYMOUS)
ISSUER, CONTEXT = "https://lms.example.edu", "fuzz-course"
# What no request from a course's people reaches, and why it is not fuzzed here.
NOT_FUZZED = {
    "admin": "Django's own admin, for signed-in site staff only",
    "workbench": "the XBlock SDK's demo workbench; the blocks' handlers are fuzzed on the XBlock runtime",
    "sandbox": "the demo LMS used by `maydan demo` and the tests, off in production",
    "demo": "the demo's outbox of e-mails (`maydan demo`), off in production",
}
_OPENEDX_ROLE = {roles.STUDENT: "student", roles.ACADEMIC: "instructor", roles.AGENCY: "maydan:agency_supervisor",
                 roles.AUTHOR: "maydan:author", roles.COORDINATOR: "maydan:coordinator"}


@dataclass(frozen=True)
class Handler:
    """One thing to post to: `name` for reports, `action` the screen action it is fuzzed with (or "")."""

    name: str
    adapter: str
    action: str = ""
    kind: str = ""


def url_names():
    """Every named URL of the project, as 'namespace:name', except the demo and admin sites."""
    found = set()

    def walk(patterns, namespace, top):
        for pattern in patterns:
            if top and str(pattern.pattern).strip("/").split("/")[0] in NOT_FUZZED:
                continue
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace, False)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", True)
    return found


def screen_actions(kind):
    module = activities.screens(kind)
    # A module may name the actions its `download` answers (DOWNLOADS); else one stands for them all.
    return sorted(getattr(module, "_ACTIONS", {})) + (
        list(getattr(module, "DOWNLOADS", ["csv"])) if getattr(module, "download", None) else [])


def block_classes():
    return {ep.name: ep.load() for ep in entry_points(group="xblock.v1") if ep.value.startswith("xblocks.")}


def block_handlers(cls):
    return sorted(name for name in dir(cls) if getattr(getattr(cls, name, None), "_is_xblock_handler", False))


def handlers():
    """Every (endpoint, screen action) and every block handler to fuzz."""
    found = []
    for kind in activities.KINDS:
        for action in screen_actions(kind):
            found.append(Handler(f"lti:app {kind}.{action}", "lti_app", action, kind))
            found.append(Handler(f"maydan:agency-link {kind}.{action}", "agency_link", action, kind))
    for block, cls in sorted(block_classes().items()):
        for name in block_handlers(cls):
            if name == "act":
                kind = cls.ACTIVITY or block.removeprefix("maydan_")  # the simulation block names its kind itself
                found += [Handler(f"{block}.act {kind}.{action}", "xblock", action, block)
                          for action in screen_actions(kind)]
            else:
                found.append(Handler(f"{block}.{name}", "xblock_json", name, block))
    found += [Handler(name, "url") for name in sorted(URL_POSTERS)]
    return found


# Addresses that carry no credential of ours (a platform's login and launch, public pages): everyone is anonymous.
ANONYMOUS_ONLY = {"home", "lti:jwks", "lti:login", "lti:launch", "lti:deep_link", "lti:register"}


def roles_for(handler):
    """Who posts to a handler: everyone, but where only some roles differ. On the agency link, the link's
    holder and someone with a forged token (every other role also just holds a wrong token)."""
    if handler.adapter == "agency_link":
        return (roles.AGENCY, ANONYMOUS)
    return (ANONYMOUS,) if handler.name in ANONYMOUS_ONLY else ROLES


def uncovered():
    """URL names with no way to post to them here (a new view must be added to URL_POSTERS)."""
    return sorted(url_names() - set(URL_POSTERS) - {"lti:app", "maydan:agency-link"})


# --- the world ---------------------------------------------------------------------------------


class World:
    """The seeded course, the people in each role, and how to post as each of them."""

    def __init__(self):
        course = demo.seed(ISSUER, CONTEXT, title="Fuzz course", students=[("s1", "Sara Adel"), ("s2", "Omar Nabil")],
                           academic=("a1", "Dr. Hoda"), agency=("m1", "Rami"), coordinator=("k1", "Amal"),
                           mentees={"s1"})
        self.course = course
        self.actors = {role: people.enter(ISSUER, CONTEXT, subject, {role})
                       for role, subject in ((roles.STUDENT, "s1"), (roles.ACADEMIC, "a1"), (roles.AGENCY, "m1"),
                                             (roles.AUTHOR, "au1"), (roles.COORDINATOR, "k1"))}
        self.items = {}
        for item in activities.catalog(course):
            self.items.setdefault(item.kind, item.key)
        placement = self.actors[roles.STUDENT].person.placements.first()
        _link, self.link_token = links.issue(self.actors[roles.ACADEMIC], placement.pk, days=30)
        coordinator = self.actors[roles.COORDINATOR]
        agency = program_services.save_agency(coordinator, {"name": "Fuzz agency"})
        _link, self.opening_token = agency_links.issue(coordinator, agency.pk, days=30)
        self.feed_keys = {role: calendars.feed_token(actor).key for role, actor in self.actors.items()}
        # A fault answers 500 as in production (and is kept in `self.faults`), instead of raising here.
        self.client = Client(raise_request_exception=False)
        self.faults = []
        self.blocks = {}
        for block, cls in block_classes().items():
            course_key = CourseLocator("MaydanU", "FUZZ", "2025")
            self.blocks[block] = (cls, BlockUsageLocator(course_key, block_type=block, block_id="b1"),
                                  DictKeyValueStore())
            for role in ROLES:  # a first visit enters the person; fuzzed posts come after
                self.post_block(block, "student_view", role, None)
        self._warm()

    def _warm(self):
        """Draw every screen once as each role, and write each export format once: the first use of a
        template or of an export library is slow once per process, and the time guard is for spinning."""
        for kind in activities.KINDS:
            for role in ROLES:
                self.client.post("/lti/app/", {"action": "view", "ctx": self.ctx(role, kind)})
        for fmt in exports.FORMATS:
            exports.whole(exports.export(self.actors[roles.COORDINATOR], next(iter(exports.TABLES)), fmt)[2])

    def ctx(self, role, kind="fieldlog"):
        if role == ANONYMOUS:
            return "forged-or-missing"
        return context.dump(self.actors[role], "en" if role in (roles.AUTHOR, roles.AGENCY) else "ar", kind,
                            self.items.get(kind, ""))

    # --- posting ---------------------------------------------------------------------------

    def post(self, handler, role, body):
        """(status, seconds) of one request as `role`."""
        started = time.perf_counter()
        try:
            status = self._send(handler, role, body)
        except Exception as error:  # noqa: BLE001 - an XBlock runtime lets the fault through; it is a 500
            self.faults.append(f"{handler.name} as {role}: {type(error).__name__}: {str(error)[:200]}")
            status = 500
        return status, time.perf_counter() - started

    def _send(self, handler, role, body):
        if handler.adapter == "lti_app":
            return self._status(self.client.post("/lti/app/", {**body, "ctx": self.ctx(role, handler.kind)}))
        if handler.adapter == "agency_link":
            token = self.link_token if role == roles.AGENCY else "abc"
            query = f"?activity={handler.kind}&key={self.items.get(handler.kind, '')}"
            return self._status(self.client.post(f"/maydan/agency/{token}/{query}", body))
        if handler.adapter == "xblock":
            return self.post_block(handler.kind, "act", role, body)
        if handler.adapter == "xblock_json":
            return self.post_block(handler.kind, handler.action, role, body)
        return self._status(URL_POSTERS[handler.name](self, role, body))

    def _status(self, response):
        if response.streaming:  # a streamed file is read to its end: a fault halfway through is a fault too
            b"".join(response.streaming_content)
        if getattr(response, "exc_info", None):
            _kind, error, _trace = response.exc_info
            self.faults.append(f"{response.request.get('PATH_INFO')}: {type(error).__name__}: {str(error)[:200]}")
        return response.status_code

    def post_block(self, block, handler, role, body):
        cls, usage_key, kvs = self.blocks[block]
        user = lms_user(f"anon-{role}", role=_OPENEDX_ROLE.get(role), lang="ar" if role == roles.STUDENT else "en",
                        mentees=["anon-student"] if role == roles.AGENCY else None)
        if role == ANONYMOUS:
            user.opt_attrs = {}
        runtime = RecordingRuntime(services={"field-data": KvsFieldData(kvs), "user": StaticUserService(user)})
        block_obj = runtime.construct_xblock_from_class(cls, ScopeIds(f"anon-{role}", block, usage_key, usage_key))
        if handler == "student_view":
            runtime.render(block_obj, "student_view")
            return 200
        if isinstance(body, bytes):
            request = webob.Request.blank("/", method="POST", body=body)
            request.content_type = "application/json"
        elif any(isinstance(value, tuple) for value in body.values()):
            request = webob.Request.blank("/", POST=body)  # a (file name, bytes) value: posted as multipart
        else:
            request = webob.Request.blank("/", POST=_flat(body))
        response = runtime.handle(block_obj, handler, request)
        response.body  # noqa: B018 - a streamed file is read to its end: a fault halfway through is a fault too
        return response.status_code


def _flat(form):
    """A form for webob: lists become repeated fields."""
    return [(k, v) for k, values in form.items() for v in (values if isinstance(values, list) else [values])]


def _feed_key(world, role, body):
    key = body.get("key") if isinstance(body.get("key"), str) else "abc"
    return world.feed_keys.get(role, key) if role != ANONYMOUS else key


def _session_id(body):
    value = body.get("session")
    return value if isinstance(value, str) and value.isascii() and value.isdigit() else "99999999999999999999999"


def _token_in(role, body, sign):
    """A token for a signed page: signed for the role's own address, or what the body holds (anonymous)."""
    if role == ANONYMOUS:
        token = body.get("token")
        return token if isinstance(token, str) and token and "/" not in token else "abc"
    return sign(f"{role}@example.edu")


def _media_file(world, role, body):
    """A scenario's media file asked with the role's own pass (anonymous: whatever pass the body holds)."""
    from maydan.simulation import media

    name = body.get("name") if isinstance(body.get("name"), str) and body["name"].strip("./") else "sleep-diary.svg"
    name = name.replace("/", "-").replace("?", "-").replace("#", "-")
    address = f"/maydan/simulation/media/{name}"
    if role == ANONYMOUS:
        return world.client.get(address, {**body, "v": body.get("v") if isinstance(body.get("v"), str) else "abc"})
    signed = media.url(world.actors[role], "sleep-diary.svg")
    return world.client.get(address, {**body, "v": signed.split("?v=")[1]})


def _mail_page(name, sign):
    return lambda w, role, body: w.client.post(f"/maydan/mail/{name}/{_token_in(role, body, sign)}/", body)


URL_POSTERS = {
    "home": lambda w, role, body: w.client.get("/", body),
    "lti:jwks": lambda w, role, body: w.client.get("/lti/jwks.json", body),
    "lti:login": lambda w, role, body: w.client.post("/lti/login", body),
    "lti:launch": lambda w, role, body: w.client.post("/lti/launch", body),
    "lti:deep_link": lambda w, role, body: w.client.post("/lti/deep-link", body),
    "lti:dashboard": lambda w, role, body: w.client.post("/lti/dashboard", {**body, "ctx": w.ctx(role)}),
    "lti:grades": lambda w, role, body: w.client.post("/lti/grades", {**body, "ctx": w.ctx(role)}),
    "lti:roster": lambda w, role, body: w.client.post("/lti/roster", {**body, "ctx": w.ctx(role)}),
    "lti:settings": lambda w, role, body: w.client.post("/lti/settings", {**body, "ctx": w.ctx(role)}),
    "lti:scenarios": lambda w, role, body: w.client.post("/lti/scenarios", {**body, "ctx": w.ctx(role)}),
    # The editor's request is JSON in one field: the hostile body goes both as that JSON and as plain fields.
    "lti:scenario_editor": lambda w, role, body: w.client.post(
        "/lti/scenarios/editor", {**body, "ctx": w.ctx(role), "request": json.dumps(body, default=str)}),
    "lti:register": lambda w, role, body: w.client.get("/lti/register", body),
    "maydan:notify-unsubscribe": _mail_page("unsubscribe", lambda a: notify.unsubscribe_token(a, "entry_returned")),
    "maydan:notify-preferences": _mail_page("preferences", notify.preferences_token),
    "maydan:notify-confirm": _mail_page(
        "confirm", lambda a: signing.dumps({"p": 1, "a": a}, salt=notify.CONFIRM_SALT, compress=True)),
    "maydan:notify-open": _mail_page("open", lambda a: signing.dumps(1, salt=notify.OPEN_SALT)),
    # The agency's own link (its openings and offers) for the link holder; a forged one for anyone else.
    "maydan:opening-link": lambda w, role, body: w.client.post(
        f"/maydan/openings/{w.opening_token if role == roles.COORDINATOR else 'abc'}/", body),
    # Public: a document's verification page, asked with whatever code a visitor types.
    "maydan:verify": lambda w, role, body: w.client.get(f"/maydan/verify/{_token_in(ANONYMOUS, body, None)}", body),
    "maydan:session-feed": lambda w, role, body: w.client.get(f"/maydan/feed/{_feed_key(w, role, body)}.ics",
                                                             body),
    "maydan:simulation-media": _media_file,
    "maydan:session-ics": lambda w, role, body: w.client.get(
        f"/maydan/feed/{_feed_key(w, role, body)}/session/{_session_id(body)}.ics", body),
}


# --- what a refused request must not write ------------------------------------------------------


# The one row any request through a signed link writes, refused or not: that the link was used
# (every use is audited, so a course sees who opened its students' logs or its agency's page, and how often).
ALWAYS_RECORDED = "action NOT IN ('link_use', 'opening_link_use')"


def row_counts():
    """Rows per table of the project's own models (the core, the LTI tool)."""
    counts = {}
    with connection.cursor() as cursor:
        for label in ("maydan", "lti_tool"):
            for model in apps.get_app_config(label).get_models():
                table = model._meta.db_table
                where = f" WHERE {ALWAYS_RECORDED}" if model._meta.model_name == "auditevent" else ""
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"{where}')
                counts[table] = cursor.fetchone()[0]
    return counts


def written(before, after):
    return {table: after[table] - before[table] for table in after if after[table] != before[table]}
