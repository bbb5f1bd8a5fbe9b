"""The demo province: the pure generation (``demo_population``) and the ``load_demo`` step."""

from __future__ import annotations

import re

import polars as pl
import pytest
from django.db.models import Count
from polars.testing import assert_frame_equal

from giamngheo.accounts.demo import demo_scopes_load, demo_users_load
from giamngheo.accounts.models import AuditEvent, User
from giamngheo.geo.models import AdminUnit, Level, UnitMapping, Village
from giamngheo.geo.services import units_load_2025
from giamngheo.registry.citizen_id import citizen_id_mismatch, validate_citizen_id_format
from giamngheo.registry.demo import (
    DEMO_AUDIT_ACTION,
    DEMO_COMMUNES,
    HEAD_RELATION,
    REFERENCE_DATE,
    DemoPopulation,
    demo_households_load,
    demo_population,
)
from giamngheo.registry.ethnicity import Ethnicity
from giamngheo.registry.models import EventKind, Household, HouseholdEvent, Member, MemberStatus
from giamngheo.registry.selectors import citizen_id_duplicates
from giamngheo.registry.text import fold
from tests.geo.factories import old_unit_factory

MOUNTAIN = {p.code for p in DEMO_COMMUNES if p.mountain}
LOWLAND = {p.code for p in DEMO_COMMUNES if not p.mountain}
WARDS = {p.code for p in DEMO_COMMUNES if p.urban}


@pytest.fixture(scope="module")
def population() -> DemoPopulation:
    return demo_population(households=2_000, seed=7)


# --- the pure generation --------------------------------------------------------------------------


def test_same_seed_gives_the_same_frames_and_another_seed_other_names() -> None:
    first = demo_population(households=300, seed=11)
    again = demo_population(households=300, seed=11)
    other = demo_population(households=300, seed=12)
    assert_frame_equal(first.households, again.households)
    assert_frame_equal(first.members, again.members)
    assert first.members["full_name"].to_list() != other.members["full_name"].to_list()


def test_households_are_spread_over_the_ten_communes_with_codes_unique_per_commune(
    population: DemoPopulation,
) -> None:
    hh = population.households
    assert hh.height == 2_000
    assert set(hh["commune_code"]) == {p.code for p in DEMO_COMMUNES}
    assert len(DEMO_COMMUNES) == 10
    assert MOUNTAIN and LOWLAND and WARDS <= LOWLAND
    assert hh.select("commune_code", "code").is_unique().all()
    assert all(re.fullmatch(r"HO-\d{5}", code) for code in hh["code"])
    per_commune = hh.group_by("commune_code").agg(villages=pl.col("village_code").n_unique())
    assert set(per_commune["villages"]) <= set(range(4, 9))
    wards = hh.filter(pl.col("commune_code").is_in(list(WARDS)))
    assert set(wards["area"].cast(pl.String)) == {"urban"}
    assert all(code.startswith("TDP") for code in wards["village_code"])
    others = hh.filter(~pl.col("commune_code").is_in(list(WARDS)))
    assert set(others["area"].cast(pl.String)) == {"rural"}


def test_mountain_communes_are_mostly_ethnic_minority_and_poorer(population: DemoPopulation) -> None:
    hh = population.households
    sizes = population.members.group_by("household_id").len()
    per_person = hh.join(sizes, on="household_id").with_columns(
        income_pp=pl.col("income_12m") / pl.col("len"), mountain=pl.col("commune_code").is_in(list(MOUNTAIN))
    )
    by_kind = per_person.group_by("mountain").agg(
        minority=pl.col("ethnic_minority").mean(), income=pl.col("income_pp").median()
    )
    mountain = by_kind.filter(pl.col("mountain")).row(0, named=True)
    lowland = by_kind.filter(~pl.col("mountain")).row(0, named=True)
    assert mountain["minority"] > 0.6
    assert lowland["minority"] < 0.05
    assert mountain["income"] < 0.8 * lowland["income"]
    groups = set(
        population.members.join(hh.filter(pl.col("ethnic_minority")), on="household_id")["ethnicity"]
    )
    assert {Ethnicity.XO_DANG.value, Ethnicity.BA_NA.value, Ethnicity.HRE.value} <= groups
    assert Ethnicity.KINH.value not in groups


def test_each_household_has_one_head_its_first_adult(population: DemoPopulation) -> None:
    members = population.members
    heads = members.filter(pl.col("is_head"))
    assert heads.height == population.households.height
    assert heads["household_id"].is_unique().all()
    assert set(heads["relation_to_head"]) == {HEAD_RELATION}
    assert (members.filter(~pl.col("is_head"))["relation_to_head"] != HEAD_RELATION).all()
    first_adult = (
        members.filter(pl.col("age") >= 18)
        .sort("position")
        .group_by("household_id")
        .agg(pl.first("member_id"))
    )
    assert_frame_equal(
        heads.select("household_id", "member_id").sort("household_id"),
        first_adult.sort("household_id"),
    )


