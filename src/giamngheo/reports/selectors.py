"""Reads of the reports context: the report frame of a year over the viewer's territory.

Every figure of a form, dashboard or map is computed by :mod:`giamngheo.reports.aggregation` from the
frame :func:`report_frame` returns, so territory scoping happens here and only here (it starts from the
review and registry selectors, which start from ``accounts.selectors``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from django.db import connection
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from giamngheo.accounts.selectors import Viewer, is_village_surveyor, villages_visible_to
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.registry.models import Household, HouseholdStatus
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


_LIST = pl.List(pl.String())


def _raw(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset as the database driver returns them (no per-value Python
    converters: Polars casts the columns, and decodes the JSON lists, which is what keeps a large frame
    fast)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


def report_frame(
    *,
    viewer: Viewer,
    year: int,
    unit: AdminUnit | None = None,
    village: Village | None = None,
    rounds: Sequence[ReviewRound] | None = None,
    lists: bool = True,
) -> pl.DataFrame:
    """One row per household of the communes with an approved periodic round of ``year`` (see
    :mod:`giamngheo.reports.aggregation` for the columns), within the viewer's territory, read from the
    registry and the results as they are now (the pages read :func:`report_figures`, the figures stored
    at approval; this is what they are checked against).

    A household belongs to the frame when it is active in the registry or has a result in the round;
    one the round did not list has class ``not_reviewed``. ``rounds``: what :func:`approved_rounds`
    returned for the same arguments, when the caller already has it (not read again). ``lists=False``
    leaves ``deprived`` and ``causes`` empty without reading them.
    """
    if rounds is None:
        rounds = approved_rounds(viewer=viewer, year=year, unit=unit, village=village)
    households = households_visible_to(viewer)
    if village is not None:
        households = households.filter(village=village)
    return _household_frame(rounds, households, lists=lists)


def round_household_frame(review_round: ReviewRound) -> pl.DataFrame:
    """The household frame of one round over its whole commune, not scoped to a viewer: what the
    round's stored figures are counted from (:mod:`giamngheo.reports.services`)."""
    return _household_frame([review_round], Household.objects.all(), lists=True)


