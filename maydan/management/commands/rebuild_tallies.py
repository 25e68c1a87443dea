"""Recompute every placement's sums from its entries and its evaluation means from its scoresheets
(maydan.tallies): after a bulk load that wrote them past the ORM, or to repair. With --check, write nothing and
list where the stored values differ."""
import time

from django.core.management.base import BaseCommand, CommandError

from maydan.tallies import scores, sums


class Command(BaseCommand):
    help = ("Rebuild the placements' tallies from their log entries and evaluations; --check compares without "
            "writing.")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="compare the stored tallies with a recomputation; exit 1 if any differs")
        parser.add_argument("--placement", type=int, action="append", dest="placements",
                            help="only this placement (may repeat)")

    def handle(self, *args, check=False, placements=None, verbosity=1, **options):
        started = time.perf_counter()
        if check:
            found = sums.differences(placements) + scores.differences(placements)
            for placement, field, have, want in found[:50]:
                source = "the evaluations say" if field == "finals" else "the entries say"
                self.stdout.write(f"placement {placement}: {field} is {have!r}, {source} {want!r}")
            if found:
                raise CommandError(f"{len(found)} tallied value(s) differ from the entries and scoresheets")
            self.stdout.write(f"the tallies equal the entries and scoresheets ({time.perf_counter() - started:.1f} s)")
            return
        say = self.stdout.write if verbosity > 1 else None
        count = sums.rebuild(placements, say=say)
        scores.rebuild(placements, say=say)
        self.stdout.write(f"{count:,} placements' tallies rebuilt in {time.perf_counter() - started:.1f} s")
