"""The one door every ORM write to the tallied rows goes through: after it, the stored sums of the placements it
touched are recomputed in the same transaction. Field-log entries keep their placement's sums
(maydan.tallies.sums.refresh); evaluations and scoresheets keep its evaluation means (maydan.tallies.scores.refresh).

A model mixes in `Kept` and names what it links to (`kept_link`, a placement or an evaluation), the fields the sums
read (`kept_fields`) and how to refresh them (`kept_refresh`); its manager is `KeptQuerySet.as_manager()`.
Imported by maydan.models, so it imports no model itself.
"""
from django.db import models, transaction


class Kept:
    """Mixed into a tallied model: saving or deleting one row refreshes the sums it belongs to."""

    kept_link = "placement_id"
    kept_fields = frozenset()

    @staticmethod
    def kept_refresh(linked_ids, using):
        raise NotImplementedError

    @classmethod
    def _touches(cls, fields):
        return fields is None or bool(cls.kept_fields & set(fields))

    @classmethod
    def from_db(cls, *args, **kwargs):
        row = super().from_db(*args, **kwargs)
        row._stored_link = row.__dict__.get(cls.kept_link)
        return row

    def _links(self):
        return {getattr(self, self.kept_link), getattr(self, "_stored_link", None)}

    def save(self, *args, **kwargs):
        if not self._touches(kwargs.get("update_fields")):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or self._state.db or "default"
        with transaction.atomic(using=using, savepoint=False):
            super().save(*args, **kwargs)
            self.kept_refresh(self._links(), self._state.db or using)
        self._stored_link = getattr(self, self.kept_link)

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or "default"
        links = self._links()
        with transaction.atomic(using=using, savepoint=False):
            result = super().delete(*args, **kwargs)
            self.kept_refresh(links, using)
        return result


class KeptQuerySet(models.QuerySet):
    """A tallied model's queryset: writes in bulk refresh the sums of everything they touched."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            made = super().bulk_create(objs, *args, **kwargs)
            self.model.kept_refresh({getattr(row, self.model.kept_link) for row in objs}, self.db)
        return made

    def update(self, **kwargs):
        if not self.model._touches(kwargs):
            return super().update(**kwargs)
        link = self.model.kept_link
        with transaction.atomic(using=self.db, savepoint=False):
            touched = self._links()
            count = super().update(**kwargs)
            moved_to = kwargs.get(link, kwargs.get(link.removesuffix("_id")))
            if moved_to is not None:
                touched.add(getattr(moved_to, "pk", moved_to))
            self.model.kept_refresh(touched, self.db)
        return count

    update.alters_data = True

    def delete(self):
        with transaction.atomic(using=self.db, savepoint=False):
            touched = self._links()
            result = super().delete()
            self.model.kept_refresh(touched, self.db)
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def _links(self):
        return set(self.order_by().values_list(self.model.kept_link, flat=True).distinct())


def _refresh_sums(placement_ids, using):
    from .sums import refresh

    refresh(placement_ids, using=using)


class TalliedEntry(Kept):
    """Mixed into the entry model: its placement's sums of hours."""

    kept_fields = frozenset({"placement", "placement_id", "status", "date", "minutes", "activity_type", "time_kind",
                             "competencies"})
    kept_refresh = staticmethod(_refresh_sums)


TalliedQuerySet = KeptQuerySet
