"""The audit trail: one row per change, written inside the change's transaction."""
from .models import AuditEvent


def record(actor, action, *, placement=None, entry=None, changes=None, comment=""):
    return AuditEvent.objects.create(
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
