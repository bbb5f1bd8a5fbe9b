"""Reads for the report forms: which units the viewer may report on, and the :class:`FormContext` of a
unit and year. Every read goes through the scoped selectors (``accounts.selectors``,
``reports.selectors.report_figures``: the figures stored at approval); a unit the viewer may not
see is simply not found.

Units reported on: a 2025 province (its communes as rows), a 2025 commune (its villages as rows) and a
village (one row). A village surveyor reports on their own villages only (the commune is visible to
them by name, not by figures). Pre-2025 districts have no form: every review round hangs on a 2025
commune, so there is nothing a district form could add up yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from giamngheo.accounts.selectors import Viewer, is_village_surveyor, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Village
from giamngheo.geo.models import Level as UnitLevel
from giamngheo.reports.forms.context import NO_VILLAGE_LABEL, FormContext, Indicator, Level, SubUnit
from giamngheo.reports.selectors import approved_rounds, report_figures
from giamngheo.review.models import ReviewRound
from giamngheo.review.procedure import procedure
from giamngheo.standards import Standard, StandardError, get_standard

PROVINCE_PREFIX = "tinh-"
COMMUNE_PREFIX = "xa-"
VILLAGE_PREFIX = "thon-"
_UNIT_TYPES = ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu ", "Thị trấn ")


@dataclass(frozen=True, slots=True)
class Scope:
    """A unit a form is about: ``key`` in URLs (``tinh-51``, ``xa-23485``, ``thon-12``), its name,
    the province or commune, and the village for a village form."""

    level: Level
    key: str
    name: str
    unit: AdminUnit
    village: Village | None = None


def _province_scope(unit: AdminUnit) -> Scope:
    return Scope("province", f"{PROVINCE_PREFIX}{unit.code}", unit.name, unit)


def _commune_scope(unit: AdminUnit) -> Scope:
    return Scope("commune", f"{COMMUNE_PREFIX}{unit.code}", unit.name, unit)


def _village_scope(village: Village) -> Scope:
    return Scope(
        "village",
        f"{VILLAGE_PREFIX}{village.pk}",
        f"{village.name}, {village.commune.name}",
        village.commune,
        village,
    )


def form_scopes(viewer: Viewer) -> list[Scope]:
    """The units the viewer may choose on the forms page: provinces, then communes (by name), then — for
    a village surveyor — their villages. Other viewers reach a village from its commune's form."""
    if is_village_surveyor(viewer):
        villages = villages_visible_to(viewer).select_related("commune").order_by("commune__name", "name")
        return [_village_scope(v) for v in villages]
    units = units_visible_to(viewer).filter(
        generation=Generation.Y2025, level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE]
    )
    provinces = [_province_scope(u) for u in units.filter(level=UnitLevel.PROVINCE).order_by("name")]
    communes = [_commune_scope(u) for u in units.filter(level=UnitLevel.COMMUNE).order_by("name")]
    return provinces + communes


def scope_for(viewer: Viewer, key: str) -> Scope | None:
    """The unit of ``key`` if the viewer may report on it, else ``None`` (the page answers 404)."""
    units = units_visible_to(viewer).filter(generation=Generation.Y2025)
    if key.startswith(VILLAGE_PREFIX):
        pk = key.removeprefix(VILLAGE_PREFIX)
        village = (
            villages_visible_to(viewer).select_related("commune").filter(pk=int(pk)).first()
            if pk.isdigit()
            else None
        )
        return _village_scope(village) if village is not None else None
    if is_village_surveyor(viewer):
        return None
    if key.startswith(PROVINCE_PREFIX):
        unit = units.filter(level=UnitLevel.PROVINCE, code=key.removeprefix(PROVINCE_PREFIX)).first()
        return _province_scope(unit) if unit is not None else None
    if key.startswith(COMMUNE_PREFIX):
        unit = units.filter(level=UnitLevel.COMMUNE, code=key.removeprefix(COMMUNE_PREFIX)).first()
        return _commune_scope(unit) if unit is not None else None
    return None


def short_name(name: str) -> str:
    """The place name without its unit type, as in the place-and-date line ("Tỉnh Quảng Ngãi" → "Quảng
    Ngãi")."""
    for prefix in _UNIT_TYPES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def _province_name(unit: AdminUnit) -> str:
    if unit.level == UnitLevel.PROVINCE:
        return unit.name
    province = AdminUnit.objects.filter(
        generation=unit.generation, level=UnitLevel.PROVINCE, code=unit.province_code
    ).first()
    return province.name if province is not None else ""


