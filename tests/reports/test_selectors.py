"""The report frame: approved periodic rounds only, every household of the commune, the viewer's
territory only."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.accounts.models import Role
from giamngheo.geo.models import AdminUnit
from giamngheo.reports.aggregation import summary
from giamngheo.reports.selectors import report_frame, report_years
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory
from tests.registry.factories import household_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db


def _commune_with_round(*, poor: int, rich: int, unlisted: int, approved: bool = True) -> AdminUnit:
    commune = commune_factory()
    listed = [household_with_adult(commune=commune) for _ in range(poor + rich)]
    for _ in range(unlisted):
        household_factory(commune=commune)
    review_round = open_round(commune=commune, households=[h for h, _ in listed], year=2025)
    for index, (household, member) in enumerate(listed):
        facts = household_facts(income=POOR_INCOME, deprived=3) if index < poor else household_facts()
        survey(review_round, household, facts, [adult_facts(member)])
    if approved:
        approve(review_round, posting_day=dt.date(2025, 10, 25))
    return commune


def test_report_frame_counts_unlisted_households_in_the_denominator() -> None:
    commune = _commune_with_round(poor=2, rich=1, unlisted=2)
    frame = report_frame(viewer=admin_factory(), year=2025, unit=commune)
    assert frame.height == 5
    total = summary(frame).row(0, named=True)
    assert (total["households"], total["poor"], total["reviewed"]) == (5, 2, 3)
    poor = frame.filter(frame["klass"] == "poor")
    assert all(len(deprived) >= 3 for deprived in poor["deprived"])


def test_report_frame_is_scoped_and_ignores_unapproved_rounds() -> None:
    mine = _commune_with_round(poor=1, rich=1, unlisted=0)
    _commune_with_round(poor=3, rich=0, unlisted=0)  # another commune of the same province
    _commune_with_round(poor=1, rich=0, unlisted=0, approved=False)

    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=mine)
    frame = report_frame(viewer=officer, year=2025)
    assert set(frame["commune_id"]) == {mine.pk}
    assert report_years(viewer=officer) == [2025]

    everything = report_frame(viewer=admin_factory(), year=2025)
    assert everything.height == 5  # the unapproved round's commune is not reported
    assert report_frame(viewer=officer, year=2024).height == 0


def test_report_frame_without_lists_has_the_same_summary() -> None:
    commune = _commune_with_round(poor=2, rich=1, unlisted=1)
    viewer = admin_factory()
    full = report_frame(viewer=viewer, year=2025, unit=commune)
    light = report_frame(viewer=viewer, year=2025, unit=commune, lists=False)
    assert summary(light).rows() == summary(full).rows()
    assert light["deprived"].list.len().sum() == 0
    assert full["deprived"].list.len().sum() >= 6  # two poor households, three deprivations each
