"""The coverage pages (``/ho-tro/do-bao-phu/``, ``thieu-ho-tro/``, ``ngoai-dien/``), their Excel exports
and the dashboard card: the hand-worked numbers, territory (outside → 404), leaders (aggregates only:
the household lists answer 403 with the reason), htmx fragments."""

from __future__ import annotations

import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.support.coverage_views import percent
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.support.test_coverage_world import EXPECTED, EXPECTED_GAPS, YEAR, CoverageWorld, coverage_world

pytestmark = pytest.mark.django_db
__all__ = ["coverage_world"]


def _q(params: dict[str, str | int]) -> dict[str, str | int]:
    """Query parameters (typed for the test client)."""
    return params


PAGE = "/ho-tro/do-bao-phu/"
GAPS = "/ho-tro/thieu-ho-tro/"
INELIGIBLE = "/ho-tro/ngoai-dien/"


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _officer(world: CoverageWorld) -> User:
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)


def _names(world: CoverageWorld) -> dict[str, str]:
    return {p.name: key for key, p in world.policies.items()}


def test_the_page_shows_the_hand_worked_coverage(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    response = _client(_officer(w)).get(PAGE, _q({"don_vi": "tinh-98", "nam": YEAR}))
    assert response.status_code == 200
    names = _names(w)
    rows = {names[row.policy.name]: row for row in response.context["rows"]}
    assert set(rows) == set(EXPECTED)
    for key, (eligible, covered, share, records, ineligible) in EXPECTED.items():
        row = rows[key]
        assert (row.eligible, row.covered, row.share) == (str(eligible), str(covered), percent(share)), key
        assert (row.records, row.ineligible_records) == (str(records), str(ineligible)), key
    html = response.content.decode()
    assert "50,00\u00a0%" in html and "100,00\u00a0%" in html  # Vietnamese decimals
    assert 'id="policy-bhyt-ngheo"' in html and "<meter" in html
    # drill-down: one row per commune, linked to its own page
    subs = response.context["sub_rows"]
    assert [s.name for s in subs] == ["Xã Một", "Xã Hai"]
    assert subs[0].url == f"{PAGE}?don_vi=xa-98001&nam={YEAR}"
    # the gaps per need
    gap_rows = {key: (households, unmet) for key, _label, households, unmet in response.context["gap_rows"]}
    assert gap_rows["preferential_credit"] == ("2", "1") and gap_rows["housing"] == ("1", "1")
    assert f"{GAPS}?don_vi=tinh-98&amp;nam={YEAR}" in html
    assert "/bao-cao/bieu/05/" in html or "bieu" in response.context["links"]["form"]


def test_defaults_to_the_first_unit_and_latest_year(coverage_world: CoverageWorld) -> None:
    response = _client(_officer(coverage_world)).get(PAGE)
    assert response.status_code == 200
    assert (response.context["chosen"].scope.key, response.context["chosen"].year) == ("tinh-98", 2025)


def test_a_year_without_approved_round_and_a_unit_outside_are_not_found(
    coverage_world: CoverageWorld,
) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=w.c1)
    client = _client(officer)
    assert client.get(PAGE, {"don_vi": "xa-98002"}).status_code == 404
    assert client.get(PAGE, {"don_vi": "tinh-98"}).status_code == 404
    assert client.get(PAGE, _q({"don_vi": "xa-98001", "nam": 2023})).status_code == 404
    assert client.get(PAGE, {"don_vi": "xa-98001", "nam": "abc"}).status_code == 404
    assert client.get(GAPS, {"don_vi": "xa-98002"}).status_code == 404
    assert client.get(INELIGIBLE, {"don_vi": "xa-98002"}).status_code == 404
    page = client.get(PAGE, {"don_vi": "xa-98001"})
    assert page.status_code == 200
    assert [s.name for s in page.context["sub_rows"]] == ["Thôn A", "Thôn B", "Hộ chưa gắn thôn"]
    # Xã Hai's own policy does not show in Xã Một
    assert "Quà Tết của Xã Hai" not in page.content.decode()


def test_a_commune_without_a_round_that_year(coverage_world: CoverageWorld) -> None:
    response = _client(admin_factory()).get(PAGE, _q({"don_vi": "xa-98002", "nam": 2024}))
    assert response.status_code == 200
    assert "chưa có đợt rà soát định kỳ được phê duyệt" in response.content.decode()


