"""Stored figures of approved rounds: written on approval, equal to counting the households, a snapshot
of the approval, rebuilt on demand, and read within the viewer's territory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from giamngheo.accounts.models import Role
from giamngheo.reports.aggregation import deprivation_counts, summary
from giamngheo.reports.models import FigureLevel, RoundFigures
from giamngheo.reports.selectors import report_figures, report_frame
from giamngheo.reports.services import figures_rebuild
from giamngheo.review.models import ReviewRound
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.registry.factories import household_factory
from tests.reports.test_selectors import _commune_with_round
from tests.review.factories import POOR_INCOME, adult_facts, approve, household_facts, open_round, survey

pytestmark = pytest.mark.django_db


def test_approval_stores_the_figures_the_households_give() -> None:
    commune = _commune_with_round(poor=2, rich=1, unlisted=2)
    review_round = ReviewRound.objects.get(commune=commune)
    rows = RoundFigures.objects.filter(review_round=review_round)
    whole = rows.get(level=FigureLevel.COMMUNE)
    assert whole.figures["households"] == 5
    assert whole.figures["poor"] == 2
    assert whole.figures["reviewed"] == 3
    assert whole.figures["af.n"] == 5
    assert whole.previous_year is None
    assert whole.standard_id == review_round.standard_id
    assert sum(r.figures.get("households", 0) for r in rows.filter(level=FigureLevel.VILLAGE)) == 5

    viewer = admin_factory()
    stored = report_figures(viewer=viewer, year=2025, unit=commune)
    counted = report_frame(viewer=viewer, year=2025, unit=commune)
    assert summary(stored).rows() == summary(counted).rows()
    assert deprivation_counts(stored).rows() == deprivation_counts(counted).rows()


def test_figures_are_a_snapshot_of_the_approval_until_rebuilt() -> None:
    commune = _commune_with_round(poor=1, rich=1, unlisted=0)
    viewer = admin_factory()
    household_factory(commune=commune)  # arrives after the approval
    assert summary(report_figures(viewer=viewer, year=2025)).row(0, named=True)["households"] == 2
    assert summary(report_frame(viewer=viewer, year=2025)).row(0, named=True)["households"] == 3
    assert figures_rebuild(year=2025) == 1
    assert summary(report_figures(viewer=viewer, year=2025)).row(0, named=True)["households"] == 3


def test_rounds_without_figures_are_counted_when_read() -> None:
    commune = _commune_with_round(poor=2, rich=0, unlisted=1)
    RoundFigures.objects.all().delete()  # as after a bulk load
    total = summary(report_figures(viewer=admin_factory(), year=2025, unit=commune)).row(0, named=True)
    assert (total["households"], total["poor"]) == (3, 2)
    assert RoundFigures.objects.filter(level=FigureLevel.COMMUNE).count() == 1


def test_figures_are_read_within_the_viewers_territory() -> None:
    mine = _commune_with_round(poor=1, rich=1, unlisted=0)
    _commune_with_round(poor=3, rich=0, unlisted=0)
    _commune_with_round(poor=1, rich=0, unlisted=0, approved=False)
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=mine)
    frame = report_figures(viewer=officer, year=2025)
    assert set(frame["commune_id"]) == {mine.pk}
    assert summary(frame).row(0, named=True)["poor"] == 1
    everything = summary(report_figures(viewer=admin_factory(), year=2025)).row(0, named=True)
    assert (everything["households"], everything["poor"]) == (5, 4)  # not the unapproved round
    assert report_figures(viewer=officer, year=2024).height == 0
    # a province reads one row per commune, a commune one per village
    assert report_figures(viewer=admin_factory(), year=2025)["village_id"].null_count() == 2
    assert set(report_figures(viewer=officer, year=2025, unit=mine)["commune_id"]) == {mine.pk}


def test_the_command_recounts_every_approved_round(capsys: pytest.CaptureFixture[str]) -> None:
    _commune_with_round(poor=1, rich=0, unlisted=0)
    _commune_with_round(poor=1, rich=0, unlisted=0, approved=False)
    call_command("report_figures", year=2025)
    assert "Đã tính lại số liệu của 1 đợt rà soát" in capsys.readouterr().out
    assert RoundFigures.objects.filter(level=FigureLevel.COMMUNE).count() == 1


def test_a_later_round_compares_with_the_previous_one() -> None:
    commune = _commune_with_round(poor=2, rich=1, unlisted=0)
    households = list(commune.households.all())
    later = open_round(commune=commune, households=households, year=2026)
    for index, household in enumerate(households):
        member = household.members.first()
        assert member is not None
        facts = household_facts(income=POOR_INCOME, deprived=3) if index == 0 else household_facts()
        survey(later, household, facts, [adult_facts(member)])
    approve(later, posting_day=dt.date(2026, 10, 25))
    whole = RoundFigures.objects.get(review_round=later, level=FigureLevel.COMMUNE)
    assert whole.previous_year == 2025
    assert whole.figures.get("tr.poor_before") == 2
    assert whole.figures.get("tr.poor_now") == whole.figures.get("poor")
