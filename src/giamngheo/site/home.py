"""What the home page (trang chủ) shows a signed-in user: the sections their role may open, with the
figures of their territory. Every figure comes from the contexts' selectors (territory-scoped there);
nothing here decides a class or a permission."""

from __future__ import annotations

from dataclasses import dataclass, field

from giamngheo.accounts.models import Role, User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.registry.models import HouseholdStatus
from giamngheo.registry.permissions import registry_refusal
from giamngheo.registry.selectors import households_visible_to
from giamngheo.reports.aggregation import summary
from giamngheo.reports.selectors import report_figures, report_years
from giamngheo.review.models import APPROVED_STATUSES, ReviewRound
from giamngheo.review.presentation import round_title
from giamngheo.review.selectors import rounds_visible_to


@dataclass(frozen=True)
class ApprovedYear:
    """Poor and near-poor households of the latest year with approved periodic rounds in the territory,
    as :func:`giamngheo.reports.aggregation.summary` gives them (the figures of the dashboard and Biểu 01)."""

    year: int
    communes: int
    poor: int
    near_poor: int
    households: int
    poor_rate: float | None
    near_poor_rate: float | None


@dataclass(frozen=True)
class Home:
    can_open_registry: bool
    households: int
    open_rounds: int
    recent_rounds: list[tuple[ReviewRound, str]] = field(default_factory=list)
    approved: ApprovedYear | None = None
    can_manage_units: bool = False


def _approved_year(user: User) -> ApprovedYear | None:
    years = report_years(viewer=user)
    if not years:
        return None
    frame = report_figures(viewer=user, year=years[0])
    total = summary(frame).row(0, named=True)
    return ApprovedYear(
        year=years[0],
        communes=frame["commune_id"].n_unique(),
        poor=total["poor"],
        near_poor=total["near_poor"],
        households=total["households"],
        poor_rate=total["poor_rate"],
        near_poor_rate=total["near_poor_rate"],
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
        approved=_approved_year(user),
        can_manage_units=sees_everything(user) or user.role in (Role.PROVINCE_OFFICER, Role.COMMUNE_OFFICER),
    )
