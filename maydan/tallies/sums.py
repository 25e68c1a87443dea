"""Each placement's sums recomputed from its entries: after every entry change (`refresh`, called by
maydan.tallies.keeping), for many placements at once (`rebuild`: the migration's backfill, bulk loads,
`manage.py rebuild_tallies`), and compared with what is stored (`differences`).

`apps`: the migration passes its historical models; everything else uses the live ones.
"""
from datetime import date, timedelta

from django.apps import apps as live_apps
from django.db import connections, transaction
from django.db.models import Count, Func, IntegerField, Max, Q, Sum
from django.db.models.functions import TruncWeek

from .. import vocab
from ..cohort import rules

FIELDS = ("approved_minutes", "pending_minutes", "returned_minutes", "last_entry", "waiting", "to_countersign",
          "last_logged", "categories", "competencies", "bunched_days", "bunched_weeks")
# Placements recomputed per statement when rebuilding many.
CHUNK = 500


def _models(apps):
    apps = apps or live_apps
    return (apps.get_model("maydan", "LogEntry"), apps.get_model("maydan", "Placement"),
            apps.get_model("maydan", "PlacementTally"))


def empty():
    return {"approved_minutes": 0, "pending_minutes": 0, "returned_minutes": 0, "last_entry": None, "waiting": 0,
            "to_countersign": 0, "last_logged": None, "categories": {}, "competencies": {}, "bunched_days": [], "bunched_weeks": []}


def compute(placement_ids, *, using="default", apps=None):
    """{placement id: {field: value}} from the entries of these placements (every one, zeros if none), in four
    grouped queries: hours by state and category, approved hours by competency, days and weeks over the limits."""
    LogEntry, _Placement, _Tally = _models(apps)
    found = {pk: empty() for pk in placement_ids}
    entries = LogEntry._base_manager.using(using).filter(placement_id__in=list(found)).order_by()
    rows = entries.values("placement_id", "activity_type", "time_kind").annotate(
        approved=Sum("minutes", filter=Q(status__in=vocab.APPROVED_STATUSES), default=0),
        pending=Sum("minutes", filter=Q(status=vocab.SUBMITTED), default=0),
        returned=Sum("minutes", filter=Q(status=vocab.RETURNED), default=0),
        last_entry=Max("date", filter=~Q(status__in=[vocab.WITHDRAWN, vocab.DRAFT])),
        waiting=Count("pk", filter=Q(status=vocab.SUBMITTED)),
        to_countersign=Count("pk", filter=Q(status=vocab.APPROVED)),
        last_logged=Max("date", filter=~Q(status=vocab.WITHDRAWN)),
    )
    for r in rows:
        mine = found[r["placement_id"]]
        mine["approved_minutes"] += r["approved"]
        mine["pending_minutes"] += r["pending"]
        mine["returned_minutes"] += r["returned"]
        mine["waiting"] += r["waiting"]
        mine["to_countersign"] += r["to_countersign"]
        for last in ("last_entry", "last_logged"):
            if r[last] is not None and (mine[last] is None or r[last] > mine[last]):
                mine[last] = r[last]
        for key in (r["activity_type"], r["time_kind"]) if r["approved"] else ():
            mine["categories"][key] = mine["categories"].get(key, 0) + r["approved"]
    # Grouped by the stored list itself: a placement has few distinct combinations.
    rows = (entries.filter(status__in=vocab.APPROVED_STATUSES).values("placement_id", "competencies")
            .annotate(minutes=Sum("minutes")))
    for r in rows:
        mine = found[r["placement_id"]]["competencies"]
        for tag in {str(c) for c in (r["competencies"] or [])}:
            mine[tag] = mine.get(tag, 0) + r["minutes"]
    for mine in found.values():  # a competency or category with no minutes is no key (as in a fresh row)
        for key in ("categories", "competencies"):
            mine[key] = {k: v for k, v in sorted(mine[key].items()) if v}
    logged = entries.exclude(status__in=[vocab.WITHDRAWN, vocab.DRAFT])
    days = (logged.values("placement_id", "date").annotate(minutes=Sum("minutes"))
            .filter(minutes__gt=rules.MAX_DAY_MINUTES))
    weeks = (logged.annotate(week=WeekNumber("date")).values("placement_id", "week")
             .annotate(minutes=Sum("minutes")).filter(minutes__gt=rules.MAX_WEEK_MINUTES))
    for r in days:
        found[r["placement_id"]]["bunched_days"].append(r["date"].isoformat())
    for r in weeks:
        found[r["placement_id"]]["bunched_weeks"].append(WeekNumber.monday(r["week"]).isoformat())
    for mine in found.values():
        mine["bunched_days"].sort()
        mine["bunched_weeks"].sort()
    return found


def refresh(placement_ids, *, using="default", apps=None):
    """Recompute and store the sums of these placements, inside the caller's transaction."""
    keep(placement_ids, compute, "PlacementTally", FIELDS, using=using, apps=apps)


