"""The registry in a real browser, continued: a province officer narrows the list commune → village (the
village dropdown follows the commune), and a commune officer corrects a member's details."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Page

from giamngheo.accounts.demo import DEMO_PASSWORD
from giamngheo.accounts.models import User, UserScope
from giamngheo.geo.models import AdminUnit, UnitType, Village
from giamngheo.registry.models import Household, Member
from giamngheo.registry.services import member_update
from tests.accounts.factories import village_factory
from tests.geo.factories import commune_factory, province_factory
from tests.registry.factories import household_factory, member_factory
from tests.site.browser.common import log_in

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shots(tmp_path: Path) -> Path:
    """Where screenshots go: ``GIAMNGHEO_SHOTS`` if set (to look at them), else the test's tmp dir."""
    folder = Path(os.environ.get("GIAMNGHEO_SHOTS", "") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _province() -> tuple[AdminUnit, list[Village], AdminUnit, list[Village]]:
    """Xã Đăk Kôi (Thôn 1, Thôn 2) and Xã Đăk Ruồng (Thôn 5, Thôn 6) in Quảng Ngãi, two households
    in each village; the demo province officer gets the province, the commune officer Đăk Kôi."""
    province = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    dak_koi = commune_factory(province=province, code="23485", name="Xã Đăk Kôi", unit_type=UnitType.COMMUNE)
    dak_ruong = commune_factory(
        province=province, code="23488", name="Xã Đăk Ruồng", unit_type=UnitType.COMMUNE
    )
    koi = [
        village_factory(commune=dak_koi, code=c, name=n) for c, n in (("T01", "Thôn 1"), ("T02", "Thôn 2"))
    ]
    ruong = [
        village_factory(commune=dak_ruong, code=c, name=n) for c, n in (("T05", "Thôn 5"), ("T06", "Thôn 6"))
    ]
    UserScope.objects.create(user=User.objects.get(username="tinh"), unit=province, province_code="51")
    UserScope.objects.create(user=User.objects.get(username="xa"), unit=dak_koi, province_code="51")
    for prefix, commune, villages in (("DK", dak_koi, koi), ("DR", dak_ruong, ruong)):
        for number, village in enumerate(villages * 2, start=1):
            household = household_factory(commune=commune, village=village, code=f"{prefix}{number:03d}")
            head = member_factory(household=household, full_name=f"Chủ hộ {prefix}{number:03d}")
            Household.objects.filter(pk=household.pk).update(head=head)
    return dak_koi, koi, dak_ruong, ruong


def _option_labels(page: Page) -> list[str]:
    return [label.strip() for label in page.locator("#id_village option").all_inner_texts()]


def test_the_village_dropdown_follows_the_commune(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    dak_koi, koi, dak_ruong, _ruong = _province()
    shots = _shots(tmp_path)
    log_in(page, live_server, "tinh", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/ho/")
    assert page.inner_text(".result-count").startswith("8 hộ")
    assert "Thôn 5 — Xã Đăk Ruồng" in _option_labels(page)

    page.select_option("#id_commune", label="Xã Đăk Kôi")
    page.wait_for_function("document.querySelectorAll('#id_village option').length === 3")
    page.wait_for_selector(".result-count:has-text('4 hộ')")
    assert _option_labels(page) == ["Tất cả", "Thôn 1", "Thôn 2"]
    assert f"commune={dak_koi.pk}" in page.url

    page.select_option("#id_village", label="Thôn 2")
    page.wait_for_selector(".result-count:has-text('2 hộ')")
    codes = page.locator("table.households tbody th a").all_inner_texts()
    assert codes == ["DK002", "DK004"]
    page.screenshot(path=shots / "registry2-list-filter.png", full_page=True)

    page.select_option("#id_commune", label="Xã Đăk Ruồng")
    page.wait_for_function("document.querySelectorAll('#id_village option').length === 3")
    page.wait_for_selector(".result-count:has-text('4 hộ')")
    assert _option_labels(page) == ["Tất cả", "Thôn 5", "Thôn 6"]
    assert page.input_value("#id_village") == ""
    assert page.locator(".dropped-filter").count() == 0  # the old village was not sent with the new commune
    assert set(page.locator("table.households tbody th a").all_inner_texts()) == {
        "DR001",
        "DR002",
        "DR003",
        "DR004",
    }

    # Without JavaScript the same pair is sent by a link or a bookmark: the village is ignored, and said so.
    page.goto(f"{live_server.url}/ho/?commune={dak_ruong.pk}&village={koi[1].pk}")
    assert "Thôn 2 không thuộc Xã Đăk Ruồng nên danh sách không lọc theo thôn." in page.inner_text(
        ".dropped-filter"
    )
    assert page.inner_text(".result-count").startswith("4 hộ")
    page.screenshot(path=shots / "registry2-list-dropped-village.png", full_page=False)


def test_a_commune_officer_corrects_a_member(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    _province()
    shots = _shots(tmp_path)
    household = Household.objects.get(code="DK001")
    member = member_factory(
        household=household,
        full_name="Y Blê",
        sex="female",
        date_of_birth=datetime.date(1990, 3, 4),
        relation_to_head="Vợ",
    )
    log_in(page, live_server, "xa", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/ho/{household.pk}/")

    row = page.locator("table.members tbody tr", has_text="Y Blê")
    row.locator("text=Sửa").click()
    page.wait_for_selector("h1:has-text('Sửa thông tin nhân khẩu')")
    assert page.input_value("input[name=full_name]") == "Y Blê"
    assert page.input_value("input[name=date_of_birth]") == "04/03/1990"

    page.fill("input[name=full_name]", "Y Blê Niê")
    page.select_option("select[name=ethnicity]", label="Ê-đê")
    page.fill("input[name=citizen_id]", "051090001234")  # 0 = a man of the 20th century: she is a woman
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector("#id_citizen_id-error")
    assert "không khớp với giới tính" in page.inner_text("#id_citizen_id-error")
    assert page.input_value("input[name=full_name]") == "Y Blê Niê"  # what was typed is kept
    page.screenshot(path=shots / "registry2-member-edit.png", full_page=True)

    page.fill("input[name=citizen_id]", "051190001234")
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector("text=Đã lưu thông tin của Y Blê Niê.")
    member.refresh_from_db()
    assert (member.full_name, member.ethnicity, member.citizen_id) == ("Y Blê Niê", "12", "051190001234")
    row = page.locator("table.members tbody tr", has_text="Y Blê Niê")
    assert "Ê-đê" in row.inner_text() and "051190001234" in row.inner_text()
    assert Member.objects.filter(full_name="Y Blê").count() == 0
    page.screenshot(path=shots / "registry2-household.png", full_page=True)

    # Someone else saves while the form is open: refused, nothing lost, the saved values beside it.
    row.locator("text=Sửa").click()
    page.wait_for_selector("h1:has-text('Sửa thông tin nhân khẩu')")
    member_update(member=member, actor=None, relation_to_head="Vợ chủ hộ")
    page.fill("input[name=full_name]", "Y Blê Niê Kdăm")
    page.click(".registry-form button[type=submit]")
    page.wait_for_selector(".alert-error:has-text('vừa được người khác cập nhật')")
    assert page.input_value("input[name=full_name]") == "Y Blê Niê Kdăm"
    assert "Vợ chủ hộ" in page.inner_text(".saved-values")
    page.screenshot(path=shots / "registry2-member-stale.png", full_page=True)
    page.click(".registry-form button[type=submit]")  # saving again, knowingly, applies what was typed
    page.wait_for_selector("text=Đã lưu thông tin của Y Blê Niê Kdăm.")
    member.refresh_from_db()
    assert (member.full_name, member.relation_to_head) == ("Y Blê Niê Kdăm", "Vợ")
