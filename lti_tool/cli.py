"""The `maydan` command: `maydan demo` sets up and serves the demo; `maydan manage …` is Django's manage."""
import argparse
import os
import sys

from maydan.content import commands as content_commands


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")
    import django

    django.setup()
    from django.core.management import call_command

    return call_command


def demo(args):
    # LTI messages name the tool's own address, so it must be where the demo really listens.
    os.environ.setdefault("MAYDAN_BASE_URL", f"http://{args.host}:{args.port}")
    call_command = _django()
    from django.conf import settings

    call_command("migrate", verbosity=0)
    from lti_tool import demo_setup

    demo_setup.prepare()
    if args.program:
        demo_setup.prepare_program(args.program)
    print(f"Maydan demo: {settings.MAYDAN_BASE_URL}/ (LTI sandbox: /sandbox/, XBlock workbench: /workbench/)")
    if not args.no_serve:
        from lti_tool import tasks

        # The demo needs no worker nor broker: the scheduled tasks (grades to the sandbox's line items,
        # notifications, digests) run from a thread here.
        tasks.start_in_process()
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)


def manage(args):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lti_tool.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["maydan manage", *args.rest])


def validate(args):
    """Check course content (a file or a folder: scenarios, frameworks, forms, rubrics, the OLX course, and
    the references between them); non-zero exit on problems."""
    from maydan.content.validate import counted, validate as check

    try:
        problems = check(args.path)
    except FileNotFoundError:
        print(f"{args.path}: no such file or folder", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    files = counted(args.path)
    print(f"{files} file(s) checked, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems or not files else 0
def lti(args):
    """`maydan lti add-platform --issuer ...`: the lti_<name> management commands."""
    call_command = _django()
    call_command(f"lti_{args.action.replace('-', '_')}", *args.rest)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="maydan", description="Maydan field training tool")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("demo", help="migrate SQLite, seed a demo cohort, serve on http://127.0.0.1:8000")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", default="8000")
    p.add_argument("--no-serve", action="store_true", help="set up only")
    p.add_argument("--program", type=int, metavar="N", default=0,
                   help="also write a whole program of N students in 30 courses over two terms (e.g. 5000)")
    p.set_defaults(func=demo)
    p = sub.add_parser("manage", help="Django's manage.py commands")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=manage)
    p = sub.add_parser("validate", help="check course content: a file or a folder (course_content/ checks everything)")
    p.add_argument("path")
    p.set_defaults(func=validate)
    content_commands.add_parser(sub)
    p = sub.add_parser("lti", help="LTI administration: add-platform, rotate-key")
    p.add_argument("action", choices=["add-platform", "rotate-key"])
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=lti)
    args = parser.parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
