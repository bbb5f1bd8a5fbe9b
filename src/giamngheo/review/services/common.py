"""Helpers shared by the review services (run inside their transaction)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
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