def test_dates_of_birth_give_the_ages_on_the_reference_date(population: DemoPopulation) -> None:
    ref = REFERENCE_DATE
    for dob, age in population.members.select("date_of_birth", "age").iter_rows():
        assert ref.year - dob.year - ((ref.month, ref.day) < (dob.month, dob.day)) == age


def test_citizen_ids_pass_the_checks_with_a_few_deliberate_duplicates(population: DemoPopulation) -> None:
    members = population.members.join(
        population.households.select("household_id", "commune_code"), on="household_id"
    )
    with_id = members.filter(pl.col("citizen_id").is_not_null())
    assert with_id.height > 0.95 * members.height
    for citizen_id, sex, dob in with_id.select(
        "citizen_id", pl.col("sex").cast(pl.String), "date_of_birth"
    ).iter_rows():
        validate_citizen_id_format(citizen_id)
        assert citizen_id_mismatch(citizen_id, sex=sex, date_of_birth=dob) is None
    prefixes = set(with_id["citizen_id"].str.slice(0, 3))
    assert {"051", "062"} <= prefixes
    duplicated = with_id.filter(pl.col("citizen_id").is_duplicated())
    pairs = duplicated.group_by("citizen_id").agg(
        pl.len(),
        pl.col("commune_code").n_unique(),
        pl.col("full_name").n_unique(),
        pl.col("date_of_birth").n_unique(),
    )
    assert pairs.height == 1  # the default: households // 4000, at least 1
    assert pairs["len"].to_list() == [2] * pairs.height
    assert pairs["commune_code"].to_list() == [2] * pairs.height  # registered in two communes
    assert pairs["full_name"].to_list() == [1] * pairs.height  # the same person
    assert pairs["date_of_birth"].to_list() == [1] * pairs.height


def test_explicit_number_of_duplicates() -> None:
    members = demo_population(households=500, seed=3, duplicates=4).members
    ids = members.filter(pl.col("citizen_id").is_not_null())["citizen_id"]
    assert ids.is_duplicated().sum() == 8


def test_names_are_vietnamese_and_folded_for_search(population: DemoPopulation) -> None:
    members = population.members
    for name, folded in members.select("full_name", "full_name_search").iter_rows():
        assert folded == fold(name)
    kinh = members.filter(pl.col("ethnicity") == Ethnicity.KINH.value)
    assert (kinh["full_name"].str.split(" ").list.len() >= 3).all()
    family_names = kinh["full_name"].str.split(" ").list.first().value_counts(sort=True)
    assert family_names["full_name"][0] == "Nguyễn"
    ay = members.filter(pl.col("full_name").str.contains(r"^(A|Y) "))
    assert ay.height > 0
    assert set(ay["ethnicity"]) <= {
        Ethnicity.BA_NA.value,
        Ethnicity.XO_DANG.value,
        Ethnicity.GIE_TRIENG.value,
    }
    assert set(ay.filter(pl.col("full_name").str.starts_with("A "))["sex"].cast(pl.String)) == {"male"}
    assert set(ay.filter(pl.col("full_name").str.starts_with("Y "))["sex"].cast(pl.String)) == {"female"}


# --- the load_demo step ---------------------------------------------------------------------------


def _load(households: int = 300) -> list[str]:
    lines: list[str] = []
    demo_households_load(write=lines.append, households=households)
    return lines


@pytest.fixture
def units(db: None) -> None:
    units_load_2025(actor=None)
    demo_users_load(write=lambda _: None)
    demo_scopes_load(write=lambda _: None)  # creates Thôn 1 (T01) of Đăk Kôi


@pytest.mark.django_db
def test_load_writes_the_demo_province(units: None) -> None:
    t01 = Village.objects.get(commune__code="23485", code="T01")

    lines = _load(300)

    assert lines == [
        "Households: 300 households and "
        f"{Member.objects.count()} members in 10 communes of Quảng Ngãi created (65 villages created)."
    ]
    assert Household.objects.count() == 300
    assert set(Household.objects.values_list("commune__code", flat=True)) == {p.code for p in DEMO_COMMUNES}
    assert Household.objects.filter(commune__code__in=MOUNTAIN).exists()
    assert Household.objects.filter(commune__code__in=LOWLAND - WARDS).exists()
    assert set(Household.objects.filter(commune__code__in=WARDS).values_list("area", flat=True)) == {"urban"}
    assert Village.objects.get(commune__code="23485", code="T01") == t01
    assert Village.objects.get(pk=t01.pk).name == "Thôn 1"
    assert Village.objects.filter(commune__code__in=[p.code for p in DEMO_COMMUNES]).count() == 66
    assert AuditEvent.objects.filter(action="village.created").count() == 66
    assert not Village.objects.filter(former_commune__isnull=False).exists()  # no pre-2025 units loaded

    for household in Household.objects.select_related("head"):
        assert household.head is not None
        assert household.head.household_id == household.pk
        assert household.head.status == MemberStatus.PRESENT
        assert household.head.relation_to_head == HEAD_RELATION
        household.full_clean()
    for member in Member.objects.all():
        member.full_clean()  # includes the citizen-ID checks
    codes = list(Household.objects.values_list("commune_id", "code"))
    assert len(codes) == len(set(codes))
    assert HouseholdEvent.objects.filter(kind=EventKind.CREATED).count() == 300
    audit = AuditEvent.objects.get(action=DEMO_AUDIT_ACTION)
    assert audit.target_id == str(
        AdminUnit.objects.get(generation="2025", level=Level.PROVINCE, code="51").pk
    )
    assert audit.after is not None
    assert audit.after["households"] == 300


