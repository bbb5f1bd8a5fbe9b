"""Writes of the reports context: the stored figures of approved rounds (:class:`RoundFigures`).

:func:`round_figures_store` counts one approved periodic round — its commune's household frame
(``selectors.round_household_frame``), with the deprivation lists, causes, the Alkire-Foster sums under
the round's standard and the transitions against the commune's previous approved round — through
:func:`giamngheo.reports.aggregation.count_figures`, the same code every page would otherwise run on
the households, and replaces the round's rows in one transaction. It runs when a round is approved
(``review.signals.round_approved``), for rounds found without figures when they are read (rounds
loaded in bulk), and from ``manage.py report_figures``. Nothing here is a user's write (no audit row):
the figures are derived data, rebuilt at will from the approved results.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from giamngheo.geo.models import Generation, Level, UnitMapping, Village
from giamngheo.reports.aggregation import count_figures
from giamngheo.reports.models import FigureLevel, RoundFigures
from giamngheo.reports.selectors import round_household_frame
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound, RoundKind
from giamngheo.review.selectors import round_household_transitions
from giamngheo.standards import Standard, StandardError, get_standard, standard_for

log = logging.getLogger(__name__)


def _standard(review_round: ReviewRound) -> Standard:
    if review_round.standard_id:
        try:
            return get_standard(review_round.standard_id)
        except StandardError:
            log.warning("round %s: unknown standard %s", review_round.pk, review_round.standard_id)
    return standard_for(review_round.reference_date, review_round.province_code)


def _former_communes(
    review_round: ReviewRound, village_ids: Iterable[int | None]
) -> dict[int | None, int | None]:
    """Each village's pre-2025 commune: its own ``former_commune``, else the 2025 commune's only
    predecessor (a commune that was not merged, or was merged whole into one), else unknown."""
    predecessors = list(
        UnitMapping.objects.filter(
            new_unit_id=review_round.commune_id,
            old_unit__generation=Generation.PRE_2025,
            old_unit__level=Level.COMMUNE,
        )
        .values_list("old_unit_id", flat=True)
        .distinct()
    )
    only = predecessors[0] if len(predecessors) == 1 else None
    own = dict(
        Village.objects.filter(pk__in=[v for v in village_ids if v is not None]).values_list(
            "pk", "former_commune_id"
        )
    )
    return {v: (own.get(v) or only) if v is not None else only for v in village_ids}


def _commune_former(formers: dict[int | None, int | None]) -> int | None:
    """The whole commune's pre-2025 commune: the one all its villages came from, if they did."""
    values = set(formers.values())
    return values.pop() if len(values) == 1 else None


def _json(row: dict[str, Any], skip: Iterable[str]) -> dict[str, int]:
    """The counts of a figures row as JSON: non-zero integers only (every count is a whole number: the
    Alkire-Foster sums too, the national standards weighting every indicator 1)."""
    skipped = set(skip)
    return {k: round(v) for k, v in row.items() if k not in skipped and v}


@transaction.atomic
def round_figures_store(review_round: ReviewRound) -> int:
    """Count and store the figures of an approved periodic round (replacing any it had); returns the
    number of rows. A round that is not an approved periodic round gets none."""
    RoundFigures.objects.filter(review_round=review_round).delete()
    if review_round.kind != RoundKind.PERIODIC or review_round.status not in APPROVED_STATUSES:
        return 0
    standard = _standard(review_round)
    frame = round_household_frame(review_round)
    found = round_household_transitions(review_round)
    previous_year = found[0].year if found is not None else None
    transitions = found[1] if found is not None else None
    options: dict[str, Any] = {
        "indicators": standard.indicator_ids,
        "k": standard.poor_min_deprivations,
        "transitions": transitions,
    }
    villages = count_figures(frame, ["village_id"], **options)
    total = count_figures(frame, [], **options)
    formers = _former_communes(review_round, villages["village_id"].to_list())
    now = timezone.now()
    common = {
        "review_round": review_round,
        "province_code": review_round.province_code,
        "commune_id": review_round.commune_id,
        "year": review_round.year,
        "standard_id": standard.id,
        "previous_year": previous_year,
        "computed_at": now,
    }
    rows = [
        RoundFigures(
            **common,
            level=FigureLevel.COMMUNE,
            village_id=None,
            former_commune_id=_commune_former(formers),
            figures=_json(total.row(0, named=True), ()) if total.height else {},
        )
    ]
    rows += [
        RoundFigures(
            **common,
            level=FigureLevel.VILLAGE,
            village_id=row["village_id"],
            former_commune_id=formers.get(row["village_id"]),
            figures=_json(row, ("village_id",)),
        )
        for row in villages.iter_rows(named=True)
    ]
    RoundFigures.objects.bulk_create(rows, batch_size=500)
    log.info(
        "round %s (%s, %s): stored figures of %s households in %s rows",
        review_round.pk,
        review_round.commune_id,
        review_round.year,
        frame.height,
        len(rows),
    )
    return len(rows)


def round_figures_after_approval(review_round: ReviewRound) -> None:
    """On approval: the round's figures, and those of a later approved round of the commune whose
    transitions now compare with this one (a round approved out of order)."""
    round_figures_store(review_round)
    later = (
        ReviewRound.objects.filter(
            commune_id=review_round.commune_id,
            kind=RoundKind.PERIODIC,
            status__in=APPROVED_STATUSES,
            reference_date__gt=review_round.reference_date,
        )
        .order_by("reference_date", "pk")
        .first()
    )
    if later is not None:
        round_figures_store(later)


def rounds_figures_ensure(rounds: Iterable[ReviewRound]) -> int:
    """Store the figures of the approved periodic ``rounds`` that have none (rounds loaded in bulk, or
    approved before figures were stored); returns how many rounds were counted."""
    rounds = [r for r in rounds if r.kind == RoundKind.PERIODIC and r.status in APPROVED_STATUSES]
    if not rounds:
        return 0
    with_figures = set(
        RoundFigures.objects.filter(review_round__in=[r.pk for r in rounds])
        .values_list("review_round_id", flat=True)
        .distinct()
    )
    missing = sorted((r for r in rounds if r.pk not in with_figures), key=lambda r: (r.reference_date, r.pk))
    for review_round in missing:
        round_figures_store(review_round)
    return len(missing)


def figures_rebuild(*, province_code: str | None = None, year: int | None = None) -> int:
    """Recount the stored figures of every approved periodic round (of a province, of a year);
    returns the number of rounds."""
    rounds = ReviewRound.objects.filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES)
    if province_code:
        rounds = rounds.filter(province_code=province_code)
    if year:
        rounds = rounds.filter(year=year)
    count = 0
    for review_round in rounds.order_by("reference_date", "pk").iterator():
        round_figures_store(review_round)
        count += 1
    return count


__all__ = [
    "figures_rebuild",
    "round_figures_after_approval",
    "round_figures_store",
    "rounds_figures_ensure",
]
