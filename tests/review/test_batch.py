import datetime

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied

from giamngheo.accounts.models import Role
from giamngheo.geo.models import Village
from giamngheo.registry.models import Household, Member
from giamngheo.review.models import ReviewRound, Survey
from giamngheo.review.services import BatchRejected, RowError, survey_batch_save
from giamngheo.synth import generate_frames
from tests.accounts.factories import scoped_user_factory
from tests.registry.conftest import Map
from tests.review.factories import household_facts, household_with_adult, open_round

pytestmark = pytest.mark.django_db


def _frames(codes: list[str], member_ids: list[int]) -> tuple[pl.DataFrame, pl.DataFrame]:
    households = pl.DataFrame([{"household_id": code, **household_facts()} for code in codes])
    members = pl.DataFrame(
        {
            "household_id": codes,
            "member_id": member_ids,
            "has_health_insurance": ["có"] * len(codes),
            "employment": ["self_employed"] * len(codes),
            "general_education": ["upper_secondary"] * len(codes),
            "has_labour_capacity": [True] * len(codes),
        }
    )
    return households, members


def test_a_batch_saves_every_household_of_the_village(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    pairs = [household_with_adult(commune=geo_map.c1, village=geo_map.v1) for _ in range(3)]
    rnd = open_round(commune=geo_map.c1, households=[h for h, _ in pairs], actor=officer)
    households, members = _frames([h.code for h, _ in pairs], [m.pk for _, m in pairs])

    saved = survey_batch_save(
        review_round=rnd,
        village=geo_map.v1,
        households_frame=households,
        members_frame=members,
        actor=officer,
    )

    assert (saved.created, saved.updated) == (3, 0)
    stored = Survey.objects.get(round_household__household=pairs[0][0])
    assert stored.member_facts == [
        {
            "member_id": pairs[0][1].pk,
            "has_health_insurance": True,
            "employment": "self_employed",
            "general_education": "upper_secondary",
            "has_labour_capacity": True,
        }
    ]
    assert stored.household_facts["water_source"] == "piped"
    again = survey_batch_save(
        review_round=rnd,
        village=geo_map.v1,
        households_frame=households,
        members_frame=members,
        actor=officer,
    )
    assert (again.created, again.updated) == (0, 3)
    assert Survey.objects.get(pk=stored.pk).version == 2


def test_one_bad_row_saves_nothing_and_the_report_lists_row_and_column(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    pairs = [household_with_adult(commune=geo_map.c1, village=geo_map.v1) for _ in range(3)]
    rnd = open_round(commune=geo_map.c1, households=[h for h, _ in pairs], actor=officer)
    households, members = _frames([h.code for h, _ in pairs], [m.pk for _, m in pairs])
    households = households.with_columns(
        pl.when(pl.int_range(pl.len()) == 1)
        .then(pl.lit("nhà lá"))
        .otherwise(pl.col("water_source"))
        .alias("water_source")
    )

    with pytest.raises(BatchRejected) as rejected:
        survey_batch_save(
            review_round=rnd,
            village=geo_map.v1,
            households_frame=households,
            members_frame=members,
            actor=officer,
        )

    assert [(e.frame, e.row, e.column) for e in rejected.value.errors] == [("households", 2, "water_source")]
    assert rejected.value.errors[0].message.startswith("“Nguồn nước sinh hoạt chính” phải là một trong:")
    assert rejected.value.message == "Lô phiếu có 1 lỗi; không có hộ nào được lưu."
    assert not Survey.objects.exists()


def test_a_batch_refuses_households_not_on_the_village_list_and_foreign_members(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    listed, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    _, stranger = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[listed], actor=officer)
    households, members = _frames([listed.code, "KHONG-CO"], [stranger.pk, member.pk])

    with pytest.raises(BatchRejected) as rejected:
        survey_batch_save(
            review_round=rnd,
            village=geo_map.v1,
            households_frame=households,
            members_frame=members,
            actor=officer,
        )

    assert rejected.value.errors == [
        RowError(
            "households", 2, "household_id", "Hộ KHONG-CO không có trong danh sách rà soát của thôn này."
        ),
        RowError("members", 1, "member_id", f"Người này không phải nhân khẩu của hộ {listed.code}."),
        RowError("members", 2, "member_id", "Người này không phải nhân khẩu của hộ KHONG-CO."),
    ]
    assert not Survey.objects.exists()


def test_a_surveyor_cannot_save_another_villages_batch(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1b)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    households, members = _frames([household.code], [member.pk])
    with pytest.raises(PermissionDenied):
        survey_batch_save(
            review_round=rnd,
            village=geo_map.v1,
            households_frame=households,
            members_frame=members,
            actor=surveyor,
        )


def bulk_surveyed_round(geo_map: Map, *, households: int) -> ReviewRound:
    """A 2026 round of ``households`` synthetic households in village v1, surveyed through one batch."""
    village: Village = geo_map.v1
    facts, people = generate_frames(households, seed=11, province_codes=["51"], missing_rate=0.0)
    Household.objects.bulk_create(
        [
            Household(code=f"B{i:05d}", commune=geo_map.c1, village=village, province_code="97", area=area)
            for i, area in enumerate(facts["area"].cast(pl.String).to_list())
        ],
        batch_size=2000,
    )
    by_code = dict(Household.objects.filter(code__startswith="B").values_list("code", "pk"))
    codes = [f"B{i:05d}" for i in range(households)]
    index = {hid: i for i, hid in enumerate(facts["household_id"].to_list())}
    owners = [codes[index[hid]] for hid in people["household_id"].to_list()]
    Member.objects.bulk_create(
        [
            Member(
                household_id=by_code[code],
                province_code="97",
                full_name="Người Thử",
                full_name_search="nguoi thu",
                sex=sex,
                date_of_birth=datetime.date(2026 - age, 1, 1),
            )
            for code, sex, age in zip(
                owners, people["sex"].cast(pl.String).to_list(), people["age"].to_list(), strict=True
            )
        ],
        batch_size=2000,
    )
    rnd = open_round(
        commune=geo_map.c1, households=list(Household.objects.filter(code__startswith="B")), actor=None
    )
    member_ids = list(
        Member.objects.filter(household__code__startswith="B")
        .order_by("household__code", "pk")
        .values_list("pk", flat=True)
    )
    ordered = people.with_columns(pl.Series("household_id", owners)).sort("household_id", maintain_order=True)
    households_frame = facts.drop("province_code", "commune_code", "village_code").with_columns(
        pl.Series("household_id", codes)
    )
    members_frame = ordered.drop("age", "sex").with_columns(pl.Series("member_id", member_ids))
    survey_batch_save(
        review_round=rnd,
        village=village,
        households_frame=households_frame,
        members_frame=members_frame,
        actor=None,
    )
    return rnd


def test_a_household_twice_in_a_batch_is_refused(geo_map: Map) -> None:
    officer = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)
    household, member = household_with_adult(commune=geo_map.c1, village=geo_map.v1)
    rnd = open_round(commune=geo_map.c1, households=[household], actor=officer)
    households, members = _frames([household.code, household.code], [member.pk, member.pk])

    with pytest.raises(BatchRejected) as refused:
        survey_batch_save(
            review_round=rnd,
            village=geo_map.v1,
            households_frame=households,
            members_frame=members,
            actor=officer,
        )

    assert [(e.frame, e.row, e.column) for e in refused.value.errors] == [("households", 2, "household_id")]
    assert refused.value.errors[0].message == f"Hộ {household.code} bị ghi hai lần trong lô phiếu."
    assert Survey.objects.count() == 0
