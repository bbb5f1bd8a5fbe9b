"""The class history of households (lịch sử phân loại hộ) from the approved review rounds, for
``support.eligibility``.

A household's history is one :class:`~giamngheo.support.eligibility.HistoryEntry` per approved round
(periodic or ongoing, status approved or reported, with an approval date) in which it has a current
result (``Result.superseded`` false), sorted by approval date then round id. An ongoing round only has
results for the households it reviewed, so a household's class stays the one of its last round until a
later round classifies it again.

Many households are read at once (an Excel upload of 10 000 rows): one query per batch of ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from django.db.models import OuterRef, QuerySet, Subquery

from giamngheo.registry.models import Household
from giamngheo.review.models import APPROVED_STATUSES, Result
from giamngheo.support.eligibility import HistoryEntry

__all__ = [
    "class_histories",
    "class_history",
    "latest_approved_class",
    "latest_class_subquery",
    "round_label_en",
    "round_label_vi",
]

BATCH: Final = 5000  # ids per query: well under SQLite's limit of bound parameters


def round_label_vi(kind: str, year: int, month: int | None) -> str:
    if kind == "ongoing" and month:
        return f"Rà soát thường xuyên tháng {month}/{year}"
    return f"Rà soát định kỳ năm {year}"


def round_label_en(kind: str, year: int, month: int | None) -> str:
    if kind == "ongoing" and month:
        return f"ongoing review {month}/{year}"
    return f"periodic review {year}"


def class_histories(household_ids: Iterable[int]) -> dict[int, list[HistoryEntry]]:
    """Each household's approved rounds, oldest first (households with none map to ``[]``)."""
    ids = sorted(set(household_ids))
    found: dict[int, dict[int, HistoryEntry]] = defaultdict(dict)
    for start in range(0, len(ids), BATCH):
        rows = (
            Result.objects.filter(
                household_id__in=ids[start : start + BATCH],
                superseded=False,
                round__status__in=APPROVED_STATUSES,
                round__approved_on__isnull=False,
            )
            .order_by("pk")
            .values_list(
                "household_id",
                "round_id",
                "round__approved_on",
                "round__kind",
                "round__year",
                "round__month",
                "klass",
            )
        )
        for household_id, round_id, approved_on, kind, year, month, klass in rows:
            if approved_on is None:  # excluded by the query; keeps the type checker sure
                continue
            # One current result per household and round; should there be two, the newest wins.
            found[household_id][round_id] = HistoryEntry(
                approved_on=approved_on,
                round_id=round_id,
                klass=klass,
                label_vi=round_label_vi(kind, year, month),
                label_en=round_label_en(kind, year, month),
            )
    return {pk: sorted(found[pk].values(), key=lambda entry: entry.key) for pk in ids}


def class_history(household: Household) -> list[HistoryEntry]:
    """One household's approved rounds, oldest first."""
    return class_histories([household.pk])[household.pk]


# --- the latest class only (the same order as the histories) -----------------------------------------


def latest_class_subquery(household_ref: str = "pk") -> Subquery:
    """The class (``poor``, ``near_poor`` …) of the household ``household_ref`` points at in its latest
    approved review round: the current (not superseded) result of the round approved last (approval date,
    then round id — the order of :func:`class_histories`) that classified it. For ``.annotate(…)``."""
    return Subquery(_approved_results().filter(household_id=OuterRef(household_ref)).values("klass")[:1])


def _approved_results() -> QuerySet[Result]:
    return Result.objects.filter(
        superseded=False, round__status__in=APPROVED_STATUSES, round__approved_on__isnull=False
    ).order_by("-round__approved_on", "-round_id", "-pk")


def latest_approved_class(household: Household) -> str | None:
    """The household's class in its latest approved round, or ``None`` if no approved round classified
    it. One query."""
    return _approved_results().filter(household=household).values_list("klass", flat=True).first()
