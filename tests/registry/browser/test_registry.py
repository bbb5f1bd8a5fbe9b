"""The household registry in a real browser: a commune officer opens a household, adds two members and
reads the history; a village surveyor cannot open a household of another village."""

from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.db.models import OuterRef, Subquery
from playwright.sync_api import Page

from giamngheo.accounts.demo import DEMO_PASSWORD
from giamngheo.accounts.models import User, UserScope
from giamngheo.geo.models import AdminUnit, UnitType, Village
from giamngheo.registry.models import Household, Member
from giamngheo.registry.text import fold
from tests.accounts.factories import village_factory
from tests.geo.factories import commune_factory, province_factory
from tests.registry.factories import household_factory
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = (
    "Nguyễn Văn Hùng",
    "Trần Thị Mai",
    "Lê Đức Thắng",
    "Y Blê",
    "A Lưu",
    "Đinh Thị Hằng",
    "Phạm Quốc Việt",
)


def _shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``GIAMNGHEO_SHOTS`` if set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("GIAMNGHEO_SHOTS", "") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _territory() -> tuple[AdminUnit, Village, Village]:
    """Xã Đăk Kôi with Thôn 1 (the demo surveyor's) and Thôn 2; the demo officer gets the commune."""
    province = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    commune = commune_factory(province=province, code="23485", name="Xã Đăk Kôi", unit_type=UnitType.COMMUNE)
    village_1 = village_factory(commune=commune, code="T01", name="Thôn 1")
    village_2 = village_factory(commune=commune, code="T02", name="Thôn 2")
    UserScope.objects.create(user=User.objects.get(username="xa"), unit=commune, province_code="51")
    UserScope.objects.create(user=User.objects.get(username="thon"), village=village_1, province_code="51")
    return commune, village_1, village_2


def _many_households(commune: AdminUnit, villages: list[Village], count: int) -> None:
    """``count`` households with one member each, written in bulk (the list's pagination and count)."""
    cycle = itertools.cycle(villages)
    Household.objects.bulk_create(
        Household(commune=commune, village=next(cycle), province_code="51", code=f"DK{i:04d}", area="rural")
        for i in range(1, count + 1)
    )
    Member.objects.bulk_create(
        Member(
            household=household,
            province_code="51",
            full_name=NAMES[household.pk % len(NAMES)],
            full_name_search=fold(NAMES[household.pk % len(NAMES)]),
            sex="female" if "Thị" in NAMES[household.pk % len(NAMES)] else "male",
        )
        for household in Household.objects.filter(code__startswith="DK")
    )
    first = Member.objects.filter(household=OuterRef("pk")).order_by("pk").values("pk")[:1]
    Household.objects.filter(code__startswith="DK").update(head=Subquery(first))


def test_officer_opens_a_household_adds_members_and_reads_the_history(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    commune, village_1, village_2 = _territory()
    _many_households(commune, [village_1, village_2], 1234)
    shots = _shots(tmp_path)
    log_in(page, live_server, "xa", DEMO_PASSWORD)

    page.click(".site-nav >> text=Sổ hộ")
    page.wait_for_url(f"{live_server.url}/ho/")
    assert page.inner_text(".result-count").startswith("1.234 hộ")
    page.screenshot(path=shots / "registry-list.png", full_page=False)

    page.click("text=Lập hộ mới")
    page.select_option("select[name=village]", label="Thôn 1")
    page.fill("input[name=code]", "HB001")
    page.fill("input[name=address]", "Số 12, đường Hùng Vương")
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector("h1:has-text('Hộ HB001')")
    assert "Đã lập hộ HB001." in page.inner_text(".messages")

    page.click(".actions-card >> text=Thêm nhân khẩu")
    page.fill("input[name=full_name]", "Nguyễn Văn Nam")
    page.check("input[name=sex][value=male]")
    page.fill("input[name=date_of_birth]", "15/03/1980")
    page.select_option("select[name=ethnicity]", label="Kinh")
    page.fill("input[name=citizen_id]", "051080001234")
    assert page.is_checked("input[name=is_head]")
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector("text=Đã thêm Nguyễn Văn Nam vào hộ.")

    page.click(".actions-card >> text=Thêm nhân khẩu")
    page.fill("input[name=full_name]", "Trần Thị Hoa")
    page.check("input[name=sex][value=female]")
    page.fill("input[name=date_of_birth]", "20/10/1985")
    page.select_option("select[name=ethnicity]", label="Xơ-đăng")
    page.fill("input[name=relation_to_head]", "Vợ")
    assert not page.is_checked("input[name=is_head]")
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector("text=Đã thêm Trần Thị Hoa vào hộ.")

    rows = page.locator("table.members tbody tr")
    assert rows.count() == 2
    first, second = rows.nth(0).inner_text(), rows.nth(1).inner_text()
    assert (
        "Nguyễn Văn Nam" in first and "Chủ hộ" in first and "15/03/1980" in first and "051080001234" in first
    )
    assert "Trần Thị Hoa" in second and "Nữ" in second and "20/10/1985" in second and "Xơ-đăng" in second
    assert "Chủ hộ: Nguyễn Văn Nam" in page.inner_text(".page-head")
    page.screenshot(path=shots / "registry-household.png", full_page=True)

    page.click("text=Lịch sử thay đổi")
    page.wait_for_selector("h1:has-text('Lịch sử thay đổi của hộ HB001')")
    history = page.locator("table.history tbody tr")
    assert history.count() == 3
    assert "Thêm nhân khẩu" in history.nth(0).inner_text() and "Trần Thị Hoa" in history.nth(0).inner_text()
    assert "Nguyễn Văn Nam" in history.nth(1).inner_text()
    assert (
        "Tạo hộ" in history.nth(2).inner_text() and "Số 12, đường Hùng Vương" in history.nth(2).inner_text()
    )
    assert "Lê Văn Bình" in history.nth(2).inner_text()
    page.screenshot(path=shots / "registry-history.png", full_page=True)

    page.goto(f"{live_server.url}/ho/")
    page.fill("input[name=q]", "nguyen van nam")
    page.wait_for_selector(".result-count:has-text('Tìm thấy 1 hộ')")
    assert page.locator("table.households tbody tr").count() == 1
    assert "HB001" in page.inner_text("table.households")
    assert (
        "q=nguyen%20van%20nam" in page.url
    )  # the search is in the address, so it can be shared and reloaded


def test_a_surveyor_gets_404_for_a_household_of_another_village(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    commune, village_1, village_2 = _territory()
    own = household_factory(commune=commune, village=village_1, code="T1-01")
    other = household_factory(commune=commune, village=village_2, code="T2-01")
    log_in(page, live_server, "thon", DEMO_PASSWORD)

    assert page.goto(f"{live_server.url}/ho/{own.pk}/").status == 200  # type: ignore[union-attr]
    response = page.goto(f"{live_server.url}/ho/{other.pk}/")
    assert response is not None and response.status == 404
    page.goto(f"{live_server.url}/ho/")
    assert "T1-01" in page.inner_text("table.households")
    assert "T2-01" not in page.content()
