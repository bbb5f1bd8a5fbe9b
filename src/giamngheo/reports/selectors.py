"""Reads of the reports context: the report frame of a year over the viewer's territory.

Every figure of a form, dashboard or map is computed by :mod:`giamngheo.reports.aggregation` from the
frame :func:`report_frame` returns, so territory scoping happens here and only here (it starts from the
review and registry selectors, which start from ``accounts.selectors``).
"""

from __future__ import annotations

import polars as pl
from django.db.models import Q

from giamngheo.accounts.selectors import Viewer
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.registry.models import HouseholdStatus
from giamngheo.registry.selectors import households_visible_to
from giamngheo.reports.aggregation import NOT_REVIEWED, REPORT_SCHEMA, empty_report_frame
from giamngheo.review.models import APPROVED_STATUSES, Result, ReviewRound, RoundKind
from giamngheo.review.selectors import rounds_visible_to


def approved_rounds(
    *, viewer: Viewer, year: int, unit: AdminUnit | None = None, village: Village | None = None
) -> list[ReviewRound]:
    """The approved periodic rounds of ``year`` the viewer may see, limited to ``unit`` (a province or a
    commune) or ``village``'s commune."""
    rounds = rounds_visible_to(viewer).filter(
        kind=RoundKind.PERIODIC, year=year, status__in=APPROVED_STATUSES
    )
    if village is not None:
        rounds = rounds.filter(commune_id=village.commune_id)
    elif unit is not None:
        if unit.level == Level.PROVINCE:
            rounds = rounds.filter(commune__province_code=unit.province_code)
        else:
            rounds = rounds.filter(commune=unit)
    return list(rounds.select_related("commune"))


def report_years(*, viewer: Viewer) -> list[int]:
    """The years that have at least one approved periodic round the viewer may see, newest first."""
    years = (
        rounds_visible_to(viewer)
        .filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES)
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def report_frame(
    *, viewer: Viewer, year: int, unit: AdminUnit | None = None, village: Village | None = None
) -> pl.DataFrame:
    """One row per household of the communes with an approved periodic round of ``year`` (see
    :mod:`giamngheo.reports.aggregation` for the columns), within the viewer's territory.

    A household belongs to the frame when it is active in the registry or has a result in the round;
    one the round did not list has class ``not_reviewed``.
    """
    rounds = approved_rounds(viewer=viewer, year=year, unit=unit, village=village)
    if not rounds:
        return empty_report_frame()
    communes = {r.commune_id: r.commune for r in rounds}
    results = {
        household_id: (klass, deprived, causes)
        for household_id, klass, deprived, causes in Result.objects.filter(
            round__in=[r.pk for r in rounds], superseded=False
        ).values_list("household_id", "klass", "deprived", "round_household__causes")
    }
    households = households_visible_to(viewer).filter(commune_id__in=list(communes))
    households = households.filter(Q(status=HouseholdStatus.ACTIVE) | Q(pk__in=list(results)))
    if village is not None:
        households = households.filter(village=village)
    rows = list(
        households.values_list(
            "pk",
            "province_code",
            "commune_id",
            "village_id",
            "village__name",
            "area",
            "ethnic_minority",
            "meritorious_family",
            "social_protection",
            "no_labour_capacity",
        )
    )
    if not rows:
        return empty_report_frame()
    columns = list(zip(*rows, strict=True))
    ids = list(columns[0])
    commune_ids = list(columns[2])
    outcome = [results.get(pk, (NOT_REVIEWED, [], [])) for pk in ids]
    frame = pl.DataFrame(
        {
            "province_code": list(columns[1]),
            "commune_id": commune_ids,
            "commune_code": [communes[c].code for c in commune_ids],
            "commune_name": [communes[c].name for c in commune_ids],
            "village_id": list(columns[3]),
            "village_name": list(columns[4]),
            "household_id": ids,
            "area": list(columns[5]),
            "ethnic_minority": list(columns[6]),
            "meritorious_family": list(columns[7]),
            "social_protection": list(columns[8]),
            "no_labour_capacity": list(columns[9]),
            "klass": [o[0] for o in outcome],
            "deprived": [list(o[1] or []) for o in outcome],
            "causes": [list(o[2] or []) for o in outcome],
        },
        schema=REPORT_SCHEMA,
    )
    return frame
