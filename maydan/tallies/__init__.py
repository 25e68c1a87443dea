"""Each placement's sums over its field-log entries, kept as the entries change.

The cohort's dashboard and evidence report read one row per placement (`PlacementTally`) instead of
summing a course's entries on every view. Every write to the entries goes through `keeping`: the
entry model's save and delete and its queryset's bulk_create, update and delete recompute the sums
of the placements they touched, in the same transaction; a write that bypasses the ORM (the program
generator's COPY) calls `sums.rebuild` for its placements. `manage.py rebuild_tallies` rebuilds them
all, or with `--check` says where they differ from the entries.

The evidence report's summary reads each placement's evaluation means per competency the same way
(`EvidenceTally`, maydan.tallies.scores): every ORM write to the evaluations and their scoresheets (a sheet saved,
submitted or reopened, an evaluation released or corrected) recomputes its placement's means in the same
transaction, through the same door (`keeping.Kept`); `rebuild_tallies` rebuilds and checks them too.

Models live in `maydan.tallies.models`; import `keeping` from models.py, `sums` from anywhere else.
"""
