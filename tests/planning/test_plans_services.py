"""Plans: units, validation (period, parent chain), permissions, audit, the chain and the list.

The helpers at the top (:func:`demo_geo`, :func:`yen_bai_units`) are shared with the other plan, agency,
import and demo tests of this directory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role
from giamngheo.geo.models import AdminUnit, Level, UnitMapping, UnitType
from giamngheo.planning.models import Plan, PlanStatus
from giamngheo.planning.services import plans as services
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.geo.factories import commune_factory, old_unit_factory, province_factory
from tests.planning.factories import plan_factory, target_factory, task_factory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class DemoGeo:
    """Quảng Ngãi (51) of 2025 with two communes; the former Kon Tum (62) with Huyện Kon Rẫy (614) whose
    Xã Đăk Kôi went to the 2025 Xã Đăk Kôi; another province (98) with a commune."""

    province: AdminUnit
    commune: AdminUnit
    commune2: AdminUnit
    old_province: AdminUnit
    district: AdminUnit
    old_commune: AdminUnit
    other_province: AdminUnit
    other_commune: AdminUnit


def demo_geo() -> DemoGeo:
    province = province_factory(code="51", name="Tỉnh Quảng Ngãi")
    commune = commune_factory(province=province, code="23485", name="Xã Đăk Kôi")
    commune2 = commune_factory(
        province=province, code="21100", name="Phường Trương Quang Trọng", unit_type=UnitType.WARD
    )
    old_province = old_unit_factory(code="62", level=Level.PROVINCE, name="Tỉnh Kon Tum")
    district = old_unit_factory(code="614", level=Level.DISTRICT, parent=old_province, name="Huyện Kon Rẫy")
    old_commune = old_unit_factory(code="23482", level=Level.COMMUNE, parent=district, name="Xã Đăk Kôi")
    UnitMapping.objects.create(
        old_unit=old_commune, new_unit=commune, province_code="51", source="test", is_default=True
    )
    other_province = province_factory(code="98", name="Tỉnh Thử")
    other_commune = commune_factory(province=other_province, code="98001", name="Xã Khác")
    return DemoGeo(
        province, commune, commune2, old_province, district, old_commune, other_province, other_commune
    )


YEN_BAI_DISTRICTS = (
    ("132", "Thành phố Yên Bái", UnitType.PROVINCIAL_CITY),
    ("133", "Thị xã Nghĩa Lộ", UnitType.TOWN),
    ("135", "Huyện Lục Yên", UnitType.RURAL_DISTRICT),
    ("136", "Huyện Văn Yên", UnitType.RURAL_DISTRICT),
    ("137", "Huyện Mù Căng Chải", UnitType.RURAL_DISTRICT),
    ("138", "Huyện Trấn Yên", UnitType.RURAL_DISTRICT),
    ("139", "Huyện Trạm Tấu", UnitType.RURAL_DISTRICT),
    ("140", "Huyện Văn Chấn", UnitType.RURAL_DISTRICT),
    ("141", "Huyện Yên Bình", UnitType.RURAL_DISTRICT),
)


def yen_bai_units() -> tuple[AdminUnit, dict[str, AdminUnit]]:
    """The pre-2025 Yên Bái (15) and its nine districts, by name."""
    province = old_unit_factory(code="15", level=Level.PROVINCE, name="Tỉnh Yên Bái")
    districts = {
        name: old_unit_factory(code=code, level=Level.DISTRICT, parent=province, name=name, unit_type=kind)
        for code, name, kind in YEN_BAI_DISTRICTS
    }
    return province, districts


def _create(unit: AdminUnit, actor: object = None, **fields: object) -> Plan:
    values: dict[str, object] = {
        "title": "Kế hoạch giảm nghèo 2026-2030",
        "period_start": dt.date(2026, 1, 1),
        "period_end": dt.date(2030, 12, 31),
    }
    values.update(fields)
    return services.plan_create(unit=unit, actor=actor, **values)  # type: ignore[arg-type]


# --- units --------------------------------------------------------------------------------------------


def test_unit_keys_round_trip_for_every_kind_of_plan_unit() -> None:
    geo = demo_geo()
    keys = {u.name: services.unit_key(u) for u in (geo.province, geo.commune, geo.district, geo.old_province)}
    assert keys == {
        "Tỉnh Quảng Ngãi": "tinh-51",
        "Xã Đăk Kôi": "xa-23485",
        "Huyện Kon Rẫy": "huyen-614",
        "Tỉnh Kon Tum": "tinh-cu-62",
    }
    everything = AdminUnit.objects.all()
    assert services.unit_by_key("huyen-614", everything) == geo.district
    assert services.unit_by_key("tinh-cu-62", everything) == geo.old_province
    assert services.unit_by_key("xa-cu-23482", everything) == geo.old_commune
    assert services.unit_by_key("xa-99999", everything) is None
    assert services.unit_by_key("nonsense", everything) is None
    assert services.unit_label(geo.district) == "Huyện Kon Rẫy, tỉnh Kon Tum (trước 01/07/2025)"
    assert services.unit_label(geo.commune) == "Xã Đăk Kôi, tỉnh Quảng Ngãi"


def test_unit_within_by_parents_and_across_the_2025_map() -> None:
    geo = demo_geo()
    assert services.unit_within(geo.commune, geo.province)
    assert services.unit_within(geo.province, geo.province)
    assert not services.unit_within(geo.province, geo.commune)
    assert not services.unit_within(geo.other_commune, geo.province)
    assert services.unit_within(geo.old_commune, geo.old_province)
    # Kon Rẫy's Đăk Kôi went to the 2025 Quảng Ngãi: the district lies inside the 2025 province
    assert services.unit_within(geo.district, geo.province)
    assert not services.unit_within(geo.district, geo.other_province)


def test_editable_units_by_role() -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    commune_officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo.commune)
    leader = scoped_user_factory(role=Role.LEADER, unit=geo.province)
    mine = set(services.plan_units_editable_by(officer))
    assert {geo.province, geo.commune, geo.commune2, geo.district} <= mine
    assert geo.other_province not in mine and geo.other_commune not in mine
    assert geo.old_commune not in mine  # plans are not made for pre-2025 communes
    assert list(services.plan_units_editable_by(commune_officer)) == [geo.commune]
    assert not services.plan_units_editable_by(leader).exists()
    assert set(services.plan_units_editable_by(admin_factory())) >= {geo.other_province, geo.district}


# --- create and update --------------------------------------------------------------------------------


def test_plan_create_saves_and_audits() -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    plan = _create(
        geo.province,
        officer,
        number=" 126/KH-UBND ",
        funding_total=Decimal("4350000"),
        parent_reference="Chỉ thị số 05-CT/TW",
    )
    assert (plan.unit, plan.province_code, plan.number, plan.created_by) == (
        geo.province,
        "51",
        "126/KH-UBND",
        officer,
    )
    event = AuditEvent.objects.get(action="plan.created")
    assert event.actor == officer and event.target_id == str(plan.pk)
    assert event.after is not None and event.after["funding_total"] == "4350000"


def test_plan_create_refuses_a_period_that_ends_before_it_starts_and_saves_nothing() -> None:
    geo = demo_geo()
    with pytest.raises(ValidationError) as caught:
        _create(geo.province, title="  ", period_start=dt.date(2030, 1, 1), period_end=dt.date(2026, 12, 31))
    assert set(caught.value.message_dict) == {"title", "period_end"}
    assert caught.value.message_dict["period_end"] == [
        "Ngày kết thúc (31/12/2026) trước ngày bắt đầu (01/01/2030)."
    ]
    assert not Plan.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_commune_plan_implements_its_province_plan_not_another_province() -> None:
    geo = demo_geo()
    province_plan = _create(geo.province, parent_reference="Chỉ thị số 05-CT/TW")
    other_plan = _create(geo.other_province)
    child = _create(geo.commune, parent=province_plan)
    assert child.parent == province_plan
    with pytest.raises(ValidationError) as caught:
        _create(geo.commune, parent=other_plan)
    assert "Kế hoạch cấp trên phải là kế hoạch của Xã Đăk Kôi" in caught.value.message_dict["parent"][0]
    with pytest.raises(ValidationError):  # a province plan cannot implement a commune plan
        _create(geo.province, parent=child)


def test_a_pre_2025_district_plan_may_implement_the_old_or_the_2025_province_plan() -> None:
    geo = demo_geo()
    old = plan_factory(
        unit=geo.old_province, period_start=dt.date(2021, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    new = plan_factory(unit=geo.province)
    for parent in (old, new):
        plan = _create(geo.district, parent=parent, period_start=dt.date(2022, 1, 1))
        assert plan.parent == parent


def test_leaders_and_other_provinces_cannot_create() -> None:
    geo = demo_geo()
    leader = scoped_user_factory(role=Role.LEADER, unit=geo.province)
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    with pytest.raises(PermissionDenied, match="Lãnh đạo"):
        _create(geo.province, leader)
    with pytest.raises(PermissionDenied, match="Ngoài địa bàn"):
        _create(geo.other_province, officer)
    assert not Plan.objects.exists()


def test_plan_update_refuses_a_cycle_and_a_unit_change_with_content() -> None:
    geo = demo_geo()
    top = _create(geo.province)
    child = _create(geo.commune, parent=top)
    with pytest.raises(ValidationError) as caught:
        services.plan_update(
            plan=top,
            actor=None,
            title=top.title,
            period_start=top.period_start,
            period_end=top.period_end,
            parent=child,
        )
    assert "parent" in caught.value.message_dict
    target_factory(plan=child)
    with pytest.raises(ValidationError) as caught:
        services.plan_update(
            plan=child,
            actor=None,
            unit=geo.commune2,
            title=child.title,
            period_start=child.period_start,
            period_end=child.period_end,
        )
    assert "unit" in caught.value.message_dict


def test_plan_update_changes_and_audits_before_and_after() -> None:
    geo = demo_geo()
    plan = _create(geo.province)
    services.plan_update(
        plan=plan,
        actor=None,
        title="Kế hoạch đã sửa",
        period_start=plan.period_start,
        period_end=dt.date(2028, 12, 31),
        status=PlanStatus.CLOSED,
    )
    plan.refresh_from_db()
    assert (plan.title, plan.period_end, plan.status, plan.version) == (
        "Kế hoạch đã sửa",
        dt.date(2028, 12, 31),
        "closed",
        2,
    )
    event = AuditEvent.objects.get(action="plan.updated")
    assert event.before is not None and event.after is not None
    assert (
        event.before["title"] == "Kế hoạch giảm nghèo 2026-2030" and event.after["title"] == "Kế hoạch đã sửa"
    )


# --- reads --------------------------------------------------------------------------------------------


def test_plan_chain_lists_parents_as_links_when_visible_and_the_national_directive() -> None:
    geo = demo_geo()
    province_plan = _create(geo.province, parent_reference="Chỉ thị số 05-CT/TW ngày 23/6/2021")
    commune_plan = _create(geo.commune, parent=province_plan, title="Kế hoạch xã Đăk Kôi")
    ward_plan = _create(geo.commune2, parent=province_plan, title="Kế hoạch phường")
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    commune_officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo.commune)

    chain = services.plan_chain(viewer=officer, plan=commune_plan)
    assert chain.top_reference == "Chỉ thị số 05-CT/TW ngày 23/6/2021"
    assert [(link.label, link.pk) for link in chain.ancestors] == [(str(province_plan), province_plan.pk)]
    assert services.plan_chain(viewer=officer, plan=province_plan).children == (ward_plan, commune_plan)
    # the commune officer reads the plan of their province (their plan implements it): a link
    seen = services.plan_chain(viewer=commune_officer, plan=commune_plan)
    assert [(link.label, link.pk) for link in seen.ancestors] == [(str(province_plan), province_plan.pk)]
    # an officer of another province does not see it: it is shown as text, not as a link
    stranger = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.other_province)
    other_plan = _create(geo.other_province, parent=None, title="Kế hoạch tỉnh khác")
    hidden = services.plan_chain(viewer=stranger, plan=other_plan)
    assert hidden.ancestors == ()
    assert not services.plan_list(viewer=stranger).filter(pk=province_plan.pk).exists()


def test_plan_list_counts_and_filters() -> None:
    geo = demo_geo()
    plan = _create(geo.province)
    target_factory(plan=plan)
    target_factory(plan=plan)
    task_factory(plan=plan)
    old = plan_factory(unit=geo.district, period_start=dt.date(2022, 1, 1), period_end=dt.date(2025, 12, 31))
    plan_factory(unit=geo.other_province)
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    rows = {p.pk: (p.n_targets, p.n_tasks) for p in services.plan_list(viewer=officer)}  # type: ignore[attr-defined]
    assert rows == {plan.pk: (2, 1), old.pk: (0, 0)}
    assert [p.pk for p in services.plan_list(viewer=officer, year=2023)] == [old.pk]
    assert [p.pk for p in services.plan_list(viewer=officer, unit=geo.district)] == [old.pk]
    assert not services.plan_list(viewer=officer, status=PlanStatus.CLOSED).exists()


def test_funding_total_warning_gives_the_difference() -> None:
    geo = demo_geo()
    plan = plan_factory(unit=geo.province, funding_total=Decimal("1000"))
    plan.funding.create(unit=geo.province, province_code="51", source="central", planned=Decimal("600"))
    plan.funding.create(
        unit=geo.province, province_code="51", source="local", planned=Decimal("300,5".replace(",", "."))
    )
    warning = services.funding_total_warning(plan, services.plan_counts(plan))
    assert warning == (
        "Các nguồn vốn cộng lại 900,5 triệu đồng, ít hơn tổng nguồn vốn của kế hoạch (1.000 triệu đồng) "
        "99,5 triệu đồng."
    )
