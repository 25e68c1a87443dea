"""Each placement's evaluation means per competency, recomputed from its evaluations and submitted scoresheets:
after every write to them (`refresh`, called by maydan.tallies.keeping), for many placements at once (`rebuild`:
the migration's backfill, bulk loads, `manage.py rebuild_tallies`), and compared with what is stored
(`differences`). The means are worked out by maydan.cohort.evidence, as the report shows them.

`apps`: the migration passes its historical models; everything else uses the live ones.
"""
from django.apps import apps as live_apps

from . import sums


def _tally(apps):
    return (apps or live_apps).get_model("maydan", "EvidenceTally")


def compute(placement_ids, *, using="default", apps=None):
    """{placement id: {competency: [evaluations that scored it, their mean final score or None]}} (empty if none),
    in two queries."""
    from ..cohort import evidence, queries

    ids = list(placement_ids)
    found = queries.evaluations(ids, using=using, apps=apps)
    mapping = queries.competency_behaviours()
    return {pk: evidence.tallied(found.get(pk, []), mapping) for pk in ids}


def refresh(placement_ids, *, using="default", apps=None):
    """Recompute and store the evaluation means of these placements, inside the caller's transaction, the
    placements locked first (maydan.tallies.sums.keep)."""
    def rows(ids, **kwargs):
        return {pk: {"finals": finals} for pk, finals in compute(ids, **kwargs).items()}

    sums.keep(placement_ids, rows, "EvidenceTally", ["finals"], using=using, apps=apps)


def refresh_evaluations(evaluation_ids, using="default"):
    """`refresh` for the placements of these evaluations (a scoresheet's write)."""
    Evaluation = live_apps.get_model("maydan", "Evaluation")
    ids = [pk for pk in evaluation_ids if pk is not None]
    if ids:
        refresh(Evaluation._base_manager.using(using).filter(pk__in=ids).values_list("placement_id", flat=True),
                using=using)


def rebuild(placement_ids=None, *, using="default", apps=None, say=None):
    """Recompute every placement's means (or these placements'), CHUNK placements per transaction."""
    return sums.rebuild(placement_ids, using=using, apps=apps, say=say, refresh_=refresh,
                        what="placements' evaluations")


def stored(placement_ids, *, using="default", apps=None):
    """{placement id: {competency: [evaluations, final mean]}} as stored (placements without a row are left out)."""
    return dict(_tally(apps)._base_manager.using(using).filter(placement_id__in=placement_ids)
                .values_list("placement_id", "finals"))


def differences(placement_ids=None, *, using="default", apps=None):
    """[(placement id, "finals", stored, recomputed)] wherever the stored means are not what the sheets say."""
    ids = sums.every(placement_ids, using=using, apps=apps)
    found = []
    for start in range(0, len(ids), sums.CHUNK):
        chunk = ids[start:start + sums.CHUNK]
        have, want = stored(chunk, using=using, apps=apps), compute(chunk, using=using, apps=apps)
        found += [(pk, "finals", have.get(pk, {}), want[pk]) for pk in chunk if have.get(pk, {}) != want[pk]]
    return found
