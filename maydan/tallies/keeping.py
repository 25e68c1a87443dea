"""The one door every ORM write to the field-log entries goes through: after it, the sums of the placements
it touched are recomputed in the same transaction (maydan.tallies.sums.refresh).

Imported by maydan.models, so it imports no model itself.
"""
from django.db import models, transaction

# The entry fields the sums read: a save or update that changes none of them leaves the sums as they are.
TALLIED = frozenset({"placement", "placement_id", "status", "date", "minutes", "activity_type", "time_kind",
                     "competencies"})


def _refresh(placement_ids, using):
    from .sums import refresh

    refresh(placement_ids, using=using)


def _touches(fields):
    return fields is None or bool(TALLIED & set(fields))


class TalliedEntry:
    """Mixed into the entry model: saving or deleting one entry recomputes its placement's sums."""

    @classmethod
    def from_db(cls, db, field_names, values, **options):  # Django 6.1 adds fetch_mode
        entry = super().from_db(db, field_names, values, **options)
        entry._stored_placement_id = entry.__dict__.get("placement_id")
        return entry

    def _placements(self):
        return {self.placement_id, getattr(self, "_stored_placement_id", None)}

    def save(self, *args, **kwargs):
        if not _touches(kwargs.get("update_fields")):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            _refresh(self._placements(), self._state.db or using)
        self._stored_placement_id = self.placement_id

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        placements = self._placements()
        with transaction.atomic(using=using, savepoint=False):
            result = super().delete(*args, **kwargs)
            _refresh(placements, using)
        return result


class TalliedQuerySet(models.QuerySet):
    """The entries' queryset: writes in bulk recompute the sums of every placement they touched."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            _refresh({entry.placement_id for entry in objs}, self.db)
        return made

    def update(self, **kwargs):
        if not _touches(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            touched = self._placement_ids()
            count = super().update(**kwargs)
            moved_to = kwargs.get("placement_id", kwargs.get("placement"))
            if moved_to is not None:
                touched.add(getattr(moved_to, "pk", moved_to))
            _refresh(touched, self.db)
        return count

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            touched = self._placement_ids()
            result = super().delete()
            _refresh(touched, self.db)
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def _placement_ids(self):
        return set(self.order_by().values_list("placement_id", flat=True).distinct())
