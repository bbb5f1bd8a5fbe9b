"""Target services: validation, saving with audit, cascade (proportional and manual), progress read from
approved review rounds, figures of pre-2025 units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.geo.models import UnitMapping
from giamngheo.planning import progress as calc
from giamngheo.planning.models import Plan, PlanningAuditAction, Target, TargetKind
from giamngheo.planning.services.targets import (
    cascade_proposal,
    plan_targets,
    target_delete,
    target_save,
    targets_cascade,
    unit_figures,
)
from giamngheo.registry.models import Household
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import scoped_user_factory
from tests.planning.factories import plan_factory, target_factory
from tests.reports.test_dashboard_views import approved_round, households_in

pytestmark = pytest.mark.django_db
__all__ = ["geo_map"]


@dataclass
class Rounds:
    geo: Map
    c1: list[Household]
    c2: list[Household]


def make_rounds(geo: Map) -> Rounds:
    """Approved periodic rounds of 2024 and 2025. c1: 4 households, 3 poor in 2024, 1 in 2025; c2: 2
    households, 1 poor both years. Province 97: 6 households, 4 poor (66,67 %) then 2 (33,33 %)."""
    c1 = households_in(geo.c1, geo.v1, 4)
    c2 = households_in(geo.c2, geo.v2, 2)
    approved_round(geo.c1, 2024, [*((h, "poor") for h in c1[:3]), (c1[3], "rich")])
    approved_round(geo.c2, 2024, [(c2[0], "poor"), (c2[1], "rich")])
    approved_round(geo.c1, 2025, [(c1[0], "poor"), *((h, "rich") for h in c1[1:])])
    approved_round(geo.c2, 2025, [(c2[0], "poor"), (c2[1], "rich")])
    return Rounds(geo, c1, c2)


@pytest.fixture
def rounds(geo_map: Map) -> Rounds:
    return make_rounds(geo_map)


@pytest.fixture
def officer(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p)


def province_plan(geo: Map, start: int = 2025, end: int = 2027) -> Plan:
    return plan_factory(unit=geo.p, period_start=dt.date(start, 1, 1), period_end=dt.date(end, 12, 31))


def _before(event: AuditEvent) -> Any:
    return event.before


def _after(event: AuditEvent) -> Any:
    return event.after


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- save, validate, delete ---------------------------------------------------------------------------------


def test_target_save_creates_and_updates_with_audit(geo_map: Map, officer: User) -> None:
    plan = province_plan(geo_map)
    target = target_save(
        plan=plan,
        actor=officer,
        unit=geo_map.c1,
        year=2026,
        kind=TargetKind.POOR_RATE_REDUCTION,
        value="1,5",
        value_max="2",
    )
    assert (target.unit, target.year, target.value, target.value_max, target.province_code) == (
        geo_map.c1,
        2026,
        Decimal("1.5"),
        Decimal("2"),
        "97",
    )
    changed = target_save(
        plan=plan,
        actor=officer,
        unit=geo_map.p,
        year=None,
        kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION,
        value="11.869",
        target=target,
    )
    assert changed.pk == target.pk and Target.objects.count() == 1
    assert (changed.unit, changed.year, changed.value, changed.value_max) == (
        geo_map.p,
        None,
        Decimal("11869"),
        None,
    )
    events = _events(PlanningAuditAction.TARGET_SAVED)
    assert [(e.actor, e.target_id) for e in events] == [(officer, str(target.pk))] * 2
    assert events[0].before is None and _after(events[0])["value"] == "1.50"
    assert _before(events[1])["value"] == "1.50" and events[1].after == {
        "plan": plan.pk,
        "unit": geo_map.p.pk,
        "year": None,
        "kind": "poor_households_reduction",
        "value": "11869.00",
        "value_max": None,
        "subject": "",
        "text": "",
        "parent": None,
        "share_method": "",
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"unit": "d1"}, "unit", "không thuộc Tỉnh"),
        ({"unit": "old_commune"}, "unit", "không thuộc"),
        ({"year": 2031}, "year", "Năm 2031 nằm ngoài thời kỳ của kế hoạch (2025–2027)."),
        ({"year": 2024}, "year", "nằm ngoài thời kỳ"),
        (
            {"value": "2", "value_max": "1,5"},
            "value_max",
            "Giá trị tối đa (1,50) nhỏ hơn giá trị chỉ tiêu (2,00).",
        ),
        ({"value": "-1"}, "value", "Giá trị chỉ tiêu không được âm."),
        ({"value": "abc"}, "value", "Hãy nhập giá trị chỉ tiêu (một số)."),
        ({"value": "101"}, "value", "Tỷ lệ không được lớn hơn 100 %."),
        ({"kind": TargetKind.END_POOR_RATE, "value": "5", "value_max": "120"}, "value_max", "lớn hơn 100"),
        (
            {"kind": TargetKind.POOR_HOUSEHOLDS_REDUCTION, "value": "10,5"},
            "value",
            "Số hộ phải là số nguyên.",
        ),
        ({"kind": TargetKind.COVERAGE, "value": "100"}, "subject", "cần ghi đối tượng"),
        ({"kind": "income"}, "kind", "Loại chỉ tiêu không hợp lệ."),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(
    geo_map: Map, officer: User, changes: dict[str, Any], field: str, message: str
) -> None:
    plan = province_plan(geo_map)
    arguments: dict[str, Any] = {
        "plan": plan,
        "actor": officer,
        "unit": geo_map.c1,
        "year": 2026,
        "kind": TargetKind.POOR_RATE_REDUCTION,
        "value": "1",
    }
    arguments.update(changes)
    if isinstance(arguments["unit"], str):
        arguments["unit"] = getattr(geo_map, arguments["unit"])
    with pytest.raises(ValidationError) as raised:
        target_save(**arguments)
    assert any(message in m for m in raised.value.message_dict[field]), raised.value.message_dict
    assert Target.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_several_problems_are_reported_together(geo_map: Map, officer: User) -> None:
    plan = province_plan(geo_map)
    with pytest.raises(ValidationError) as raised:
        target_save(
            plan=plan, actor=officer, unit=geo_map.d1, year=2040, kind=TargetKind.END_POOR_RATE, value="-3"
        )
    assert set(raised.value.message_dict) == {"unit", "year", "value"}


def test_a_pre_2025_district_plan_takes_its_own_communes(geo_map: Map, officer: User) -> None:
    plan = plan_factory(
        unit=geo_map.old_district, period_start=dt.date(2022, 1, 1), period_end=dt.date(2025, 12, 31)
    )
    saved = target_save(
        plan=plan, actor=officer, unit=geo_map.old_commune, year=2023, kind=TargetKind.END_POOR_RATE, value=4
    )
    assert saved.unit == geo_map.old_commune
    with pytest.raises(ValidationError) as raised:
        target_save(
            plan=plan, actor=officer, unit=geo_map.c1, year=2023, kind=TargetKind.END_POOR_RATE, value=4
        )
    assert "không thuộc" in raised.value.message_dict["unit"][0]


def test_who_may_not_edit_the_plan_is_refused(geo_map: Map) -> None:
    plan = province_plan(geo_map)
    for user in (
        scoped_user_factory(role=Role.LEADER, unit=geo_map.p),
        scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.q),
    ):
        with pytest.raises(PermissionDenied):
            target_save(
                plan=plan, actor=user, unit=geo_map.c1, year=2026, kind=TargetKind.END_POOR_RATE, value=4
            )
    assert Target.objects.count() == 0


def test_delete_removes_the_target_and_its_split_with_audit(geo_map: Map, officer: User) -> None:
    plan = province_plan(geo_map)
    parent = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2026
    )
    target_factory(
        plan=plan,
        unit=geo_map.c1,
        parent=parent,
        kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION,
        value=Decimal(10),
    )
    with pytest.raises(PermissionDenied):
        target_delete(target=parent, actor=scoped_user_factory(role=Role.LEADER, unit=geo_map.p))
    target_delete(target=parent, actor=officer)
    assert Target.objects.count() == 0
    (event,) = _events(PlanningAuditAction.TARGET_DELETED)
    assert _before(event)["value"] == "10.00" and len(_before(event)["children"]) == 1 and event.after is None


# --- cascade ------------------------------------------------------------------------------------------------


def test_proportional_cascade_splits_by_poor_households_of_the_year_before(
    rounds: Rounds, officer: User
) -> None:
    geo = rounds.geo
    plan = province_plan(geo)
    parent = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2025
    )
    proposal = cascade_proposal(viewer=officer, target=parent)
    assert (proposal.year, proposal.poor, proposal.missing) == (2024, {geo.c1.pk: 3, geo.c2.pk: 1}, [])
    children = targets_cascade(parent_target=parent, actor=officer, method="proportional")
    # 7.5 and 2.5 households: the tie of remainders goes to the larger weight, and they add up to 10
    assert {c.unit_id: c.value for c in children} == {geo.c1.pk: Decimal(8), geo.c2.pk: Decimal(2)}
    stored = list(parent.children.order_by("unit__code"))
    assert [(c.unit, c.year, c.kind, c.share_method) for c in stored] == [
        (geo.c1, 2025, TargetKind.POOR_HOUSEHOLDS_REDUCTION, "proportional"),
        (geo.c2, 2025, TargetKind.POOR_HOUSEHOLDS_REDUCTION, "proportional"),
    ]
    (event,) = _events(PlanningAuditAction.TARGETS_CASCADED)
    assert event.actor == officer and event.target_id == str(parent.pk) and event.before == {"children": []}
    assert _after(event)["method"] == "proportional"
    assert [c["value"] for c in _after(event)["children"]] == ["8.00", "2.00"]

    # by hand, replacing the split
    targets_cascade(
        parent_target=parent, actor=officer, method="manual", shares={geo.c1.pk: "6", geo.c2.pk: "4"}
    )
    assert {c.unit_id: c.value for c in parent.children.all()} == {
        geo.c1.pk: Decimal(6),
        geo.c2.pk: Decimal(4),
    }
    assert Target.objects.count() == 3
    second = _events(PlanningAuditAction.TARGETS_CASCADED)[1]
    assert [c["value"] for c in _before(second)["children"]] == ["8.00", "2.00"]
    parent.refresh_from_db()
    assert parent.share_method == "manual"


def test_a_manual_split_that_does_not_add_up_is_refused_and_the_old_one_stays(
    rounds: Rounds, officer: User
) -> None:
    geo = rounds.geo
    plan = province_plan(geo)
    parent = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2025
    )
    targets_cascade(parent_target=parent, actor=officer, method="proportional")
    with pytest.raises(ValidationError) as raised:
        targets_cascade(
            parent_target=parent, actor=officer, method="manual", shares={geo.c1.pk: "6", geo.c2.pk: "3"}
        )
    assert raised.value.message_dict["shares"] == ["Tổng phân bổ là 9 hộ, ít hơn chỉ tiêu 10 hộ là 1 hộ."]
    with pytest.raises(ValidationError) as raised:
        targets_cascade(
            parent_target=parent, actor=officer, method="manual", shares={geo.c1.pk: "1.006", geo.c2.pk: "3"}
        )
    assert raised.value.message_dict["shares"] == [
        "Tổng phân bổ là 1.009 hộ, nhiều hơn chỉ tiêu 10 hộ là 999 hộ."
    ]
    with pytest.raises(ValidationError) as raised:
        targets_cascade(
            parent_target=parent, actor=officer, method="manual", shares={geo.c1.pk: "-1", geo.d1.pk: "3"}
        )
    assert "không thuộc" in raised.value.message_dict["shares"][0]
    assert {c.unit_id: c.value for c in parent.children.all()} == {
        geo.c1.pk: Decimal(8),
        geo.c2.pk: Decimal(2),
    }
    assert len(_events(PlanningAuditAction.TARGETS_CASCADED)) == 1


def test_a_points_target_is_split_through_the_households_it_means(rounds: Rounds, officer: User) -> None:
    geo = rounds.geo
    plan = province_plan(geo)
    parent = target_factory(plan=plan, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(50), year=2025)
    # 50 points of 6 households are 3 households: 2.25 / 0.75 by poor households → 2 and 1
    children = targets_cascade(parent_target=parent, actor=officer, method="proportional")
    assert {c.unit_id: c.value for c in children} == {
        geo.c1.pk: Decimal("50.00"),
        geo.c2.pk: Decimal("50.00"),
    }
    table = plan_targets(viewer=officer, plan=plan)
    assert table.disagreements == []
    with pytest.raises(ValidationError) as raised:
        targets_cascade(
            parent_target=parent, actor=officer, method="manual", shares={geo.c1.pk: "10", geo.c2.pk: "10"}
        )
    (message,) = raised.value.message_dict["shares"]
    assert (
        "Phân bổ tương ứng 0,6 hộ" in message
        and "tương ứng 3,0 hộ: lệch -2,4 hộ (cho phép 1,0 hộ)" in message
    )


def test_cascade_refusals(geo_map: Map, officer: User) -> None:
    plan = province_plan(geo_map)
    no_figures = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2026
    )
    with pytest.raises(ValidationError) as raised:
        targets_cascade(parent_target=no_figures, actor=officer)
    assert (
        "Chưa có kết quả rà soát định kỳ được phê duyệt trước năm 2026"
        in raised.value.message_dict["method"][0]
    )
    end_rate = target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(3), year=2026)
    with pytest.raises(ValidationError) as raised:
        targets_cascade(parent_target=end_rate, actor=officer, method="manual", shares={})
    assert "Chỉ phân bổ được chỉ tiêu số hộ" in raised.value.message_dict["method"][0]
    commune_plan = plan_factory(unit=geo_map.c1)
    commune_target = target_factory(
        plan=commune_plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(3)
    )
    with pytest.raises(ValidationError) as raised:
        targets_cascade(parent_target=commune_target, actor=officer, method="manual", shares={})
    assert "không có đơn vị cấp dưới" in raised.value.message_dict["method"][0]
    with pytest.raises(PermissionDenied):
        targets_cascade(parent_target=no_figures, actor=scoped_user_factory(role=Role.LEADER, unit=geo_map.p))
    assert Target.objects.filter(parent__isnull=False).count() == 0
    assert AuditEvent.objects.count() == 0


# --- figures and progress -----------------------------------------------------------------------------------


def test_unit_figures_of_a_province_and_its_communes(rounds: Rounds, officer: User) -> None:
    geo = rounds.geo
    frame = unit_figures(viewer=officer, unit=geo.p, years=[2024, 2025])
    rows = sorted(frame.select("unit_id", "year", "households", "poor").iter_rows())
    assert rows == sorted(
        [
            (geo.p.pk, 2024, 6, 4),
            (geo.c1.pk, 2024, 4, 3),
            (geo.c2.pk, 2024, 2, 1),
            (geo.p.pk, 2025, 6, 2),
            (geo.c1.pk, 2025, 4, 1),
            (geo.c2.pk, 2025, 2, 1),
        ]
    )
    # a commune's plan: the commune only; another province's officer sees nothing
    assert sorted(
        unit_figures(viewer=officer, unit=geo.c1, years=[2025]).select("unit_id", "poor").iter_rows()
    ) == [(geo.c1.pk, 1)]
    stranger = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.q)
    assert unit_figures(viewer=stranger, unit=geo.p, years=[2024, 2025]).height == 0


def test_unit_figures_of_a_pre_2025_district_come_from_its_communes_villages(
    geo_map: Map, officer: User
) -> None:
    geo_map.v1.former_commune = geo_map.old_commune
    geo_map.v1.save(update_fields=["former_commune"])
    UnitMapping.objects.create(
        old_unit=geo_map.old_commune, new_unit=geo_map.c1, province_code="97", source="thử"
    )
    in_v1 = households_in(geo_map.c1, geo_map.v1, 3)
    in_v1b = households_in(geo_map.c1, geo_map.v1b, 2)  # another former commune: not the district's
    approved_round(
        geo_map.c1,
        2024,
        [(in_v1[0], "poor"), (in_v1[1], "rich"), (in_v1[2], "rich"), *((h, "poor") for h in in_v1b)],
    )
    frame = unit_figures(viewer=officer, unit=geo_map.old_district, years=[2024])
    assert sorted(frame.select("unit_id", "households", "poor").iter_rows()) == sorted(
        [(geo_map.old_district.pk, 3, 1), (geo_map.old_commune.pk, 3, 1)]
    )


def test_progress_is_read_from_the_approved_rounds(rounds: Rounds, officer: User) -> None:
    geo = rounds.geo
    plan = province_plan(geo)  # 2025–2027: baseline 2024
    cut = target_factory(plan=plan, kind=TargetKind.POOR_RATE_REDUCTION, value=Decimal(30), year=2025)
    count = target_factory(plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(3), year=2025)
    c1 = target_factory(
        plan=plan, unit=geo.c1, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(3), year=2025
    )
    c2 = target_factory(plan=plan, unit=geo.c2, kind=TargetKind.END_POOR_RATE, value=Decimal(40), year=2025)
    end = target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(10), year=2027)
    table = plan_targets(viewer=officer, plan=plan)
    found = {row.target.pk: row.progress for row in table.rows}
    assert (found[cut.pk].baseline, found[cut.pk].actual, found[cut.pk].status) == (66.67, 33.34, calc.MET)
    assert (found[count.pk].actual, found[count.pk].status) == (2, calc.OFF_TRACK)
    assert (found[c1.pk].actual, found[c1.pk].status, found[c1.pk].final) == (2, calc.OFF_TRACK, True)
    assert (found[c2.pk].actual, found[c2.pk].status) == (50.0, calc.OFF_TRACK)
    # 2027: not measured yet; the straight line through 2024 and 2025 reaches 0 % (kept within 0–100)
    assert (found[end.pk].actual, found[end.pk].year, found[end.pk].projection, found[end.pk].status) == (
        33.33,
        2025,
        0.0,
        calc.NOT_YET,
    )
    assert table.years == [2024, 2025]
    # 30 points of 6 households are 1.8 households, not 3 (tolerance: 1 household)
    assert [(d.code, d.target_id, d.expected, d.found, d.tolerance, d.base) for d in table.disagreements] == [
        ("rate_households", count.pk, 1.8, 3.0, 1.0, 6)
    ]
    # reading order: the year, the plan's unit first
    assert [row.target.pk for row in table.rows] == [cut.pk, count.pk, c1.pk, c2.pk, end.pk]


def test_children_come_right_under_their_parent(rounds: Rounds, officer: User) -> None:
    geo = rounds.geo
    plan = province_plan(geo)
    parent = target_factory(
        plan=plan, kind=TargetKind.POOR_HOUSEHOLDS_REDUCTION, value=Decimal(10), year=2025
    )
    other = target_factory(plan=plan, kind=TargetKind.END_POOR_RATE, value=Decimal(10), year=2025)
    targets_cascade(parent_target=parent, actor=officer)
    table = plan_targets(viewer=officer, plan=plan)
    assert [(row.target.unit, row.depth) for row in table.rows] == [
        (geo.p, 0),
        (geo.c1, 1),
        (geo.c2, 1),
        (geo.p, 0),
    ]
    assert table.rows[0].can_cascade and not table.rows[1].can_cascade and not table.rows[3].can_cascade
    assert table.rows[3].target == other
    # children that no longer add up are shown
    Target.objects.filter(parent=parent, unit=geo.c2).update(value=Decimal(5))
    table = plan_targets(viewer=officer, plan=plan)
    assert [(d.code, d.expected, d.found) for d in table.disagreements] == [("children_sum", 10.0, 13.0)]
    assert isinstance(unit_figures(viewer=officer, unit=geo.p, years=[]), pl.DataFrame)
