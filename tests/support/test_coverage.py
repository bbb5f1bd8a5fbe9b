"""The coverage computation on hand-made frames (pure Polars, no database): who is eligible under each
rule, covered / eligible / share, records, gaps; and properties: grouping households does not change a
number, nor does row order."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.support.coverage import (
    COVERED_SCHEMA,
    GROUP_SCHEMA,
    NEEDS_SCHEMA,
    PROFILE,
    RECORDS_SCHEMA,
    coverage,
    empty_frame,
    gap_counts,
    gap_summary,
    policy_frame,
    unmet_needs,
    with_needs,
)

YEAR = 2025


def _policy(policy_id: int, **rule: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "policy_id": policy_id,
        "eligible": ["poor"],
        "escaped_within_years": None,
        "ethnic_minority_only": False,
        "area": "",
        "need": "",
        "coverage_basis": "households",
        "unit_commune_id": None,
    }
    return base | rule


def _household(**profile: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "commune_id": 1,
        "sub_id": 10,
        "klass": "poor",
        "area": "rural",
        "ethnic_minority": False,
        "needs": [],
        "poor_before": None,
        "households": 1,
        "members": 3,
    }
    return base | profile


_HOUSEHOLDS: dict[str, pl.DataType] = {
    **PROFILE,
    "needs": pl.List(pl.String()),
    "households": pl.Int64(),
    "members": pl.Int64(),
}


def _population(*households: dict[str, Any]) -> pl.DataFrame:
    """:data:`GROUP_SCHEMA` rows of households given with their list of needs."""
    return with_needs(pl.DataFrame(list(households), schema=_HOUSEHOLDS, orient="row"))


def _covered(rows: list[dict[str, Any]], needs: dict[int, str]) -> pl.DataFrame:
    """Covered rows of households given with their needs (``has_need`` from the policy's need)."""
    return pl.DataFrame(
        [
            {k: v for k, v in row.items() if k in COVERED_SCHEMA}
            | {"has_need": needs.get(row["policy_id"], "") in row.get("needs", [])}
            for row in rows
        ],
        schema=COVERED_SCHEMA,
    )


def _eligible(rule: dict[str, Any], household: dict[str, Any]) -> int:
    result = coverage(
        policy_frame([_policy(1, **rule)]),
        _population(_household(**household)),
        empty_frame(COVERED_SCHEMA),
        empty_frame(RECORDS_SCHEMA),
        year=YEAR,
    )
    return int(result.total["eligible"][0])


@pytest.mark.parametrize(
    ("rule", "household", "eligible"),
    [
        ({"eligible": ["poor"]}, {"klass": "poor"}, 1),
        ({"eligible": ["poor"]}, {"klass": "near_poor"}, 0),
        ({"eligible": ["poor", "near_poor"]}, {"klass": "near_poor"}, 1),
        ({"eligible": ["middle_living"]}, {"klass": "middle_living"}, 1),
        ({"eligible": ["poor", "near_poor"]}, {"klass": "incomplete"}, 0),
        # newly escaped: above the near-poor line now, escaped (the round after the last poor one) at most
        # N years before: poor in 2021, escaped in 2022, 3 years → 2025 still counts; poor in 2020 no longer
        (
            {"eligible": ["newly_escaped"], "escaped_within_years": 3},
            {"klass": "not_poor", "poor_before": 2022},
            1,
        ),
        (
            {"eligible": ["newly_escaped"], "escaped_within_years": 3},
            {"klass": "not_poor", "poor_before": 2021},
            1,
        ),
        (
            {"eligible": ["newly_escaped"], "escaped_within_years": 3},
            {"klass": "not_poor", "poor_before": 2020},
            0,
        ),
        (
            {"eligible": ["newly_escaped"], "escaped_within_years": 1},
            {"klass": "middle_living", "poor_before": 2024},
            1,
        ),
        (
            {"eligible": ["newly_escaped"], "escaped_within_years": 1},
            {"klass": "middle_living", "poor_before": 2023},
            1,
        ),
        (
            {"eligible": ["newly_escaped"], "escaped_within_years": 1},
            {"klass": "middle_living", "poor_before": 2022},
            0,
        ),
        ({"eligible": ["newly_escaped"]}, {"klass": "not_poor", "poor_before": 2010}, 1),  # unset: no limit
        ({"eligible": ["newly_escaped"]}, {"klass": "poor", "poor_before": 2024}, 0),  # still poor
        ({"eligible": ["newly_escaped"]}, {"klass": "near_poor", "poor_before": 2024}, 0),  # still near-poor
        (
            {"eligible": ["newly_escaped"]},
            {"klass": "incomplete", "poor_before": 2024},
            0,
        ),  # no class: not escaped
        ({"eligible": ["newly_escaped"]}, {"klass": "not_poor", "poor_before": None}, 0),  # never poor
        (
            {"eligible": ["newly_escaped"]},
            {"klass": "not_poor", "poor_before": 2025},
            0,
        ),  # not an earlier year
        # ethnic minority, area, the issuing commune
        ({"ethnic_minority_only": True}, {"ethnic_minority": False}, 0),
        ({"ethnic_minority_only": True}, {"ethnic_minority": True}, 1),
        ({"area": "urban"}, {"area": "rural"}, 0),
        ({"area": "rural"}, {"area": "rural"}, 1),
        ({"unit_commune_id": 2}, {"commune_id": 1}, 0),
        ({"unit_commune_id": 1}, {"commune_id": 1}, 1),
        # the coverage basis
        ({"coverage_basis": "members"}, {"members": 4}, 4),
        ({"coverage_basis": "households_with_need", "need": "housing"}, {"needs": ["housing"]}, 1),
        ({"coverage_basis": "households_with_need", "need": "housing"}, {"needs": ["education"]}, 0),
        ({"coverage_basis": "households_with_need", "need": ""}, {"needs": []}, 1),
        ({"coverage_basis": "households", "need": "housing"}, {"needs": []}, 1),  # need only for gaps
    ],
)
def test_who_is_eligible(rule: dict[str, Any], household: dict[str, Any], eligible: int) -> None:
    assert _eligible(rule, household) == eligible


def test_covered_share_and_records() -> None:
    policies = policy_frame(
        [_policy(1), _policy(2, coverage_basis="members", eligible=["poor", "near_poor"]), _policy(3)]
    )
    population = _population(
        _household(sub_id=10, households=3, members=9),
        _household(sub_id=11, klass="near_poor", households=2, members=5),
        _household(sub_id=None, households=1, members=2),
    )
    covered = _covered(
        [
            {**_household(sub_id=10), "policy_id": 1, "covered": 2},
            {**_household(sub_id=10), "policy_id": 2, "covered": 7},
            # a near-poor household covered by policy 1 (poor only): not counted as covered
            {**_household(sub_id=11, klass="near_poor"), "policy_id": 1, "covered": 1},
            {**_household(sub_id=11, klass="near_poor"), "policy_id": 2, "covered": 5},
        ],
        {},
    )
    records = pl.DataFrame(
        [
            {"policy_id": 1, "sub_id": 10, "records": 5, "ineligible_records": 0},
            {"policy_id": 1, "sub_id": 11, "records": 1, "ineligible_records": 1},
            {"policy_id": 9, "sub_id": 10, "records": 4, "ineligible_records": 0},  # not a listed policy
        ],
        schema=RECORDS_SCHEMA,
    )
    result = coverage(policies, population, covered, records, year=YEAR)
    assert result.total.rows() == [
        (1, 4, 2, 50.0, 6, 1),
        (2, 16, 12, 75.0, 0, 0),
        (3, 4, 0, 0.0, 0, 0),
    ]
    assert result.by_unit.filter(pl.col("policy_id") == 1).rows() == [
        (1, 10, 3, 2, 66.67, 5, 0),
        (1, 11, 0, 0, None, 1, 1),
        (1, None, 1, 0, 0.0, 0, 0),
    ]


def test_policies_without_anyone_keep_their_row() -> None:
    result = coverage(
        policy_frame([_policy(5, eligible=["middle_living"])]),
        empty_frame(GROUP_SCHEMA),
        empty_frame(COVERED_SCHEMA),
        empty_frame(RECORDS_SCHEMA),
        year=YEAR,
    )
    assert result.total.rows() == [(5, 0, 0, None, 0, 0)]
    assert result.by_unit.height == 0


def test_share_is_rounded_half_up() -> None:
    # 1/8 = 12.5 %, 1/3 = 33.333… %, 2/3 = 66.666… %; 1 / 1600 = 0.0625 % → 0.06; 1/ 800 = 0.125 → 0.13
    rows = []
    for covered, eligible in ((1, 8), (1, 3), (2, 3), (1, 1600), (1, 800)):
        result = coverage(
            policy_frame([_policy(1)]),
            _population(_household(households=eligible)),
            _covered([{**_household(), "policy_id": 1, "covered": covered}], {}),
            empty_frame(RECORDS_SCHEMA),
            year=YEAR,
        )
        rows.append(result.total["share"][0])
    assert rows == [12.5, 33.33, 66.67, 0.06, 0.13]


def test_unmet_needs_keep_the_stated_order() -> None:
    needs = pl.DataFrame(
        [
            {"household_id": 1, "sub_id": 10, "klass": "poor", "needs": ["housing", "credit", "water"]},
            {"household_id": 2, "sub_id": 10, "klass": "near_poor", "needs": ["credit"]},
            {"household_id": 3, "sub_id": None, "klass": "", "needs": ["other"]},
        ],
        schema=NEEDS_SCHEMA,
    )
    answered = pl.DataFrame({"household_id": [1, 1, 2, 2], "need": ["credit", "jobs", "credit", "credit"]})
    unmet = unmet_needs(needs, answered)
    assert unmet["unmet"].to_list() == [["housing", "water"], [], ["other"]]
    summary = gap_summary(unmet, ["credit", "housing", "jobs"])
    assert summary.rows() == [
        ("credit", 2, 0),
        ("housing", 1, 1),
        ("jobs", 0, 0),
        ("other", 1, 1),
        ("water", 1, 1),
    ]


def test_gap_counts_of_grouped_households() -> None:
    """Households grouped by what they stated and what was answered give the household-by-household
    numbers: 3 households stated credit and housing, 2 of them got credit; 1 stated "other" alone."""
    groups = pl.DataFrame(
        [
            {"needs": ["housing", "credit"], "answered": ["credit"], "households": 2},
            {"needs": ["housing", "credit"], "answered": [], "households": 1},
            {"needs": ["other"], "answered": ["credit"], "households": 1},
            {"needs": ["credit"], "answered": ["credit", "housing"], "households": 4},
        ]
    )
    counts = gap_counts(groups, ["credit", "housing", "jobs"])
    assert (counts.stated, counts.unmet) == (8, 4)
    assert counts.summary.rows() == [
        ("credit", 7, 1),
        ("housing", 3, 3),
        ("jobs", 0, 0),
        ("other", 1, 1),
    ]
    none = gap_counts(groups.clear(), ["credit"])
    assert (none.stated, none.unmet, none.summary.rows()) == (0, 0, [("credit", 0, 0)])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["credit", "housing", "water", "other"]), unique=True, min_size=1),
            st.lists(st.sampled_from(["credit", "housing", "water"]), unique=True),
        ),
        max_size=20,
    )
)
def test_gap_counts_equal_the_household_by_household_gaps(
    households: list[tuple[list[str], list[str]]],
) -> None:
    needs = pl.DataFrame(
        [
            {"household_id": i, "sub_id": None, "klass": "poor", "needs": stated}
            for i, (stated, _answered) in enumerate(households)
        ],
        schema=NEEDS_SCHEMA,
    )
    answered = pl.DataFrame(
        [(i, need) for i, (_stated, got) in enumerate(households) for need in got],
        schema={"household_id": pl.Int64(), "need": pl.String()},
        orient="row",
    )
    unmet = unmet_needs(needs, answered)
    order = ["credit", "housing", "water"]
    groups = (
        pl.DataFrame(
            [{"needs": stated, "answered": sorted(got)} for stated, got in households],
            schema={"needs": pl.List(pl.String()), "answered": pl.List(pl.String())},
        )
        .group_by("needs", "answered")
        .len("households")
    )
    counts = gap_counts(groups, order)
    assert counts.summary.equals(gap_summary(unmet, order))
    assert counts.stated == unmet.height
    assert counts.unmet == unmet.filter(pl.col("unmet").list.len() > 0).height


