"""``GET /api/v1/reports/coverage``: the hand-worked coverage, the same numbers as the coverage page, its
Excel export and Biểu 05 (cell by cell), territory (outside → 404), districts and years without a
round (404), leaders (aggregates: allowed)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.reports.forms.data import form_context, scope_for
from giamngheo.reports.forms.registry import FORMS
from giamngheo.review.procedure import procedure
from giamngheo.support.coverage_views import percent
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.api.factories import client_of, get
from tests.support.test_coverage_world import EXPECTED, YEAR, CoverageWorld, coverage_world

pytestmark = pytest.mark.django_db
__all__ = ["coverage_world"]


def _q(params: dict[str, str | int]) -> dict[str, str | int]:
    """Query parameters (typed for the test client)."""
    return params


def _officer(world: CoverageWorld) -> User:
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=world.province)


def _codes(world: CoverageWorld) -> dict[str, str]:
    return {p.code: key for key, p in world.policies.items()}


def test_the_province_coverage(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    status, body = get(client_of(_officer(w)), "/reports/coverage", year=YEAR, unit="tinh-98")
    assert status == 200
    assert body["unit"] == {"key": "tinh-98", "name": "Tỉnh Thử", "level": "province"}
    codes = _codes(w)
    got = {
        codes[p["code"]]: (p["eligible"], p["covered"], p["share"], p["records"], p["ineligible_records"])
        for p in body["policies"]
    }
    assert got == EXPECTED
    health = next(p for p in body["policies"] if p["code"] == "bhyt-ngheo")
    assert (health["beneficiary"], health["coverage_basis"]) == ("member", "members")
    assert [s["key"] for s in body["sub_units"]] == ["xa-98001", "xa-98002"]
    second = {codes[p["code"]]: (p["eligible"], p["covered"]) for p in body["sub_units"][1]["policies"]}
    assert second["local"] == (1, 1) and second["school"] == (0, 0)
    assert (body["households_with_needs"], body["households_with_unmet_needs"]) == (4, 2)
    assert [n["id"] for n in body["needs"]] == list(procedure().support_needs.ids)
    needs = {n["id"]: (n["households"], n["unmet"]) for n in body["needs"]}
    assert needs["preferential_credit"] == (2, 1) and needs["other"] == (1, 1)
    assert next(n for n in body["needs"] if n["id"] == "housing")["label"] == "Hỗ trợ nhà ở"


def test_defaults_and_refusals(coverage_world: CoverageWorld) -> None:
    w = coverage_world
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=w.c2)
    client = client_of(officer)
    status, body = get(client, "/reports/coverage")
    assert status == 200 and (body["unit"]["key"], body["year"]) == ("xa-98002", 2025)
    assert [s["key"] for s in body["sub_units"]] == [f"thon-{w.vc.pk}"]
    assert get(client, "/reports/coverage", unit="tinh-98")[0] == 404
    assert get(client, "/reports/coverage", unit="xa-98001")[0] == 404
    status, body = get(client, "/reports/coverage", unit="xa-98002", year=2024)
    assert status == 404 and "chưa có đợt rà soát" in body["detail"]
    leader = scoped_user_factory(role=Role.LEADER, unit=w.province)
    assert get(client_of(leader), "/reports/coverage", unit="tinh-98")[0] == 200
    assert Client().get("/api/v1/reports/coverage").status_code == 401


def _page(client: Client, key: str) -> dict[str, tuple[str, str, str]]:
    response = client.get("/ho-tro/do-bao-phu/", _q({"don_vi": key, "nam": YEAR}))
    assert response.status_code == 200
    return {row.policy.code: (row.eligible, row.covered, row.share) for row in response.context["rows"]}


def _excel(client: Client, key: str, name: str) -> dict[str, tuple[Any, ...]]:
    response = client.get("/ho-tro/do-bao-phu/xuat.xlsx", _q({"don_vi": key, "nam": YEAR}))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    rows = list(book.worksheets[0].iter_rows(values_only=True))[2:]
    return {r[2]: (r[4], r[5], r[6]) for r in rows if r[0] == name}


def _form_total(viewer: User, key: str) -> dict[str, tuple[Any, ...]]:
    scope = scope_for(viewer, key)
    assert scope is not None
    form = FORMS["05"].build(form_context(viewer=viewer, scope=scope, year=YEAR, day=dt.date(2026, 1, 15)))
    assert form.total is not None
    groups = [c.group for c in form.columns[2::3]]
    return {group: tuple(form.total[2 + 3 * i : 5 + 3 * i]) for i, group in enumerate(groups)}


@pytest.mark.parametrize("key", ["tinh-98", "xa-98001", "xa-98002"])
def test_page_excel_api_and_form_05_agree(coverage_world: CoverageWorld, key: str) -> None:
    w = coverage_world
    viewer = admin_factory()
    client = client_of(viewer)
    status, body = get(client, "/reports/coverage", year=YEAR, unit=key)
    assert status == 200
    api = {p["code"]: (p["eligible"], p["covered"], p["share"]) for p in body["policies"]}
    assert api  # something to compare
    page = _page(client, key)
    excel = _excel(client, key, body["unit"]["name"])
    form = _form_total(viewer, key)
    names = {p.code: p.name for p in w.policies.values()}
    for code, (eligible, covered, share) in api.items():
        assert page[code] == (str(eligible), str(covered), percent(share)), code
        assert excel[code] == (eligible, covered, share), code
        assert form[names[code]] == (eligible, covered, share), code
    assert set(page) == set(excel) == set(api)
    assert len(form) == len(api)
