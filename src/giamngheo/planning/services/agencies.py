"""Agencies (cơ quan, đơn vị) of a unit: the managed list plans assign tasks to, its starting list from the
catalogue, finding the agency a plan names, and the users who work for an agency.

The catalogue is ``planning/data/agencies.toml`` (read through ``planning.parsing``): canonical agency
types with their names, abbreviations and the 2025 restructuring. Since 1 March 2025 the state
management of poverty reduction is with agriculture and environment (Nghị định 35/2025/NĐ-CP, functions
of the Ministry of Agriculture and Environment; Nghị định 45/2025/NĐ-CP, provincial departments: Sở Nông
nghiệp và Môi trường, no Sở Lao động - Thương binh và Xã hội); since 1 July 2025 a commune does it through
its Phòng Kinh tế (Thông tư 13/2025/TT-BNNMT). So:

- a 2025 province's Sở Nông nghiệp và Môi trường carries the old departments' names as aliases
  ("Sở Lao động - Thương binh và Xã hội", "Sở Nông nghiệp và Phát triển nông thôn" …), and an old plan
  that names them resolves to it;
- a pre-2025 district keeps its Phòng Lao động - Thương binh và Xã hội (``valid_to`` 28/02/2025, its
  ``successor`` the district's Phòng Nông nghiệp và Môi trường): an old plan keeps its old agency.

Writes check the actor may edit the unit's plans (``planning.permissions.ensure_can_edit_plan``),
validate first (``ValidationError`` keyed to the fields), write in one durable transaction and audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Generation, Level, UnitType
from giamngheo.planning.models import Agency, AgencyMember, PlanningAuditAction
from giamngheo.planning.parsing import AgencyRef, normalise_agency
from giamngheo.planning.parsing.agencies import catalogue
from giamngheo.planning.parsing.text import fold, nfc
from giamngheo.planning.permissions import ensure_can_edit_plan
from giamngheo.planning.selectors import plan_units_visible_to
from giamngheo.planning.services.plans import level_word

MAX_ALIASES: Final = 30


def folded(text: str) -> str:
    """Case-, diacritics- and punctuation-insensitive form of a name: "Phòng LĐ-TB&XH" → "phong ld tb xh"."""
    return " ".join(fold(nfc(text)).split())


def kind_choices() -> list[tuple[str, str]]:
    """The catalogue's agency types, for the form: (key, canonical name)."""
    return [(a.key, a.name) for a in catalogue().agencies]


def _catalogue_keys() -> set[str]:
    return {a.key for a in catalogue().agencies}


# --- Writes -------------------------------------------------------------------------------------------


def agency_snapshot(agency: Agency) -> dict[str, Any]:
    return {
        "unit": agency.unit_id,
        "name": agency.name,
        "kind": agency.kind,
        "aliases": list(agency.aliases),
        "successor": agency.successor_id,
        "valid_to": agency.valid_to,
    }


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    out: list[str] = []
    seen = {folded(name)}
    for alias in aliases:
        text = " ".join(nfc(alias).split())
        key = folded(text)
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def _checked(
    *,
    unit: AdminUnit,
    name: str,
    kind: str,
    aliases: Sequence[str],
    successor: Agency | None,
    agency: Agency | None,
    actor: User | None,
) -> tuple[str, list[str]]:
    """The name and aliases to save, tidied; ``PermissionDenied`` when the actor may not edit ``unit``'s
    list, ``ValidationError`` (keyed to the form's fields) when something is wrong."""
    ensure_can_edit_plan(actor, unit)
    name = " ".join(nfc(name).split())
    aliases = _clean_aliases(aliases, name)
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Hãy nhập tên cơ quan.")]
    elif len(name) > 255:
        errors["name"] = [_("Tên cơ quan tối đa 255 ký tự.")]
    else:
        others = Agency.objects.filter(unit=unit)
        if agency is not None:
            others = others.exclude(pk=agency.pk)
        same = [a for a in others if folded(a.name) == folded(name)]
        if same:
            errors["name"] = [_("{unit} đã có cơ quan “{name}”.").format(unit=unit.name, name=same[0].name)]
    if kind and kind not in _catalogue_keys():
        errors["kind"] = [_("Loại cơ quan không có trong danh mục.")]
    if len(aliases) > MAX_ALIASES:
        errors["aliases"] = [_("Tối đa {count} tên gọi khác.").format(count=MAX_ALIASES)]
    elif any(len(a) > 255 for a in aliases):
        errors["aliases"] = [_("Mỗi tên gọi khác tối đa 255 ký tự.")]
    if successor is not None:
        problem = _successor_refusal(unit=unit, successor=successor, agency=agency, actor=actor)
        if problem:
            errors["successor"] = [problem]
    if errors:
        raise ValidationError(errors)
    return name, aliases


