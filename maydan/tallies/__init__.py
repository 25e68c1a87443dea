"""Each placement's sums over its field-log entries, kept as the entries change.

The cohort's dashboard and evidence report read one row per placement (`PlacementTally`) instead of
summing a course's entries on every view. Every write to the entries goes through `keeping`: the
entry model's save and delete and its queryset's bulk_create, update and delete recompute the sums
of the placements they touched, in the same transaction; a write that bypasses the ORM (the program
generator's COPY) calls `sums.rebuild` for its placements. `manage.py rebuild_tallies` rebuilds them
all, or with `--check` says where they differ from the entries.

Models live in `maydan.tallies.models`; import `keeping` from models.py, `sums` from anywhere else.
"""
