"""The map page (``/bao-cao/ban-do/``): figures of approved rounds over the viewer's territory, the province
drill-down with its commune table, bad input and territory."""

from __future__ import annotations

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.geo.models import AdminUnit, UnitType, Village
from giamngheo.registry.models import HouseholdStatus
from giamngheo.reports.aggregation import summary
from giamngheo.reports.selectors import report_frame
from giamngheo.review.models import ListReason, Result, ReviewRound, RoundHousehold, RoundKind, RoundStatus
from tests.accounts.factories import admin_factory, scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, province_factory
from tests.registry.factories import household_factory

URL = reverse("reports:map")


def _round(
    commune: AdminUnit,
    year: int,
    classes: list[str],
    *,
    status: str = RoundStatus.APPROVED,
    kind: str = RoundKind.PERIODIC,
    village: Village | None = None,
) -> ReviewRound:
    """A round of ``commune`` with one new household and one current result per class in ``classes``."""
    review_round = ReviewRound.objects.create(
        commune=commune,
        province_code=commune.province_code,
        kind=kind,
        year=year,
        month=10 if kind == RoundKind.ONGOING else None,
        reference_date=datetime.date(year, 10, 1),
        status=status,
    )
    for klass in classes:
        household = household_factory(commune=commune, village=village)
        _result(review_round, household.pk, klass, village=village)
    return review_round


def _result(
    review_round: ReviewRound,
    household_id: int,
    klass: str,
    *,
    village: Village | None,
    superseded: bool = False,
) -> Result:
    entry, _ = RoundHousehold.objects.get_or_create(
        round=review_round,
        household_id=household_id,
        defaults={
            "province_code": review_round.province_code,
            "reason": ListReason.OTHER,
            "village": village,
        },
    )
    return Result.objects.create(
        round=review_round,
        round_household=entry,
        household_id=household_id,
        province_code=review_round.province_code,
        klass=klass,
        area="rural",
        members=1,
        basis="income",
        line=1_500_000,
        deprivation_count=0,
        standard_id="nd07-2021",
        standard_version=1,
        superseded=superseded,
    )


@dataclass
class Data:
    p: AdminUnit  # 51 Quảng Ngãi: c1, c2, c3
    c1: AdminUnit
    c2: AdminUnit
    c3: AdminUnit
    q: AdminUnit  # 48 Đà Nẵng: d1
    d1: AdminUnit
    v1: Village
    admin: User
    province_officer: User
    commune_officer: User
    surveyor: User
    outsider: User


@pytest.fixture
def data(db: None) -> Data:
    """Year 2025, approved periodic rounds:

    - c1 (Xã Một): 20 active households (10 reviewed: 3 poor, 1 near-poor, 6 not poor; 2 poor and 2
      not poor of them in village v1) and one moved out; a superseded "poor" result; in 2024: 5 poor;
    - c2 (Phường Hai): 4 households, 1 poor;
    - c3 (Xã Ba): 5 households, a round still being posted (2 poor, not counted), no approved round (so
      not in the denominator: 51 has 4 poor of 24 households);
    - d1 (Đà Nẵng): 10 households, 2 poor; and an ongoing round with 3 poor (not counted).
    """
    p = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    c1 = commune_factory(province=p, code="51001", name="Xã Một")
    c2 = commune_factory(province=p, code="51002", name="Phường Hai", unit_type=UnitType.WARD)
    c3 = commune_factory(province=p, code="51003", name="Xã Ba")
    q = province_factory(code="48", name="Thành phố Đà Nẵng", unit_type=UnitType.CENTRAL_CITY)
    d1 = commune_factory(province=q, code="48001", name="Xã Bên Kia")
    v1 = village_factory(commune=c1, code="T01", name="Thôn 1")

    r1 = _round(c1, 2025, ["poor", "poor", "not_poor", "not_poor"], village=v1)
    _round(c1, 2025, [], status=RoundStatus.APPROVED, kind=RoundKind.ONGOING)
    extra = [household_factory(commune=c1) for _ in range(6)]
    for household, klass in zip(extra, ["poor", "near_poor", *["not_poor"] * 4], strict=True):
        _result(r1, household.pk, klass, village=None)
    _result(r1, extra[2].pk, "poor", village=None, superseded=True)
    for _ in range(10):
        household_factory(commune=c1)
    household_factory(commune=c1, status=HouseholdStatus.MOVED_OUT)
    r1_2024 = _round(c1, 2024, [], status=RoundStatus.REPORTED)
    for household in extra[:5]:
        _result(r1_2024, household.pk, "poor", village=None)

    _round(c2, 2025, ["poor", "not_poor", "not_poor", "not_poor"])
    _round(c3, 2025, ["poor", "poor", "not_poor"], status=RoundStatus.POSTING)
    household_factory(commune=c3)
    household_factory(commune=c3)
    _round(d1, 2025, ["poor", "poor", *["not_poor"] * 8])
    _round(d1, 2025, ["poor", "poor", "poor"], kind=RoundKind.ONGOING)  # adds 3 households, 0 counted
    return Data(
        p=p,
        c1=c1,
        c2=c2,
        c3=c3,
        q=q,
        d1=d1,
        v1=v1,
        admin=admin_factory(),
        province_officer=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=p),
        commune_officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=c1),
        surveyor=scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=v1),
        outsider=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=d1),
    )


