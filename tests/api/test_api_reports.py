"""The report endpoints are the forms: Biểu 01 (sub-unit rows), 03 (causes) and 04 (transitions) built
from the same ``form_context`` cell by cell, the map endpoint the map page's rows, the units endpoint
the forms page's units; districts for 2024 only; territory (outside → 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.documents.report_pdf import TableForm
from giamngheo.reports.aggregation import TRANSITION_COLUMNS
from giamngheo.reports.forms.data import form_context, form_scopes, scope_for
from giamngheo.reports.forms.registry import FORMS
from giamngheo.review.procedure import procedure
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.api.factories import World, client_of, get

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 1, 15)


def _form(viewer: User, code: str, key: str, year: int = 2025) -> TableForm:
    scope = scope_for(viewer, key)
    assert scope is not None, key
    spec = FORMS[code]
    context = form_context(viewer=viewer, scope=scope, year=year, day=DAY, transitions=spec.needs_transitions)
    return spec.build(context)


def _officer(world: World) -> User:
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)


@pytest.mark.parametrize("key", ["tinh-98", "xa-98001", "xa-98002"])
def test_causes_are_form_03(world: World, key: str) -> None:
    officer = _officer(world)
    status, body = get(client_of(officer), "/reports/causes", year=2025, unit=key)
    assert status == 200
    form = _form(officer, "03", key)
    lines = [*body["causes"], body["without_cause"]]
    assert len(lines) == len(form.rows)
    for line, row in zip(lines, form.rows, strict=True):
        assert row[1] == line["label"]
        assert row[2:] == (
            line["poor"],
            line["poor_share"],
            line["near_poor"],
            line["near_poor_share"],
            line["households"],
            line["share"],
        ), line["id"]
    assert form.total is not None
    assert form.total[2::2] == (body["poor"], body["near_poor"], body["poor"] + body["near_poor"])


def test_causes_figures_and_labels(world: World) -> None:
    status, body = get(client_of(admin_factory()), "/reports/causes", year=2025, unit="tinh-98")
    assert status == 200
    assert (body["poor"], body["near_poor"]) == (3, 1)
    by_id = {c["id"]: c for c in body["causes"]}
    assert by_id["capital"] == {
        "id": "capital",
        "label": "Thiếu vốn sản xuất, kinh doanh",
        "households": 2,
        "poor": 1,
        "near_poor": 1,
        "share": 50.0,
        "poor_share": 33.33,
        "near_poor_share": 100.0,
    }
    assert (by_id["illness"]["poor"], by_id["land"]["poor"], by_id["labour"]["households"]) == (1, 1, 0)
    # every cause of the procedure's list, in its order, zero counts included
    assert [c["id"] for c in body["causes"]] == [item.id for item in procedure().causes.items]
    assert body["without_cause"]["id"] is None
    assert body["without_cause"]["label"] == "Chưa ghi nhận nguyên nhân"
    assert (body["without_cause"]["poor"], body["without_cause"]["poor_share"]) == (1, 33.33)  # h5


@pytest.mark.parametrize("key", ["tinh-98", "xa-98001"])
def test_transitions_are_form_04(world: World, key: str) -> None:
    officer = _officer(world)
    status, body = get(client_of(officer), "/reports/transitions", year=2025, unit=key)
    assert status == 200
    form = _form(officer, "04", key)
    assert [r["name"] for r in body["sub_units"]] == [row[1] for row in form.rows]
    for item, row in zip(body["sub_units"], form.rows, strict=True):
        assert tuple(item[c] for c in TRANSITION_COLUMNS) == row[2:], item["name"]
    assert form.total is not None
    assert tuple(body["total"][c] for c in TRANSITION_COLUMNS) == form.total[2:]


def test_transitions_of_the_province(world: World) -> None:
    status, body = get(client_of(_officer(world)), "/reports/transitions", year=2025, unit="tinh-98")
    assert status == 200
    assert body["previous_years"] == [2024]
    assert body["not_compared"] == [{"key": "xa-98002", "name": "Xã Hai"}]  # no 2024 round
    one, two = body["sub_units"]
    assert (one["key"], one["compared"], two["key"], two["compared"]) == ("xa-98001", True, "xa-98002", False)
    assert two["poor_now"] is None
    # 2024: h1, h3 poor; 2025: h1 poor, h3 escaped, h5 newly poor, h2 newly near-poor
    assert (one["poor_before"], one["escaped_poverty"], one["newly_poor"], one["poor_now"]) == (2, 1, 1, 2)
    assert (one["near_poor_before"], one["newly_near_poor"], one["near_poor_now"]) == (0, 1, 1)
    total = body["total"]
    assert (
        total["poor_before"]
        - total["escaped_poverty"]
        - total["poor_left"]
        + total["newly_poor"]
        + total["relapsed"]
        + total["poor_moved_in"]
        == total["poor_now"]
    )


def test_summary_rows_are_form_01_keyed_by_the_sub_units(world: World) -> None:
    officer = _officer(world)
    client = client_of(officer)
    for key, expected in (
        ("tinh-98", [("xa-98001", "Xã Một"), ("xa-98002", "Xã Hai")]),
        (
            "xa-98001",
            [
                (f"thon-{world.va.pk}", "Thôn A"),
                (f"thon-{world.vb.pk}", "Thôn B"),
                (None, "Hộ chưa gắn thôn"),
            ],
        ),
    ):
        status, body = get(client, "/reports/summary", year=2025, unit=key)
        assert status == 200
        assert [(r["key"], r["name"]) for r in body["sub_units"]] == expected
        form = _form(officer, "01", key)
        for item, row in zip(body["sub_units"], form.rows, strict=True):
            assert row[2:7] == (
                item["households"],
                item["poor"],
                item["poor_rate"],
                item["near_poor"],
                item["near_poor_rate"],
            )
        assert form.total is not None
        assert form.total[2:4] == (body["total"]["households"], body["total"]["poor"])


def test_a_district_reads_2024_and_is_refused_for_2025(world: World) -> None:
    officer = _officer(world)
    client = client_of(officer)
    status, body = get(client, "/reports/summary", year=2024, unit="huyen-980")
    assert status == 200
    scope = scope_for(officer, "huyen-980")
    assert scope is not None
    assert body["unit"] == {"key": "huyen-980", "name": scope.name, "level": "district"}
    assert body["unit"]["name"].startswith("Huyện Cũ") and "(trước 01/07/2025)" in scope.name
    assert [(r["key"], r["name"], r["households"], r["poor"]) for r in body["sub_units"]] == [
        (None, "Xã Cũ A", 2, 1),  # Thôn A: h1 poor, h2
        (None, "Xã Cũ B", 2, 1),  # Thôn B: h3 poor, h4 not reviewed (Thôn C: no 2024 round)
    ]
    assert (body["total"]["households"], body["total"]["poor"], body["unattributed"]) == (4, 2, 1)  # h5
    form = _form(officer, "01", "huyen-980", 2024)
    assert [row[2:4] for row in form.rows] == [(2, 1), (2, 1)]
    # without a year: the latest year a district form exists for
    assert get(client, "/reports/summary", unit="huyen-980")[1]["year"] == 2024
    for path in ("/reports/summary", "/reports/deprivations", "/reports/causes", "/reports/transitions"):
        status, body = get(client, path, year=2025, unit="huyen-980")
        assert (status, path) == (404, path)
        assert body["detail"] == (
            "Từ ngày 01/07/2025 không còn cấp huyện: biểu cấp huyện chỉ lập cho các năm đến 2024."
        )
    causes = get(client, "/reports/causes", year=2024, unit="huyen-980")[1]
    assert (causes["poor"], causes["near_poor"], causes["without_cause"]["poor"]) == (2, 0, 2)


def _map_page(client: Client, **params: Any) -> Any:
    page = client.get("/bao-cao/ban-do/", params)
    assert page.status_code == 200
    return page.context


def _page_row(row: Any) -> tuple[Any, ...]:
    f = row.figures
    return (
        row.code,
        row.name,
        f.has_data,
        f.households,
        f.poor,
        f.near_poor,
        f.poor_rate,
        f.near_poor_rate,
        row.value,
    )


def _item(item: dict[str, Any]) -> tuple[Any, ...]:
    keys = (
        "code",
        "name",
        "has_data",
        "households",
        "poor",
        "near_poor",
        "poor_rate",
        "near_poor_rate",
        "value",
    )
    return tuple(item[k] for k in keys)


def test_map_is_the_map_page(world: World) -> None:
    admin = admin_factory()
    client = client_of(admin)
    status, body = get(client, "/reports/map", year=2025)
    assert status == 200
    assert (body["year"], body["indicator"], body["province"]) == (2025, "poor_rate", None)
    page = _map_page(client, nam=2025)
    rows = [*page["province_rows"], *page["province_missing"]]
    assert sorted(_item(i) for i in body["items"]) == sorted(_page_row(r) for r in rows)
    assert [(i["key"], i["households"], i["poor"], i["value"]) for i in body["items"]] == [
        ("tinh-96", 0, 0, None),
        ("tinh-98", 7, 3, 42.86),
    ]

    status, body = get(client, "/reports/map", year=2025, province="98", indicator="near_poor_rate")
    assert status == 200
    page = _map_page(client, nam=2025, tinh="98", **{"chi-so": "ty-le-ho-can-ngheo"})
    rows = [*page["commune_rows"], *page["commune_missing"]]
    assert sorted(_item(i) for i in body["items"]) == sorted(_page_row(r) for r in rows)
    assert [(i["key"], i["near_poor"], i["near_poor_rate"], i["value"]) for i in body["items"]] == [
        ("xa-98001", 1, 20.0, 20.0),
        ("xa-98002", 0, 0.0, 0.0),
    ]


def test_map_keeps_to_the_territory(world: World) -> None:
    client = client_of(_officer(world))
    status, body = get(client, "/reports/map")
    assert status == 200 and body["year"] == 2025
    assert [i["code"] for i in body["items"]] == ["98"]  # not 96
    status, body = get(client, "/reports/map", province="96")
    assert status == 404 and body["detail"] == "Không có tỉnh, thành phố mã 96 trong địa bàn của bạn."
    commune = client_of(scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=world.c1))
    status, body = get(commune, "/reports/map", province="98")
    assert status == 200
    assert [(i["key"], i["poor"]) for i in body["items"]] == [("xa-98001", 2)]  # not Xã Hai
    assert get(commune, "/reports/map", year=2019)[0] == 404
    assert get(commune, "/reports/map", indicator="poor_count")[0] == 422


def test_units_are_the_forms_page_units(world: World) -> None:
    officer = _officer(world)
    status, body = get(client_of(officer), "/reports/units")
    assert status == 200
    assert [(u["key"], u["level"]) for u in body["units"]] == [
        ("tinh-98", "province"),
        ("xa-98002", "commune"),
        ("xa-98001", "commune"),
        ("huyen-980", "district"),
    ]
    assert [u["key"] for u in body["units"]] == [s.key for s in form_scopes(officer)]
    commune = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=world.c1)
    assert get(client_of(commune), "/reports/units")[1] == {
        "units": [{"key": "xa-98001", "name": "Xã Một", "level": "commune"}]
    }
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=world.va)
    assert [u["key"] for u in get(client_of(surveyor), "/reports/units")[1]["units"]] == [
        f"thon-{world.va.pk}"
    ]


@pytest.mark.parametrize("path", ["/reports/causes", "/reports/transitions", "/reports/summary"])
def test_units_outside_the_territory_are_not_found(world: World, path: str) -> None:
    client = client_of(scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=world.c1))
    assert get(client, path, year=2025, unit="xa-98001")[0] == 200
    for unit in ("xa-98002", "tinh-98", "huyen-980", f"thon-{world.vc.pk}", "tinh-96"):
        status, body = get(client, path, year=2025, unit=unit)
        assert (status, unit) == (404, unit)
        assert "địa bàn" in body["detail"]
    status, body = get(client, path, year=2023, unit="xa-98001")
    assert status == 404 and body["detail"] == "Xã Một chưa có đợt rà soát định kỳ được phê duyệt năm 2023."


@pytest.mark.parametrize(
    "path", ["/reports/causes", "/reports/transitions", "/reports/map", "/reports/units"]
)
def test_login_is_required(world: World, path: str) -> None:
    assert get(Client(), path)[0] == 401