def test_htmx_gets_the_body_only(coverage_world: CoverageWorld) -> None:
    response = _client(_officer(coverage_world)).get(PAGE, {"don_vi": "tinh-98"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="coverage-policies"' in html


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_excel_export_has_the_page_numbers(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    response = _client(_officer(w)).get(f"{PAGE}xuat.xlsx", _q({"don_vi": "tinh-98", "nam": YEAR}))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('do-bao-phu-tinh-98-2025.xlsx"')
    rows = _sheet(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert rows[0][0] == "Độ bao phủ chính sách hỗ trợ — Tỉnh Thử — năm 2025"
    assert rows[1][:5] == ("Đơn vị", "Chính sách", "Mã chính sách", "Tính theo", "Diện được hưởng")
    codes = {p.code: key for key, p in w.policies.items()}
    province = {codes[r[2]]: (r[4], r[5], r[6], r[7], r[8]) for r in rows[2:] if r[0] == "Tỉnh Thử"}
    assert province == EXPECTED
    second = {codes[r[2]]: (r[4], r[5]) for r in rows[2:] if r[0] == "Xã Hai"}
    assert second["local"] == (1, 1) and second["health"] == (1, 0)


def test_the_gap_list(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    client = _client(_officer(w))
    response = client.get(GAPS, _q({"don_vi": "tinh-98", "nam": YEAR}))
    assert response.status_code == 200
    codes = {h.code: key for key, h in w.households.items()}
    listed = {codes[item["row"].code]: item["row"].unmet for item in response.context["rows"]}
    assert listed == EXPECTED_GAPS
    html = response.content.decode()
    assert "Vay vốn ưu đãi" in html and "Hỗ trợ nhà ở; Hỗ trợ khác" in html
    assert f'href="/ho/{w.households["h1"].pk}/"' in html
    # one need only
    housing = client.get(GAPS, {"don_vi": "tinh-98", "nhu_cau": "housing"})
    assert [item["row"].code for item in housing.context["rows"]] == ["H5"]
    # htmx: the table only
    fragment = client.get(GAPS, {"don_vi": "tinh-98"}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "H1" in fragment.content.decode()
    export = client.get(f"{GAPS}xuat.xlsx", _q({"don_vi": "tinh-98", "nam": YEAR}))
    rows = _sheet(b"".join(export.streaming_content))  # type: ignore[attr-defined]
    assert rows[1] == (
        "Mã hộ",
        "Chủ hộ",
        "Thôn, tổ dân phố",
        "Xã, phường",
        "Diện",
        "Nhu cầu hỗ trợ đã nêu",
        "Nhu cầu chưa được hỗ trợ",
    )
    assert [r[0] for r in rows[2:]] == ["H1", "H5"]
    assert rows[3][5:] == ("Hỗ trợ nhà ở; Hỗ trợ khác", "Hỗ trợ nhà ở; Hỗ trợ khác")
    assert rows[2][4] == "Hộ nghèo"


def test_the_ineligible_list(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    client = _client(_officer(w))
    response = client.get(INELIGIBLE, _q({"don_vi": "tinh-98", "nam": YEAR}))
    assert response.status_code == 200
    assert [record.household.code for record, _k in response.context["rows"]] == ["H6"]
    html = response.content.decode()
    assert "Hộ bị thiệt hại nặng do bão số 3" in html and "Trần Giám Sát" in html
    export = client.get(f"{INELIGIBLE}xuat.xlsx", _q({"don_vi": "tinh-98", "nam": YEAR}))
    rows = _sheet(b"".join(export.streaming_content))  # type: ignore[attr-defined]
    assert rows[2][1:4] == ("Hỗ trợ tiền điện", "H6", "Hồ Văn Minh")
    assert rows[2][8:] == ("Hộ bị thiệt hại nặng do bão số 3", "Trần Giám Sát")
    empty = client.get(INELIGIBLE, {"don_vi": "xa-98001"})
    assert empty.context["count"] == 0 and "Không có lần hỗ trợ ngoài diện" in empty.content.decode()


def test_leaders_read_the_coverage_but_not_the_household_lists(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    leader = scoped_user_factory(role=Role.LEADER, unit=w.province)
    client = _client(leader)
    page = client.get(PAGE, {"don_vi": "tinh-98"})
    assert page.status_code == 200
    assert GAPS not in page.content.decode() and INELIGIBLE not in page.content.decode()
    for url in (GAPS, f"{GAPS}xuat.xlsx", INELIGIBLE, f"{INELIGIBLE}xuat.xlsx"):
        refused = client.get(url, {"don_vi": "tinh-98"})
        assert refused.status_code == 403, url
        assert "chỉ xem số liệu tổng hợp" in refused.content.decode()


def test_anonymous_users_are_sent_to_login(coverage_world: CoverageWorld) -> None:
    for url in (PAGE, GAPS, INELIGIBLE, f"{PAGE}the/"):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_dashboard_card_fragment(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    response = _client(_officer(w)).get(f"{PAGE}the/", _q({"don_vi": "tinh-98", "nam": YEAR}))
    assert response.status_code == 200
    names = _names(w)
    rows = [
        (names[row.policy.name], row.eligible, row.covered, row.share) for row in response.context["rows"]
    ]
    # the five policies with the most eligible people or households, then by name
    assert rows == [
        ("health", "4", "2", percent(50.0)),
        ("power", "2", "1", percent(50.0)),  # "Hỗ trợ tiền điện" before "Vay vốn ưu đãi"
        ("credit", "2", "1", percent(50.0)),
        ("housing", "1", "0", percent(0.0)),
        ("school", "1", "1", percent(100.0)),
    ]
    html = response.content.decode()
    assert "<svg" in html and f"{PAGE}?don_vi=tinh-98&amp;nam=2025" in html


def test_a_village_surveyor_reads_their_village(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=w.vb)
    client = _client(surveyor)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.context["chosen"].scope.key == f"thon-{w.vb.pk}"
    names = _names(w)
    rows = {names[row.policy.name]: (row.eligible, row.covered) for row in page.context["rows"]}
    assert rows["school"] == ("1", "1") and rows["health"] == ("0", "0")
    assert client.get(PAGE, _q({"don_vi": f"thon-{w.va.pk}"})).status_code == 404
    assert client.get(PAGE, _q({"don_vi": "xa-98001"})).status_code == 404
    gaps = client.get(GAPS)
    assert gaps.status_code == 200 and gaps.context["count"] == 0
