"""How fast hostile input is refused, next to reading the real thing.

Run: .venv/bin/python benchmarks/untrusted.py
Prints, for each input, how it ended (read, or the refusal's kind) and the median time of 5 runs.
Target: every refusal in well under 100 ms; the largest shipped scenario read in its usual time.
Pure Python: no database.
"""
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from maydan import untrusted  # noqa: E402
from maydan.sessions import recurrence  # noqa: E402
from maydan.sessions.errors import FormatError  # noqa: E402

BOMB = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\n" + "".join(
    f"l{n}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8))
LARGEST = max((ROOT / "course_content" / "scenarios").glob("*.yaml"), key=lambda p: p.stat().st_size)

CASES = [
    (f"shipped scenario {LARGEST.name} ({LARGEST.stat().st_size:,} bytes)",
     lambda: untrusted.load_yaml(LARGEST.read_text(encoding="utf-8"))),
    ("YAML billion laughs (9 levels x 9 aliases)", lambda: untrusted.load_yaml(BOMB)),
    ("YAML with a Python tag", lambda: untrusted.load_yaml("!!python/object/apply:os.system ['true']")),
    ("YAML flow nested 100,000 deep", lambda: untrusted.load_yaml("[" * 100_000 + "]" * 100_000)),
    ("JSON nested 100,000 deep", lambda: untrusted.load_json("[" * 100_000 + "]" * 100_000)),
    ("pasted text of 600,000 characters", lambda: untrusted.load_yaml("a" * 600_000)),
    ("CSV field of 200,000 characters", lambda: untrusted.read_csv('a,"' + "x" * 200_000 + '"\n')),
    ("CSV of 6,000 rows", lambda: untrusted.read_csv("a,b\n" * 6000)),
]
RULES = ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "FREQ=SECONDLY", "FREQ=MONTHLY;BYDAY=+99MO",
         "FREQ=WEEKLY;COUNT=1000000000", "FREQ=DAILY;INTERVAL=7;BYDAY=TU", "FREQ=WEEKLY;COUNT=12"]
START = datetime(2026, 4, 7, 18)
for rule in RULES:
    CASES.append((f"session rule {rule}",
                  lambda rule=rule: recurrence.occurrences(START, "Africa/Cairo", rule)))


def run(make):
    try:
        make()
        return "read"
    except (untrusted.Unreadable, FormatError) as error:
        return f"refused: {getattr(error, 'kind', None) or error.reason}"


def main():
    width = max(len(name) for name, _make in CASES)
    print(f"{'input':<{width}}  {'outcome':<26} median ms")
    for name, make in CASES:
        times = []
        for _ in range(5):
            started = time.perf_counter()
            outcome = run(make)
            times.append((time.perf_counter() - started) * 1000)
        print(f"{name:<{width}}  {outcome:<26} {statistics.median(times):9.2f}")


if __name__ == "__main__":
    main()
