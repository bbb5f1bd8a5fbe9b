"""Batched writes of many rows (ghi hàng loạt) with one parameterised ``executemany`` per batch.

The ORM's ``bulk_create`` builds a model instance and prepares every field of every row in Python, which
costs more than the work itself for a round or a demo of tens of thousands of households. These helpers
take values already prepared for the database (dates adapted, JSON encoded: see the field's
``get_db_prep_save`` or ``connection.ops.adapt_*``). No signals are sent (as with ``bulk_create``); the
caller validates the values and writes the audit row.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any, Final

from django.db import connection, models

BATCH: Final = 5000


def _batches(rows: Iterable[Sequence[Any]]) -> Iterable[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, BATCH)):
        yield batch


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """``INSERT`` ``rows`` (values in ``fields`` order, fields named as on the model) into ``model``'s
    table, :data:`BATCH` rows per ``executemany``."""
    quote = connection.ops.quote_name
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(columns[name]) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            cursor.executemany(sql, batch)


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """``UPDATE`` ``fields`` of existing rows: each row is the prepared values in ``fields`` order followed
    by the primary key; :data:`BATCH` rows per ``executemany``."""
    quote = connection.ops.quote_name
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    assignments = ", ".join(f"{quote(columns[name])} = %s" for name in fields)
    pk = quote(model._meta.pk.column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {pk} = %s"
    with connection.cursor() as cursor:
        for batch in _batches(rows):
            cursor.executemany(sql, batch)