def _successor_refusal(
    *, unit: AdminUnit, successor: Agency, agency: Agency | None, actor: User | None
) -> str | None:
    if agency is not None:
        current: Agency | None = successor
        for _step in range(20):
            if current is None:
                break
            if current.pk == agency.pk:
                return _("Cơ quan kế nhiệm không thể là chính cơ quan này hoặc cơ quan nó đã kế nhiệm.")
            current = current.successor
    outside = successor.unit_id != unit.pk and actor is not None
    if outside and not plan_units_visible_to(actor).filter(pk=successor.unit_id).exists():
        return _("Cơ quan kế nhiệm không thuộc địa bàn của bạn.")
    return None


def agency_insert(
    *,
    unit: AdminUnit,
    name: str,
    actor: User | None,
    kind: str = "",
    aliases: Sequence[str] = (),
    successor: Agency | None = None,
    valid_to: dt.date | None = None,
) -> Agency:
    """Write a new agency (already validated) with its audit row, inside the caller's transaction."""
    agency = Agency.objects.create(
        unit=unit,
        province_code=unit.province_code,
        name=name,
        kind=kind,
        aliases=list(aliases),
        successor=successor,
        valid_to=valid_to,
    )
    audit_record(
        actor=actor, action=PlanningAuditAction.AGENCY_CREATED, target=agency, after=agency_snapshot(agency)
    )
    return agency


@transaction.atomic(durable=True)
def agency_create(
    *,
    unit: AdminUnit,
    name: str,
    actor: User | None,
    kind: str = "",
    aliases: Sequence[str] = (),
    successor: Agency | None = None,
    valid_to: dt.date | None = None,
) -> Agency:
    """Add an agency to ``unit``'s list. Names are unique per unit, ignoring case and diacritics."""
    name, cleaned = _checked(
        unit=unit, name=name, kind=kind, aliases=aliases, successor=successor, agency=None, actor=actor
    )
    return agency_insert(
        unit=unit, name=name, actor=actor, kind=kind, aliases=cleaned, successor=successor, valid_to=valid_to
    )


@transaction.atomic(durable=True)
def agency_update(
    *,
    agency: Agency,
    name: str,
    actor: User | None,
    kind: str = "",
    aliases: Sequence[str] = (),
    successor: Agency | None = None,
    valid_to: dt.date | None = None,
) -> Agency:
    """Change an agency (its unit stays). Same rules as :func:`agency_create`."""
    name, cleaned = _checked(
        unit=agency.unit,
        name=name,
        kind=kind,
        aliases=aliases,
        successor=successor,
        agency=agency,
        actor=actor,
    )
    before = agency_snapshot(Agency.objects.get(pk=agency.pk))
    agency.name, agency.kind, agency.aliases = name, kind, cleaned
    agency.successor, agency.valid_to = successor, valid_to
    agency.save()
    audit_record(
        actor=actor,
        action=PlanningAuditAction.AGENCY_UPDATED,
        target=agency,
        before=before,
        after=agency_snapshot(agency),
    )
    return agency