def _standards(rounds: list[ReviewRound]) -> list[Standard]:
    found: list[Standard] = []
    for standard_id in dict.fromkeys(r.standard_id for r in rounds if r.standard_id):
        try:
            found.append(get_standard(standard_id))
        except StandardError:
            continue
    return found


def _indicators(standards: list[Standard]) -> tuple[Indicator, ...]:
    seen: dict[str, Indicator] = {}
    for standard in standards:
        for spec in standard.indicators:
            dimension = standard.dimensions.get(spec.dimension, {}).get("vi", spec.dimension)
            seen.setdefault(spec.id, Indicator(spec.id, dimension, spec.label_vi))
    return tuple(seen.values())


def _compared(frame: pl.DataFrame, rounds: list[ReviewRound]) -> tuple[set[int], tuple[int, ...]]:
    """The communes whose round has no earlier approved round to compare with (their Biểu 04 row stays
    empty), and the earlier rounds' years, from the stored figures (``previous_year``)."""
    years = (
        {int(y) for y in frame["previous_year"].drop_nulls().to_list()}
        if "previous_year" in frame.columns
        else set()
    )
    compared = (
        set(frame.filter(pl.col("previous_year").is_not_null())["commune_id"].to_list())
        if frame.height
        else set()
    )
    missing = {r.commune_id for r in rounds} - compared
    return missing, tuple(sorted(years))


def _village_units(frame: pl.DataFrame) -> tuple[SubUnit, ...]:
    ids = set(frame["village_id"].to_list())
    names = dict(Village.objects.filter(pk__in=[i for i in ids if i is not None]).values_list("pk", "name"))
    named = sorted((names.get(i, str(i)), i) for i in ids if i is not None)
    units = [SubUnit(i, name, f"{VILLAGE_PREFIX}{i}") for name, i in named]
    if None in ids:
        units.append(SubUnit(None, NO_VILLAGE_LABEL))
    return tuple(units)


def form_context(
    *, viewer: Viewer, scope: Scope, year: int, day: dt.date, transitions: bool = True
) -> FormContext:
    """Everything the forms of ``scope`` and ``year`` print, read within the viewer's territory.
    ``transitions=False`` skips the review transitions (only Biểu 04 needs them)."""
    unit = None if scope.village is not None else scope.unit
    rounds = approved_rounds(viewer=viewer, year=year, unit=unit, village=scope.village)
    frame = report_figures(viewer=viewer, year=year, unit=unit, village=scope.village, rounds=rounds)
    standards = _standards(rounds)
    not_compared, previous_years = _compared(frame, rounds) if transitions else (set(), ())
    per_household = frame if transitions else None
    missing: tuple[str, ...] = ()
    if scope.level == "province":
        with_round = {r.commune_id for r in rounds}
        units = tuple(
            SubUnit(r.commune_id, r.commune.name, f"{COMMUNE_PREFIX}{r.commune.code}")
            for r in sorted(rounds, key=lambda r: r.commune.code)
        )
        others = (
            units_visible_to(viewer)
            .filter(generation=Generation.Y2025, level=UnitLevel.COMMUNE, province_code=scope.unit.code)
            .exclude(pk__in=with_round)
            .order_by("name")
            .values_list("name", flat=True)
        )
        missing = tuple(others)
        compared_out: frozenset[int | None] = frozenset(not_compared)
        province = scope.unit.name
        area, issuer = province, ("ỦY BAN NHÂN DÂN", province.upper())
    elif scope.level == "commune":
        units = _village_units(frame)
        compared_out = frozenset(u.id for u in units) if not_compared else frozenset()
        province = _province_name(scope.unit)
        area = f"{scope.unit.name}, {province}" if province else scope.unit.name
        issuer = ("ỦY BAN NHÂN DÂN", scope.unit.name.upper())
    else:
        assert scope.village is not None
        units = (SubUnit(scope.village.pk, scope.village.name),)
        compared_out = frozenset(u.id for u in units) if not_compared else frozenset()
        province = _province_name(scope.unit)
        area = ", ".join(p for p in (scope.village.name, scope.unit.name, province) if p)
        issuer = ("ỦY BAN NHÂN DÂN", scope.unit.name.upper())
    return FormContext(
        level=scope.level,
        key=scope.key,
        area=area,
        issuer=issuer,
        place=short_name(scope.unit.name if scope.level != "province" else province),
        year=year,
        day=day,
        frame=frame,
        units=units,
        indicators=_indicators(standards),
        causes=tuple((item.id, item.vi) for item in procedure().causes.items),
        middle_living=any(s.has_middle_living for s in standards),
        standards=tuple(f"{s.title_vi} ({s.legal_basis})" for s in standards),
        transitions=per_household,
        previous_years=previous_years,
        not_compared=compared_out,
        missing=missing,
    )
