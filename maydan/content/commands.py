"""`maydan content check [PATH]` and `maydan content pack [PATH] [--output FILE]`."""
import sys
from pathlib import Path

from . import course_dir, olx, pack


def add_parser(sub):
    """Add the `content` command to the `maydan` command's subparsers."""
    content = sub.add_parser("content", help="check the OLX course, or pack it for Open edX Studio")
    actions = content.add_subparsers(dest="content_command", required=True)
    p = actions.add_parser("check", help="check an OLX course directory (default: the shipped course)")
    p.add_argument("path", nargs="?", type=Path, default=None)
    p.set_defaults(func=check)
    p = actions.add_parser("pack", help="check, then write the .tar.gz that Studio imports")
    p.add_argument("path", nargs="?", type=Path, default=None)
    p.add_argument("--output", "-o", type=Path, default=Path("maydan-course.tar.gz"))
    p.set_defaults(func=make_package)


def _report(root, problems):
    for problem in problems:
        print(f"{root / problem.file}:{problem.line}: {problem.reason}", file=sys.stderr)
    print(f"{root}: {len(problems)} problem(s)", file=sys.stderr)
    return 1


def check(args):
    root = args.path or course_dir()
    problems = olx.check(root)
    if problems:
        return _report(root, problems)
    print(f"{root}: OK")
    return 0


def make_package(args):
    root = args.path or course_dir()
    try:
        count = pack.pack(root, args.output)
    except pack.NotPacked as refusal:
        _report(root, refusal.problems)
        print(f"{args.output} not written", file=sys.stderr)
        return 1
    print(f"{args.output}: {count} files under course/; import it in Studio (Tools → Import)")
    return 0
