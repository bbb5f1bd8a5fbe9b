"""The "Chỉ tiêu" card of the province and commune dashboards: the targets of the unit's active plans for
the year shown, with their progress from the approved rounds and a link to the plan's targets page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import Plan, PlanStatus, TargetKind
from giamngheo.planning.services.targets import dashboard_targets
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.planning.factories import plan_factory, target_factory
from tests.planning.test_targets_services import Rounds, make_rounds

pytestmark = pytest.mark.django_db
__all__ = ["geo_map"]

DASHBOARD = "/bao-cao/bang-dieu-khien/"


@pytest.fixture
def rounds(geo_map: Map) -> Rounds:
    """c1: 3 of 4 households poor in 2024, 1 in 2025; c2: 1 of 2 both years (province: 4 → 2 of 6)."""
    return make_rounds(geo_map)


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _plan(unit: AdminUnit, **fields: Any) -> Plan:
    return plan_factory(
        unit=unit, period_start=dt.date(2025, 1, 1), period_end=dt.date(2027, 12, 31), **fields
    )


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def test_the_province_dashboard_shows_the_targets_with_progress(rounds: Rounds) -> None:
    geo = rounds.geo
    plan = _plan(geo.p, number="5/KH-UBND", title="Giảm nghèo 2025-2027")
    target_factory(plan=plan, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(30), year=2025)
    target_factory(plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(3), year=2025)
    target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(10), year=2027)  # not this year
    target_factory(
        plan=plan, unit=geo.c1, kind=TargetKind.END_POOR_RATE, value=Decimal(10), year=2025
    )  # a commune's
    page = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.p)).get(f"{DASHBOARD}tinh/97/")
    assert page.status_code == 200
    cards = page.context["dashboard"].targets
    assert [(c.label, c.value, c.actual, c.status_label) for c in cards] == [
        ("Giảm số hộ nghèo (hộ)", "3 hộ", "2 hộ", "Chệch hướng"),
        ("Giảm tỷ lệ hộ nghèo (điểm %)", "30,00 điểm %", "33,34 điểm %", "Đạt"),
    ]
    html = page.content.decode()
    assert 'id="targets-card"' in html and "Chưa có chỉ tiêu" not in html
    assert f'href="{reverse("planning:targets", args=[plan.pk])}"' in html
    text = _text(html)
    assert "Giảm tỷ lệ hộ nghèo (điểm %) 5/KH-UBND Giảm nghèo 2025-2027 30,00 điểm % 33,34 điểm % Đạt" in text
    assert 'class="is-off-track"' in html


def test_the_commune_dashboard_shows_the_communes_own_plans(rounds: Rounds) -> None:
    geo = rounds.geo
    province_plan = _plan(geo.p)
    target_factory(
        plan=province_plan, unit=geo.c1, kind=TargetKind.END_POOR_RATE, value=Decimal(10), year=2025
    )
    commune_plan = _plan(geo.c1)
    target_factory(plan=commune_plan, kind=TargetKind.END_POOR_RATE, value=Decimal(30), year=None)
    leader = _client(scoped_user_factory(role=Role.LEADER, unit=geo.p))
    page = leader.get(f"{DASHBOARD}xa/{geo.c1.pk}/")
    cards = page.context["dashboard"].targets
    # 1 poor of 4 households in 2025: 25 % against "at most 30 %" for the end of the period
    assert [(c.label, c.value, c.actual, c.status) for c in cards] == [
        ("Tỷ lệ hộ nghèo cuối năm (%)", "30,00 %", "25,00 %", "met")
    ]
    assert cards[0].url == reverse("planning:targets", args=[commune_plan.pk])


def test_no_card_without_targets_of_an_active_plan_for_the_year(rounds: Rounds) -> None:
    geo = rounds.geo
    draft = _plan(geo.p, status=PlanStatus.DRAFT)
    target_factory(plan=draft, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(1), year=2025)
    later = plan_factory(unit=geo.p, period_start=dt.date(2026, 1, 1), period_end=dt.date(2030, 12, 31))
    target_factory(plan=later, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(1), year=None)
    client = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.p))
    page = client.get(f"{DASHBOARD}tinh/97/")
    assert page.context["dashboard"].targets == []
    html = page.content.decode()
    assert "Chưa có chỉ tiêu" in html and 'id="targets-card"' not in html


def test_the_year_shown_limits_the_targets_and_the_figures(rounds: Rounds) -> None:
    geo = rounds.geo
    plan = _plan(geo.p)
    target_factory(plan=plan, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(30), year=2025)
    target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(50), year=None)
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.p)
    page = _client(officer).get(f"{DASHBOARD}tinh/97/?nam=2024")
    cards = page.context["dashboard"].targets
    # 2024 is before the plan's period: no plan is active that year
    assert cards == []
    # read for 2025, only the figures up to 2025 count (and only the viewer's own territory)
    found = dashboard_targets(viewer=officer, unit=geo.p, year=2025)
    assert [(c.actual, c.status) for c in found] == [("33,34 điểm %", "met"), ("33,33 %", "met")]
    stranger = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.q)
    assert dashboard_targets(viewer=stranger, unit=geo.p, year=2025) == []