@pytest.mark.django_db
def test_load_spreads_the_villages_over_the_former_communes_in_code_order(units: None) -> None:
    kon_tum = old_unit_factory(code="62", level=Level.PROVINCE, name="Tỉnh Kon Tum")
    kon_ray = old_unit_factory(code="610", level=Level.DISTRICT, parent=kon_tum, name="Huyện Kon Rẫy")
    kon_plong = old_unit_factory(code="609", level=Level.DISTRICT, parent=kon_tum, name="Huyện Kon Plông")
    former = {
        "23485": [("23485", kon_ray), ("23482", kon_ray)],  # Đăk Kôi: 6 villages
        "23473": [("23473", kon_plong), ("23470", kon_plong), ("23461", kon_plong)],  # Măng Đen: 8
    }
    for new_code, olds in former.items():
        new = AdminUnit.objects.get(generation="2025", level=Level.COMMUNE, code=new_code)
        for old_code, district in olds:
            old = old_unit_factory(code=old_code, level=Level.COMMUNE, parent=district)
            UnitMapping.objects.create(old_unit=old, new_unit=new, province_code="51", source="thử")

    _load(300)

    def formers(commune_code: str) -> list[tuple[str, str | None]]:
        villages = Village.objects.filter(commune__code=commune_code).order_by("code")
        return list(villages.values_list("code", "former_commune__code"))

    # Thôn 1 of Đăk Kôi existed (demo users): it gets its former commune too
    assert formers("23485") == [
        ("T01", "23482"), ("T02", "23485"), ("T03", "23482"),
        ("T04", "23485"), ("T05", "23482"), ("T06", "23485"),
    ]  # fmt: skip
    assert formers("23473") == [
        ("T01", "23461"), ("T02", "23470"), ("T03", "23473"), ("T04", "23461"),
        ("T05", "23470"), ("T06", "23473"), ("T07", "23461"), ("T08", "23470"),
    ]  # fmt: skip
    assert set(Village.objects.filter(commune__code="23479").values_list("former_commune", flat=True)) == {
        None
    }
    updated = AuditEvent.objects.get(action="village.updated")
    assert updated.after is not None
    assert updated.after["former_commune"] == "23482"
    assert set(
        Village.objects.filter(former_commune__isnull=False).values_list(
            "former_commune__parent__name", flat=True
        )
    ) == {"Huyện Kon Rẫy", "Huyện Kon Plông"}


@pytest.mark.django_db
def test_load_stores_the_generated_people(units: None) -> None:
    _load(300)
    expected = demo_population(households=300)
    stored = Member.objects.order_by("household__commune__code", "household__code", "pk")
    frame = pl.DataFrame(
        list(stored.values_list("household__commune__code", "household__code", "full_name", "citizen_id")),
        schema=["commune_code", "code", "full_name", "citizen_id"],
        orient="row",
    )
    generated = (
        expected.members.join(
            expected.households.select("household_id", "commune_code", "code"), on="household_id"
        )
        .sort("commune_code", "code", "position")
        .select("commune_code", "code", "full_name", "citizen_id")
    )
    assert_frame_equal(frame, generated)


@pytest.mark.django_db
def test_a_duplicate_citizen_id_is_reported(units: None) -> None:
    _load(300)
    duplicate = (
        Member.objects.values("citizen_id")
        .order_by()
        .annotate(n=Count("id"))
        .filter(citizen_id__isnull=False, n__gt=1)
        .order_by("citizen_id")
        .first()
    )
    assert duplicate is not None
    admin = User.objects.get(username="admin")
    found = citizen_id_duplicates(viewer=admin, citizen_id=duplicate["citizen_id"])
    assert found.exists
    assert len(found.members) == 2
    assert len({member.household_id for member in found.members}) == 2


@pytest.mark.django_db
def test_load_twice_changes_nothing(units: None) -> None:
    _load(300)
    counts = (
        Household.objects.count(),
        Member.objects.count(),
        HouseholdEvent.objects.count(),
        Village.objects.count(),
    )

    second = _load(300)

    assert second == ["Households: 300 already there in Quảng Ngãi."]
    assert counts == (
        Household.objects.count(),
        Member.objects.count(),
        HouseholdEvent.objects.count(),
        Village.objects.count(),
    )
    assert AuditEvent.objects.filter(action=DEMO_AUDIT_ACTION).count() == 1


@pytest.mark.django_db
def test_load_is_skipped_without_the_2025_units() -> None:
    assert _load(300) == ["Households: skipped, the 2025 units are not loaded."]
    assert not Household.objects.exists()