def _get(client: Client, user: User, query: str = "", **headers: str) -> str:
    client.force_login(user)
    response = client.get(URL + query, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def _svg(page: str) -> ET.Element:
    match = re.search(r"<svg [^>]*class=\"choropleth\".*?</svg>", page, re.S)
    assert match is not None
    return ET.fromstring(match.group(0))


def _titles(page: str) -> dict[str, str]:
    """Province code → the title of its path."""
    out = {}
    for path in _svg(page).iter("path"):
        if "data-code" in path.attrib:
            title = path.find("title")
            assert title is not None and title.text is not None
            out[path.attrib["data-code"]] = title.text
    return out


def _rows(page: str) -> dict[str, list[str]]:
    """Code of each table row → its cells' text."""
    rows: dict[str, list[str]] = {}
    for code, body in re.findall(r'<tr data-code="(\w+)">(.*?)</tr>', page, re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", body, re.S)
        rows[code] = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    return rows


def test_anonymous_is_sent_to_login(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_system_admin_sees_provinces_with_their_rates(client: Client, data: Data) -> None:
    page = _get(client, data.admin)
    titles = _titles(page)
    # 51: (3 + 1) poor of the 20 + 4 households of c1 and c2 (c3 has no approved round); 48: 2 of 13
    assert titles["51"] == "Quảng Ngãi: 16,67 %"
    assert titles["48"] == "Đà Nẵng: 15,38 %"
    assert titles["01"] == "Hà Nội: Ngoài địa bàn của bạn"  # no unit of that province in this database
    assert len(titles) == 34
    rows = _rows(page)
    assert rows["51"] == ["Tỉnh Quảng Ngãi", "24", "4", "16,67 %", "1", "4,17 %"]
    assert rows["48"] == ["Thành phố Đà Nẵng", "13", "2", "15,38 %", "0", "0,00 %"]
    assert list(rows) == ["51", "48"]  # highest value first
    links = {a.attrib["href"] for a in _svg(page).iter("a")}
    assert links == {f"{URL}?chi-so=ty-le-ho-ngheo&nam=2025&tinh={code}" for code in ("51", "48")}
    assert "Quần đảo Hoàng Sa" in page and "Quần đảo Trường Sa" in page
    assert "Made with Natural Earth" in page


def test_province_officer_lands_on_the_province_with_its_commune_table(client: Client, data: Data) -> None:
    page = _get(client, data.province_officer)
    titles = _titles(page)
    assert titles["51"] == "Quảng Ngãi: 16,67 % (đang xem)"
    assert titles["48"] == "Đà Nẵng: Ngoài địa bàn của bạn"
    svg = _svg(page)
    assert len([p for p in svg.iter("path") if p.attrib.get("class") == "highlight-outline"]) == 1
    rows = _rows(page)
    assert rows["51001"] == ["Xã Một", "20", "3", "15,00 %", "1", "5,00 %"]
    assert rows["51002"] == ["Phường Hai", "4", "1", "25,00 %", "0", "0,00 %"]
    assert "51003" not in rows  # no approved round: listed under the table, without figures
    assert re.search(r'<li data-code="51003"><a href="/dia-ban/xa/51003/">Xã Ba</a></li>', page)
    assert "1 đơn vị chưa có kết quả rà soát định kỳ được phê duyệt trong năm" in page
    assert re.search(r"Toàn tỉnh.*?24.*?4.*?16,67 %", page, re.S)
    assert "Chưa có ranh giới cấp xã" in page


def test_commune_officer_sees_only_their_commune(client: Client, data: Data) -> None:
    page = _get(client, data.commune_officer)
    titles = _titles(page)
    assert titles["51"] == "Quảng Ngãi: 15,00 % (đang xem)"  # 3 poor of the commune's 20 households
    assert titles["48"] == "Đà Nẵng: Ngoài địa bàn của bạn"
    assert list(_rows(page)) == ["51001"]
    assert "Phường Hai" not in page and "Xã Ba" not in page


def test_village_surveyor_counts_only_their_villages_households(client: Client, data: Data) -> None:
    page = _get(client, data.surveyor)
    assert _titles(page)["51"] == "Quảng Ngãi: 50,00 % (đang xem)"  # 2 poor of the 4 households of v1
    assert _rows(page)["51001"][:4] == ["Xã Một", "4", "2", "50,00 %"]


def test_a_province_outside_the_territory_is_not_found(client: Client, data: Data) -> None:
    client.force_login(data.commune_officer)
    assert client.get(URL + "?tinh=48").status_code == 404
    assert client.get(URL + "?tinh=zz").status_code == 404
    client.force_login(data.outsider)
    assert client.get(URL + "?tinh=51").status_code == 404


def test_admin_drills_down_into_a_province(client: Client, data: Data) -> None:
    page = _get(client, data.admin, "?tinh=48&chi-so=so-ho-ngheo")
    assert _titles(page)["48"] == "Đà Nẵng: 2 hộ (đang xem)"
    assert _titles(page)["51"] == "Quảng Ngãi: 4 hộ"
    assert list(_rows(page)) == ["48001"]
    assert f'href="{URL}?chi-so=so-ho-ngheo&amp;nam=2025"' in page  # back to every province


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?chi-so=ty-le-ho-can-ngheo", "Quảng Ngãi: 5,00 % (đang xem)"),
        ("?chi-so=so-ho-ngheo", "Quảng Ngãi: 3 hộ (đang xem)"),
        ("?nam=2024", "Quảng Ngãi: 25,00 % (đang xem)"),  # 5 poor of 20 in 2024
    ],
)
def test_indicator_and_year(client: Client, data: Data, query: str, expected: str) -> None:
    assert _titles(_get(client, data.commune_officer, query))["51"] == expected


def test_bad_input_gives_messages_on_the_fields_and_the_defaults(client: Client, data: Data) -> None:
    page = _get(client, data.commune_officer, "?chi-so=khong-co&nam=1999")
    assert "Không có chỉ số này; hãy chọn trong danh sách." in page
    assert "Không có kết quả rà soát định kỳ đã phê duyệt của năm này trong địa bàn của bạn." in page
    assert _titles(page)["51"] == "Quảng Ngãi: 15,00 % (đang xem)"
    page = _get(client, data.commune_officer, "?nam=abc")
    assert _titles(page)["51"] == "Quảng Ngãi: 15,00 % (đang xem)"


def test_no_approved_round_gives_a_map_without_data_and_a_message(client: Client, data: Data) -> None:
    page = _get(client, data.outsider, "?nam=2024")  # d1 has no 2024 round
    assert "Không có kết quả rà soát định kỳ đã phê duyệt của năm này" in page
    user = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=data.c3)
    page = _get(client, user)
    assert _titles(page)["51"] == "Quảng Ngãi: Không có số liệu (đang xem)"
    assert "Chưa có đợt rà soát định kỳ nào được phê duyệt trong địa bàn của bạn" in page
    assert _rows(page) == {}
    assert '<li data-code="51003">' in page


