"""Tests of the synthetic population generator (giamngheo.synth).

The calibration check uses a deliberately rough, fact-based classifier written here with plain Polars
(the simple reading of the 2022-2025 standard in the domain notes). It is *not* the engine
(``giamngheo.standards.evaluate``): it only checks that the generated facts carry the intended
poverty levels.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from giamngheo.standards.facts import HOUSEHOLD_FACTS, MEMBER_FACTS
from giamngheo.synth import (
    BLOCK_SIZE,
    GENERATOR_VERSION,
    calibration_table,
    generate,
    generate_frames,
    household_schema,
    member_schema,
    national_targets,
)

PROVINCE_CODES_2025 = {
    "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38", "40",
    "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82", "86", "91", "92", "96",
}  # fmt: skip
UNCLEAN_WATER = ["unprotected_dug_well", "unprotected_spring", "surface_water", "vendor_tanker", "other"]
UNHYGIENIC_LATRINE = ["simple_pit", "hanging_over_water", "other", "none"]
#: Tolerance of the national calibration check on 200,000 households, percentage points.
POOR_TOLERANCE_PP = 0.25
NEAR_POOR_TOLERANCE_PP = 0.35


def mean(series: pl.Series) -> float:
    """Mean of a numeric or boolean series, as a float (nulls ignored)."""
    value = series.cast(pl.Float64).mean()
    assert isinstance(value, float)
    return value


@pytest.fixture(scope="module")
def frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    return generate_frames(20_000, seed=11)


def rough_classes(households: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    """Rough 2022-2025 classification from facts: income ≤ line and ≥ 3 of 12 deprivations.

    Households with any missing fact are dropped (the engine would call them ``incomplete``).
    """
    c = pl.col
    qualified = (
        pl.when(c("age") <= 17)
        .then(c("general_education").is_in(["lower_secondary", "upper_secondary"]))
        .otherwise(
            (c("general_education") == "upper_secondary")
            | (c("vocational_qualification") != "none")
            | c("enterprise_trained")
        )
    )
    per_household = members.group_by("household_id").agg(
        size=pl.len(),
        any_null=pl.any_horizontal(pl.all().is_null()).any(),
        d_employment=(
            (c("age").is_between(15, 59)) & c("employment").is_in(["unemployed", "wage_without_contract"])
        ).any(),
        d_dependants=((c("age") < 16) | (c("age") >= 60) | ~c("has_labour_capacity")).sum() * 2 > pl.len(),
        d_nutrition=((c("age") < 16) & (c("stunted") | c("underweight"))).any(),
        d_health_insurance=((c("age") >= 6) & ~c("has_health_insurance")).any(),
        d_adult_education=(
            c("age").is_between(16, 30) & (c("school_attendance") == "not_attending") & ~qualified
        ).any(),
        d_child_school=(c("age").is_between(3, 15) & (c("school_attendance") != "attending")).any(),
    )
    h = households.join(per_household, on="household_id").with_columns(
        d_housing=~c("has_dwelling") | (c("durable_main_parts") <= 1).fill_null(False),
        d_floor_area=c("floor_area_m2") / c("size") < 8,
        d_water=c("water_source").is_in(UNCLEAN_WATER),
        d_latrine=c("latrine_type").is_in(UNHYGIENIC_LATRINE),
        d_telecom=~c("uses_internet"),
        d_information=~(c("has_tv") | c("has_radio") | c("has_computer") | c("has_smartphone")),
        income_pc=c("income_12m") / 12 / c("size"),
        line=pl.when(c("area") == "urban").then(2_000_000).otherwise(1_500_000),
    )
    deprivations = [name for name in h.columns if name.startswith("d_")]
    return (
        h.filter(~c("any_null") & ~pl.any_horizontal(c(x).is_null() for x in [*deprivations, "income_pc"]))
        .with_columns(
            n_deprivations=pl.sum_horizontal(c(x).cast(pl.Int8) for x in deprivations),
            below=c("income_pc") <= c("line"),
        )
        .with_columns(
            poor=c("below") & (c("n_deprivations") >= 3), near_poor=c("below") & (c("n_deprivations") < 3)
        )
    )


# --- schema ------------------------------------------------------------------------------------------


def test_household_columns_are_the_facts_plus_grouping(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    households, _ = frames
    expected = ["household_id", "province_code", "commune_code", "village_code"]
    expected += [f.name for f in HOUSEHOLD_FACTS if f.name != "household_id"]
    assert households.columns == expected
    assert households.schema == pl.Schema(household_schema())
    for f in HOUSEHOLD_FACTS:
        if f.name != "household_id":
            assert households.schema[f.name] == f.polars_dtype, f.name
    assert households.schema["household_id"] == pl.Int64


def test_member_columns_are_the_facts_plus_member_id(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    _, members = frames
    expected = ["member_id", "household_id"] + [f.name for f in MEMBER_FACTS if f.name != "household_id"]
    assert members.columns == expected
    assert members.schema == pl.Schema(member_schema())
    for f in MEMBER_FACTS:
        if f.name not in ("household_id", "age"):
            assert members.schema[f.name] == f.polars_dtype, f.name
    assert members.schema["age"].is_integer()
    assert members.schema["member_id"] == members.schema["household_id"] == pl.Int64


def test_codes_and_ids(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    households, members = frames
    assert households["household_id"].to_list() == list(range(1, households.height + 1))
    assert set(households["province_code"].unique()) == PROVINCE_CODES_2025
    checks = households.select(
        in_province=(pl.col("commune_code").str.slice(0, 2) == pl.col("province_code")).all(),
        commune=pl.col("commune_code").str.contains(r"^\d{5}$").all(),
        village=pl.col("village_code").str.contains(r"^\d{5}-\d{2}$").all(),
        in_commune=(pl.col("village_code").str.slice(0, 5) == pl.col("commune_code")).all(),
    )
    assert checks.row(0) == (True, True, True, True)
    assert members["member_id"].is_unique().all()
    assert households["income_score"].null_count() == households.height


def test_members_belong_to_households(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    households, members = frames
    assert members["household_id"].is_in(households["household_id"].implode()).all()
    sizes = members.group_by("household_id").len()
    assert sizes.height == households.height  # every household has at least one member
    assert sizes.select(pl.col("len").min()).item() >= 1


# --- determinism -------------------------------------------------------------------------------------


def test_same_seed_same_frames() -> None:
    a = generate_frames(3_000, seed=5)
    b = generate_frames(3_000, seed=5)
    assert_frame_equal(a[0], b[0])
    assert_frame_equal(a[1], b[1])
    c = generate_frames(3_000, seed=6)
    assert not a[0].equals(c[0])


def test_chunk_size_does_not_change_the_data(tmp_path: Path) -> None:
    n = 2 * BLOCK_SIZE + 1_234
    small = generate(n, 3, tmp_path / "small", chunk_size=1, province_codes=["11", "12", "79"])
    large = generate(n, 3, tmp_path / "large", chunk_size=10_000_000, province_codes=["11", "12", "79"])
    frames = generate_frames(n, 3, province_codes=["11", "12", "79"])
    for path_a, path_b, frame in (
        (small.households_path, large.households_path, frames[0]),
        (small.members_path, large.members_path, frames[1]),
    ):
        a, b = pl.read_parquet(path_a), pl.read_parquet(path_b)
        assert_frame_equal(a, b)
        assert_frame_equal(a, frame)
    assert small.members == large.members == frames[1].height


# --- plausibility ------------------------------------------------------------------------------------


def test_population_is_plausible(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    households, members = frames
    assert 3.0 <= members.height / households.height <= 4.2
    assert 0.3 <= mean(households["area"] == "urban") <= 0.5
    assert members.select(pl.col("age").is_between(0, 100).all()).item()
    assert 0.20 <= mean(members["age"] < 15) <= 0.28  # 2019 census: 24.3 %
    assert 0.48 <= mean(members["sex"] == "male") <= 0.52
    assert 0.88 <= mean(members["has_health_insurance"]) <= 0.96
    assert mean(members["has_labour_capacity"]) > 0.9
    under_six = members.filter(pl.col("age") < 6)
    assert (under_six["general_education"] == "none").all()
    school_age = members.filter(pl.col("age").is_between(6, 10))
    assert mean(school_age["school_attendance"] != "not_attending") > 0.9


def test_mountain_provinces_are_larger_and_poorer() -> None:
    households, members = generate_frames(30_000, seed=2, province_codes=["01", "11", "12"], missing_rate=0)
    sizes = members.group_by("household_id").len().join(households, on="household_id")
    by_province = sizes.group_by("province_code").agg(
        size=pl.col("len").mean(),
        urban=(pl.col("area") == "urban").mean(),
        income=(pl.col("income_12m") / 12 / pl.col("len")).median(),
    )
    row = {r["province_code"]: r for r in by_province.to_dicts()}
    assert row["11"]["size"] > row["01"]["size"] + 0.5
    assert row["12"]["urban"] < 0.3 < row["01"]["urban"]
    assert row["01"]["income"] > 2 * row["11"]["income"]
    kids = members.join(households.select("household_id", "province_code"), on="household_id").filter(
        pl.col("age") < 16
    )
    stunting = kids.group_by("province_code").agg(pl.col("stunted").mean())
    rate = dict(stunting.iter_rows())
    assert 0.12 <= rate["11"] <= 0.28
    assert rate["01"] < 0.05


def test_missing_rate() -> None:
    households, members = generate_frames(20_000, seed=9, missing_rate=0.05)
    facts = [c for c in households.columns if c not in ("income_score", "durable_main_parts")]
    blank_household = households.select(
        "household_id",
        blank=pl.any_horizontal(pl.col(facts).is_null())
        | (pl.col("has_dwelling") & pl.col("durable_main_parts").is_null()),
    ).join(
        members.group_by("household_id").agg(blank_member=pl.any_horizontal(pl.all().is_null()).any()),
        on="household_id",
    )
    share = blank_household.select((pl.col("blank") | pl.col("blank_member")).mean()).item()
    assert 0.04 <= share <= 0.06
    clean_h, clean_m = generate_frames(5_000, seed=9, missing_rate=0)
    assert clean_h.drop("income_score", "durable_main_parts").null_count().sum_horizontal().item() == 0
    assert clean_m.null_count().sum_horizontal().item() == 0


# --- calibration -------------------------------------------------------------------------------------


def test_national_poverty_matches_the_published_rates() -> None:
    """On 200,000 households the rough poor share is within ±0.25 pp of the target (≈ 2.17 %)."""
    households, members = generate_frames(200_000, seed=2025)
    classes = rough_classes(households, members)
    poor = 100 * mean(classes["poor"])
    near = 100 * mean(classes["near_poor"])
    target_poor, target_near = national_targets()
    assert abs(poor - target_poor) <= POOR_TOLERANCE_PP, (poor, target_poor)
    assert abs(near - target_near) <= NEAR_POOR_TOLERANCE_PP, (near, target_near)
    mountains = classes.filter(pl.col("province_code").is_in(["11", "12"]))
    assert mean(mountains["poor"]) > 0.12  # published: 21.3 % and 19.5 %


def test_calibration_table() -> None:
    table = calibration_table()
    assert table.height == 34
    assert set(table["province_code"]) == PROVINCE_CODES_2025
    poor, near = national_targets()
    assert 2.0 < poor < 2.3  # regions' published counts over their households (national 1.93 % uses 31 M)
    assert 2.2 < near < 2.6
    lai_chau = table.filter(pl.col("province_code") == "12").row(0, named=True)
    assert lai_chau["poor_rate_target"] == pytest.approx(19.46)


# --- files -------------------------------------------------------------------------------------------


def test_csv_round_trip(tmp_path: Path) -> None:
    summary = generate(4_000, 8, tmp_path, fmt="csv")
    households = pl.read_csv(summary.households_path, schema=household_schema())
    members = pl.read_csv(summary.members_path, schema=member_schema())
    expected = generate_frames(4_000, 8)
    assert_frame_equal(households, expected[0])
    assert_frame_equal(members, expected[1])
    assert summary.members == members.height


def test_manifest(tmp_path: Path) -> None:
    summary = generate(1_000, 4, tmp_path, province_codes=["12", "01"])
    manifest = json.loads(summary.manifest_path.read_text(encoding="utf-8"))
    assert manifest["seed"] == 4
    assert manifest["households"] == 1_000
    assert manifest["members"] == summary.members
    assert manifest["generator_version"] == GENERATOR_VERSION
    assert manifest["province_codes"] == ["01", "12"]
    assert [row["province_code"] for row in manifest["calibration"]] == ["01", "12"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "households.parquet",
        "manifest.json",
        "members.parquet",
    ]
    assert set(pl.read_parquet(summary.households_path)["province_code"]) == {"01", "12"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"households": 0, "seed": 1}, "at least 1"),
        ({"households": 10, "seed": -1}, "non-negative"),
        ({"households": 10, "seed": 1, "province_codes": ["99"]}, "unknown province"),
        ({"households": 10, "seed": 1, "missing_rate": 2.0}, "missing_rate"),
    ],
)
def test_bad_arguments(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        generate_frames(**kwargs)  # type: ignore[arg-type]
