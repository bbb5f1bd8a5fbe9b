"""Reads for the report forms: which units the viewer may report on, and the :class:`FormContext` of a
unit and year. Every read goes through the scoped selectors (``accounts.selectors``,
``reports.selectors.report_figures``: the figures stored at approval); a unit the viewer may not
see is simply not found.

Units reported on: a 2025 province (its communes as rows), a 2025 commune (its villages as rows), a
village (one row), and for the years up to :data:`LAST_DISTRICT_YEAR` a pre-2025 district (its pre-2025
communes as rows: every round hangs on a 2025 commune, so a district's figures are those of the villages
of its successor communes, added up by each village's pre-2025 commune). A village surveyor reports on
their own villages only (the commune is visible to them by name, not by figures).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.utils.translation import gettext as _

from giamngheo.accounts.selectors import Viewer, is_village_surveyor, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Generation, UnitMapping, Village
from giamngheo.geo.models import Level as UnitLevel
from giamngheo.geo.names import address_name
from giamngheo.reports.forms.context import NO_VILLAGE_LABEL, FormContext, Indicator, Level, SubUnit
from giamngheo.reports.selectors import approved_rounds, report_figures
from giamngheo.review.models import ReviewRound
from giamngheo.review.procedure import procedure
from giamngheo.standards import Standard, StandardError, get_standard

PROVINCE_PREFIX = "tinh-"
DISTRICT_PREFIX = "huyen-"
COMMUNE_PREFIX = "xa-"
VILLAGE_PREFIX = "thon-"
#: The last year whose periodic rounds (1 September – 14 December) fell before the two-tier map of
#: 1 July 2025 (Resolution 202/2025/QH15): district forms exist for that year and the years before.
LAST_DISTRICT_YEAR = 2024
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


def _district_scope(unit: AdminUnit, province: str) -> Scope:
    name = f"{address_name(unit.name, province)} (trước 01/07/2025)"
    return Scope("district", f"{DISTRICT_PREFIX}{unit.code}", name, unit)


def _visible_districts(viewer: Viewer) -> list[Scope]:
    """The pre-2025 districts some of whose communes the viewer sees, for a viewer who sees a whole 2025
    province (a district's figures add up several 2025 communes)."""
    units = units_visible_to(viewer)
    if not units.filter(generation=Generation.Y2025, level=UnitLevel.PROVINCE).exists():
        return []
    old_communes = units.filter(generation=Generation.PRE_2025, level=UnitLevel.COMMUNE)
    districts = AdminUnit.objects.filter(
        generation=Generation.PRE_2025, level=UnitLevel.DISTRICT, pk__in=old_communes.values("parent_id")
    ).select_related("parent")
    return sorted(
        (_district_scope(d, d.parent.name if d.parent is not None else "") for d in districts),
        key=lambda s: (s.name.split(", ")[-1], s.name),
    )


def district_year_refusal(scope: Scope, year: int) -> str | None:
    """Why ``scope`` has no form for ``year`` (a district after the two-tier map), else ``None``."""
    if scope.level == "district" and year > LAST_DISTRICT_YEAR:
        return _(
            "Từ ngày 01/07/2025 không còn cấp huyện: biểu cấp huyện chỉ lập cho các năm đến {year}."
        ).format(year=LAST_DISTRICT_YEAR)
    return None


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
    return provinces + communes + _visible_districts(viewer)


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
    if key.startswith(DISTRICT_PREFIX):
        code = key.removeprefix(DISTRICT_PREFIX)
        return next((s for s in _visible_districts(viewer) if s.unit.code == code), None)
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
    if scope.level == "district":
        return _district_context(viewer=viewer, scope=scope, year=year, day=day, transitions=transitions)
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


def _district_context(
    *, viewer: Viewer, scope: Scope, year: int, day: dt.date, transitions: bool
) -> FormContext:
    """A pre-2025 district's forms: the villages of the 2025 communes that took its communes, added up by
    each village's pre-2025 commune (``former_commune``); households whose village has none are left out
    and counted in a note."""
    old = list(
        AdminUnit.objects.filter(
            parent=scope.unit, generation=Generation.PRE_2025, level=UnitLevel.COMMUNE
        ).order_by("code")
    )
    old_ids = [u.pk for u in old]
    successors = set(
        UnitMapping.objects.filter(old_unit_id__in=old_ids).values_list("new_unit_id", flat=True)
    )
    rounds = [r for r in approved_rounds(viewer=viewer, year=year) if r.commune_id in successors]
    everything = report_figures(viewer=viewer, year=year, rounds=rounds, villages=True)
    frame = everything.filter(pl.col("former_commune_id").is_in(old_ids))
    unknown = everything.filter(pl.col("former_commune_id").is_null())
    standards = _standards(rounds)
    not_compared, previous_years = _compared(frame, rounds) if transitions else (set(), ())
    units = tuple(SubUnit(u.pk, u.name) for u in old)
    province = scope.unit.parent.name if scope.unit.parent is not None else ""
    with_data = set(frame["former_commune_id"].to_list())
    return FormContext(
        level="district",
        key=scope.key,
        area=address_name(scope.unit.name, province),
        issuer=("ỦY BAN NHÂN DÂN", scope.unit.name.upper()),
        place=short_name(province) if province else short_name(scope.unit.name),
        year=year,
        day=day,
        frame=frame,
        units=units,
        indicators=_indicators(standards),
        causes=tuple((item.id, item.vi) for item in procedure().causes.items),
        middle_living=any(s.has_middle_living for s in standards),
        standards=tuple(f"{s.title_vi} ({s.legal_basis})" for s in standards),
        transitions=frame if transitions else None,
        previous_years=previous_years,
        not_compared=frozenset(u.id for u in units) if not_compared else frozenset(),
        missing=tuple(u.name for u in old if u.pk not in with_data),
        unattributed=int(unknown["households"].sum()) if unknown.height else 0,
    )
