"""Reads of the registry, always scoped to the viewer's territory.

Every selector starts from the viewer's territory, decided in ``accounts.selectors``
(``units_visible_to`` / ``villages_visible_to``, read as concrete lists by ``territory_of``): a
household in a village is visible when its village is; a household with no village is visible when its
commune is, except to a village surveyor, who sees only the households of their own villages.

Performance (a million households, 3.6 million members on PostgreSQL): the territory condition is
``province_code IN (…)`` and commune / village ids, served by the ``(province_code, commune, village)``
index, never a subquery or an OR of subqueries (which read the whole table). It relies on what the
services keep true: a household's ``province_code`` is its commune's and its village is in its commune
(``Household.clean``), and a member's ``province_code`` is its household's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Concat

from giamngheo.accounts.models import AuditEvent
from giamngheo.accounts.selectors import (
    Territory,
    Viewer,
    territory_of,
    villages_visible_to,
)
from giamngheo.geo import selectors as geo_selectors
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import Household, HouseholdEvent, Member, MemberStatus
from giamngheo.registry.text import fold

MIN_NAME_QUERY_LENGTH = 2
# A name search whose matches fit in this many households is read once into a list of ids, so that the
# page's count and rows are lookups by primary key; a bigger one stays a subquery (run by each).
NAME_MATCHES_READ_AT_ONCE = 5000
# Up to this many communes, a name is looked for among the territory's members, not in the name index.
NAME_SCAN_MAX_COMMUNES = 4


def _territory_condition(territory: Territory, prefix: str = "") -> Q:
    """The condition "household visible" for ``territory`` on ``Household`` (or through ``prefix``):
    ``province_code IN (…)`` first (the distribution key), then commune or village ids."""
    if territory.everything:
        return Q()
    parts: list[Q] = []
    if territory.village_ids is not None:  # a village surveyor: their villages only, no commune-level one
        if territory.village_ids:
            parts.append(
                Q(
                    **{
                        f"{prefix}province_code__in": sorted(territory.village_province_codes),
                        f"{prefix}village_id__in": sorted(territory.village_ids),
                    }
                )
            )
    else:  # every village of a visible commune: the household's commune decides
        if territory.province_codes:
            parts.append(Q(**{f"{prefix}province_code__in": sorted(territory.province_codes)}))
        if territory.commune_ids:
            parts.append(
                Q(
                    **{
                        f"{prefix}province_code__in": sorted(territory.commune_province_codes),
                        f"{prefix}commune_id__in": sorted(territory.commune_ids),
                    }
                )
            )
    if not parts:
        return Q(pk__in=[])  # matches nothing
    return reduce(or_, parts)


def _visibility(viewer: Viewer, prefix: str = "") -> Q:
    """The condition "household visible to ``viewer``" on ``Household`` (or through ``prefix``)."""
    return _territory_condition(territory_of(viewer), prefix)


def _one_commune(territory: Territory) -> bool:
    """Is everything ``territory`` shows in one commune (a commune officer, a village surveyor)?"""
    return not territory.everything and not territory.province_codes and len(territory.commune_ids) == 1


def _few_communes(territory: Territory) -> bool:
    """Is ``territory`` only a few communes or villages (a commune officer, a village surveyor)?"""
    return (
        not territory.everything
        and not territory.province_codes
        and len(territory.commune_ids) <= NAME_SCAN_MAX_COMMUNES
    )


def households_visible_to(viewer: Viewer) -> QuerySet[Household]:
    """All the households the viewer may see (reads the viewer's scope rows now: one small query)."""
    return Household.objects.filter(_visibility(viewer))


def household_list(
    *, viewer: Viewer, commune: AdminUnit | None = None, village: Village | None = None
) -> QuerySet[Household]:
    """Households (danh sách hộ) the viewer may see, optionally in one commune and/or one village, by
    commune code then household code."""
    territory = territory_of(viewer)
    households = Household.objects.filter(_territory_condition(territory))
    if commune is not None:
        households = households.filter(commune=commune)
    if village is not None:
        households = households.filter(village=village)
    households = households.select_related("commune", "village", "head")
    if commune is not None or village is not None or _one_commune(territory):
        # The same order; by code alone, the unique (commune, code) index gives the first page directly
        # instead of sorting the whole commune.
        return households.order_by("code")
    return households.order_by("commune__code", "code")


def household_search(*, viewer: Viewer, query: str) -> QuerySet[Household]:
    """Find households by a member's name without diacritics ("nguyen van a" finds "Nguyễn Văn A"),
    by a member's citizen ID (exact), or by household code (exact, case-insensitive).

    Name matching is a substring match on ``Member.full_name_search``; a name query shorter than
    two characters matches no name. Only households the viewer may see are returned.

    Each way of matching is its own query on its own index (household code inside the territory,
    citizen ID, the name's trigram index on PostgreSQL or the territory's members), combined here:
    an OR of the three in one query would read every household.
    """
    text = " ".join(query.split())
    territory = territory_of(viewer)
    if not text or territory.is_empty:
        return Household.objects.none()
    visible = Household.objects.filter(_territory_condition(territory))
    found: set[int] = set(visible.filter(code__iexact=text).order_by().values_list("pk", flat=True))
    if text.isdigit():
        holders = Member.objects.filter(citizen_id=text).order_by().values_list("household_id", flat=True)
        found |= set(visible.filter(pk__in=list(holders)).order_by().values_list("pk", flat=True))
    names: QuerySet[Member] | None = None
    folded = fold(text)
    if len(folded) >= MIN_NAME_QUERY_LENGTH:
        if _few_communes(territory):
            # Through the territory's households (a few thousand) and their members, by the household
            # index: ``Concat`` keeps PostgreSQL off the trigram index, which it would otherwise pick
            # and which reads every posting list of the name's trigrams, all of them common in
            # Vietnamese names ("ngu" is in half of them): 150-250 ms against 15 ms for a commune.
            names = Member.objects.alias(name=Concat("full_name_search", Value(""))).filter(
                name__contains=folded
            )
        else:  # a province or the whole country: the trigram index (PostgreSQL)
            names = Member.objects.filter(full_name_search__contains=folded)
        if not territory.everything:
            names = names.filter(province_code__in=sorted(territory.keys))
        names = names.filter(_territory_condition(territory, prefix="household__"))
        households = names.order_by().values_list("household_id", flat=True).distinct()
        read = list(households[: NAME_MATCHES_READ_AT_ONCE + 1])
        if len(read) <= NAME_MATCHES_READ_AT_ONCE:
            found.update(read)
            names = None
    condition = Q(pk__in=sorted(found))
    if names is not None:
        condition |= Q(pk__in=names.values("household_id"))
    return (
        visible.filter(condition)
        .select_related("commune", "village", "head")
        .order_by("commune__code", "code")
    )


@dataclass(frozen=True)
class CitizenIdDuplicates:
    """Whether a citizen ID is already recorded for another member, and where (only what the viewer
    may see: ``members`` lists the visible ones; ``exists`` may be true with ``members`` empty)."""

    exists: bool
    members: list[Member] = field(default_factory=list)


def citizen_id_duplicates(
    *, viewer: Viewer, citizen_id: str, exclude_member: Member | None = None
) -> CitizenIdDuplicates:
    """Is ``citizen_id`` already recorded for another member (người trùng số định danh)?

    Searches the whole country, because a person registered in two provinces is exactly what must be
    caught, but reveals the households only inside the viewer's territory: outside it, only the fact
    that the number exists. Deceased and moved-out members count too.
    """
    value = citizen_id.strip()
    if not value:
        return CitizenIdDuplicates(exists=False)
    others = Member.objects.filter(citizen_id=value)
    if exclude_member is not None:
        others = others.exclude(pk=exclude_member.pk)
    if not others.exists():
        return CitizenIdDuplicates(exists=False)
    visible = others.filter(_visibility(viewer, prefix="household__")).select_related(
        "household__commune", "household__village"
    )
    return CitizenIdDuplicates(exists=True, members=list(visible.order_by("pk")))


def citizen_id_duplicates_of(*, viewer: Viewer, members: Sequence[Member]) -> dict[int, CitizenIdDuplicates]:
    """``citizen_id_duplicates`` of several members at once (the household page), keyed by member pk:
    one query for every record of their numbers, and one more for the visible ones only when a number
    is recorded twice (instead of one or two queries per member). Same rules: the whole country is
    searched, only the records inside the viewer's territory are revealed."""
    found = {member.pk: CitizenIdDuplicates(exists=False) for member in members}
    numbers = sorted({member.citizen_id for member in members if member.citizen_id})
    if not numbers:
        return found
    holders: dict[str, list[int]] = defaultdict(list)
    records = Member.objects.filter(citizen_id__in=numbers).order_by()
    for pk, number in records.values_list("pk", "citizen_id"):
        holders[number or ""].append(pk)
    shared = sorted(number for number, pks in holders.items() if len(pks) > 1)
    if not shared:
        return found
    visible: dict[str, list[Member]] = defaultdict(list)
    records = Member.objects.filter(citizen_id__in=shared).filter(_visibility(viewer, prefix="household__"))
    for record in records.select_related("household__commune", "household__village").order_by("pk"):
        visible[record.citizen_id or ""].append(record)
    for member in members:
        number = member.citizen_id or ""
        if any(pk != member.pk for pk in holders.get(number, ())):
            found[member.pk] = CitizenIdDuplicates(
                exists=True, members=[record for record in visible[number] if record.pk != member.pk]
            )
    return found


# Flags a household list can be filtered on: the model's boolean fields, and "no head" (chưa có chủ hộ).
FLAG_FIELDS: tuple[str, ...] = (
    "ethnic_minority",
    "meritorious_family",
    "social_protection",
    "no_labour_capacity",
)
NO_HEAD = "no_head"


@dataclass(frozen=True)
class HouseholdFilters:
    """What a household list is narrowed to (all optional): the list page's and the export's filters."""

    commune: AdminUnit | None = None
    village: Village | None = None
    status: str = ""
    flags: Sequence[str] = ()
    query: str = ""


def with_member_count(households: QuerySet[Household]) -> QuerySet[Household]:
    """Annotate ``member_count``: the members present in each household (one subquery, no N+1)."""
    present = (
        Member.objects.filter(household=OuterRef("pk"), status=MemberStatus.PRESENT)
        .order_by()
        .values("household")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return households.annotate(
        member_count=Coalesce(Subquery(present, output_field=IntegerField()), Value(0))
    )


def household_table(*, viewer: Viewer, filters: HouseholdFilters) -> QuerySet[Household]:
    """The household list page (danh sách hộ): visible households narrowed by ``filters``, with the
    commune, village and head joined and ``member_count`` annotated. A search text goes through
    ``household_search`` (name without diacritics, citizen ID, household code)."""
    if filters.query.strip():
        households = household_search(viewer=viewer, query=filters.query)
        if filters.commune is not None:
            households = households.filter(commune=filters.commune)
        if filters.village is not None:
            households = households.filter(village=filters.village)
    else:
        households = household_list(viewer=viewer, commune=filters.commune, village=filters.village)
    if filters.status:
        households = households.filter(status=filters.status)
    for flag in filters.flags:
        if flag in FLAG_FIELDS:
            households = households.filter(**{flag: True})
        elif flag == NO_HEAD:
            households = households.filter(head__isnull=True)
    return with_member_count(households)


def communes_visible_to(viewer: Viewer) -> QuerySet[AdminUnit]:
    """The 2025 communes the viewer can see (those a household can belong to), by name."""
    return geo_selectors.communes_visible_to(viewer).order_by("name")


def household_villages_visible_to(viewer: Viewer) -> QuerySet[Village]:
    """The villages the viewer can see, with their commune, ordered by commune and village name."""
    return villages_visible_to(viewer).select_related("commune").order_by("commune__name", "name", "code")


def household_detail(*, viewer: Viewer) -> QuerySet[Household]:
    """Visible households with what the household page shows joined (use ``.get(pk=…)``)."""
    return households_visible_to(viewer).select_related("commune", "village", "head")


def members_visible_to(viewer: Viewer) -> QuerySet[Member]:
    """Members of the households the viewer may see."""
    return Member.objects.filter(_visibility(viewer, prefix="household__")).select_related(
        "household__commune", "household__village"
    )


def household_members(*, household: Household) -> QuerySet[Member]:
    """The household's members: present ones first, then moved out and deceased, each in order added."""
    present_first = Case(When(status=MemberStatus.PRESENT, then=Value(0)), default=Value(1))
    return household.members.all().order_by(present_first, "pk")


def household_events(*, household: Household) -> QuerySet[HouseholdEvent]:
    """The household's events (sự kiện hộ), newest first, with the member, other household and actor."""
    return household.events.select_related("member", "other_household", "actor").order_by("-date", "-pk")


def household_by_code(*, viewer: Viewer, commune: AdminUnit, code: str) -> Household | None:
    """The visible household of ``commune`` with ``code`` (case-insensitive), or ``None``."""
    text = code.strip()
    if not text:
        return None
    return households_visible_to(viewer).filter(commune=commune, code__iexact=text).first()


def household_audit_events(*, viewer: Viewer, household: Household) -> QuerySet[AuditEvent]:
    """Every audit event (nhật ký thao tác) on a visible household and on the members it ever had,
    newest first, with the actor. Empty if the viewer may not see the household."""
    if not households_visible_to(viewer).filter(pk=household.pk).exists():
        return AuditEvent.objects.none()
    member_ids = set(household.members.values_list("pk", flat=True))
    member_ids |= set(
        household.events.filter(member__isnull=False).values_list("member_id", flat=True).distinct()
    )
    condition = Q(target_type=Household._meta.label_lower, target_id=str(household.pk))
    if member_ids:
        condition |= Q(
            target_type=Member._meta.label_lower, target_id__in=[str(pk) for pk in sorted(member_ids)]
        )
    return AuditEvent.objects.filter(condition).select_related("actor").order_by("-created_at", "-pk")


def household_code_taken(*, commune: AdminUnit, code: str) -> bool:
    """Is ``code`` already used by a household of ``commune`` (codes are unique per commune)?

    Answers for the whole commune, whoever asks, and reveals nothing but the yes/no.
    """
    return Household.objects.filter(commune=commune, code__iexact=code.strip()).exists()
