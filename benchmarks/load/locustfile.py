"""A day's traffic on Maydan, for Locust: students logging, supervisors approving, calendars polling,
coordinators watching the cohort.

Everyone arrives as they do in production: students, agency supervisors with a platform account and
coordinators by a real LTI 1.3 launch through the sandbox platform (platform start -> tool login ->
platform signs the id_token -> tool launch), agency supervisors without an account by the signed link
the academic supervisor issued them, calendar programs by their private feed address. Each then posts
the forms of the page they were given (their hidden fields included: the signed launch context is the
credential, not a cookie), so every action runs the product's own path: a student saves and submits
entries on their own placement, a supervisor approves what waits on the placements that are theirs.

Each simulated person holds an identity (a student, a supervisor) no other simulated person holds at
the same time, so no two act on the same entry: any answer but the expected one is an error.
The plan (LOAD_PLAN, written by run.py) names the identities; MAYDAN_SANDBOX_URL is the platform.
"""
import json
import os
import random
import re
import time
from collections import deque
from datetime import date, timedelta
from html.parser import HTMLParser

from locust import HttpUser, between, constant_pacing, task

PLAN = json.load(open(os.environ["LOAD_PLAN"]))
SANDBOX = os.environ["MAYDAN_SANDBOX_URL"]
LANGUAGES = ["ar", "ar", "ar", "en"]  # most of the day is in Arabic


class Seats:
    """Identities handed out one at a time: taken from the front, given back at the end."""

    def __init__(self, identities):
        self.free = deque(identities)
        random.Random(19).shuffle(self.free)

    def take(self):
        if not self.free:  # two simulated people on one seat would act on the same entries
            raise RuntimeError("more simulated people than identities to give them: write a larger --program")
        return self.free.popleft()

    def give(self, identity):
        self.free.append(identity)


STUDENTS = Seats(PLAN["students"])
MENTOR_SEATS = Seats(PLAN["mentor_seats"])  # an agency supervisor and a share of their students
LINK_SEATS = Seats(PLAN["link_seats"])  # the links of a share of a supervisor's students
NEXT_SLOT = {}  # student -> how many entries this run gave them: each goes in a slot of its own (no overlap)
# The days this run's entries go on, as days before today (the warm-up has days of its own), in the evening
# hours the program's history leaves free.
FIRST_DAY, LAST_DAY = (int(n) for n in os.environ.get("LOAD_DAYS", "0-2").split("-"))


