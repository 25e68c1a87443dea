"""A load run of the production shape: gunicorn (production settings), PostgreSQL, Redis (cache and
Celery broker), the Celery worker with its beat, and the sandbox LTI platform on a server and a
database of its own, driven by Locust (headless) with a day's traffic (locustfile.py).

Run: .venv/bin/python benchmarks/load/run.py [-u 30 | -u 10,20,40] [-r 5] [-t 3m] [--workers 4] [--program 3000]
(pip install -e '.[bench]' first). Without DATABASE_URL it starts a throwaway PostgreSQL cluster
(initdb as the postgres user) and drops it at the end; with it, give an empty database it may fill
(the platform's goes beside it, <name>_platform). Without REDIS_URL it starts a redis-server.
It writes a program (program.py), starts everything, warms it up, runs
`locust --headless -u U -r R -t T --csv …` for each level in turn, prints requests, rate, p50, p99 and
failures per action and the CPU seconds each part of the stack used, then stops everything it started.
"""
import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
import lti_server  # noqa: E402

ROOT = lti_server.ROOT
BIN = Path(sys.executable).parent
ORDER = ["LTI launch (tool: login + launch)", "launch 2: tool login", "launch 4: tool launch",
         "student: save a draft", "student: save and submit", "student: submit a draft", "student: open a draft",
         "student: open the log", "mentor: open a student's log", "mentor: approve an entry",
         "mentor: return an entry", "link: open a student's log", "link: approve an entry", "link: return an entry", "calendar feed", "coordinator: cohort dashboard",
         "launch 1: platform starts", "launch 3: platform signs"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postgres:
    """A throwaway cluster under /tmp, owned by the postgres user as initdb requires."""

    def __init__(self, port):
        self.port, self.dir = port, Path(tempfile.mkdtemp(prefix="maydan-load-pg-"))

    def _as_postgres(self, command):
        subprocess.run(["su", "postgres", "-c", command], check=True, stdout=subprocess.DEVNULL)

    def __enter__(self):
        shutil.chown(self.dir, "postgres")
        self._as_postgres(f"initdb -D {self.dir}/data --auth=trust -U postgres >/dev/null")
        self._as_postgres(f"pg_ctl -D {self.dir}/data -l {self.dir}/log -w -o '-p {self.port} -k /tmp' start")
        url = f"postgres://postgres@127.0.0.1:{self.port}/maydan_load"
        lti_server._create_postgres_database(url)
        return url

    def __exit__(self, *exc):
        self._as_postgres(f"pg_ctl -D {self.dir}/data -m fast -w stop")
        shutil.rmtree(self.dir, ignore_errors=True)

    def pid(self):
        return int((self.dir / "data" / "postmaster.pid").read_text().split()[0])


class Process:
    """A process run for the length of a `with`, its output in a log file."""

    def __init__(self, command, log, env=None, ready=None):
        self.command, self.log, self.env, self.ready = command, log, env, ready

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env or os.environ,
                                        stdout=open(self.log, "a"), stderr=subprocess.STDOUT)
        if self.ready:
            deadline = time.time() + 30
            while not self.ready():
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"{self.command[0]} did not start: see {self.log}")
                time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def redis_answers(port):
    def ping():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False
    return ping


def cpu_seconds(pids):
    """CPU time (user + system) of each process tree, by name: the process, its children alive, and those
    that ended (a web worker recycled, a database backend closed) as the kernel counts them for their parent."""
    import psutil

    used = {}
    for name, pid in pids.items():
        used[name] = 0.0
        try:
            root = psutil.Process(pid)
            t = root.cpu_times()
            used[name] = t.user + t.system + t.children_user + t.children_system
            for child in root.children(recursive=True):
                try:
                    t = child.cpu_times()
                    used[name] += t.user + t.system
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            pass
    return used


def fill(n):
    """The tool's database and the platform's, the program; returns the plan's path."""
    import django

    django.setup()
    from django.db import connection

    import program

    lti_server.setup_database()
    lti_server.setup_sandbox_database()
    started = time.perf_counter()
    course = program.fill(n)
    var = Path(os.environ["MAYDAN_VAR"])
    (var / "plan.json").write_text(json.dumps(program.plan(course)))
    (var / "platform_people.json").write_text(json.dumps(program.platform_people(course)))
    print(f"program of {n} students written in {time.perf_counter() - started:.0f} s ({connection.vendor}); "
          f"the day's traffic in its large course of {course.placements.count()}")
    connection.close()
    return var / "plan.json"


