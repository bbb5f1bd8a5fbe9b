"""Reads for administrative units, villages and the old → new commune mapping.

Lists shown to a user start from ``accounts.selectors.units_visible_to(viewer)`` /
``villages_visible_to(viewer)``. ``communes_of``, ``unit_by_code``, ``commune_successors``,
``commune_predecessors`` without a viewer and ``village_former_communes`` are for system work
(imports, historical rounds, reports computed for an area the caller has already checked, the village
services and the forms of those who may edit the commune).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, QuerySet

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import Viewer, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level, UnitMapping, Village
from giamngheo.geo.names import address_name


def communes_of(province: AdminUnit) -> QuerySet[AdminUnit]:
    """The commune-level units (xã, phường, đặc khu, thị trấn) of a province, in its own generation.

    For a pre-2025 province this includes the communes of all its districts.
    """
    return AdminUnit.objects.filter(
        generation=province.generation, level=Level.COMMUNE, province_code=province.code
    ).order_by("code")


def unit_by_code(code: str, generation: Generation | str = Generation.Y2025) -> AdminUnit | None:
    """The unit with this GSO code in ``generation``, or ``None``.

    GSO codes differ in length by level (province 2 digits, district 3, commune 5), so a code names
    one unit per generation.
    """
    return AdminUnit.objects.filter(generation=generation, code=code).first()


# --- Old → new -------------------------------------------------------------------------------------


def commune_successors(old_commune: AdminUnit, viewer: User | None = None) -> QuerySet[AdminUnit]:
    """The 2025 communes an old (pre-2025) commune went into: one, or several if it was split.

    The default successor (``UnitMapping.is_default``) comes first, then by code; each unit carries
    ``is_default_successor``. With a ``viewer``, only the communes they may see.
    """
    mappings = UnitMapping.objects.filter(old_unit=old_commune)
    units = AdminUnit.objects.filter(pk__in=mappings.values("new_unit_id"))
    if viewer is not None:
        units = units.filter(pk__in=units_visible_to(viewer).values("pk"))
    return units.annotate(
        is_default_successor=Exists(mappings.filter(new_unit_id=OuterRef("pk"), is_default=True))
    ).order_by("-is_default_successor", "code")


def commune_predecessors(new_commune: AdminUnit, viewer: User | None = None) -> QuerySet[AdminUnit]:
    """The pre-2025 communes (or island districts) that went, wholly or in part, into a 2025 commune.

    By code; each unit carries ``successor_count`` (more than 1: only part of it came here). With a
    ``viewer``, only the units they may see.
    """
    units = AdminUnit.objects.filter(
        pk__in=UnitMapping.objects.filter(new_unit=new_commune).values("old_unit_id")
    )
    if viewer is not None:
        units = units.filter(pk__in=units_visible_to(viewer).values("pk"))
    return (
        units.select_related("parent", "parent__parent")
        .annotate(successor_count=Count("mappings_to_new"))
        .order_by("code")
    )


def village_former_communes(commune: AdminUnit) -> QuerySet[AdminUnit]:
    """The pre-2025 communes a village of the 2025 ``commune`` may have belonged to (xã cũ of a village).

    The commune's predecessors (:func:`commune_predecessors`) of commune level, by code, with their
    district and province; an island district that had no communes is not one (a village of it has
    no former commune). What ``village_create``/``village_update`` accept, the village forms offer
    and the demo spreads its villages over.
    """
    return commune_predecessors(commune).filter(generation=Generation.PRE_2025, level=Level.COMMUNE)


def former_commune_label(unit: AdminUnit) -> str:
    """A pre-2025 commune with its district and province: ``"Xã A, huyện B, tỉnh C"``."""
    parent = unit.parent
    district = parent if parent is not None and parent.level == Level.DISTRICT else None
    province = district.parent if district is not None else parent
    return address_name(
        unit.name,
        district.name if district is not None else None,
        province.name if province is not None else None,
    )


# --- Pages (scoped to the viewer) ------------------------------------------------------------------


def provinces_visible_to(viewer: Viewer) -> QuerySet[AdminUnit]:
    """The 2025 provinces the viewer sees as a whole (system administrators: all 34)."""
    return units_visible_to(viewer).filter(generation=Generation.Y2025, level=Level.PROVINCE).order_by("code")


def communes_visible_to(viewer: Viewer, *, province: AdminUnit | None = None) -> QuerySet[AdminUnit]:
    """The 2025 communes the viewer sees, of ``province`` if given, by code."""
    communes = units_visible_to(viewer).filter(generation=Generation.Y2025, level=Level.COMMUNE)
    if province is not None:
        communes = communes.filter(province_code=province.code)
    return communes.order_by("code")


def visible_unit(viewer: Viewer, *, level: Level, code: str) -> AdminUnit | None:
    """The 2025 unit of ``level`` with ``code`` if the viewer sees it, else ``None`` (a 404)."""
    return units_visible_to(viewer).filter(generation=Generation.Y2025, level=level, code=code).first()


def visible_village(viewer: Viewer, pk: int) -> Village | None:
    """The village if the viewer sees it, with its commune, else ``None`` (a 404)."""
    return villages_visible_to(viewer).select_related("commune").filter(pk=pk).first()


@dataclass(frozen=True)
class Predecessor:
    """A former unit shown on a commune: ``partial`` when it was split between several communes."""

    unit: AdminUnit
    district: AdminUnit | None
    province: AdminUnit | None
    partial: bool


@dataclass
class CommuneRow:
    """One commune of a list: the commune, its current villages (that the viewer sees), its former units."""

    commune: AdminUnit
    village_count: int = 0
    predecessors: list[Predecessor] = field(default_factory=list)


def _predecessors_by_commune(viewer: Viewer, communes: list[AdminUnit]) -> dict[int, list[Predecessor]]:
    """Former units of each commune, in two queries whatever the number of communes."""
    mappings = list(
        UnitMapping.objects.filter(
            new_unit__in=communes, old_unit__in=units_visible_to(viewer).values("pk")
        ).select_related("old_unit", "old_unit__parent", "old_unit__parent__parent")
    )
    successor_counts = dict(
        UnitMapping.objects.filter(old_unit__in={m.old_unit_id for m in mappings})
        .values("old_unit")
        .annotate(n=Count("pk"))
        .values_list("old_unit", "n")
    )
    result: dict[int, list[Predecessor]] = defaultdict(list)
    for m in sorted(mappings, key=lambda m: m.old_unit.code):
        old = m.old_unit
        parent = old.parent
        district = parent if parent is not None and parent.level == Level.DISTRICT else None
        province = district.parent if district is not None else parent
        result[m.new_unit_id].append(
            Predecessor(old, district, province, partial=successor_counts.get(old.pk, 1) > 1)
        )
    return result


def commune_rows(viewer: Viewer, *, province: AdminUnit | None = None) -> list[CommuneRow]:
    """The 2025 communes the viewer sees (of ``province`` if given), with the number of current
    villages and the former communes of each. Three queries."""
    communes = list(communes_visible_to(viewer, province=province))
    counts = dict(
        villages_visible_to(viewer)
        .filter(commune__in=communes, valid_to__isnull=True)
        .values("commune")
        .annotate(n=Count("pk"))
        .values_list("commune", "n")
    )
    predecessors = _predecessors_by_commune(viewer, communes)
    return [CommuneRow(c, counts.get(c.pk, 0), predecessors.get(c.pk, [])) for c in communes]


def commune_predecessor_list(viewer: Viewer, commune: AdminUnit) -> list[Predecessor]:
    """The former units of one commune that the viewer sees (see ``commune_rows``)."""
    return _predecessors_by_commune(viewer, [commune]).get(commune.pk, [])


def villages_of(viewer: Viewer, commune: AdminUnit) -> QuerySet[Village]:
    """The villages of a commune that the viewer sees, current ones first, then by code; each with its
    former commune (``former_commune``, its district and province) at hand."""
    return (
        villages_visible_to(viewer)
        .filter(commune=commune)
        .select_related("former_commune__parent__parent")
        .order_by(F("valid_to").asc(nulls_first=True), "code")
    )
