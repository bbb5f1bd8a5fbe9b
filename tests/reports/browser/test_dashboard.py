"""A province officer drills down the dashboards in a real browser, from the province to a commune, to a
village and to the household list of that village (screenshots in /tmp/shots/dashboard-browser-*.png)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

from giamngheo.accounts.models import Role
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.reports.test_dashboard_views import approved_round, households_in
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["geo_map"]

SHOTS = Path("/tmp/shots")


def test_province_officer_drills_down_to_a_villages_households(
    page: Page, live_server: LiveServer, geo_map: Map
) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    v1 = households_in(geo_map.c1, geo_map.v1, 3)
    v1b = households_in(geo_map.c1, geo_map.v1b, 2)
    v2 = households_in(geo_map.c2, geo_map.v2, 2)
    approved_round(geo_map.c1, 2024, [(v1[0], "poor"), *((h, "rich") for h in v1[1:] + v1b)])
    approved_round(geo_map.c1, 2025, [(v1[0], "poor"), (v1[1], "poor"), *((h, "rich") for h in v1[2:] + v1b)])
    approved_round(geo_map.c2, 2025, [(v2[0], "poor"), (v2[1], "rich")])
    scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p, username="canbotinh")

    log_in(page, live_server, "canbotinh", PASSWORD)
    page.click(".site-nav a:text-is('Báo cáo')")
    page.wait_for_url(f"{live_server.url}/bao-cao/bang-dieu-khien/tinh/97/")
    assert page.inner_text("h1") == geo_map.p.name
    assert page.locator(".tile-poor .dash-tile-value").inner_text() == "42,86\u00a0%"  # 3 poor of 7
    assert (page.locator("#sub-units svg > title").text_content() or "").startswith("Tỷ lệ hộ nghèo")
    page.screenshot(path=SHOTS / "dashboard-browser-province.png", full_page=True)

    page.click(f".dash-sub-table a.drill:text-is('{geo_map.c1.name}')")
    page.wait_for_url(f"{live_server.url}/bao-cao/bang-dieu-khien/xa/{geo_map.c1.pk}/?nam=2025")
    assert page.inner_text("h1") == geo_map.c1.name
    assert page.locator(".tile-poor .dash-tile-detail").inner_text() == "2 hộ nghèo"
    assert "Biến động so với năm 2024" in page.inner_text("#transitions")
    page.screenshot(path=SHOTS / "dashboard-browser-commune.png", full_page=True)

    page.click(f".dash-sub-table a.drill:text-is('{geo_map.v1.name}')")
    page.wait_for_url(f"{live_server.url}/bao-cao/bang-dieu-khien/thon/{geo_map.v1.pk}/?nam=2025")
    assert page.locator(".tile-poor .dash-tile-value").inner_text() == "66,67\u00a0%"  # 2 of 3
    page.screenshot(path=SHOTS / "dashboard-browser-village.png", full_page=True)

    page.click("#village-households")
    page.wait_for_url(f"{live_server.url}/ho/?commune={geo_map.c1.pk}&village={geo_map.v1.pk}")
    listed = page.inner_text("main")
    assert all(household.code in listed for household in v1)
    assert not any(household.code in listed for household in v1b + v2)
    page.screenshot(path=SHOTS / "dashboard-browser-households.png", full_page=True)
