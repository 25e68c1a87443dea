"""How well and how fast the client-identifier guard reads free text.

Run: .venv/bin/python benchmarks/privacy.py
Prints recall per kind and per language on the labelled corpus (tests/fixtures/privacy/), the
false-alarm rate on its clean sentences, and the time `find_identifiers` takes on a
20,000-character text (the longest free text a field accepts): clean writing, and writing
with an identifier in about every other sentence. Targets: recall >= 0.97 overall and >= 0.95
per kind; false alarms <= 2 %; < 20 ms for 20,000 characters.
"""
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from maydan import privacy  # noqa: E402
from maydan.privacy.numbers import _valid  # noqa: E402

numbers_cache_clear = _valid.cache_clear
from tests.fixtures.privacy import scoring  # noqa: E402

LENGTH = 20_000


def text_of(sentences):
    text, i = "", 0
    while len(text) < LENGTH:
        text += sentences[i % len(sentences)]["text"] + " "
        i += 1
    return text[:LENGTH]


def timed(text, runs=30):
    """Median wall-clock, median CPU and fastest CPU milliseconds (the CPU figures hold better on a
    busy machine; the fastest run is the one least disturbed by other work)."""
    wall, cpu = [], []
    for _ in range(runs):
        numbers_cache_clear()  # each run looks its phone numbers up afresh
        start, start_cpu = time.perf_counter(), time.process_time()
        privacy.find_identifiers(text)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu), min(cpu)


def main():
    corpus = scoring.load()
    start = time.perf_counter()
    result = scoring.score(privacy.find_identifiers, corpus)
    scored_in = time.perf_counter() - start
    labelled = sum(1 for s in corpus if s["kinds"])
    print(f"corpus: {len(corpus)} sentences, {labelled} with an identifier, {result['clean']} clean "
          f"(scored in {scored_in:.2f} s)")
    print(f"\n{'recall':<14}{'all':>8}{'ar':>8}{'en':>8}{'mixed':>8}")
    for kind in ("all",) + privacy.KINDS:
        row = [result["recall"].get(key) for key in (kind, (kind, "ar"), (kind, "en"), (kind, "mixed"))]
        counts = [result["totals"].get(key, 0) for key in (kind, (kind, "ar"), (kind, "en"), (kind, "mixed"))]
        cells = "".join(f"{r:>8.3f}" if r is not None else f"{'—':>8}" for r in row)
        print(f"{kind:<14}{cells}   (n = {' / '.join(map(str, counts))})")
    print(f"\nfalse alarms: {len(result['false_alarms'])} of {result['clean']} clean sentences "
          f"= {result['false_alarm_rate']:.2%}")
    for kind, text, found in result["misses"]:
        print(f"  missed {kind}: {text}")
    for text, found in result["false_alarms"]:
        print(f"  false alarm: {text}  ->  {found}")

    clean = text_of([s for s in corpus if not s["kinds"]])
    mixed = text_of(corpus[::3])
    for label, text in (("clean writing", clean), ("with identifiers", mixed)):
        wall, cpu, fastest = timed(text)
        print(f"\n{len(text):,} characters, {label}: median {wall:.1f} ms wall clock, {cpu:.1f} ms CPU, "
              f"fastest {fastest:.1f} ms CPU ({len(privacy.find_identifiers(text))} findings; target < 20 ms)")


if __name__ == "__main__":
    main()