def test_a_user_without_territory_gets_a_message(client: Client, data: Data) -> None:
    user = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=data.p)  # a province row does not fit the role
    page = _get(client, user)
    assert "Bạn chưa được giao địa bàn nào." in page
    assert "choropleth" not in page


def test_htmx_request_gets_the_result_only(client: Client, data: Data) -> None:
    page = _get(client, data.province_officer, "?chi-so=so-ho-ngheo", HX_Request="true")
    assert "<html" not in page and "<form" not in page
    assert _titles(page)["51"] == "Quảng Ngãi: 4 hộ (đang xem)"


def test_the_page_loads_nothing_from_the_internet(client: Client, data: Data) -> None:
    page = _get(client, data.admin, "?tinh=51")
    assert "http://" not in page and "https://" not in page


def _vietnamese(rate: float) -> str:
    return f"{rate:.2f}".replace(".", ",") + " %"


@pytest.mark.parametrize(
    ("who", "dashboard", "form_unit"),
    [
        ("admin", "province", "tinh-51"),
        ("province_officer", "province", "tinh-51"),
        ("commune_officer", "commune", "xa-51001"),
    ],
)
def test_the_province_value_is_the_aggregation_paths_the_dashboards_and_the_forms(
    client: Client, data: Data, who: str, dashboard: str, form_unit: str
) -> None:
    """One aggregation path: the map's value for a province is ``summary(report_frame(...))["poor_rate"]``,
    the dashboard's poor-rate tile and the total row of Biểu 01, for the same viewer and year."""
    viewer: User = getattr(data, who)
    expected = summary(report_frame(viewer=viewer, year=2025, unit=data.p)).row(0, named=True)
    by_province = summary(report_frame(viewer=viewer, year=2025), ["province_code"])
    assert by_province.filter(by_province["province_code"] == "51").row(0, named=True) == {
        "province_code": "51",
        **expected,
    }
    poor_rate = _vietnamese(expected["poor_rate"])
    assert poor_rate == {"admin": "16,67 %", "province_officer": "16,67 %", "commune_officer": "15,00 %"}[who]

    page = _get(client, viewer, "?tinh=51")
    assert _titles(page)["51"] == f"Quảng Ngãi: {poor_rate} (đang xem)"
    if who != "commune_officer":  # the commune table's total row
        footer = re.search(r"<tfoot>.*?</tfoot>", page, re.S)
        assert footer is not None
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", footer[0])
        ]
        assert cells[:4] == ["Toàn tỉnh", str(expected["households"]), str(expected["poor"]), poor_rate]
    if who == "admin":  # the province table of the whole territory
        assert _rows(_get(client, viewer))["51"][1:4] == [str(expected["households"]), "4", poor_rate]

    args: list[object] = ["51"] if dashboard == "province" else [data.c1.pk]
    board = client.get(reverse(f"reports:dashboard_{dashboard}", args=args)).content.decode()
    tile = re.search(r'tile-poor">.*?<p class="dash-tile-value">(.*?)</p>', board, re.S)
    assert tile is not None and tile.group(1).replace("\u00a0", " ") == poor_rate

    download = client.get(
        reverse("reports:form_download", kwargs={"code": "01", "unit": form_unit, "year": 2025, "fmt": "csv"})
    )
    lines = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]
    total = next(line for line in lines if line[1].startswith("Toàn"))
    assert total[2:5] == [str(expected["households"]), str(expected["poor"]), f"{expected['poor_rate']:.2f}"]
