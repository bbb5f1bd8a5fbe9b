"""What the home page (trang chủ) shows a signed-in user: the sections their role may open, with the
figures of their territory. Every figure comes from the contexts' selectors (territory-scoped there);
nothing here decides a class or a permission."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.registry.models import HouseholdStatus
from giamngheo.registry.permissions import registry_refusal
from giamngheo.registry.selectors import households_visible_to
from giamngheo.reports.aggregation import rate_percent
from giamngheo.review.models import APPROVED_STATUSES, Result, ReviewRound, RoundKind
from giamngheo.review.presentation import round_title
from giamngheo.review.selectors import rounds_visible_to


@dataclass(frozen=True)
class ApprovedYear:
    """Poor and near-poor households of the latest year with approved periodic rounds in the territory."""

    year: int
    communes: int
    poor: int
    near_poor: int
    households: int

    @property
    def poor_rate(self) -> float | None:
        return rate_percent(self.poor, self.households)

    @property
    def near_poor_rate(self) -> float | None:
        return rate_percent(self.near_poor, self.households)


@dataclass(frozen=True)
class Home:
    can_open_registry: bool
    households: int
    open_rounds: int
    recent_rounds: list[tuple[ReviewRound, str]] = field(default_factory=list)
    approved: ApprovedYear | None = None
    can_manage_units: bool = False


def _approved_year(user: User, households: int) -> ApprovedYear | None:
    approved = rounds_visible_to(user).filter(kind=RoundKind.PERIODIC, status__in=APPROVED_STATUSES)
    latest = approved.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return None
    rounds = approved.filter(year=latest)
    counts = dict(
        Result.objects.filter(round__in=rounds, superseded=False)
        .values_list("klass")
        .annotate(n=Count("pk"))
        .values_list("klass", "n")
    )
    return ApprovedYear(
        year=latest,
        communes=rounds.values("commune").distinct().count(),
        poor=counts.get("poor", 0),
        near_poor=counts.get("near_poor", 0),
        households=households,
    )


def home_for(user: User) -> Home:
    """The home page's figures for ``user`` (all scoped to the user's territory)."""
    households = households_visible_to(user).filter(status=HouseholdStatus.ACTIVE).count()
    rounds = rounds_visible_to(user)
    return Home(
        can_open_registry=registry_refusal(user) is None,
        households=households,
        open_rounds=rounds.exclude(status__in=APPROVED_STATUSES).count(),
        recent_rounds=[
            (review_round, round_title(review_round))
            for review_round in rounds.select_related("commune").order_by("-reference_date", "-pk")[:5]
        ],
        approved=_approved_year(user, households),
        can_manage_units=sees_everything(user) or user.role in (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER),
    )