def _household_frame(
    rounds: Sequence[ReviewRound], households: QuerySet[Household], *, lists: bool
) -> pl.DataFrame:
    if not rounds:
        return empty_report_frame()
    communes = {r.commune_id: r.commune for r in rounds}
    current = Result.objects.filter(round__in=[r.pk for r in rounds], superseded=False).order_by()
    list_columns = (
        (Cast("deprived", TextField()), Cast("round_household__causes", TextField())) if lists else ()
    )
    schema: dict[str, pl.DataType] = {"household_id": pl.Int64(), "klass": pl.String()}
    if lists:
        schema |= {"deprived": pl.String(), "causes": pl.String()}
    results = pl.DataFrame(
        _raw(current.values_list("household_id", "klass", *list_columns)), schema=schema, orient="row"
    ).unique("household_id", keep="last")
    if not lists:
        results = results.with_columns(deprived=pl.lit(None, pl.String), causes=pl.lit(None, pl.String))
    households = households.filter(commune_id__in=list(communes))
    households = households.filter(
        Q(status=HouseholdStatus.ACTIVE) | Q(pk__in=current.values("household_id"))
    )
    names = [
        "household_id",
        "province_code",
        "commune_id",
        "village_id",
        "village_name",
        "area",
        "ethnic_minority",
        "meritorious_family",
        "social_protection",
        "no_labour_capacity",
    ]
    rows = _raw(
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
    base = pl.DataFrame(rows, schema={n: REPORT_SCHEMA[n] for n in names}, orient="row")
    units = pl.DataFrame(
        {
            "commune_id": list(communes),
            "commune_code": [c.code for c in communes.values()],
            "commune_name": [c.name for c in communes.values()],
        },
        schema={"commune_id": pl.Int64(), "commune_code": pl.String(), "commune_name": pl.String()},
    )
    frame = (
        base.join(units, on="commune_id", how="left", maintain_order="left")
        .join(results, on="household_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("klass").fill_null(NOT_REVIEWED),
            pl.col("deprived").str.json_decode(_LIST).fill_null(pl.lit([], dtype=_LIST)),
            pl.col("causes").str.json_decode(_LIST).fill_null(pl.lit([], dtype=_LIST)),
        )
    )
    return frame.select(list(REPORT_SCHEMA)).cast(REPORT_SCHEMA)  # type: ignore[arg-type]


#: The columns that name the unit of a figures frame row (then the counts, see ``aggregation``).
FIGURE_UNIT_SCHEMA: dict[str, pl.DataType] = {
    "province_code": pl.String(),
    "commune_id": pl.Int64(),
    "commune_code": pl.String(),
    "commune_name": pl.String(),
    "village_id": pl.Int64(),
    "village_name": pl.String(),
    "former_commune_id": pl.Int64(),
    "year": pl.Int64(),
    "previous_year": pl.Int64(),
}


def empty_figures() -> pl.DataFrame:
    return pl.DataFrame(schema={**FIGURE_UNIT_SCHEMA, "households": pl.Int64()})


def report_figures(
    *,
    viewer: Viewer,
    year: int,
    unit: AdminUnit | None = None,
    village: Village | None = None,
    rounds: Sequence[ReviewRound] | None = None,
    villages: bool = False,
) -> pl.DataFrame:
    """The stored figures (:class:`giamngheo.reports.models.RoundFigures`) of the approved periodic
    rounds of ``year`` within the viewer's territory: a *figures frame* for every function of
    :mod:`giamngheo.reports.aggregation` (columns :data:`FIGURE_UNIT_SCHEMA`, then the counts).

    One row per commune for a province or the whole country; one row per village (and one for the
    households without a village) for a commune, a village (``village``), a village surveyor (their
    own villages only), or when ``villages`` is asked for (district forms, which group villages by their
    pre-2025 commune). Rounds found without figures are counted first (rounds loaded in bulk).
    ``rounds``: what :func:`approved_rounds` returned for the same arguments, when the caller has it.
    """
    from giamngheo.reports.models import FigureLevel, RoundFigures
    from giamngheo.reports.services import rounds_figures_ensure

    if rounds is None:
        rounds = approved_rounds(viewer=viewer, year=year, unit=unit, village=village)
    if not rounds:
        return empty_figures()
    rounds_figures_ensure(rounds)
    surveyor = is_village_surveyor(viewer)
    by_village = (
        villages or surveyor or village is not None or (unit is not None and unit.level == Level.COMMUNE)
    )
    rows = RoundFigures.objects.filter(
        review_round__in=[r.pk for r in rounds],
        level=FigureLevel.VILLAGE if by_village else FigureLevel.COMMUNE,
    )
    if village is not None:
        rows = rows.filter(village=village)
    elif surveyor:
        rows = rows.filter(village__in=villages_visible_to(viewer))
    raw = _raw(
        rows.order_by("commune__code", "village__name", "village_id").values_list(
            "province_code",
            "commune_id",
            "commune__code",
            "commune__name",
            "village_id",
            "village__name",
            "former_commune_id",
            "year",
            "previous_year",
            Cast("figures", TextField()),
        )
    )
    if not raw:
        return empty_figures()
    units = pl.DataFrame([row[:-1] for row in raw], schema=FIGURE_UNIT_SCHEMA, orient="row")
    counts = (
        pl.Series("figures", [row[-1] for row in raw], dtype=pl.String())
        .str.json_decode(infer_schema_length=None)
        .struct.unnest()
    )
    counts = counts.select(pl.all().cast(pl.Int64).fill_null(0)) if counts.width else counts
    return pl.concat([units, counts], how="horizontal")
