"""Dashboard pages: the numbers of the one aggregation path, drill-down links, territory, leaders."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.registry.models import Household
from giamngheo.reports.dashboard_data import headline, sub_units
from giamngheo.reports.dashboard_views import count, percent
from giamngheo.reports.selectors import report_frame
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
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
__all__ = ["geo_map"]  # the small map fixture of the accounts tests

DASHBOARD = "/bao-cao/bang-dieu-khien/"


@dataclass
class Data:
    geo: Map
    households: dict[str, list[Household]]


def approved_round(commune: AdminUnit, year: int, classes: list[tuple[Household, str]]) -> None:
    review_round = open_round(commune=commune, households=[h for h, _ in classes], year=year)
    for household, klass in classes:
        member = household.head
        assert member is not None
        facts = household_facts(income=POOR_INCOME, deprived=3) if klass == "poor" else household_facts()
        survey(review_round, household, facts, [adult_facts(member)])
    approve(review_round, posting_day=dt.date(year, 10, 25))


def households_in(commune: AdminUnit, village: Village | None, n: int) -> list[Household]:
    return [household_with_adult(commune=commune, village=village)[0] for _ in range(n)]


@pytest.fixture
def data(geo_map: Map) -> Data:
    """c1: v1 (4 households, 2 poor in 2025, 1 in 2024), v1b (2, none poor); c2: v2 (2, both poor,
    2025 only)."""
    v1 = households_in(geo_map.c1, geo_map.v1, 4)
    v1b = households_in(geo_map.c1, geo_map.v1b, 2)
    v2 = households_in(geo_map.c2, geo_map.v2, 2)
    approved_round(geo_map.c1, 2024, [(v1[0], "poor"), *((h, "rich") for h in v1[1:] + v1b)])
    approved_round(geo_map.c1, 2025, [(v1[0], "poor"), (v1[1], "poor"), *((h, "rich") for h in v1[2:] + v1b)])
    approved_round(geo_map.c2, 2025, [(h, "poor") for h in v2])
    return Data(geo_map, {"v1": v1, "v1b": v1b, "v2": v2})


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _links(html: str) -> list[str]:
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', html)]


def test_province_officer_lands_on_the_province_with_the_aggregation_numbers(data: Data) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=data.geo.p)
    client = _client(officer)
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"] == f"{DASHBOARD}tinh/97/"

    page = client.get(f"{DASHBOARD}tinh/97/")
    assert page.status_code == 200
    dashboard = page.context["dashboard"]
    frame = report_frame(viewer=officer, year=2025, unit=data.geo.p)
    totals = headline(frame)
    assert dashboard.totals == totals
    assert (totals["households"], totals["poor"]) == (8, 4)
    html = page.content.decode()
    assert percent(totals["poor_rate"]) == "50,00\u00a0%"
    assert percent(totals["poor_rate"]) in html
    # the change against 2024 (c2 had no round in 2024: 1 poor of 6 households) in percentage points
    assert (
        "giảm" not in dashboard.tiles[1].change
        and "tăng 33,33 điểm % so với năm 2024" in dashboard.tiles[1].change
    )
    # sub-units: the summary per commune, poorest first, each linking to its dashboard
    table = sub_units(frame, "commune")
    assert (
        [row.name for row in dashboard.sub_rows]
        == table["name"].to_list()
        == [data.geo.c2.name, data.geo.c1.name]
    )
    assert [row.poor_rate for row in dashboard.sub_rows] == [percent(r) for r in table["poor_rate"]]
    assert [row.households for row in dashboard.sub_rows] == [count(n) for n in table["households"]]
    links = _links(html)
    assert f"{DASHBOARD}xa/{data.geo.c1.pk}/?nam=2025" in links
    assert f"{DASHBOARD}xa/{data.geo.c2.pk}/?nam=2025" in links
    assert any(link.startswith("/ra-soat/") and link.endswith("/bien-dong/") for link in links)
    assert "Chưa có chỉ tiêu" in html
    assert html.count("<svg") >= 4 and "<title" in html


def test_commune_and_village_pages_drill_down_to_the_household_list(data: Data) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=data.geo.p)
    client = _client(officer)
    page = client.get(f"{DASHBOARD}xa/{data.geo.c1.pk}/")
    assert page.status_code == 200
    dashboard = page.context["dashboard"]
    assert (dashboard.totals["households"], dashboard.totals["poor"]) == (6, 2)
    assert [row.name for row in dashboard.sub_rows] == [data.geo.v1.name, data.geo.v1b.name]
    links = _links(page.content.decode())
    assert f"{DASHBOARD}thon/{data.geo.v1.pk}/?nam=2025" in links
    assert f"/ho/?commune={data.geo.c1.pk}&village={data.geo.v1.pk}" in links
    assert dashboard.transitions is not None and dashboard.transitions.previous_year == 2024
    # the Biểu 04 columns: 1 poor before + 1 newly poor = 2 poor now
    assert dashboard.transitions.rows[:3] == [
        ("Hộ nghèo đầu kỳ", "1"),
        ("Hộ nghèo phát sinh mới", "1"),
        ("Hộ nghèo cuối kỳ", "2"),
    ]

    village = client.get(f"{DASHBOARD}thon/{data.geo.v1.pk}/?nam=2024")
    assert village.status_code == 200
    assert village.context["dashboard"].year == 2024
    assert (
        village.context["dashboard"].totals["households"],
        village.context["dashboard"].totals["poor"],
    ) == (4, 1)
    assert f"/ho/?commune={data.geo.c1.pk}&village={data.geo.v1.pk}" in _links(village.content.decode())
    households = client.get(f"/ho/?commune={data.geo.c1.pk}&village={data.geo.v1.pk}")
    assert households.status_code == 200
    assert all(h.code in households.content.decode() for h in data.households["v1"])
    assert data.households["v1b"][0].code not in households.content.decode()


def test_leader_reads_aggregates_without_household_links(data: Data) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=data.geo.p)
    client = _client(leader)
    for url in (
        f"{DASHBOARD}tinh/97/",
        f"{DASHBOARD}xa/{data.geo.c1.pk}/",
        f"{DASHBOARD}thon/{data.geo.v1.pk}/",
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert not [link for link in _links(page.content.decode()) if link.startswith("/ho/")], url
    village = client.get(f"{DASHBOARD}thon/{data.geo.v1.pk}/")
    assert village.context["dashboard"].totals["poor"] == 2
    assert 'id="village-households"' not in village.content.decode()


def test_units_outside_the_territory_are_not_found(data: Data) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=data.geo.c1)
    client = _client(officer)
    assert client.get(DASHBOARD)["Location"] == f"{DASHBOARD}xa/{data.geo.c1.pk}/"
    assert client.get(f"{DASHBOARD}xa/{data.geo.c1.pk}/").status_code == 200
    assert client.get(f"{DASHBOARD}tinh/97/").status_code == 404
    assert client.get(f"{DASHBOARD}xa/{data.geo.c2.pk}/").status_code == 404
    assert client.get(f"{DASHBOARD}thon/{data.geo.v2.pk}/").status_code == 404
    assert client.get(f"{DASHBOARD}thon/{data.geo.v1.pk}/").status_code == 200
    neighbour = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=data.geo.q)
    other = _client(neighbour)
    assert other.get(f"{DASHBOARD}tinh/97/").status_code == 404
    assert other.get(f"{DASHBOARD}thon/{data.geo.v1.pk}/").status_code == 404
    page = other.get(f"{DASHBOARD}tinh/96/")
    assert page.status_code == 200
    assert page.context["dashboard"].year is None  # no approved round in 96: an explanation, no figures
    assert "Chưa có đợt rà soát định kỳ nào được phê duyệt" in page.content.decode()


def test_a_bad_year_falls_back_to_the_latest_with_a_notice(data: Data) -> None:
    client = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=data.geo.p))
    page = client.get(f"{DASHBOARD}tinh/97/?nam=abc")
    assert page.status_code == 200
    assert page.context["dashboard"].year == 2025
    assert "Năm “abc” chưa có đợt rà soát định kỳ được phê duyệt" in page.content.decode()


def test_the_administrator_chooses_a_province(data: Data) -> None:
    client = _client(admin_factory())
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    rows = page.context["rows"]
    assert rows[0] == (data.geo.p, 2)  # provinces with approved rounds first, with their communes
    assert f"{DASHBOARD}tinh/97/" in _links(page.content.decode())