# --- Members ------------------------------------------------------------------------------------------


def member_candidates(agency: Agency) -> list[User]:
    """The users who may work for ``agency``: active agency viewers (``Role.AGENCY_VIEWER``) whose
    territory covers the agency's unit, by name."""
    viewers = User.objects.filter(role=Role.AGENCY_VIEWER, is_active=True).order_by("full_name", "username")
    return [u for u in viewers if plan_units_visible_to(u).filter(pk=agency.unit_id).exists()]


@transaction.atomic(durable=True)
def agency_members_set(*, agency: Agency, users: Sequence[User], actor: User | None) -> list[User]:
    """Make ``users`` the agency's members (and nobody else). Each must be an active agency viewer
    whose territory covers the agency's unit. One audit row (``AGENCY_MEMBER_SET``)."""
    ensure_can_edit_plan(actor, agency.unit)
    allowed = {u.pk for u in member_candidates(agency)}
    refused = [u for u in users if u.pk not in allowed]
    if refused:
        raise ValidationError(
            {
                "users": [
                    _(
                        "{user} không phải cán bộ cơ quan (vai trò Cán bộ cơ quan) thuộc địa bàn của {unit}."
                    ).format(user=u.get_full_name() or u.username, unit=agency.unit.name)
                    for u in refused
                ]
            }
        )
    before = sorted(AgencyMember.objects.filter(agency=agency).values_list("user_id", flat=True))
    wanted = sorted({u.pk for u in users})
    AgencyMember.objects.filter(agency=agency).exclude(user_id__in=wanted).delete()
    AgencyMember.objects.bulk_create(
        [AgencyMember(agency=agency, user_id=pk) for pk in wanted if pk not in before]
    )
    audit_record(
        actor=actor,
        action=PlanningAuditAction.AGENCY_MEMBER_SET,
        target=agency,
        before={"users": before},
        after={"users": wanted},
    )
    return list(User.objects.filter(pk__in=wanted).order_by("full_name", "username"))


# --- The starting list (danh sách mẫu) ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Seed:
    """One agency of a starting list: catalogue ``key``; ``prefix`` the level word before the name
    (Sở, Phòng …); ``name`` instead of the catalogue's; ``with_level`` adds the unit's level ("tỉnh",
    "huyện") after it; ``until`` its ``valid_to`` ("unit": the unit's own); ``successor`` the key of
    the agency of the same list that took over its work."""

    key: str
    prefix: str = ""
    name: str = ""
    with_level: bool = False
    until: dt.date | str | None = None
    successor: str | None = None


_RESTRUCTURED: Final = dt.date(2025, 2, 28)  # last day before Nghị định 45/2025/NĐ-CP took effect
_FRONT_AND_UNIONS: Final = (
    Seed("fatherland_front", with_level=True),
    Seed("farmers_union", with_level=True),
    Seed("women_union", with_level=True),
    Seed("youth_union", with_level=True),
    Seed("veterans_association", with_level=True),
)

#: The usual agencies of a 2025 province (Nghị định 45/2025/NĐ-CP, Điều 9 — the provincial departments;
#: check the article when editing), the bank, the front and the mass organisations.
PROVINCE_2025: Final = (
    Seed("people_committee", with_level=True),
    Seed("agriculture_environment", "Sở"),
    Seed("finance", "Sở"),
    Seed("home_affairs", "Sở"),
    Seed("health", "Sở"),
    Seed("education", "Sở"),
    Seed("construction", "Sở"),
    Seed("ethnic_religious_affairs", "Sở"),
    Seed("science_technology", "Sở"),
    Seed("culture_sports_tourism", "Sở"),
    Seed("industry_trade", "Sở"),
    Seed("justice", "Sở"),
    Seed("vbsp", name="Ngân hàng Chính sách xã hội chi nhánh tỉnh"),
    Seed("social_insurance", with_level=True),
    *_FRONT_AND_UNIONS,
    Seed("labour_federation", with_level=True),
    Seed("commune_people_committees"),
)