class Forms(HTMLParser):
    """The forms of a page: each with its action, its fields' values and its submit buttons."""

    def __init__(self, page):
        super().__init__()
        self.forms, self._open = [], None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = {"action": a.get("action", ""), "fields": {}, "buttons": set()}
            self.forms.append(self._open)
        elif self._open is not None and tag == "input" and a.get("name") and a.get("type") in ("hidden", "text"):
            self._open["fields"][a["name"]] = a.get("value") or ""
        elif self._open is not None and tag == "button" and a.get("name"):
            self._open["buttons"].add((a["name"], a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None

    def with_button(self, name, value):
        return [f for f in self.forms if (name, value) in f["buttons"]]

    def with_field(self, name, value=None):
        return [f for f in self.forms if name in f["fields"] and value in (None, f["fields"][name])]


def expect(response, status=200):
    """Mark the answer failed unless it is the expected one (a refusal page is 4xx, a crash 5xx)."""
    if response.status_code != status:
        error = re.search(r'role="alert"[^>]*>([^<]+)', response.text or "")
        response.failure(f"{response.status_code}: {error.group(1).strip() if error else response.text[:200]!r}")
    else:
        response.success()
    return response


def by_script(client):
    """The headers maydan.js sends with a screen's form."""
    return {"X-Requested-With": "fetch", "X-CSRFToken": client.cookies.get("csrftoken", "")}


class Launched(HttpUser):
    """A person who arrives by an LTI launch and then posts the launched page's forms."""

    abstract = True
    page = None

    def launch(self, person, course=None):
        """The real flow; the tool's two requests are also reported together as `LTI launch (tool)`."""
        self.client.cookies.clear()  # a new visit from the platform
        self.language = random.choice(LANGUAGES)
        params = {"person": person, "course": course or PLAN["course"], "lang": self.language}
        with self.client.get(f"{SANDBOX}/sandbox/launch", params=params, allow_redirects=False,
                             name="launch 1: platform starts", catch_response=True) as start:
            expect(start, 302)
        tool = time.perf_counter()
        with self.client.get(start.headers["Location"], allow_redirects=False, name="launch 2: tool login",
                             catch_response=True) as login:
            expect(login, 302)
        spent = time.perf_counter() - tool
        with self.client.get(login.headers["Location"], name="launch 3: platform signs",
                             catch_response=True) as signed:
            expect(signed)
        form = dict(re.findall(r'name="(id_token|state)" value="([^"]+)"', signed.text))
        target = re.search(r'action="([^"]+)"', signed.text).group(1).replace("&amp;", "&")
        tool = time.perf_counter()
        with self.client.post(target, data=form, name="launch 4: tool launch", catch_response=True) as launched:
            expect(launched)
        spent += time.perf_counter() - tool
        self.environment.events.request.fire(
            request_type="LTI", name="LTI launch (tool: login + launch)", response_time=spent * 1000,
            response_length=len(launched.content), exception=None if launched.ok else Exception("launch refused"),
            context={})
        self.page = Forms(launched.text)
        form = self.page.with_field("ctx")[0]
        self.ctx, self.endpoint = form["fields"]["ctx"], form["action"]
        return self.page

    def post(self, name, fields, endpoint=None):
        """A form of the screen, as the page's script posts it (maydan.js): by fetch, the screen comes back alone.
        A form that leaves the screen (`endpoint`, e.g. the cohort dashboard) is posted by the browser."""
        headers = {} if endpoint else by_script(self.client)
        with self.client.post(endpoint or self.endpoint, data={"ctx": self.ctx, "lang": self.language, **fields}, name=name,
                              headers=headers, catch_response=True) as answer:
            expect(answer)
        if answer.ok:
            self.page = Forms(answer.text)
        return answer


class Student(Launched):
    """Logs the day's activities: a few drafts and submissions per visit, then leaves; another comes."""

    weight = 20
    wait_time = between(3, 8)  # reading, typing

    def on_start(self):
        self.arrive()

    def on_stop(self):
        STUDENTS.give(self.person)

    def arrive(self):
        self.person = STUDENTS.take()
        self.launch(self.person)

    def entry(self):
        """A new activity in a slot of its own: one of seven evening hours a day, on this run's days."""
        slot = NEXT_SLOT.get(self.person, 0)
        NEXT_SLOT[self.person] = slot + 1
        days_ago = FIRST_DAY + slot // 7 % (LAST_DAY - FIRST_DAY + 1)
        day, hour = date.today() - timedelta(days=days_ago), 16 + slot % 7
        remote = random.random() < 0.3
        return {
            "date": day.isoformat(), "start_time": f"{hour:02d}:00", "end_time": f"{hour:02d}:45",
            "activity_type": random.choice(["home_visit", "interview", "field_visit", "e_therapy", "group_session"]),
            "modality": "remote" if remote else "in_person", "time_kind": random.choice(["direct", "indirect"]),
            "meeting_link": "https://meet.jit.si/MaydanFieldVisit" if remote else "",
            "client_code": f"C-{random.randrange(100, 999)}",
            "competencies": random.sample(["1", "2", "3", "4", "5", "6", "7", "8", "9"], 2),
            "description": random.choice([
                "زيارة منزلية لمراجعة خطة الأمان مع الأسرة.", "Intake interview: gathered the family's history.",
                "جلسة إرشاد عن بعد حول التعامل مع القلق.", "Group session on parenting skills at the centre."]),
            "reflection": "" if random.random() < 0.7 else "تعلمت أن أبدأ بالتعاقد قبل الأسئلة.",
        }

    def new_entry(self, submit):
        """The log's entry form as the page gave it (its hidden fields, the agency it fills in), filled in."""
        form = next((f for f in self.page.forms if ("submit", "1") in f["buttons"]), {"fields": {}})
        given = {name: value for name, value in form["fields"].items() if name != "entry"}  # a new one, not the draft open
        return {**given, **self.entry(), "action": "save", "submit": submit}

    @task(6)
    def save_draft(self):
        self.post("student: save a draft", self.new_entry("0"))

    @task(4)
    def save_and_submit(self):
        self.post("student: save and submit", self.new_entry("1"))

    @task(3)
    def submit_a_draft(self):
        drafts = self.page.with_button("action", "submit")
        if drafts:
            self.post("student: submit a draft", {"action": "submit", "entry": random.choice(drafts)["fields"]["entry"]})

    @task(2)
    def edit_a_draft(self):
        drafts = self.page.with_button("action", "submit")
        if drafts:
            entry = random.choice(drafts)["fields"]["entry"]
            self.post("student: open a draft", {"action": "view", "entry": entry})
            self.post("student: save a draft", {"action": "save", "submit": "0", "entry": entry, **self.entry()})

    @task(2)
    def open_log(self):
        self.post("student: open the log", {"action": "view"})

    @task(3)
    def leave(self):
        STUDENTS.give(self.person)
        self.arrive()


def review_one(page, post, kind):
    """Approve one entry waiting on the page, or now and then return it with a comment (the student hears
    of it by e-mail, from the background worker). Posts the entry's own form with its own fields."""
    waiting = page.with_button("action", "approve")
    if waiting:
        form = random.choice(waiting)
        if random.random() < 0.15:
            post(form, {**form["fields"], "action": "return", "comment": "أضف ما تعلمته من الزيارة. Add what you learnt."},
                 f"{kind}: return an entry")
        else:
            post(form, {**form["fields"], "action": "approve", "comment": random.choice(["", "", "أحسنت", "Well observed."])},
                 f"{kind}: approve an entry")


class AgencySupervisor(Launched):
    """An agency supervisor with a platform account: launches, opens each student, approves what waits."""

    weight = 3
    wait_time = between(4, 10)

    def on_start(self):
        self.seat = MENTOR_SEATS.take()
        self.person, self.placements = self.seat["mentor"], self.seat["placements"]
        self.arrive()

    def on_stop(self):
        MENTOR_SEATS.give(self.seat)

    def arrive(self):
        overview = self.launch(self.person)
        listed = {f["fields"]["placement"] for f in overview.with_field("view", "placement")}
        if not set(self.placements) <= listed:
            self.environment.events.request.fire(
                request_type="check", name="mentor: their students listed", response_time=0, response_length=0,
                exception=Exception(f"not listed: {sorted(set(self.placements) - listed)}"), context={})

    @task(5)
    def review_a_student(self):
        placement = random.choice(self.placements)
        self.post("mentor: open a student's log", {"action": "view", "view": "placement", "placement": placement})
        review_one(self.page, lambda form, fields, name: self.post(name, fields), "mentor")

    @task(1)
    def relaunch(self):
        self.arrive()


class LinkSupervisor(HttpUser):
    """An agency supervisor without a platform account: opens each student's link from their e-mail."""

    weight = 3
    wait_time = between(4, 10)

    def on_start(self):
        self.tokens = LINK_SEATS.take()

    def on_stop(self):
        LINK_SEATS.give(self.tokens)

    @task
    def review_a_student(self):
        language = random.choice(LANGUAGES)
        path = f"/maydan/agency/{random.choice(self.tokens)}/"
        with self.client.get(path, params={"lang": language}, name="link: open a student's log",
                             catch_response=True) as page:
            expect(page)
        if page.ok:
            review_one(Forms(page.text), self.review, "link")

    def review(self, form, fields, name):
        with self.client.post(form["action"], data=fields, name=name, headers=by_script(self.client),
                              catch_response=True) as done:
            expect(done)


class CalendarProgram(HttpUser):
    """Calendar programs polling people's private feeds: one a second, as a program of a few thousand
    people whose calendars refresh every half hour or so."""

    fixed_count = 1
    wait_time = constant_pacing(1)

    @task
    def poll(self):
        with self.client.get(f"/maydan/feed/{random.choice(PLAN['feeds'])}.ics", name="calendar feed",
                             catch_response=True) as feed:
            expect(feed)
            if feed.ok and not feed.text.startswith("BEGIN:VCALENDAR"):
                feed.failure("not a calendar")


class Coordinator(Launched):
    """The field coordinator or the academic supervisor watching the cohort through the day."""

    fixed_count = 1
    wait_time = between(5, 15)

    def on_start(self):
        self.arrive()

    def arrive(self):
        page = self.launch(random.choice(PLAN["coordinators"]))
        self.dashboard_form = next(f for f in page.forms if f["action"].endswith("/dashboard"))  # the bar's button

    @task(4)
    def dashboard(self):
        self.post("coordinator: cohort dashboard", self.dashboard_form["fields"], endpoint=self.dashboard_form["action"])

    @task(1)
    def relaunch(self):
        self.arrive()