def keep(placement_ids, compute_, model, fields, *, using="default", apps=None):
    """Store `compute_(ids)`'s {placement id: {field: value}} in the `model` rows of these placements (one each),
    inside the caller's transaction.

    The placements are locked first: a concurrent change to one of them waits here until the other
    commits, then reads the rows as that one left them, so neither overwrites the other's sums.
    """
    apps_ = apps or live_apps
    Placement, Tally = apps_.get_model("maydan", "Placement"), apps_.get_model("maydan", model)
    ids = sorted({pk for pk in placement_ids if pk is not None})
    if not ids:
        return
    # A migration's backfill writes the fields its historical model has (the later ones come with their own).
    held = {field.name for field in Tally._meta.concrete_fields}
    fields = [name for name in fields if name in held]
    features = connections[using].features
    with transaction.atomic(using=using, savepoint=False):
        # NO KEY: entries and audit rows pointing at the placement may still be written meanwhile.
        list(Placement._base_manager.using(using).select_for_update(no_key=features.has_select_for_no_key_update)
             .filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        found = compute_(ids, using=using, apps=apps)
        # MySQL names no conflict target: its upsert takes any unique key, here the placement alone.
        target = {"unique_fields": ["placement"]} if features.supports_update_conflicts_with_target else {}
        Tally._base_manager.using(using).bulk_create(
            [Tally(placement_id=pk, **{name: value for name, value in values.items() if name in held})
             for pk, values in found.items()],
            update_conflicts=True, update_fields=list(fields), **target)


def rebuild(placement_ids=None, *, using="default", apps=None, say=None, refresh_=refresh, what="placements"):
    """Recompute every placement's sums (or these placements'), CHUNK placements per transaction, with `refresh_`
    (maydan.tallies.scores passes its own). Returns how many placements were written."""
    ids = every(placement_ids, using=using, apps=apps)
    for start in range(0, len(ids), CHUNK):
        refresh_(ids[start:start + CHUNK], using=using, apps=apps)
        if say:
            say(f"{min(start + CHUNK, len(ids)):,} of {len(ids):,} {what}")
    return len(ids)


def every(placement_ids=None, *, using="default", apps=None):
    """These placement ids in order, or every placement's."""
    Placement = (apps or live_apps).get_model("maydan", "Placement")
    return sorted(placement_ids if placement_ids is not None else
                  Placement._base_manager.using(using).values_list("pk", flat=True))


def stored(placement_ids, *, using="default", apps=None):
    """{placement id: {field: value}} as the tallies hold them (zeros where a placement has no row)."""
    _LogEntry, _Placement, Tally = _models(apps)
    found = {pk: empty() for pk in placement_ids}
    for row in Tally._base_manager.using(using).filter(placement_id__in=list(found)).values("placement_id", *FIELDS):
        found[row.pop("placement_id")] = row
    return found


def differences(placement_ids=None, *, using="default", apps=None):
    """[(placement id, field, stored, recomputed)] wherever the stored sums are not what the entries say."""
    ids = every(placement_ids, using=using, apps=apps)
    found = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        have, want = stored(chunk, using=using, apps=apps), compute(chunk, using=using, apps=apps)
        found += [(pk, name, have[pk][name], want[pk][name])
                  for pk in chunk for name in FIELDS if have[pk][name] != want[pk][name]]
    return found


def of(placement):
    """A placement's tally (loaded with select_related("tally")), or an empty one when it has none yet."""
    tally = getattr(placement, "tally", None)
    if tally is None:
        tally = live_apps.get_model("maydan", "PlacementTally")(placement_id=placement.pk, **empty())
    return tally


def competencies(placement_ids):
    """{placement: {competency: approved minutes}} from the tallies alone (no placement row is made)."""
    Tally = live_apps.get_model("maydan", "PlacementTally")
    return dict(Tally.objects.filter(placement_id__in=placement_ids).values_list("placement_id", "competencies"))


def days(isodates):
    return tuple(date.fromisoformat(d) for d in isodates)


class WeekNumber(Func):
    """Weeks (Monday to Sunday) since Monday 3 January 2000, in plain SQL arithmetic.

    Django's TruncWeek runs a Python function per row on SQLite, which costs more than the
    other sums together on a large cohort.
    """

    EPOCH = date(2000, 1, 3)
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=(
            "CAST((julianday(%(expressions)s) - julianday('2000-01-03')) / 7 AS INTEGER)"), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="FLOOR((%(expressions)s - DATE '2000-01-03') / 7.0)::integer",
                           **extra)

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:  # any other database: Django's own week truncation, turned into a number by the caller
            return TruncWeek(*self.source_expressions).as_sql(compiler, connection)
        return super().as_sql(compiler, connection, template=template, **extra)

    @classmethod
    def monday(cls, value):
        if isinstance(value, int):
            return cls.EPOCH + timedelta(weeks=value)
        return value.date() if hasattr(value, "date") else value