#: A 2025 commune: its People's Committee and offices (Nghị định 150/2025/NĐ-CP on the commune's
#: specialised offices — check the article when editing), the front and the mass organisations.
COMMUNE_2025: Final = (
    Seed("people_committee", with_level=True),
    Seed("economy", "Phòng"),
    Seed("culture_social", "Phòng"),
    *_FRONT_AND_UNIONS,
)
WARD_2025: Final = (
    Seed("people_committee", with_level=True),
    Seed("economy_infrastructure_urban", "Phòng"),
    Seed("culture_social", "Phòng"),
    *_FRONT_AND_UNIONS,
)

#: A pre-2025 province: its departments before the 2025 restructuring, with their successors.
PROVINCE_PRE_2025: Final = (
    Seed("people_committee", with_level=True),
    Seed("labour_social", "Sở", until=_RESTRUCTURED, successor="agriculture_environment"),
    Seed("agriculture_rural_development", "Sở", until=_RESTRUCTURED, successor="agriculture_environment"),
    Seed("agriculture_environment", "Sở"),
    Seed("planning_investment", "Sở", until=_RESTRUCTURED, successor="finance"),
    Seed("finance", "Sở"),
    Seed("home_affairs", "Sở"),
    Seed("health", "Sở"),
    Seed("education", "Sở"),
    Seed("construction", "Sở"),
    Seed("transport", "Sở", until=_RESTRUCTURED, successor="construction"),
    Seed("information_communications", "Sở", until=_RESTRUCTURED, successor="science_technology"),
    Seed("science_technology", "Sở"),
    Seed("ethnic_affairs", "Ban", with_level=True),
    Seed("culture_sports_tourism", "Sở"),
    Seed("industry_trade", "Sở"),
    Seed("justice", "Sở"),
    Seed("vbsp", name="Ngân hàng Chính sách xã hội chi nhánh tỉnh"),
    *_FRONT_AND_UNIONS,
    Seed("labour_federation", with_level=True),
    Seed("district_people_committees"),
)

#: A pre-2025 district: its offices until the district was dissolved (30/06/2025); the labour office
#: handed poverty reduction to the Phòng Nông nghiệp và Môi trường on 1 March 2025.
DISTRICT_PRE_2025: Final = (
    Seed("people_committee", with_level=True, until="unit"),
    Seed("labour_social", "Phòng", until=_RESTRUCTURED, successor="agriculture_environment"),
    Seed("agriculture_rural_development", "Phòng", until=_RESTRUCTURED, successor="agriculture_environment"),
    Seed("agriculture_environment", "Phòng", until="unit"),
    Seed("finance_planning", "Phòng", until="unit"),
    Seed("home_affairs", "Phòng", until="unit"),
    Seed("ethnic_affairs", "Phòng", until="unit"),
    Seed("culture_information", "Phòng", until="unit"),
    Seed("education", "Phòng", until="unit"),
    Seed("health", "Phòng", until="unit"),
    Seed("economy_infrastructure", "Phòng", until="unit"),
    Seed("vbsp", name="Ngân hàng Chính sách xã hội huyện"),
    Seed("fatherland_front", with_level=True, until="unit"),
    Seed("farmers_union", with_level=True, until="unit"),
    Seed("women_union", with_level=True, until="unit"),
    Seed("youth_union", with_level=True, until="unit"),
    Seed("veterans_association", with_level=True, until="unit"),
    Seed("commune_people_committees"),
)

#: A pre-2025 commune.
COMMUNE_PRE_2025: Final = (
    Seed("people_committee", with_level=True, until="unit"),
    Seed("culture_social", "Công chức", until="unit"),
    Seed("fatherland_front", with_level=True, until="unit"),
    Seed("farmers_union", with_level=True, until="unit"),
    Seed("women_union", with_level=True, until="unit"),
    Seed("youth_union", with_level=True, until="unit"),
    Seed("veterans_association", with_level=True, until="unit"),
)


