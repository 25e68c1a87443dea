"""The field log: students record their hours and activities, agency supervisors approve them
(in the platform or through a signed link), academic supervisors countersign.

- services: the rules (who may save, submit, approve, return, countersign, reopen) and their audit;
- input: reading a posted entry (times, durations, links, guarded free text);
- hours: the hours a placement needs and has, by category;
- links: the agency supervisor's signed link;
- screens: the student's log, the supervisors' views and the link's page.

The services are the field log's API, importable from the package itself (`fieldlog.save_entry`).
"""
from .services import (  # noqa: F401
    approve_entry, approve_week, countersign_entries, countersign_entry, countersign_week, credit_entries, entries,
    history, overview, own_placement_beside, placement_for, progress, reopen_entry, return_entry, save_entry, submit_entry, submit_week,
    target_hours, visible_placements, withdraw_entry,
)
