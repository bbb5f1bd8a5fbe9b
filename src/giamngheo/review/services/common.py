"""Helpers shared by the review services (run inside their transaction)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from giamngheo.geo.models import AdminUnit, Village
from giamngheo.review.models import ReviewRound, RoundHousehold, RoundStatus

log = logging.getLogger("giamngheo.review")

STALE_ROUND_MESSAGE = gettext_lazy("Đợt rà soát vừa được người khác cập nhật; vui lòng tải lại trang.")
STALE_SURVEY_MESSAGE = gettext_lazy(
    "Phiếu B của hộ này vừa được người khác cập nhật; vui lòng tải lại trang."
)


def locked_round(review_round: ReviewRound, expected_version: int | None = None) -> ReviewRound:
    """The round's row, locked for the transaction; refuses a stale ``expected_version``."""
    current = (
        ReviewRound.objects.select_for_update(of=("self",)).select_related("commune").get(pk=review_round.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(STALE_ROUND_MESSAGE, code="stale")
    return current


def ensure_status(review_round: ReviewRound, allowed: tuple[str, ...], action: str) -> None:
    """Refuse ``action`` (Vietnamese words: "phân loại", "niêm yết" …) unless the round is at one of the
    ``allowed`` steps, saying which step it is at."""
    if review_round.status not in allowed:
        log.info("review step refused", extra={"round": review_round.pk, "status": review_round.status})
        raise ValidationError(
            _("Đợt rà soát đang ở bước “{step}”, chưa thể {action}.").format(
                step=RoundStatus(review_round.status).label, action=action
            ),
            code="review.step",
        )


def advance(review_round: ReviewRound, status: str, **fields: Any) -> None:
    """Move the round to ``status``, bump its version and save the changed fields."""
    review_round.status = status
    review_round.version += 1
    for name, value in fields.items():
        setattr(review_round, name, value)
    review_round.full_clean()
    review_round.save(update_fields=["status", "version", *fields])


def territory(entry: RoundHousehold) -> AdminUnit | Village:
    """Where a listed household's data belongs: its village if it has one, else the round's commune."""
    return entry.village if entry.village is not None else entry.round.commune


def round_snapshot(review_round: ReviewRound) -> dict[str, Any]:
    return {
        "status": review_round.status,
        "version": review_round.version,
        "standard_id": review_round.standard_id,
        "standard_version": review_round.standard_version,
    }


INSERT_BATCH = 5000


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values in ``fields`` order, already prepared for the database: see
    :func:`json_prep` and :func:`datetime_prep`) with one parameterised ``executemany`` per 5,000 rows.

    The ORM's ``bulk_create`` builds a model instance and prepares every field of every row in Python,
    which costs more than the work itself for a round of 20,000 households. No signals are sent (as
    with ``bulk_create``); the caller validates the values and writes the audit row.
    """
    quote = connection.ops.quote_name
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    names = ", ".join(quote(columns[name]) for name in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Update ``fields`` of existing rows: each row is the prepared values in ``fields`` order followed
    by the primary key. One ``executemany`` per 5,000 rows (see :func:`insert_rows`)."""
    quote = connection.ops.quote_name
    columns = {f.name: f.column for f in model._meta.concrete_fields}
    assignments = ", ".join(f"{quote(columns[name])} = %s" for name in fields)
    pk = quote(model._meta.pk.column)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {pk} = %s"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_BATCH):
            cursor.executemany(sql, rows[start : start + INSERT_BATCH])


def json_prep(model: type[models.Model], field: str) -> Callable[[Any], Any]:
    """The database value of a JSON field's Python value (with the field's encoder)."""
    json_field = model._meta.get_field(field)
    assert isinstance(json_field, models.JSONField)
    return functools.partial(json_field.get_db_prep_save, connection=connection)


def datetime_prep(value: Any) -> Any:
    """The database value of an aware datetime (or ``None``)."""
    return connection.ops.adapt_datetimefield_value(value)


def date_prep(value: Any) -> Any:
    """The database value of a date (or ``None``)."""
    return connection.ops.adapt_datefield_value(value)