def seeds_for(unit: AdminUnit) -> tuple[Seed, ...]:
    """The starting list of ``unit`` (by generation, level and, for a 2025 commune, ward or not)."""
    if unit.generation == Generation.Y2025:
        if unit.level == Level.PROVINCE:
            return PROVINCE_2025
        return WARD_2025 if unit.unit_type == UnitType.WARD else COMMUNE_2025
    if unit.level == Level.PROVINCE:
        return PROVINCE_PRE_2025
    if unit.level == Level.DISTRICT:
        return DISTRICT_PRE_2025
    return COMMUNE_PRE_2025


def seed_name(seed: Seed, unit: AdminUnit) -> str:
    """ "Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân huyện", "Hội Nông dân xã" …"""
    base = seed.name or catalogue().get(seed.key).name
    name = f"{seed.prefix} {base}".strip()
    if seed.with_level and (word := level_word(unit)):
        name = f"{name} {word}"
    return name


def seed_aliases(seed: Seed, unit: AdminUnit) -> list[str]:
    """The catalogue's other names of the agency with its level word, and — for an agency that took
    over the work of others in 2025 — their names, so an old plan resolves to it."""
    cat = catalogue()
    agency = cat.get(seed.key)
    aliases = [agency.name] if seed.name else []
    level = f" {level_word(unit)}" if seed.with_level and level_word(unit) else ""
    aliases.extend(f"{seed.prefix} {a}".strip() + level for a in agency.aliases)
    if unit.generation == Generation.Y2025 and seed.prefix:
        for old in cat.agencies:
            if old.successor == seed.key and old.valid_to is not None and seed.prefix in old.prefixes:
                aliases.append(f"{seed.prefix} {old.name}")
    return _clean_aliases(aliases, seed_name(seed, unit))


@transaction.atomic(durable=True)
def agencies_seed(*, unit: AdminUnit, actor: User | None) -> list[Agency]:
    """Add the usual agencies of ``unit`` (:func:`seeds_for`) that its list lacks — none of that type
    and none of that name — with their aliases, end dates and successors. Returns those added;
    running it again adds nothing."""
    ensure_can_edit_plan(actor, unit)
    existing = list(Agency.objects.filter(unit=unit))
    kinds = {a.kind: a for a in existing if a.kind}
    names = {folded(a.name) for a in existing}
    created: list[tuple[Seed, Agency]] = []
    for seed in seeds_for(unit):
        name = seed_name(seed, unit)
        if seed.key in kinds or folded(name) in names:
            continue
        until = unit.valid_to if seed.until == "unit" else seed.until
        agency = agency_insert(
            unit=unit,
            name=name,
            actor=actor,
            kind=seed.key,
            aliases=seed_aliases(seed, unit),
            valid_to=until if isinstance(until, dt.date) else None,
        )
        kinds[seed.key] = agency
        names.add(folded(name))
        created.append((seed, agency))
    for seed, agency in created:
        if seed.successor and seed.successor in kinds:
            Agency.objects.filter(pk=agency.pk).update(successor=kinds[seed.successor])
            agency.successor = kinds[seed.successor]
    return [agency for _seed, agency in created]


# --- Resolution ---------------------------------------------------------------------------------------


@cache
def _normalised(name: str) -> str:
    return folded(normalise_agency(name).name)


def _level_prefix(name: str, key: str) -> str | None:
    """The folded words before the catalogue name of ``key`` in ``name`` ("so", "phong", ""), or
    ``None`` when the catalogue name is not in it."""
    base = folded(catalogue().get(key).name)
    text = folded(name)
    at = f" {text} ".find(f" {base} ")
    return None if at < 0 else text[:at].strip()


