"""Reads of the registry, always scoped to the viewer's territory.

Every selector starts from ``accounts.selectors.units_visible_to(viewer)`` /
``villages_visible_to(viewer)``: a household in a village is visible when its village is; a household
with no village is visible when its commune is, except to a village surveyor, who sees only the
households of their own villages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.accounts.selectors import Viewer, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Generation, Level, Village
from giamngheo.registry.models import Household, HouseholdEvent, Member, MemberStatus
from giamngheo.registry.text import fold

MIN_NAME_QUERY_LENGTH = 2


def _visibility(viewer: Viewer, prefix: str = "") -> Q:
    """The condition "household visible to ``viewer``" on ``Household`` (or through ``prefix``)."""
    condition = Q(**{f"{prefix}village__in": villages_visible_to(viewer)})
    if not (isinstance(viewer, User) and viewer.role == Role.VILLAGE_SURVEYOR and not viewer.is_superuser):
        condition |= Q(
            **{
                f"{prefix}village__isnull": True,
                f"{prefix}commune__in": units_visible_to(viewer).filter(level=Level.COMMUNE),
            }
        )
    return condition


def households_visible_to(viewer: Viewer) -> QuerySet[Household]:
    """All the households the viewer may see (lazy; no query until evaluated)."""
    return Household.objects.filter(_visibility(viewer))


def household_list(
    *, viewer: Viewer, commune: AdminUnit | None = None, village: Village | None = None
) -> QuerySet[Household]:
    """Households (danh sách hộ) the viewer may see, optionally in one commune and/or one village."""
    households = households_visible_to(viewer)
    if commune is not None:
        households = households.filter(commune=commune)
    if village is not None:
        households = households.filter(village=village)
    return households.select_related("commune", "village", "head").order_by("commune__code", "code")


def household_search(*, viewer: Viewer, query: str) -> QuerySet[Household]:
    """Find households by a member's name without diacritics ("nguyen van a" finds "Nguyễn Văn A"),
    by a member's citizen ID (exact), or by household code (exact, case-insensitive).

    Name matching is a substring match on ``Member.full_name_search``; a name query shorter than
    two characters matches no name. Only households the viewer may see are returned.
    """
    text = " ".join(query.split())
    if not text:
        return Household.objects.none()
    condition = Q(code__iexact=text)
    if text.isdigit():
        condition |= Q(pk__in=Member.objects.filter(citizen_id=text).values("household_id"))
    folded = fold(text)
    if len(folded) >= MIN_NAME_QUERY_LENGTH:
        condition |= Q(pk__in=Member.objects.filter(full_name_search__contains=folded).values("household_id"))
    return (
        households_visible_to(viewer)
        .filter(condition)
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
    return units_visible_to(viewer).filter(level=Level.COMMUNE, generation=Generation.Y2025).order_by("name")


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
