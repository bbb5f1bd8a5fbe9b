"""The REST API: the same numbers as the aggregation path, the dashboard and Biểu 01; session login;
territory (outside → 404); aggregates only; OpenAPI; docs page offline."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.api.api import DOCS_URL
from giamngheo.geo.models import AdminUnit, Village
from giamngheo.reports.aggregation import deprivation_counts, summary
from giamngheo.reports.dashboard_views import percent
from giamngheo.reports.selectors import report_frame
from tests.accounts.factories import admin_factory, scoped_user_factory, village_factory
from tests.geo.factories import commune_factory, province_factory
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

API = "/api/v1"
ENDPOINTS = ("/reports/years", "/reports/summary", "/reports/deprivations")
SUMMARY_FIELDS = (
    "households",
    "poor",
    "near_poor",
    "middle_living",
    "incomplete",
    "reviewed",
    "poor_rate",
    "near_poor_rate",
)


@pytest.fixture
def place() -> dict[str, Any]:
    """Province 98: commune 98001 (village A: 2 poor, 1 not poor; 1 household without a village the
    round did not list) with an approved 2025 round; commune 98002 with none; province 96 apart."""
    province = province_factory(code="98", name="Tỉnh Thử")
    c1 = commune_factory(province=province, code="98001", name="Xã Một")
    c2 = commune_factory(province=province, code="98002", name="Xã Hai")
    village = village_factory(commune=c1, name="Thôn A")
    listed = [household_with_adult(commune=c1, village=village) for _ in range(3)]
    household_factory(commune=c1)
    rnd = open_round(commune=c1, households=[h for h, _ in listed], year=2025)
    for index, (household, member) in enumerate(listed):
        facts = household_facts(income=POOR_INCOME, deprived=3) if index < 2 else household_facts()
        survey(rnd, household, facts, [adult_facts(member)])
    approve(rnd, posting_day=dt.date(2025, 11, 1))
    other = province_factory(code="96", name="Tỉnh Khác")
    return {"p": province, "c1": c1, "c2": c2, "village": village, "other": other}


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _get(client: Client, path: str, **params: str | int) -> tuple[int, Any]:
    response = client.get(f"{API}{path}", params)
    return response.status_code, json.loads(response.content)


def test_summary_is_the_aggregation_the_dashboard_and_form_01(place: dict[str, Any]) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=place["p"])
    client = _client(officer)
    status, body = _get(client, "/reports/summary", year=2025, unit="tinh-98")
    assert status == 200
    assert body["year"] == 2025
    assert body["unit"] == {"key": "tinh-98", "name": "Tỉnh Thử", "level": "province"}

    expected = summary(report_frame(viewer=officer, year=2025, unit=place["p"])).row(0, named=True)
    total = body["total"]
    assert {f: total[f] for f in SUMMARY_FIELDS} == {f: expected[f] for f in SUMMARY_FIELDS}
    assert (total["households"], total["poor"], total["reviewed"]) == (4, 2, 3)
    assert total["poor_rate"] == 50.0
    rural = next(g for g in total["subgroups"] if g["group"] == "rural")
    assert rural["households"] == expected["households_rural"]
    assert rural["poor_rate"] == expected["poor_rural_rate"]
    assert [g["group"] for g in total["subgroups"]] == [
        "urban",
        "rural",
        "ethnic_minority",
        "meritorious_family",
        "social_protection",
        "no_labour_capacity",
    ]
    # one row per commune with an approved round
    assert [(r["key"], r["name"], r["households"], r["poor"]) for r in body["sub_units"]] == [
        ("xa-98001", "Xã Một", 4, 2)
    ]

    # the dashboard's poor-rate tile
    page = client.get("/bao-cao/bang-dieu-khien/tinh/98/", {"nam": 2025})
    assert page.status_code == 200
    tile = next(t for t in page.context["dashboard"].tiles if t.css == "tile-poor")
    assert tile.value == percent(total["poor_rate"]) == "50,00\u00a0%"

    # Biểu 01's CSV total row: households, poor, poor rate, near-poor, near-poor rate
    csv_response = client.get("/bao-cao/bieu/01/tinh-98/2025/tai-ve.csv")
    assert csv_response.status_code == 200
    content = b"".join(csv_response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content)))
    header, last = rows[0], rows[-1]
    assert header[2:7] == [
        "Tổng số hộ dân cư",
        "Hộ nghèo - Số hộ",
        "Hộ nghèo - Tỷ lệ (%)",
        "Hộ cận nghèo - Số hộ",
        "Hộ cận nghèo - Tỷ lệ (%)",
    ]
    assert last[1] == "Toàn tỉnh"
    assert last[2:7] == [
        str(total["households"]),
        str(total["poor"]),
        f"{total['poor_rate']:.2f}",
        str(total["near_poor"]),
        f"{total['near_poor_rate']:.2f}",
    ]


def test_commune_summary_lists_villages_and_households_without_one(place: dict[str, Any]) -> None:
    status, body = _get(_client(admin_factory()), "/reports/summary", unit="xa-98001")
    assert status == 200 and body["year"] == 2025  # the latest year by default
    village: Village = place["village"]
    assert [(r["key"], r["households"], r["poor"], r["poor_rate"]) for r in body["sub_units"]] == [
        (f"thon-{village.pk}", 3, 2, 66.67),
        (None, 1, 0, 0.0),
    ]
    assert body["sub_units"][1]["name"] == "Hộ chưa gắn thôn"


def test_deprivations_are_the_aggregation(place: dict[str, Any]) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=place["p"])
    status, body = _get(_client(leader), "/reports/deprivations", year=2025)
    assert status == 200
    assert body["unit"]["key"] == "tinh-98"  # the leader's top unit by default
    table = deprivation_counts(report_frame(viewer=leader, year=2025, unit=place["p"]))
    assert table.height >= 3
    assert body["indicators"] == [
        {
            "id": r["indicator"],
            "deprived_households": r["deprived_households"],
            "households": r["households"],
            "share": r["share"],
        }
        for r in table.iter_rows(named=True)
    ]
    assert all(item["households"] == 2 for item in body["indicators"])


def test_years(place: dict[str, Any]) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=place["c1"])
    assert _get(_client(officer), "/reports/years") == (200, {"years": [2025]})
    outsider = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=place["other"])
    assert _get(_client(outsider), "/reports/years") == (200, {"years": []})


@pytest.mark.parametrize("path", ENDPOINTS)
def test_login_is_required(place: dict[str, Any], path: str) -> None:
    status, _body = _get(Client(), path)
    assert status == 401


def test_units_outside_the_territory_are_not_found(place: dict[str, Any]) -> None:
    c1: AdminUnit = place["c1"]
    client = _client(scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=c1))
    assert _get(client, "/reports/summary", unit="xa-98001")[0] == 200
    for unit in ("tinh-98", "xa-98002", "tinh-96", "thon-999999", "xa-", "nonsense"):
        for path in ENDPOINTS[1:]:
            status, body = _get(client, path, year=2025, unit=unit)
            assert (status, unit) == (404, unit)
            assert "địa bàn" in body["detail"]
    # inside the territory, but no approved round that year
    status, body = _get(client, "/reports/summary", year=2019, unit="xa-98001")
    assert status == 404 and "chưa có đợt rà soát" in body["detail"]
    outsider = _client(scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=place["other"]))
    assert _get(outsider, "/reports/summary", year=2025, unit="tinh-98")[0] == 404


def test_village_surveyor_reads_their_village_only(place: dict[str, Any]) -> None:
    village: Village = place["village"]
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=village)
    client = _client(surveyor)
    status, body = _get(client, "/reports/summary")
    assert status == 200
    assert body["unit"]["key"] == f"thon-{village.pk}"
    assert (body["total"]["households"], body["total"]["poor"]) == (3, 2)
    assert _get(client, "/reports/summary", unit="xa-98001")[0] == 404


def test_bad_input_gets_a_vietnamese_message(place: dict[str, Any]) -> None:
    status, body = _get(_client(admin_factory()), "/reports/summary", year="năm nay")
    assert status == 422 and body["detail"] == "Tham số không hợp lệ."


def test_openapi_lists_the_endpoints_and_no_personal_data(place: dict[str, Any]) -> None:
    response = _client(admin_factory()).get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "giamngheo API" and schema["info"]["version"] == "1"
    assert {f"{API}{path}" for path in ENDPOINTS} <= set(schema["paths"])
    text = response.content.decode()
    assert "citizen_id" not in text and "birth" not in text and "household_id" not in text


def test_docs_page_loads_nothing_from_the_internet(place: dict[str, Any]) -> None:
    response = _client(admin_factory()).get(f"{API}/docs")
    if DOCS_URL is None:  # ninja would fetch Swagger UI from a CDN: no docs page
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "http://" not in html and "https://" not in html
    assert '"validatorUrl": null' in html  # no badge from validator.swagger.io