def _level_after(name: str, key: str) -> str | None:
    base = folded(catalogue().get(key).name)
    text = folded(name)
    at = f" {text} ".find(f" {base} ")
    return None if at < 0 else text[at + len(base) :].strip()


class AgencyIndex:
    """The agencies of one unit, loaded once, to resolve many names (an imported plan's tasks)."""

    def __init__(self, unit: AdminUnit, agencies: Iterable[Agency] | None = None) -> None:
        self.unit = unit
        self.agencies: list[Agency] = list(
            agencies if agencies is not None else Agency.objects.filter(unit=unit).order_by("pk")
        )

    def add(self, agency: Agency) -> None:
        self.agencies.append(agency)

    def _kind_matches(self, agency: Agency, ref: AgencyRef) -> bool:
        key = ref.key
        if key is None or agency.kind != key:
            return False
        mine, theirs = _level_prefix(agency.name, key), _level_prefix(ref.name, key)
        if mine and theirs and mine != theirs:  # "Phòng …" of a district is not the province's "Sở …"
            return False
        if catalogue().get(key).keep_level and ref.qualifier:
            level = _level_after(agency.name, key)
            wanted = folded(ref.qualifier)
            if level and not (wanted == level or wanted.startswith(level + " ")):
                return False  # "Ủy ban nhân dân huyện" is not the province's "Ủy ban nhân dân tỉnh"
        return True

    def resolve(self, ref: AgencyRef, on: dt.date | None = None) -> Agency | None:
        """The agency ``ref`` names: by catalogue type, then by name, then by alias (ignoring case,
        diacritics and punctuation; an alias also matches when it is another way of writing the same
        catalogue name, "Phòng LĐ-TB&XH" = "Phòng Lao động - Thương binh và Xã hội"). Among several,
        the one in office on ``on`` first. Never follows ``successor``: an old plan keeps its agency."""
        names = {folded(ref.name), folded(ref.text)} - {""}
        by_kind = [a for a in self.agencies if self._kind_matches(a, ref)]
        if by_kind:
            return self._best(by_kind, names, on)
        by_name = [a for a in self.agencies if folded(a.name) in names]
        if by_name:
            return self._best(by_name, names, on)
        normalised = folded(ref.name)
        by_alias = [
            a
            for a in self.agencies
            if any(folded(alias) in names or _normalised(alias) == normalised for alias in a.aliases)
        ]
        return self._best(by_alias, names, on) if by_alias else None

    @staticmethod
    def _best(found: list[Agency], names: set[str], on: dt.date | None) -> Agency:
        def rank(agency: Agency) -> tuple[int, int, int]:
            in_office = on is None or agency.valid_to is None or agency.valid_to >= on
            return (0 if in_office else 1, 0 if folded(agency.name) in names else 1, agency.pk)

        return min(found, key=rank)


def agency_resolve(unit: AdminUnit, ref: AgencyRef, on: dt.date | None = None) -> Agency | None:
    """The agency of ``unit`` that ``ref`` (a name read from a plan) names, or ``None``
    (:meth:`AgencyIndex.resolve`)."""
    return AgencyIndex(unit).resolve(ref, on)


# --- Reads --------------------------------------------------------------------------------------------


def agencies_of_unit(unit: AdminUnit) -> QuerySet[Agency]:
    """The unit's agencies with their successors and members, by name."""
    return (
        Agency.objects.filter(unit=unit)
        .select_related("successor", "successor__unit")
        .prefetch_related("members__user")
        .order_by("name", "pk")
    )


__all__ = [
    "AgencyIndex",
    "Seed",
    "agencies_of_unit",
    "agencies_seed",
    "agency_create",
    "agency_insert",
    "agency_members_set",
    "agency_resolve",
    "agency_snapshot",
    "agency_update",
    "folded",
    "kind_choices",
    "member_candidates",
    "seed_aliases",
    "seed_name",
    "seeds_for",
]
