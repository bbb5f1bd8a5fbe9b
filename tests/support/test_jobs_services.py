"""Jobs: job seekers (only poor / near-poor households), openings, placements, search, matches, rate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from giamngheo.accounts.models import AuditEvent
from giamngheo.registry.models import Household, Member, MemberStatus
from giamngheo.support.models import (
    JobOpening,
    JobSeeker,
    OpeningStatus,
    Placement,
    SeekerStatus,
    SupportAuditAction,
)
from giamngheo.support.services import jobs as services
from tests.registry.factories import member_factory
from tests.support.factories import opening_factory, seeker_factory
from tests.support.test_helpers_services import World, classify, geo_map, household_with_head, world

__all__ = ["geo_map", "world"]

TODAY = dt.date(2026, 6, 15)


def adult(
    household: Household, name: str = "Nguyễn Văn Tâm", born: dt.date | None = dt.date(2000, 3, 1)
) -> Member:
    return member_factory(household=household, full_name=name, date_of_birth=born)


def register(world: World, member: Member, **fields: object) -> JobSeeker:
    values: dict[str, object] = {
        "member": member,
        "skills": "May mặc, đóng gói",
        "training": "Sơ cấp nghề may",
        "wishes": "Làm gần nhà",
        "wants_abroad": False,
        "desired_wage": 6_000_000,
        "actor": world.officer,
        "today": TODAY,
    }
    values.update(fields)
    return services.job_seeker_save(**values)  # type: ignore[arg-type]


def post(world: World, **fields: object) -> JobOpening:
    values: dict[str, object] = {
        "employer": "Công ty May Tây Nguyên",
        "title": "Công nhân may",
        "place": "Khu công nghiệp Hòa Phú",
        "province_code": "97",
        "commune": world.geo.c1,
        "skills": "may mặc",
        "wage_min": 5_000_000,
        "wage_max": 7_000_000,
        "positions": 2,
        "deadline": dt.date(2026, 7, 31),
        "actor": world.province_officer,
        "today": TODAY,
    }
    values.update(fields)
    return services.job_opening_save(**values)  # type: ignore[arg-type]


# --- Job seekers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("attr", ["poor", "near"])
def test_members_of_poor_and_near_poor_households_register(world: World, attr: str) -> None:
    member = adult(getattr(world, attr))
    seeker = register(world, member)
    assert seeker.household == member.household
    assert seeker.commune == world.geo.c1
    assert seeker.province_code == "97"
    assert seeker.skills == ["May mặc", "đóng gói"]
    assert seeker.status == SeekerStatus.SEEKING
    assert seeker.search_text == "nguyen van tam may mac dong goi so cap nghe may lam gan nha"
    event = AuditEvent.objects.get(action=SupportAuditAction.JOB_SEEKER_SAVED)
    assert event.after is not None
    assert event.after["skills"] == ["May mặc", "đóng gói"]


@pytest.mark.parametrize(("klass", "label"), [("not_poor", "Hộ không nghèo"), (None, "chưa có kết quả")])
def test_other_households_may_not_register(world: World, klass: str | None, label: str) -> None:
    household = household_with_head(world.geo.c1)
    if klass:
        classify(household, klass)
    with pytest.raises(ValidationError) as error:
        register(world, adult(household))
    assert label in error.value.message_dict["member"][0]
    assert not JobSeeker.objects.exists()


def test_the_latest_approved_round_decides(world: World) -> None:
    household = household_with_head(world.geo.c2)
    classify(household, "poor", year=2024)
    classify(household, "not_poor", year=2025)
    with pytest.raises(ValidationError):
        register(world, adult(household), actor=world.province_officer)


def test_under_15_is_refused_and_an_unknown_birth_date_is_allowed_with_a_warning(world: World) -> None:
    child = adult(world.poor, name="Hồ Thị Nhi", born=dt.date(2011, 6, 16))  # 14 on 15 June 2026
    with pytest.raises(ValidationError) as error:
        register(world, child)
    assert "mới 14 tuổi, chưa đủ 15 tuổi" in error.value.message_dict["member"][0]
    fifteen = adult(world.poor, name="Hồ Văn Mười", born=dt.date(2011, 6, 15))
    register(world, fifteen)
    unknown = adult(world.poor, name="Hồ Văn Lâm", born=None)
    seeker = register(world, unknown)
    assert services.seeker_age_warning(seeker.member) is not None
    assert services.seeker_age_warning(fifteen) is None


def test_a_member_who_left_or_already_registered_is_refused(world: World) -> None:
    member = adult(world.poor)
    register(world, member)
    with pytest.raises(ValidationError) as error:
        register(world, member)
    assert "đã đăng ký tìm việc" in error.value.message_dict["member"][0]
    gone = adult(world.poor, name="Hồ Văn Đi")
    Member.objects.filter(pk=gone.pk).update(status=MemberStatus.MOVED_OUT)
    gone.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        register(world, gone)
    assert "không còn ở trong hộ" in error.value.message_dict["member"][0]


def test_update_keeps_the_member_and_refreshes_the_search_text(world: World) -> None:
    seeker = register(world, adult(world.poor))
    register(world, seeker.member, seeker=seeker, skills="hàn điện", training="", wishes="")
    seeker.refresh_from_db()
    assert seeker.skills == ["hàn điện"]
    assert seeker.search_text == "nguyen van tam han dien"
    assert AuditEvent.objects.filter(action=SupportAuditAction.JOB_SEEKER_SAVED).count() == 2


@pytest.mark.parametrize("who", ["officer_c2", "leader"])
def test_seekers_outside_the_territory_or_role_are_refused(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        register(world, adult(world.poor), actor=getattr(world, who))


# --- Openings ----------------------------------------------------------------------------------------


def test_post_an_opening(world: World) -> None:
    opening = post(world, requirements="Nữ, 18-35 tuổi")
    assert opening.skills == ["may mặc"]
    assert opening.search_text == (
        "cong nhan may cong ty may tay nguyen khu cong nghiep hoa phu may mac nu, 18-35 tuoi"
    )
    assert opening.created_by == world.province_officer
    assert AuditEvent.objects.filter(action=SupportAuditAction.JOB_OPENING_SAVED).count() == 1


def test_opening_validation(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        post(world, wage_min=8_000_000, wage_max=7_000_000, positions=0, deadline=dt.date(2026, 6, 14))
    assert set(error.value.message_dict) == {"wage_max", "positions", "deadline"}
    with pytest.raises(ValidationError) as error:
        post(world, abroad=True, country="", commune=None)
    assert set(error.value.message_dict) == {"country"}


def test_an_old_deadline_may_stay_when_editing(world: World) -> None:
    opening = post(world, deadline=dt.date(2026, 6, 20))
    later = dt.date(2026, 7, 1)
    post(world, opening=opening, deadline=dt.date(2026, 6, 20), positions=3, today=later)
    opening.refresh_from_db()
    assert opening.positions == 3


def test_a_commune_officer_posts_in_their_commune_only(world: World) -> None:
    assert post(world, actor=world.officer).commune == world.geo.c1
    with pytest.raises(PermissionDenied):
        post(world, actor=world.officer, commune=world.geo.c2)
    with pytest.raises(PermissionDenied):
        post(world, actor=world.officer, commune=None)  # a province-wide opening


# --- Placements --------------------------------------------------------------------------------------


def test_record_a_placement(world: World) -> None:
    seeker = register(world, adult(world.poor))
    opening = post(world)
    placement = services.placement_record(
        seeker=seeker, opening=opening, placed_on=dt.date(2026, 6, 1), actor=world.officer, today=TODAY
    )
    seeker.refresh_from_db()
    assert seeker.status == SeekerStatus.PLACED
    assert (placement.commune, placement.province_code) == (world.geo.c1, "97")
    assert services.positions_left(opening) == 1
    event = AuditEvent.objects.get(action=SupportAuditAction.PLACEMENT_RECORDED)
    assert event.after is not None
    assert event.after["seeker_status"] == SeekerStatus.PLACED
    with pytest.raises(ValidationError) as error:
        services.placement_record(
            seeker=seeker, opening=opening, placed_on=dt.date(2026, 6, 1), actor=world.officer, today=TODAY
        )
    assert "đã được ghi nhận nhận việc" in error.value.message_dict["opening"][0]
    assert Placement.objects.count() == 1


def test_a_full_or_closed_opening_takes_nobody(world: World) -> None:
    opening = post(world, positions=1)
    first = register(world, adult(world.poor))
    second = register(world, adult(world.poor_b, name="Lò Văn Sáu"))
    services.placement_record(
        seeker=first, opening=opening, placed_on=TODAY, actor=world.officer, today=TODAY
    )
    with pytest.raises(ValidationError) as error:
        services.placement_record(
            seeker=second, opening=opening, placed_on=TODAY, actor=world.officer, today=TODAY
        )
    assert "đã tuyển đủ 1 người" in error.value.message_dict["opening"][0]
    closed = post(world, status=OpeningStatus.CLOSED)
    with pytest.raises(ValidationError) as error:
        services.placement_record(
            seeker=second, opening=closed, placed_on=TODAY, actor=world.officer, today=TODAY
        )
    assert "ngừng tuyển" in error.value.message_dict["opening"][0]


def test_a_placement_in_the_future_is_refused(world: World) -> None:
    seeker = register(world, adult(world.poor))
    with pytest.raises(ValidationError) as error:
        services.placement_record(
            seeker=seeker,
            opening=post(world),
            placed_on=dt.date(2026, 6, 16),
            actor=world.officer,
            today=TODAY,
        )
    assert set(error.value.message_dict) == {"placed_on"}


# --- Search ------------------------------------------------------------------------------------------


def test_search_with_or_without_diacritics(world: World) -> None:
    nguyen = register(world, adult(world.poor, name="Nguyễn Văn Hùng"), skills="may mặc")
    lo = register(world, adult(world.poor_b, name="Lò Thị Đào"), skills="chăn nuôi", training="", wishes="")

    def found(query: str) -> set[int]:
        return {s.pk for s in services.seeker_list(viewer=world.officer, query=query)}

    assert found("nguyen van") == {nguyen.pk}
    assert found("Nguyễn Văn") == {nguyen.pk}
    assert found("may") == {nguyen.pk}
    assert found("may mặc") == {nguyen.pk}
    assert found("dao") == {lo.pk}
    assert found("đào chăn") == {lo.pk}
    assert found("") == {nguyen.pk, lo.pk}
    assert found("nguyen nuoi") == set()
    assert {s.pk for s in services.seeker_list(viewer=world.officer_c2, query="")} == set()


def test_search_openings(world: World) -> None:
    sewing = post(world)
    abroad = post(
        world,
        title="Thực tập sinh chế biến thực phẩm",
        employer="Công ty Cung ứng nhân lực Sao Việt",
        place="Osaka",
        skills="chế biến",
        abroad=True,
        country="Nhật Bản",
        commune=None,
    )
    assert {o.pk for o in services.opening_list(viewer=world.officer, query="nhat ban")} == {abroad.pk}
    assert {o.pk for o in services.opening_list(viewer=world.officer, query="MAY")} == {sewing.pk}
    assert {o.pk for o in services.opening_list(viewer=world.officer, abroad=False)} == {sewing.pk}


# --- Matches -----------------------------------------------------------------------------------------


def test_openings_for_a_seeker_best_first(world: World) -> None:
    seeker = register(world, adult(world.poor))
    local = post(world)
    other = post(world, commune=world.geo.c2, title="May đo", skills="may mặc, cắt may")
    unrelated = post(
        world, title="Lái xe", skills="lái xe", wage_max=4_000_000, wage_min=None, commune=world.geo.c2
    )
    expired = post(world)
    JobOpening.objects.filter(pk=expired.pk).update(deadline=dt.date(2026, 6, 1))
    ranked = services.openings_for_seeker(viewer=world.officer, seeker=seeker, today=TODAY)
    assert [item.opening.pk for item in ranked] == [local.pk, other.pk]
    # {may, mac, goi} ("đóng" and the training level are common words) against {may, mac}
    assert ranked[0].match.reasons[0].text == "Kỹ năng phù hợp: mặc, may (67%)."
    assert unrelated.pk not in [item.opening.pk for item in ranked]


def test_seekers_for_an_opening_stay_in_the_viewers_territory(world: World) -> None:
    in_c1 = register(world, adult(world.poor))
    in_c2 = register(world, adult(world.poor_c2, name="Giàng A Dế"), actor=world.officer_c2)
    opening = post(world)
    by_officer = services.seekers_for_opening(viewer=world.officer, opening=opening, today=TODAY)
    assert [item.seeker.pk for item in by_officer] == [in_c1.pk]
    by_province = services.seekers_for_opening(viewer=world.province_officer, opening=opening, today=TODAY)
    assert [item.seeker.pk for item in by_province] == [in_c1.pk, in_c2.pk]  # same commune first
    assert [r.code for r in by_province[1].match.reasons][-1] == "same_province"


# --- Placement rate ----------------------------------------------------------------------------------


def test_placement_rate_per_commune_and_province(world: World) -> None:
    a = seeker_factory(member=adult(world.poor))
    b = seeker_factory(member=adult(world.poor_b, name="Lò Văn Hai"))
    c = seeker_factory(member=adult(world.near, name="Vừ A Ba"))
    d = seeker_factory(member=adult(world.poor_c2, name="Giàng A Tư"))
    old = seeker_factory(member=adult(world.poor, name="Hồ Văn Cũ"))
    JobSeeker.objects.filter(pk=old.pk).update(created_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))
    opening = opening_factory(province_code="97", positions=10)
    for seeker, day in ((a, dt.date(2026, 3, 1)), (d, dt.date(2026, 4, 1)), (old, dt.date(2026, 3, 1))):
        Placement.objects.create(
            seeker=seeker, opening=opening, province_code="97", commune_id=seeker.commune_id, placed_on=day
        )
    today = timezone.localdate()
    # b was placed after the period: not counted.
    after = today + dt.timedelta(days=1)
    Placement.objects.create(
        seeker=b, opening=opening_factory(), province_code="97", commune_id=b.commune_id, placed_on=after
    )
    table = services.placement_rates(
        viewer=world.province_officer, date_from=dt.date(2026, 1, 1), date_to=today
    )
    assert len(table.provinces) == 1
    province = table.provinces[0]
    assert [(row.name, row.registered, row.placed, row.rate) for row in province.communes] == [
        (world.geo.c1.name, 3, 1, 33.3),
        (world.geo.c2.name, 1, 1, 100.0),
    ]
    assert (province.province.name, province.province.registered, province.province.placed) == (
        "Tỉnh Thử 97",
        4,
        2,
    )
    assert (table.total.registered, table.total.placed, table.total.rate) == (4, 2, 50.0)
    assert c.pk  # registered, not placed
    mine = services.placement_rates(viewer=world.officer, date_from=dt.date(2026, 1, 1), date_to=today)
    assert [(row.registered, row.placed) for row in mine.provinces[0].communes] == [(3, 1)]