def table(prefix, seconds):
    rows = {row["Name"]: row for row in csv.DictReader(open(f"{prefix}_stats.csv"))}
    print(f"{'action':<36} {'requests':>8} {'per s':>6} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>6}")
    for name in [n for n in ORDER if n in rows] + sorted(set(rows) - set(ORDER) - {"Aggregated"}) + ["Aggregated"]:
        row = rows[name]
        print(f"{name[:36]:<36} {row['Request Count']:>8} {int(row['Request Count']) / seconds:6.1f} "
              f"{row['50%']:>7} {row['99%']:>7} {float(row['Max Response Time']):7.0f} {row['Failure Count']:>6}")
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))
    for row in failures:
        print(f"  error ×{row['Occurrences']}: {row['Method']} {row['Name']}: {row['Error'][:300]}")
    crashes = list(csv.DictReader(open(f"{prefix}_exceptions.csv")))  # the simulated people's own code failing
    for row in crashes:
        print(f"  exception ×{row['Count']}: {row['Message'][:300]}")
    return (sum(int(row["Failure Count"]) for name, row in rows.items() if name != "Aggregated")
            + sum(int(row["Count"]) for row in crashes))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-u", "--users", default="30", help="simulated people; several levels in turn: 10,20,40")
    parser.add_argument("-r", "--spawn-rate", type=float, default=5)
    parser.add_argument("-t", "--time", default="3m", help="Locust's run time (e.g. 90s, 3m)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers of the tool")
    parser.add_argument("--program", type=int, default=3000,
                        help="students in the program (30 courses; the traffic is in its large course, a tenth; 1000 or more "
                             "gives agency supervisors both by launch and by link)")
    parser.add_argument("--pg-port", type=int, default=0, help="port of the throwaway PostgreSQL (default: a free one)")
    parser.add_argument("--redis-port", type=int, default=0, help="port of the redis-server (default: a free one)")
    args = parser.parse_args()

    os.environ["MAYDAN_VAR"] = var = tempfile.mkdtemp(prefix="maydan-load-")
    postgres = None if os.environ.get("DATABASE_URL") else Postgres(args.pg_port or free_port())
    redis_port = args.redis_port or free_port()
    redis = None if os.environ.get("REDIS_URL") else Process(
        ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        Path(var) / "redis.log", ready=redis_answers(redis_port))
    try:
        if postgres:
            os.environ["DATABASE_URL"] = postgres.__enter__()
        if redis:
            redis.__enter__()
            os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        tool_url = lti_server.prepare_environment()
        # Production's e-mail path runs (the worker renders and sends), into files instead of an SMTP server.
        os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
        os.environ["PYTHONPATH"] = str(HERE)
        sys.path.insert(0, str(HERE))
        plan = fill(args.program)
        return 1 if run(args, var, tool_url, plan, postgres) else 0
    finally:
        if redis:
            redis.__exit__()
        if postgres:
            postgres.__exit__()


def drive(users, rate, duration, prefix, plan, tool_url, days):
    """Locust, headless, with the day's traffic; returns the CPU seconds it used itself."""
    import psutil

    command = [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "-u", str(users), "-r", str(rate),
               "-t", duration, "--csv", str(prefix), "--host", tool_url, "--stop-timeout", "10", "--loglevel", "WARNING"]
    with open(f"{prefix}.log", "w") as log:
        driver = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "LOAD_PLAN": str(plan), "LOAD_DAYS": days}, stdout=log,
                                  stderr=subprocess.STDOUT)
        watched, used = psutil.Process(driver.pid), 0.0
        while driver.poll() is None:
            try:
                t = watched.cpu_times()
                used = t.user + t.system
            except psutil.NoSuchProcess:
                pass
            time.sleep(0.5)
    return used


def run(args, var, tool_url, plan, postgres):
    """Warm up, then each level of users in turn on the same servers; returns the errors counted."""
    var = Path(var)
    platform = lti_server.Server(
        2, app="platform_wsgi", url_var="MAYDAN_SANDBOX_URL", ready="/sandbox/jwks.json", pythonpath=str(HERE),
        env={"DATABASE_URL": os.environ["SANDBOX_DATABASE_URL"], "LOAD_PLATFORM_PEOPLE": str(var / "platform_people.json")})
    worker = Process([str(BIN / "celery"), "-A", "lti_tool", "worker", "-B", "--concurrency", "1", "--loglevel", "warning",
                      "-s", str(var / "celerybeat-schedule")], var / "celery.log")
    levels = [int(n) for n in str(args.users).split(",")]
    errors = 0
    with lti_server.Server(args.workers) as tool, platform, worker:
        # Every worker warm and the course's roster synced (once per 10 minutes), as on a server already serving.
        drive(min(levels[0], 10), 10, "15s", var / "warm-up", plan, tool_url, days=_days(len(levels)))
        pids = {f"tool (gunicorn, {args.workers} workers)": tool.process.pid, "platform (gunicorn, 2)": platform.process.pid,
                "Celery worker + beat": worker.process.pid}
        if postgres:
            pids["PostgreSQL"] = postgres.pid()
        for i, users in enumerate(levels):
            mails = _mails(var)
            before = cpu_seconds(pids)
            started = time.perf_counter()
            after = {"Locust (the load)": drive(users, args.spawn_rate, args.time, var / f"locust-{users}", plan, tool_url,
                                                days=_days(i))}
            seconds = time.perf_counter() - started
            time.sleep(3)  # the worker sends what the last actions queued
            after.update(cpu_seconds(pids))
            print(f"\n{users} users (spawn {args.spawn_rate}/s) for {args.time}: tool on gunicorn {args.workers} workers, "
                  f"PostgreSQL, Redis, Celery worker; a program of {args.program} students; {os.cpu_count()} CPUs, "
                  f"load average {os.getloadavg()[0]:.1f} at the end")
            errors += table(var / f"locust-{users}", seconds)
            print(f"CPU seconds: " + ", ".join(f"{name} {after[name] - before.get(name, 0):.1f}" for name in after))
            print(f"background worker: {_mails(var) - mails} e-mails sent")
    print(f"\nerrors: {errors} (target 0); logs and CSV in {var}")
    return errors


def _days(level):
    """The days (before today) a level's entries go on, apart from every other level's and the warm-up's."""
    return f"{3 * level}-{3 * level + 2}"


def _mails(var):
    return len(list((var / "mail").glob("*"))) if (var / "mail").exists() else 0


if __name__ == "__main__":
    sys.exit(main())
