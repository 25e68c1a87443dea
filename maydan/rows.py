"""Model instances from rows of SQL written out (the few reads every request makes; see maydan.arrival):
each column goes through its field's converters, as the ORM's rows do."""
from functools import lru_cache

from django.db import connection
from django.db.models.sql import Query


def columns(model, alias):
    """The model's columns, in field order, as `alias`.column for a SELECT (a tuple, written once per process)."""
    return _columns(model, alias, connection.vendor)


@lru_cache(maxsize=None)
def _columns(model, alias, vendor):
    return tuple(f"{alias}.{connection.ops.quote_name(field.column)}" for field in model._meta.concrete_fields)


def instance(model, values):
    """The model instance of `values`, the columns `columns(model, …)` selected."""
    compiler, converters, names = _loading(model, connection.vendor)
    row = next(compiler.apply_converters([values], converters)) if converters else list(values)
    return model.from_db(connection.alias, names, row)


@lru_cache(maxsize=None)
def _loading(model, vendor):
    """How the ORM turns a row of `model`'s columns into field values on this database (its converters)."""
    fields = model._meta.concrete_fields
    compiler = Query(model).get_compiler(connection=connection)
    converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in fields])
    return compiler, converters, [field.attname for field in fields]
