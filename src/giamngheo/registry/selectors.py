"""Reads of the registry, always scoped to the viewer's territory.

Every selector starts from ``accounts.selectors.units_visible_to(viewer)`` /
``villages_visible_to(viewer)``: a household in a village is visible when its village is; a household
with no village is visible when its commune is, except to a village surveyor, who sees only the
households of their own villages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import Viewer, units_visible_to, villages_visible_to
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.registry.models import Household, Member
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
