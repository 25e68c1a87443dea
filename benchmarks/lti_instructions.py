"""What the tool's login + launch costs in machine instructions, counted by valgrind's callgrind: a figure that does
not move with whatever else the machine runs, unlike the CPU time lti_launch.py compares with the reference tool.

Run: .venv/bin/python benchmarks/lti_instructions.py [--launches 100] [--people student_1,instructor]
(DATABASE_URL and REDIS_URL as for lti_launch.py; needs Debian's valgrind.) The script runs itself again under
callgrind. The launches go through Django's test client in one process, as lti_profile.py drives them: the sandbox
platform's requests run there too, so only the tool's two requests are counted. Collection starts and stops around
them: callgrind counts while the interpreter is inside sys.call_tracing, which nothing else calls. Two runs of the
same code give the same count within about 0.1 %, so a change of a few per cent shows in one run of each.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def count(launches, people):
    """Run the launches under callgrind; instructions per login + launch."""
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as directory:
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--collect-atstart=no", "--toggle-collect=sys_call_tracing*",
             f"--callgrind-out-file={directory}/callgrind.out", sys.executable, __file__, "--inside",
             "--launches", str(launches), "--people", people],
            env={**os.environ, "PYTHONHASHSEED": "0"}, capture_output=True, text=True, check=True)
    collected = re.search(r"Collected : (\d+)", run.stderr)
    return int(collected.group(1)) / launches


def launch_inside(launches, people):
    """The launches, each of the tool's requests inside sys.call_tracing (callgrind counts there only)."""
    import lti_server

    lti_server.prepare_environment()
    import django

    django.setup()
    import lti_profile

    if people:
        lti_profile.PEOPLE[:] = people.split(",")
    lti_server.setup_database()
    with lti_server.sandbox_server():  # the roster service the first launch of a course calls
        flow = lti_profile.ToolRequests(lambda call: call())
        for i in range(4 * len(lti_profile.PEOPLE)):  # everyone recorded, every cache warm
            flow.launch(i)
        flow.around = lambda call: sys.call_tracing(call, ())
        for i in range(launches):
            flow.launch(i)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--launches", type=int, default=100)
    parser.add_argument("--people", default="", help="sandbox people, comma-separated (default: all five)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        return launch_inside(args.launches, args.people)
    per_launch = count(args.launches, args.people)
    print(f"The tool's login + launch: {per_launch / 1e6:.2f} million instructions a launch "
          f"({args.launches} returning launches of {args.people or 'the five sandbox people'}, in process)")


if __name__ == "__main__":
    main()
