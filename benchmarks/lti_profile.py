"""Where a launch's time goes: the tool's login + launch, in process, with its SQL queries counted
and the view code profiled (cProfile).

Run: .venv/bin/python benchmarks/lti_profile.py [--launches 100] [--top 25] [--stages]
--stages prints, instead of the profile, the CPU each stage of a login + launch costs (no profiler):
where Maydan's launch costs more than the reference tool's, which does only the protocol.
The sandbox platform runs in the same process (Django's test client) but only the tool's two
requests are counted and profiled. lti_launch.py prints the query count from here too.
"""
import argparse
import cProfile
import html
import pstats
import re
import sys
import time

if __name__ == "__main__":
    import lti_server

    lti_server.prepare_environment()
    import django

    django.setup()

PEOPLE = ["student_1", "student_2", "instructor", "mentor", "admin"]


class ToolRequests:
    """One launch through the test client; `around(call)` wraps each of the tool's two requests."""

    def __init__(self, around):
        self.around = around

    def launch(self, i):
        from django.test import Client

        browser = Client()
        start = browser.get("/sandbox/launch", {"person": PEOPLE[i % len(PEOPLE)], "course": "field-training-1",
                                                "lang": "en"})
        login = self.around(lambda: browser.get(_path(start["Location"])))
        page = browser.get(_path(login["Location"])).content.decode()
        form = dict(re.findall(r'name="(id_token|state)" value="([^"]+)"', page))
        target = html.unescape(re.search(r'action="([^"]+)"', page).group(1))
        launched = self.around(lambda: browser.post(_path(target), form))
        if launched.status_code != 200:
            raise RuntimeError(f"launch {i} answered {launched.status_code}")


def _path(url):
    return "/" + url.split("//", 1)[1].split("/", 1)[1] if url.startswith("http") else url


def queries_per_launch(launches=10):
    """(login queries, launch queries, queries per cached-key launch) over `launches` warm launches."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []

    def around(call):
        with CaptureQueriesContext(connection) as captured:
            response = call()
        counts.append(len(captured))
        return response

    flow = ToolRequests(lambda call: call())
    for i in range(len(PEOPLE)):  # first launches create the people
        flow.launch(i)
    flow.around = around
    for i in range(launches):
        flow.launch(i)
    logins, launched = counts[0::2], counts[1::2]
    return sum(logins) / len(logins), sum(launched) / len(launched)


def show_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def around(call):
        with CaptureQueriesContext(connection) as captured:
            response = call()
        for query in captured:
            print("   ", query["sql"][:160])
        print("  --", len(captured), "queries")
        return response

    ToolRequests(lambda call: call()).launch(0)
    ToolRequests(around).launch(0)


def main():
    import lti_server

    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=100)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print one launch's queries")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative, tottime…")
    parser.add_argument("--stages", action="store_true", help="CPU per stage of a launch instead of the profile")
    args = parser.parse_args()
    lti_server.setup_database()
    with lti_server.sandbox_server():  # the roster service the first launch of a course calls
        profile(args)


# Stages of a login + launch: each the CPU of the function named, with what it calls.
STAGES = [
    ("login: OIDC checks and redirect (pylti1p3)", "lti_tool.views", "login"),
    ("launch: token, signature, nonce, state (pylti1p3)", "lti_tool.lti", "MessageLaunch.get_launch_data"),
    ("launch: person, course, roles, placement and the link (1 query)", "maydan.people", "as_recorded"),
    ("launch: the link's course checked (read with the person)", "lti_tool.placements", "check_course"),
    ("launch: an agency supervisor's students (1 query)", "maydan.people", "supervises_as_recorded"),
    ("launch: roster freshness (read with the registration)", "lti_tool.nrps", "sync_on_launch"),
    ("first screen: its data (queries)", "maydan.fieldlog.screens", "_context"),
    ("first screen: drawn, data included", "maydan.fieldlog.screens", "render"),
    ("the signed launch context", "lti_tool.context", "dump"),
    ("the supervisor bar", "lti_tool.service_views", "supervisor_bar"),
    ("the page around the screen", "maydan.pages", "screen_response"),
]
WHOLE = "the tool's two requests, whole (Django's request handling and the test client included)"


def stages(launches):
    """CPU ms per login + launch of each stage (STAGES), and of the tool's two requests whole."""
    import importlib

    from django.urls import get_resolver

    spent = {}

    def timed(label, function):
        def wrapper(*args, **kwargs):
            t0 = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - t0
        return wrapper

    undo = []
    for label, module_name, name in STAGES:
        owner, attribute = importlib.import_module(module_name), name
        if "." in name:
            owner, attribute = getattr(owner, name.split(".")[0]), name.split(".")[1]
        undo.append((owner, attribute, getattr(owner, attribute)))
        setattr(owner, attribute, timed(label, getattr(owner, attribute)))
    for pattern in _patterns(get_resolver()):  # the URL patterns hold the views themselves
        if pattern.callback is undo[0][2]:
            undo.append((pattern, "callback", pattern.callback))
            pattern.callback = getattr(undo[0][0], undo[0][1])
    try:
        flow = ToolRequests(lambda call: timed(WHOLE, call)())
        for i in range(len(PEOPLE)):
            flow.launch(i)
        spent.clear()
        for i in range(launches):
            flow.launch(i)
    finally:
        for owner, attribute, original in undo:
            setattr(owner, attribute, original)
    return {label: value / launches * 1000 for label, value in spent.items()}


def _patterns(resolver):
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from _patterns(pattern)
        else:
            yield pattern


def profile(args):
    from django.db import connection

    if args.stages:
        costs = stages(args.launches)
        print(f"CPU per login + launch ({connection.vendor}), by stage, ms:")
        for label, _module, _name in STAGES:
            print(f"  {costs.get(label, 0.0):6.2f}  {label}")
        print(f"  {costs[WHOLE]:6.2f}  {WHOLE}")
        return
    if args.sql:
        show_queries()
    login_q, launch_q = queries_per_launch()
    print(f"SQL queries ({connection.vendor}): login {login_q:.1f}, launch {launch_q:.1f} per launch")
    # CPU time, not the wall clock: what the tool's process spends whatever else the machine runs
    # (the database's and the cache's servers count on their own).
    profiler, spent = cProfile.Profile(time.process_time), [0.0, 0.0]

    def unprofiled(call):  # the figure without the profiler's own cost
        t0 = time.process_time()
        try:
            return call()
        finally:
            spent[1] += time.process_time() - t0

    def around(call):
        t0 = time.process_time()
        profiler.enable()
        try:
            return call()
        finally:
            profiler.disable()
            spent[0] += time.process_time() - t0

    for wrapper in (unprofiled, around):
        flow = ToolRequests(wrapper)
        for i in range(args.launches):
            flow.launch(i)
    print(f"tool CPU time in process: {spent[1] / args.launches * 1000:.1f} ms per login + launch "
          f"({spent[0] / args.launches * 1000:.1f} ms under the profiler)")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
