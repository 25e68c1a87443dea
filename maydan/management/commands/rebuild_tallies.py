"""Recompute every placement's sums from its entries (maydan.tallies): after a bulk load that wrote entries
past the ORM, or to repair. With --check, write nothing and list where the stored sums differ."""
import time

from django.core.management.base import BaseCommand, CommandError

from maydan.tallies import sums


class Command(BaseCommand):
    help = "Rebuild the placements' tallies from their log entries; --check compares without writing."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true",
                            help="compare the stored tallies with a recomputation; exit 1 if any differs")
        parser.add_argument("--placement", type=int, action="append", dest="placements",
                            help="only this placement (may repeat)")

    def handle(self, *args, check=False, placements=None, verbosity=1, **options):
        started = time.perf_counter()
        if check:
            found = sums.differences(placements)
            for placement, field, have, want in found[:50]:
                self.stdout.write(f"placement {placement}: {field} is {have!r}, the entries say {want!r}")
            if found:
                raise CommandError(f"{len(found)} tallied value(s) differ from the entries")
            self.stdout.write(f"the tallies equal the entries ({time.perf_counter() - started:.1f} s)")
            return
        say = self.stdout.write if verbosity > 1 else None
        count = sums.rebuild(placements, say=say)
        self.stdout.write(f"{count:,} placements' tallies rebuilt in {time.perf_counter() - started:.1f} s")
