"""The policy catalogue: the data file, ``policies_load`` (idempotent, by code) and ``policy_save``
(who may add or change which policy, validation, audit)."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.review.procedure import procedure
from giamngheo.support.catalogue import DATA_FILE, CatalogueError, catalogue, parse_catalogue
from giamngheo.support.models import Policy, SupportAuditAction
from giamngheo.support.services.policies import PolicyInput, policies_load, policy_save
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.support.factories import policy_factory

__all__ = ["geo_map"]

D = dt.date


# --- the data file --------------------------------------------------------------------------------------


def test_the_catalogue_lists_the_national_policies_of_the_plans_with_citations() -> None:
    entries = {entry.code: entry for entry in catalogue()}
    assert {
        "tin-dung-ho-ngheo",
        "tin-dung-ho-can-ngheo",
        "tin-dung-ho-moi-thoat-ngheo",
        "bhyt-ho-ngheo",
        "bhyt-ho-can-ngheo",
        "mien-hoc-phi",
        "ho-tro-tien-dien",
        "nha-o-qd33-2015",
        "nha-o-ctmtqg-du-an-5",
        "tro-giup-phap-ly",
        "dao-tao-nghe",
        "gioi-thieu-viec-lam",
        "lao-dong-nuoc-ngoai",
        "tro-cap-xa-hoi-hang-thang",
    } <= set(entries)
    newly = entries["tin-dung-ho-moi-thoat-ngheo"]
    assert (newly.eligible, newly.escaped_within_years) == (("newly_escaped",), 3)
    assert "28/2015/QĐ-TTg" in newly.legal_basis
    assert (
        entries["bhyt-ho-ngheo"].beneficiary == "member"
        and entries["bhyt-ho-ngheo"].coverage_basis == "members"
    )
    assert "146/2018/NĐ-CP" in entries["bhyt-ho-can-ngheo"].legal_basis
    assert entries["nuoc-sinh-hoat-dtts"].ethnic_minority_only
    needs = set(procedure().support_needs.ids)
    for entry in entries.values():
        assert entry.need in needs, entry.code
        assert entry.citation_status in ("confirmed", "best_reading", "unconfirmed"), entry.code
        assert any(word in entry.legal_basis for word in ("Điều", "Dự án")), entry.code


def _raw() -> dict[str, object]:
    with DATA_FILE.open("rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"eligible": ["rich"]}, "unknown eligible values"),
        ({"eligible": ["newly_escaped"], "escaped_within_years": None}, "needs escaped_within_years"),
        ({"need": "money"}, "not a support need"),
        ({"period": "weekly"}, "'period'"),
        ({"valid_to": D(2000, 1, 1)}, "valid_to is before valid_from"),
        ({"citation_status": "sure"}, "'citation_status'"),
    ],
)
def test_a_malformed_catalogue_is_refused(change: dict[str, object], message: str) -> None:
    raw = _raw()
    items = raw["policy"]
    assert isinstance(items, list)
    first = {k: v for k, v in {**items[0], **change}.items() if v is not None}
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue({"policy": [first]})


def test_repeated_codes_are_refused() -> None:
    items = _raw()["policy"]
    assert isinstance(items, list)
    with pytest.raises(CatalogueError, match="repeated policy codes"):
        parse_catalogue({"policy": [items[0], items[0]]})


# --- loading ----------------------------------------------------------------------------------------------


def test_policies_load_is_idempotent_and_audited(db: None) -> None:
    admin = admin_factory()
    first = policies_load(actor=admin)
    assert len(first.created) == len(catalogue()) and not first.updated
    loan = Policy.objects.get(code="tin-dung-ho-ngheo")
    assert (loan.unit, loan.province_code, loan.agency_text, loan.period) == (
        None,
        "",
        "Ngân hàng Chính sách xã hội",
        "any",
    )
    assert loan.legal_basis.startswith("Nghị định 78/2002/NĐ-CP")
    assert "nhiều khoản vay" in loan.legal_basis  # the note follows the citation
    assert AuditEvent.objects.filter(action=SupportAuditAction.POLICY_SAVED).count() == len(catalogue())

    second = policies_load(actor=admin)
    assert (second.created, second.updated) == ((), ())
    assert len(second.unchanged) == len(catalogue())
    assert Policy.objects.count() == len(catalogue())

    Policy.objects.filter(code="tin-dung-ho-ngheo").update(name="Sửa tay", valid_to=D(2030, 1, 1))
    kept = policies_load(actor=None)
    assert Policy.objects.get(code="tin-dung-ho-ngheo").name == "Sửa tay" and not kept.updated
    restored = policies_load(actor=None, update=True)
    assert restored.updated == ("tin-dung-ho-ngheo",)
    again = Policy.objects.get(code="tin-dung-ho-ngheo")
    assert (again.name, again.valid_to) == ("Cho vay hộ nghèo", None)


def test_a_code_taken_by_a_unit_policy_is_skipped(geo_map: Map) -> None:
    policy_factory(code="tin-dung-ho-ngheo", unit=geo_map.p, province_code="97")
    result = policies_load(actor=None)
    assert result.skipped == ("tin-dung-ho-ngheo",)
    assert Policy.objects.get(code="tin-dung-ho-ngheo").unit == geo_map.p


# --- adding and changing --------------------------------------------------------------------------------


def _input(**fields: object) -> PolicyInput:
    values: dict[str, object] = {
        "name": "Hỗ trợ giống cây trồng",
        "legal_basis": "Nghị quyết 10/2024/NQ-HĐND tỉnh, Điều 3",
        "beneficiary": "household",
        "eligible": ["poor", "near_poor"],
        "coverage_basis": "households_with_need",
        "period": "yearly",
        "valid_from": D(2024, 1, 1),
        "need": "other",
    }
    values.update(fields)
    return PolicyInput(**values)  # type: ignore[arg-type]


def test_a_province_officer_adds_and_changes_a_policy_of_their_province(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)
    policy = policy_save(actor=officer, data=_input(unit=geo_map.p, default_amount=Decimal(2_000_000)))
    assert (policy.code, policy.province_code, policy.unit) == ("ho-tro-giong-cay-trong", "97", geo_map.p)
    assert policy.eligible == ["poor", "near_poor"]
    changed = policy_save(
        actor=officer,
        policy=policy,
        data=_input(unit=geo_map.c1, eligible=["newly_escaped", "poor"], escaped_within_years=2),
    )
    assert (changed.unit, changed.eligible, changed.escaped_within_years) == (
        geo_map.c1,
        ["poor", "newly_escaped"],
        2,
    )
    events = AuditEvent.objects.filter(action=SupportAuditAction.POLICY_SAVED, target_id=str(policy.pk))
    assert events.count() == 2
    latest = events.order_by("-pk").first()
    assert latest is not None and latest.before is not None and latest.after is not None
    assert (latest.before["unit"], latest.after["unit"]) == (geo_map.p.pk, geo_map.c1.pk)
    policy_save(
        actor=officer,
        policy=changed,
        data=_input(unit=geo_map.c1, eligible=["newly_escaped", "poor"], escaped_within_years=2),
    )
    assert events.count() == 2  # nothing changed, nothing audited


@pytest.mark.parametrize(
    ("role", "scope", "unit", "text"),
    [
        (Role.PROVINCE_OFFICER, "p", None, "Chỉ quản trị hệ thống"),
        (Role.PROVINCE_OFFICER, "p", "q", "Ngoài địa bàn của bạn"),
        (Role.COMMUNE_OFFICER, "c1", "c1", "Chỉ cán bộ tỉnh"),
        (Role.AGENCY_VIEWER, "p", "p", "Chỉ cán bộ tỉnh"),
        (Role.PROVINCE_OFFICER, "p", "old_commune", "bản đồ 2025"),
    ],
)
def test_who_may_not_add_a_policy(geo_map: Map, role: str, scope: str, unit: str | None, text: str) -> None:
    user = scoped_user_factory(role=role, unit=getattr(geo_map, scope))
    with pytest.raises(PermissionDenied, match=text):
        policy_save(actor=user, data=_input(unit=getattr(geo_map, unit) if unit else None))
    assert not Policy.objects.exists()


def test_an_admin_edits_a_national_policy_but_not_its_code(db: None) -> None:
    admin = admin_factory()
    policies_load(actor=None)
    loan = Policy.objects.get(code="tin-dung-ho-ngheo")
    with pytest.raises(ValidationError) as refused:
        policy_save(actor=admin, policy=loan, data=_input(code="khac"))
    assert "code" in refused.value.error_dict
    saved = policy_save(
        actor=admin, policy=loan, data=_input(code="tin-dung-ho-ngheo", valid_to=D(2030, 12, 31))
    )
    assert (saved.unit, saved.valid_to, saved.code) == (None, D(2030, 12, 31), "tin-dung-ho-ngheo")


def test_validation_messages_are_on_the_fields(db: None) -> None:
    admin = admin_factory()
    policy_factory(code="trung-ma")
    with pytest.raises(ValidationError) as refused:
        policy_save(
            actor=admin,
            data=_input(
                code="trung-ma",
                name=" ",
                eligible=["newly_escaped"],
                need="tien",
                valid_to=D(2020, 1, 1),
                default_amount=Decimal(-1),
            ),
        )
    errors = refused.value.error_dict
    assert set(errors) == {"code", "name", "escaped_within_years", "need", "valid_to", "default_amount"}
    assert "đã có" in errors["code"][0].messages[0]
    assert "số năm kể từ khi thoát nghèo" in errors["escaped_within_years"][0].messages[0]