_classes = st.sampled_from(["poor", "near_poor", "middle_living", "not_poor"])
_needs = st.lists(st.sampled_from(["credit", "housing", "education"]), unique=True, max_size=3)
_households = st.lists(
    st.fixed_dictionaries(
        {
            "sub_id": st.sampled_from([10, 11, None]),
            "klass": _classes,
            "area": st.sampled_from(["urban", "rural"]),
            "ethnic_minority": st.booleans(),
            "needs": _needs,
            "poor_before": st.sampled_from([None, 2022, 2024]),
            "members": st.integers(1, 6),
            "covered_by": st.lists(st.sampled_from([1, 2, 3, 4]), unique=True, max_size=4),
        }
    ),
    max_size=25,
)
_RULES = [
    _policy(1),
    _policy(
        2, eligible=["poor", "near_poor", "newly_escaped"], escaped_within_years=3, coverage_basis="members"
    ),
    _policy(3, eligible=["near_poor"], coverage_basis="households_with_need", need="credit", area="rural"),
    _policy(4, eligible=["middle_living", "poor"], ethnic_minority_only=True),
]


_RULE_NEEDS = {p["policy_id"]: p["need"] for p in _RULES}


def _frames(households: list[dict[str, Any]]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The population and the covered rows, household by household (one row each)."""
    rows = [
        {k: v for k, v in h.items() if k != "covered_by"} | {"households": 1, "commune_id": 1}
        for h in households
    ]
    covered = _covered(
        [
            {k: v for k, v in h.items() if k not in ("covered_by", "members")}
            | {"commune_id": 1, "policy_id": p, "covered": h["members"] if p == 2 else 1}
            for h in households
            for p in h["covered_by"]
        ],
        _RULE_NEEDS,
    )
    return pl.DataFrame(rows, schema=_HOUSEHOLDS, orient="row"), covered


def _long(frame: pl.DataFrame) -> pl.DataFrame:
    """:data:`GROUP_SCHEMA` household by household (no grouping at all)."""
    base = frame.drop("needs").with_columns(pl.lit(None, pl.String).alias("need"))
    stated = frame.rename({"needs": "need"}).explode("need").drop_nulls("need")
    return pl.concat([base.select(list(GROUP_SCHEMA)), stated.select(list(GROUP_SCHEMA))]).cast(GROUP_SCHEMA)  # type: ignore[arg-type]


def _grouped(frame: pl.DataFrame, value: list[str]) -> pl.DataFrame:
    keys = [c for c in frame.columns if c not in value]
    return frame.group_by(keys).agg(pl.col(value).sum())


@settings(max_examples=60, deadline=None)
@given(_households, st.randoms())
def test_grouping_and_order_change_nothing(households: list[dict[str, Any]], random: Any) -> None:
    households_frame, covered = _frames(households)
    policies = policy_frame(_RULES)
    one_by_one = coverage(policies, _long(households_frame), covered, empty_frame(RECORDS_SCHEMA), year=YEAR)
    # the same households counted by profile first (as the database does), needs and all
    grouped = coverage(
        policies,
        _grouped(with_needs(households_frame), ["households", "members"]),
        _grouped(covered, ["covered"]),
        empty_frame(RECORDS_SCHEMA),
        year=YEAR,
    )
    shuffled = list(households)
    random.shuffle(shuffled)
    again_households, again_covered = _frames(shuffled)
    again = coverage(
        policies, with_needs(again_households), again_covered, empty_frame(RECORDS_SCHEMA), year=YEAR
    )
    assert one_by_one.total.equals(grouped.total)
    assert one_by_one.total.equals(again.total)
    assert one_by_one.by_unit.equals(grouped.by_unit)
    totals = one_by_one.total
    assert (totals["covered"] <= totals["eligible"]).all()
    sums = one_by_one.by_unit.group_by("policy_id").agg(pl.col("eligible").sum()).sort("policy_id")
    assert sums["eligible"].to_list() == [
        e for p, e in zip(totals["policy_id"], totals["eligible"], strict=True) if p in set(sums["policy_id"])
    ]
