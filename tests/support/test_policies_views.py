"""The policy pages: the list with its filters, the detail with the legal basis and who is eligible in
words, adding and changing (province officers their province's policies, administrators national ones)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.support.models import Policy, SupportAuditAction
from giamngheo.support.services.policies import policies_load
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.support.factories import policy_factory

__all__ = ["geo_map"]

LIST = "/ho-tro/chinh-sach/"


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def text(response: object) -> str:
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


@pytest.fixture
def officer(geo_map: Map) -> User:
    policies_load(actor=None)
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)


def test_the_list_shows_national_and_own_policies_with_filters(geo_map: Map, officer: User) -> None:
    mine = policy_factory(code="giong-cay", name="Hỗ trợ giống cây", unit=geo_map.p, province_code="97")
    policy_factory(code="tinh-khac", name="Chính sách tỉnh khác", unit=geo_map.q, province_code="96")
    policy_factory(
        code="da-het", name="Đã hết hiệu lực", valid_to=dt.date(2001, 12, 31), valid_from=dt.date(2001, 1, 1)
    )
    client = client_for(officer)
    response = client.get(LIST)
    codes = {row.policy.code for row in response.context["rows"]}
    assert "tin-dung-ho-ngheo" in codes and "giong-cay" in codes and "tinh-khac" not in codes
    assert "da-het" not in codes  # not in force today
    assert "da-het" in {r.policy.code for r in client.get(LIST, {"state": "all"}).context["rows"]}
    assert {r.policy.code for r in client.get(LIST, {"state": "ended"}).context["rows"]} >= {"da-het"}
    newly = client.get(LIST, {"klass": "newly_escaped"}).context["rows"]
    assert {r.policy.code for r in newly} == {"tin-dung-ho-moi-thoat-ngheo"}
    local = client.get(LIST, {"scope": "local"}, headers={"HX-Request": "true"})
    assert [r.policy for r in local.context["rows"]] == [mine] and "<html" not in local.content.decode()
    assert "Thêm chính sách" in text(response)


def test_the_detail_page_gives_the_legal_basis_and_who_is_eligible_in_words(officer: User) -> None:
    policy = Policy.objects.get(code="tin-dung-ho-moi-thoat-ngheo")
    html = text(client_for(officer).get(f"{LIST}{policy.pk}/"))
    assert "Hộ mới thoát nghèo (trong vòng 3 năm)." in html
    assert "Quyết định 28/2015/QĐ-TTg" in html
    assert "cách đọc tốt nhất" in html
    assert "Hộ thoát cận nghèo cũng được tính" in html  # the note, after the citation
    assert "Ngân hàng Chính sách xã hội" in html
    assert f"/ho-tro/chinh-sach/{policy.pk}/sua/" not in html  # national: administrators only


def test_a_province_officer_adds_a_policy_and_may_not_edit_a_national_one(
    geo_map: Map, officer: User
) -> None:
    client = client_for(officer)
    form = client.get(f"{LIST}them/")
    assert form.status_code == 200
    units = list(form.context["form"].fields["unit"].queryset)
    assert geo_map.p in units and geo_map.q not in units and geo_map.old_commune not in units
    response = client.post(
        f"{LIST}them/",
        {
            "name": "Hỗ trợ giống cây trồng",
            "unit": geo_map.p.pk,
            "legal_basis": "Nghị quyết 10/2024/NQ-HĐND, Điều 3",
            "citation_status": "confirmed",
            "beneficiary": "household",
            "eligible": ["poor", "newly_escaped"],
            "escaped_within_years": "2",
            "coverage_basis": "households_with_need",
            "period": "yearly",
            "unit_label": "hộ",
            "default_amount": "2.000.000",
            "valid_from": "01/01/2026",
            "active": "on",
        },
    )
    policy = Policy.objects.get(code="ho-tro-giong-cay-trong")
    assert response.status_code == 302 and response["Location"] == f"{LIST}{policy.pk}/"
    assert (policy.unit, policy.eligible, policy.default_amount, policy.escaped_within_years) == (
        geo_map.p,
        ["poor", "newly_escaped"],
        Decimal(2_000_000),
        2,
    )
    assert AuditEvent.objects.filter(
        action=SupportAuditAction.POLICY_SAVED, target_id=str(policy.pk)
    ).exists()
    national = Policy.objects.get(code="tin-dung-ho-ngheo")
    refused = client.get(f"{LIST}{national.pk}/sua/")
    assert refused.status_code == 403 and "Chỉ quản trị hệ thống" in text(refused)


def test_form_errors_come_back_on_the_fields(geo_map: Map, officer: User) -> None:
    response = client_for(officer).post(
        f"{LIST}them/",
        {
            "name": "Thiếu số năm",
            "unit": geo_map.p.pk,
            "legal_basis": "Nghị quyết 11/2024/NQ-HĐND, Điều 2",
            "citation_status": "confirmed",
            "beneficiary": "member",
            "eligible": ["newly_escaped"],
            "coverage_basis": "members",
            "period": "once",
            "unit_label": "người",
            "valid_from": "01/01/2026",
        },
    )
    assert response.status_code == 200
    assert "số năm kể từ khi thoát nghèo" in text(response)
    assert not Policy.objects.filter(name="Thiếu số năm").exists()


def test_an_admin_edits_a_national_policy(officer: User) -> None:
    admin = admin_factory()
    national = Policy.objects.get(code="tro-giup-phap-ly")
    client = client_for(admin)
    form = client.get(f"{LIST}{national.pk}/sua/")
    assert form.status_code == 200
    initial = form.context["form"].initial
    data = {key: value for key, value in initial.items() if value not in (None, "", False)}
    data.update(
        {
            "eligible": ["poor", "near_poor"],
            "valid_from": "01/01/2018",
            "unit": "",
            "agency": "",
            "active": "on",
        }
    )
    response = client.post(f"{LIST}{national.pk}/sua/", data)
    assert response.status_code == 302
    national.refresh_from_db()
    assert (national.eligible, national.code, national.unit) == (
        ["poor", "near_poor"],
        "tro-giup-phap-ly",
        None,
    )


def test_a_commune_officer_may_not_add_policies(geo_map: Map, officer: User) -> None:
    commune = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    client = client_for(commune)
    assert "Thêm chính sách" not in text(client.get(LIST))
    assert client.get(f"{LIST}them/").status_code == 403
