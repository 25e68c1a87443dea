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
    compiler, converters, names = _loading(model, None, connection.vendor)
    row = next(compiler.apply_converters([values], converters)) if converters else list(values)
    return model.from_db(connection.alias, names, row)


def values(model, names, rows):
    """`rows` of the columns of `model`'s fields `names` (a tuple), each value as its field gives it (a time zone
    aware datetime on every database, say)."""
    compiler, converters, _names = _loading(model, names, connection.vendor)
    return list(compiler.apply_converters(rows, converters)) if converters else [list(row) for row in rows]


def fetch(sql, params):
    """Every row `sql` answers with `params`."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name):
    return connection.ops.quote_name(model._meta.get_field(name).column)


@lru_cache(maxsize=None)
def _loading(model, names, vendor):
    """How the ORM turns a row of `model`'s columns (all, or the fields `names`) into field values on this database
    (its converters)."""
    fields = model._meta.concrete_fields if names is None else [model._meta.get_field(name) for name in names]
    compiler = Query(model).get_compiler(connection=connection)
    converters = compiler.get_converters([field.get_col(model._meta.db_table) for field in fields])
    return compiler, converters, [field.attname for field in fields]
