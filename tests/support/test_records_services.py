"""``support.services.records`` and ``support.history``: eligibility from the approved rounds at the
boundaries, duplicates and ineligible support refused with the reason, the supervisor's override, who may
record, cancelling."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.models import Household, Member
from giamngheo.review.models import Result, RoundStatus
from giamngheo.support.history import class_histories, class_history
from giamngheo.support.models import Beneficiary, Policy, SupportAuditAction, SupportPeriod, SupportRecord
from giamngheo.support.services.records import (
    period_key,
    support_cancel,
    support_check,
    support_record,
)
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import admin_factory, scoped_user_factory
from tests.registry.factories import household_factory, member_factory
from tests.support.factories import policy_factory, record_factory
from tests.support.test_records_data import agency_user, approved_round

__all__ = ["geo_map"]

D = dt.date


@dataclass
class World:
    geo: Map
    household: Household
    member: Member
    other_member: Member
    poor_only: Policy
    card: Policy
    commune_officer: User
    province_officer: User


@pytest.fixture
def world(geo_map: Map) -> World:
    """A household of c1 (village v1): poor from 20/11/2025, near-poor from 10/03/2026."""
    household = household_factory(commune=geo_map.c1, village=geo_map.v1, code="H001")
    member = member_factory(household=household, full_name="Lò Văn Minh", citizen_id="001090000001")
    other = member_factory(household=household, full_name="Lò Thị Hoa")
    approved_round(geo_map.c1, [(household, "poor")], approved_on=D(2025, 11, 20))
    approved_round(geo_map.c1, [(household, "near_poor")], approved_on=D(2026, 3, 10))
    return World(
        geo=geo_map,
        household=household,
        member=member,
        other_member=other,
        poor_only=policy_factory(code="cho-vay", name="Cho vay hộ nghèo", eligible=["poor"], period="yearly"),
        card=policy_factory(
            code="the-bhyt",
            name="Thẻ BHYT",
            eligible=["poor", "near_poor"],
            beneficiary=Beneficiary.MEMBER,
            period=SupportPeriod.YEARLY,
        ),
        commune_officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        province_officer=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
    )


def _codes(error: ValidationError) -> list[str | None]:
    return [e.code for e in error.error_dict.get(NON_FIELD_ERRORS, [])]


# --- eligibility at the boundaries ------------------------------------------------------------------------


def test_support_the_day_before_the_approval_uses_the_old_class(world: World) -> None:
    record = support_record(
        policy=world.poor_only,
        household=world.household,
        given_on=D(2026, 3, 9),
        amount=Decimal(50_000_000),
        reference="VAY-01",
        actor=world.commune_officer,
    )
    record.refresh_from_db()
    rounds = [e.round_id for e in class_history(world.household)]
    assert (record.klass, record.review_round_id, record.eligible) == ("poor", rounds[0], True)
    assert (record.period_key, record.commune_id, record.village_id) == (
        "2026",
        world.geo.c1.pk,
        world.geo.v1.pk,
    )
    assert (record.recorded_by, record.override_reason, record.province_code) == (
        world.commune_officer,
        "",
        "97",
    )
    event = AuditEvent.objects.get(action=SupportAuditAction.SUPPORT_RECORDED, target_id=str(record.pk))
    assert event.actor == world.commune_officer
    assert event.after is not None and event.after["klass"] == "poor" and event.after["reference"] == "VAY-01"


def test_support_on_the_approval_day_uses_the_new_class_and_is_refused_with_the_reason(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        support_record(
            policy=world.poor_only,
            household=world.household,
            given_on=D(2026, 3, 10),
            actor=world.commune_officer,
        )
    assert _codes(refused.value) == ["ineligible"]
    message = refused.value.error_dict[NON_FIELD_ERRORS][0].messages[0]
    assert message.startswith("Hộ H001 không thuộc diện được hưởng “Cho vay hộ nghèo”.")
    assert "Ngày 10/03/2026 hộ là hộ cận nghèo" in message
    assert "(phê duyệt ngày 10/03/2026)" in message
    assert "chính sách dành cho: hộ nghèo" in message
    assert not SupportRecord.objects.exists()


def test_a_household_with_no_approved_round_on_the_day_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        support_record(
            policy=world.poor_only,
            household=world.household,
            given_on=D(2025, 11, 19),
            actor=world.commune_officer,
        )
    assert "chưa có kết quả rà soát được phê duyệt" in str(refused.value)


def test_history_reads_only_current_results_of_approved_rounds_in_one_query(
    world: World, django_assert_num_queries: object
) -> None:
    other = household_factory(commune=world.geo.c1)
    draft = approved_round(
        world.geo.c1, [(other, "poor")], approved_on=D(2026, 1, 5), status=RoundStatus.POSTING
    )
    superseded = approved_round(world.geo.c1, [(other, "poor")], approved_on=D(2026, 2, 5))
    Result.objects.filter(round=superseded).update(superseded=True)
    approved_round(world.geo.c1, [(other, "not_poor")], approved_on=D(2026, 2, 5))
    with django_assert_num_queries(1):  # type: ignore[operator]
        histories = class_histories([world.household.pk, other.pk, 999_999])
    assert [e.klass for e in histories[world.household.pk]] == ["poor", "near_poor"]
    assert [(e.klass, e.approved_on) for e in histories[other.pk]] == [("not_poor", D(2026, 2, 5))]
    assert histories[999_999] == []
    assert draft.pk not in {e.round_id for e in histories[other.pk]}
    assert histories[world.household.pk][0].label_vi.startswith("Rà soát thường xuyên tháng ")


def test_the_real_review_steps_give_the_same_history(geo_map: Map) -> None:
    from tests.reports.test_dashboard_views import approved_round as reviewed_round
    from tests.review.factories import household_with_adult

    household, _member = household_with_adult(commune=geo_map.c2, village=geo_map.v2)
    reviewed_round(geo_map.c2, 2025, [(household, "poor")])  # approved 02/11/2025
    history = class_history(household)
    assert [(e.klass, e.approved_on) for e in history] == [("poor", D(2025, 11, 2))]
    policy = policy_factory(eligible=["poor"])
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c2)
    assert not support_check(
        policy=policy, household=household, member=None, given_on=D(2025, 11, 1)
    ).decision.eligible
    record = support_record(policy=policy, household=household, given_on=D(2025, 11, 2), actor=officer)
    assert (record.klass, record.eligible) == ("poor", True)


# --- duplicates -----------------------------------------------------------------------------------------


def test_the_same_policy_for_the_same_household_in_the_same_year_is_a_duplicate(world: World) -> None:
    first = support_record(
        policy=world.poor_only, household=world.household, given_on=D(2026, 1, 5), reference="A1", actor=None
    )
    with pytest.raises(ValidationError) as refused:
        support_record(policy=world.poor_only, household=world.household, given_on=D(2026, 2, 1), actor=None)
    assert _codes(refused.value) == ["duplicate"]
    assert (
        f"Trùng: Hộ H001 đã nhận “Cho vay hộ nghèo” trong kỳ năm 2026 (ngày 05/01/2026, số chứng từ A1, "
        f"bản ghi số {first.pk})." in str(refused.value)
    )
    support_cancel(record=first, actor=world.commune_officer, reason="Ghi nhầm ngày hỗ trợ")
    again = support_record(
        policy=world.poor_only, household=world.household, given_on=D(2026, 2, 1), actor=None
    )
    assert again.period_key == "2026"
    assert SupportRecord.objects.filter(cancelled_at__isnull=True).count() == 1


def test_a_member_policy_is_a_duplicate_only_for_the_same_member(world: World) -> None:
    support_record(
        policy=world.card, household=world.household, member=world.member, given_on=D(2026, 1, 5), actor=None
    )
    support_record(
        policy=world.card,
        household=world.household,
        member=world.other_member,
        given_on=D(2026, 1, 5),
        actor=None,
    )
    with pytest.raises(ValidationError) as refused:
        support_record(
            policy=world.card,
            household=world.household,
            member=world.member,
            given_on=D(2026, 2, 5),
            actor=None,
        )
    assert "Trùng: Lò Văn Minh (hộ H001) đã nhận “Thẻ BHYT” trong kỳ năm 2026" in str(refused.value)


def test_period_keys() -> None:
    day = D(2026, 3, 7)
    assert [period_key(p, day) for p in ("once", "yearly", "monthly")] == ["once", "2026", "2026-03"]
    keys = {period_key("any", day) for _ in range(50)}
    assert len(keys) == 50 and all(k.startswith("any-") and len(k) == 16 for k in keys)


def test_monthly_and_any_periods(world: World) -> None:
    monthly = policy_factory(eligible=["poor", "near_poor"], period=SupportPeriod.MONTHLY)
    loans = policy_factory(eligible=["poor", "near_poor"], period=SupportPeriod.ANY)
    support_record(policy=monthly, household=world.household, given_on=D(2026, 4, 1), actor=None)
    support_record(policy=monthly, household=world.household, given_on=D(2026, 5, 1), actor=None)
    with pytest.raises(ValidationError):
        support_record(policy=monthly, household=world.household, given_on=D(2026, 5, 31), actor=None)
    for _ in range(3):
        support_record(policy=loans, household=world.household, given_on=D(2026, 4, 1), actor=None)
    assert SupportRecord.objects.filter(policy=loans).count() == 3


# --- override ---------------------------------------------------------------------------------------------


def test_a_commune_officer_cannot_override(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        support_record(
            policy=world.poor_only,
            household=world.household,
            given_on=D(2026, 4, 1),
            actor=world.commune_officer,
            override_reason="Hộ vừa gặp thiên tai, cần vốn khôi phục sản xuất",
        )
    assert _codes(refused.value) == ["ineligible"]
    assert (
        "Chỉ cán bộ tỉnh hoặc quản trị hệ thống" in refused.value.error_dict["override_reason"][0].messages[0]
    )
    assert not SupportRecord.objects.exists()


def test_a_province_officer_overrides_an_ineligible_record_with_a_reason_that_is_audited(
    world: World,
) -> None:
    reason = "Hộ vừa gặp thiên tai, theo Quyết định 12/QĐ-UBND của tỉnh"
    with pytest.raises(ValidationError) as short:
        support_record(
            policy=world.poor_only,
            household=world.household,
            given_on=D(2026, 4, 1),
            actor=world.province_officer,
            override_reason="vì",
        )
    assert "ít nhất 10 ký tự" in short.value.error_dict["override_reason"][0].messages[0]
    record = support_record(
        policy=world.poor_only,
        household=world.household,
        given_on=D(2026, 4, 1),
        actor=world.province_officer,
        override_reason=reason,
    )
    assert (record.eligible, record.klass, record.override_reason) == (False, "near_poor", reason)
    assert record.override_by == world.province_officer
    overridden = AuditEvent.objects.get(action=SupportAuditAction.SUPPORT_OVERRIDDEN)
    assert overridden.actor == world.province_officer and overridden.target_id == str(record.pk)
    assert overridden.after is not None
    assert overridden.after["override_reason"] == reason and overridden.after["eligibility"] == "class"
    assert "không thuộc diện được hưởng" in overridden.after["refusals"][0]
    assert AuditEvent.objects.filter(action=SupportAuditAction.SUPPORT_RECORDED).count() == 1


def test_an_admin_overrides_a_duplicate_and_an_eligible_record_keeps_no_reason(world: World) -> None:
    admin = admin_factory()
    first = support_record(
        policy=world.poor_only,
        household=world.household,
        given_on=D(2026, 1, 5),
        actor=admin,
        override_reason="không cần lý do nhưng vẫn ghi",
    )
    assert (first.override_reason, first.override_by) == ("", None)
    second = support_record(
        policy=world.poor_only,
        household=world.household,
        given_on=D(2026, 2, 5),
        actor=admin,
        override_reason="Hỗ trợ lần hai theo chỉ đạo của tỉnh",
    )
    assert (second.eligible, second.override_by) == (True, admin)
    event = AuditEvent.objects.get(action=SupportAuditAction.SUPPORT_OVERRIDDEN)
    assert event.after is not None and event.after["duplicate_of"] == first.pk


def test_a_policy_not_in_force_is_never_overridden(world: World) -> None:
    ended = policy_factory(eligible=["poor", "near_poor"], valid_to=D(2025, 12, 31))
    with pytest.raises(ValidationError) as refused:
        support_record(
            policy=ended,
            household=world.household,
            given_on=D(2026, 1, 2),
            actor=world.province_officer,
            override_reason="Chi trả bổ sung của năm trước",
        )
    assert "chính sách chưa có hoặc đã hết hiệu lực" in refused.value.error_dict["given_on"][0].messages[0]


# --- data errors and permissions ---------------------------------------------------------------------------


def test_member_rules(world: World) -> None:
    stranger = member_factory(household=household_factory(commune=world.geo.c1))
    cases = [
        (world.card, None, "hãy chọn thành viên"),
        (world.card, stranger, "không phải thành viên của hộ H001"),
        (world.poor_only, world.member, "không chọn thành viên"),
    ]
    for policy, member, text in cases:
        with pytest.raises(ValidationError) as refused:
            support_record(
                policy=policy, household=world.household, member=member, given_on=D(2026, 1, 5), actor=None
            )
        assert text in refused.value.error_dict["member"][0].messages[0]


def test_future_dates_inactive_and_other_province_policies_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as future:
        support_record(policy=world.poor_only, household=world.household, given_on=D(2999, 1, 1), actor=None)
    assert "given_on" in future.value.error_dict
    inactive = policy_factory(eligible=["poor", "near_poor"], active=False)
    elsewhere = policy_factory(eligible=["poor", "near_poor"], unit=world.geo.q, province_code="96")
    for policy in (inactive, elsewhere):
        with pytest.raises(ValidationError) as refused:
            support_record(policy=policy, household=world.household, given_on=D(2026, 1, 5), actor=None)
        assert "policy" in refused.value.error_dict
    mine = policy_factory(eligible=["poor", "near_poor"], unit=world.geo.c1, province_code="97")
    assert support_record(policy=mine, household=world.household, given_on=D(2026, 1, 5), actor=None).pk


@pytest.mark.parametrize(
    ("role", "where", "text"),
    [
        (Role.LEADER, "p", "Lãnh đạo"),
        (Role.VILLAGE_SURVEYOR, "v1", "Rà soát viên thôn không ghi nhận hỗ trợ"),
        (Role.AGENCY_VIEWER, "p", "chưa thuộc cơ quan nào"),
        (Role.COMMUNE_OFFICER, "c2", "Ngoài địa bàn của bạn: hộ H001."),
        (Role.PROVINCE_OFFICER, "q", "Ngoài địa bàn của bạn: hộ H001."),
    ],
)
def test_who_may_not_record(world: World, role: str, where: str, text: str) -> None:
    target = getattr(world.geo, where)
    if where.startswith("v"):
        user = scoped_user_factory(role=role, village=target)
    else:
        user = scoped_user_factory(role=role, unit=target)
    with pytest.raises(PermissionDenied) as refused:
        support_record(policy=world.poor_only, household=world.household, given_on=D(2026, 1, 5), actor=user)
    assert text in str(refused.value)


def test_an_agency_viewer_records_for_their_agency(world: World) -> None:
    user, agency = agency_user(world.geo.p)
    record = support_record(
        policy=world.poor_only, household=world.household, given_on=D(2026, 1, 5), actor=user
    )
    assert record.agency == agency
    _other_user, other_agency = agency_user(world.geo.p, name="Sở Y tế")
    with pytest.raises(PermissionDenied) as refused:
        support_record(
            policy=world.card,
            household=world.household,
            member=world.member,
            given_on=D(2026, 1, 5),
            actor=user,
            agency=other_agency,
        )
    assert "cơ quan của mình" in str(refused.value)


def test_cancel(world: World) -> None:
    record = record_factory(policy=world.poor_only, household=world.household)
    with pytest.raises(ValidationError) as short:
        support_cancel(record=record, actor=world.commune_officer, reason="nhầm")
    assert "reason" in short.value.error_dict
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=world.geo.c2)
    with pytest.raises(PermissionDenied):
        support_cancel(record=record, actor=outsider, reason="Ghi nhầm hộ khác")
    cancelled = support_cancel(record=record, actor=world.commune_officer, reason="Ghi nhầm hộ khác")
    assert cancelled.cancelled_at is not None
    event = AuditEvent.objects.get(action=SupportAuditAction.SUPPORT_CANCELLED)
    assert event.after is not None and event.after["reason"] == "Ghi nhầm hộ khác"
    with pytest.raises(ValidationError, match="đã bị huỷ"):
        support_cancel(record=record, actor=world.commune_officer, reason="Ghi nhầm hộ khác")
