"""The audit trail: one row per change, written inside the change's transaction."""
from .models import AuditEvent


def record(actor, action, *, placement=None, entry=None, changes=None, comment=""):
    event = _event(actor, action, placement=placement, entry=entry, changes=changes, comment=comment)
    event.save()
    return event


def record_many(actor, action, rows):
    """One row per change of a batch (each a dict of `record`'s keyword arguments), in one insert."""
    return AuditEvent.objects.bulk_create([_event(actor, action, **row) for row in rows])


def _event(actor, action, *, placement=None, entry=None, changes=None, comment=""):
    return AuditEvent(
        course=actor.course,
        placement=placement or (entry.placement if entry else None),
        entry=entry,
        actor=actor.person,
        via=actor.via,
        action=action,
        changes=changes or {},
        comment=comment,
    )


def diff(before, after):
    """{field: [old, new]} for the fields whose value changed, as JSON-safe strings."""
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if before.get(key) != value
    }


def _plain(value):
    if value is None or isinstance(value, (str, int, float, bool, list)):
        return value
    return str(value)
