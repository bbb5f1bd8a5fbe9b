"""Tests for giamngheo.measures.alkire_foster.

The worked example is the 4 persons x 4 dimensions achievement matrix of Alkire and Foster (2011),
J. Public Economics 95, section 2 (income, years of schooling, a health score and health insurance),
with deprivation cut-offs z = (13, 12, 3, 1). The matrix and cut-offs were checked against a public
reproduction of the example (R package perlatex/easyuse, README); the paper's own text could not be
retrieved here, so every expected figure below is recomputed by hand in the comments.
"""

from __future__ import annotations

import math
from dataclasses import replace

import hypothesis.strategies as st
import polars as pl
import pytest
from hypothesis import given, settings
from polars.testing import assert_frame_equal
from polars.testing.parametric import column, dataframes

from giamngheo.measures import AFResult, alkire_foster, deprivation_matrix

DIMENSIONS = ["income", "schooling", "health", "insured"]
UNIT_WEIGHTS = dict.fromkeys(DIMENSIONS, 1.0)

# Alkire & Foster (2011): y (rows = persons 1..4), z = (13, 12, 3, 1).
ACHIEVEMENTS = pl.DataFrame(
    {
        "person": [1, 2, 3, 4],
        "income": [13.1, 15.2, 12.5, 20.0],
        "schooling": [14, 7, 10, 11],
        "health": [4, 5, 1, 3],
        "insured": [1, 0, 0, 1],
    }
)
CUTOFFS = {"income": 13.0, "schooling": 12.0, "health": 3.0, "insured": 1.0}

# g0_ij = 1 iff y_ij < z_j. Person 4's health (3) and persons 1 and 4's insurance (1) sit exactly at the
# cut-off: not deprived. Scores c = (0, 2, 4, 1).
G0 = pl.DataFrame(
    {
        "person": [1, 2, 3, 4],
        "income": [False, False, True, False],
        "schooling": [False, True, True, True],
        "health": [False, False, True, False],
        "insured": [False, True, True, False],
    }
)

SETTINGS = settings(max_examples=100, deadline=None)
REL, ABS = 1e-9, 1e-12


def h_a_m0(result: AFResult) -> tuple[float, float, float]:
    return (result.H, result.A, result.M0)


def assert_results_close(left: AFResult, right: AFResult) -> None:
    for name in ("H", "A", "M0", "n", "q", "k"):
        assert getattr(left, name) == pytest.approx(getattr(right, name)), name
    for name in ("censored_headcount", "uncensored_headcount", "contribution"):
        assert getattr(left, name) == pytest.approx(getattr(right, name), rel=REL, abs=ABS), name
    if left.groups is None or right.groups is None:
        assert left.groups is None and right.groups is None
    else:
        assert_frame_equal(left.groups, right.groups, check_exact=False, rel_tol=REL, abs_tol=ABS)


# --- deprivation_matrix ----------------------------------------------------------------------------


def test_deprivation_matrix_worked_example() -> None:
    assert_frame_equal(deprivation_matrix(ACHIEVEMENTS, CUTOFFS), G0)


def test_achievement_at_cutoff_is_not_deprived() -> None:
    frame = pl.DataFrame({"x": [2.999, 3.0, 3.001], "flag": [False, True, True]})
    result = deprivation_matrix(frame, {"x": 3.0, "flag": 1})
    assert result.get_column("x").to_list() == [True, False, False]
    assert result.get_column("flag").to_list() == [True, False, False]


def test_deprivation_matrix_passes_other_columns_through_unchanged() -> None:
    frame = ACHIEVEMENTS.with_columns(commune=pl.lit("00001"), size=pl.lit(3, dtype=pl.UInt8))
    result = deprivation_matrix(frame, {"income": 13.0})
    assert result.columns == frame.columns
    assert_frame_equal(result.drop("income"), frame.drop("income"))
    assert result.schema["income"] == pl.Boolean


def test_deprivation_matrix_keeps_missing_as_null() -> None:
    frame = pl.DataFrame({"x": [1.0, None, float("nan"), 5.0], "y": [None, None, None, None]})
    result = deprivation_matrix(frame, {"x": 3.0, "y": 1.0})
    assert result.get_column("x").to_list() == [True, None, None, False]
    assert result.get_column("y").to_list() == [None, None, None, None]
    assert result.schema["y"] == pl.Boolean


def test_deprivation_matrix_unknown_column_raises() -> None:
    with pytest.raises(ValueError, match=r"unknown achievement column\(s\): wealth"):
        deprivation_matrix(ACHIEVEMENTS, {"income": 13.0, "wealth": 1.0})


@pytest.mark.parametrize("cutoff", [math.nan, math.inf, "3"])
def test_deprivation_matrix_rejects_bad_cutoff(cutoff: object) -> None:
    with pytest.raises(ValueError, match="finite number"):
        deprivation_matrix(ACHIEVEMENTS, {"income": cutoff})  # type: ignore[dict-item]


def test_deprivation_matrix_rejects_text_column() -> None:
    with pytest.raises(ValueError, match="numeric or Boolean"):
        deprivation_matrix(pl.DataFrame({"x": ["a"]}), {"x": 1.0})


# --- alkire_foster: the worked example ------------------------------------------------------------


@pytest.mark.parametrize(
    ("k", "h", "a", "m0"),
    [
        # k = 1 (union): persons 2, 3, 4 poor; censored scores (0, 2, 4, 1) -> H = 3/4,
        # A = (2 + 4 + 1) / (3 * 4) = 7/12, M0 = 7/16.
        (1, 3 / 4, 7 / 12, 7 / 16),
        # k = 2: persons 2, 3 poor; censored scores (0, 2, 4, 0) -> H = 1/2, A = 6/8 = 3/4, M0 = 6/16 = 3/8.
        (2, 1 / 2, 3 / 4, 3 / 8),
        # k = 3 and k = 4 (intersection): only person 3 -> H = 1/4, A = 4/4 = 1, M0 = 1/4.
        (3, 1 / 4, 1.0, 1 / 4),
        (4, 1 / 4, 1.0, 1 / 4),
        # k = 5 > sum of weights: nobody is poor.
        (5, 0.0, 0.0, 0.0),
    ],
)
def test_worked_example_h_a_m0(k: float, h: float, a: float, m0: float) -> None:
    result = alkire_foster(G0, UNIT_WEIGHTS, k=k)
    assert h_a_m0(result) == pytest.approx((h, a, m0))
    assert result.n == 4.0
    assert result.q == pytest.approx(4 * h)
    assert result.k == float(k)
    assert result.groups is None


def test_worked_example_headcounts_and_contributions() -> None:
    result = alkire_foster(G0, UNIT_WEIGHTS, k=2)
    # Uncensored: income {3}, schooling {2, 3, 4}, health {3}, insured {2, 3} out of 4.
    assert result.uncensored_headcount == pytest.approx(
        {"income": 0.25, "schooling": 0.75, "health": 0.25, "insured": 0.5}
    )
    # Censored (poor = {2, 3}): person 4's schooling deprivation is censored.
    assert result.censored_headcount == pytest.approx(
        {"income": 0.25, "schooling": 0.5, "health": 0.25, "insured": 0.5}
    )
    # contribution_j = w_j CH_j / (sum(w) M0) = CH_j / (4 * 3/8) = CH_j / 1.5.
    assert result.contribution == pytest.approx(
        {"income": 1 / 6, "schooling": 1 / 3, "health": 1 / 6, "insured": 1 / 3}
    )


def test_weights_summing_to_one_give_the_same_result() -> None:
    # Scaling the weights and k together changes nothing: w = 1/4, k = 2/4.
    unit = alkire_foster(G0, UNIT_WEIGHTS, k=2)
    shares = alkire_foster(G0, dict.fromkeys(DIMENSIONS, 0.25), k=0.5)
    assert_results_close(shares, replace(unit, k=0.5))


def test_unequal_weights_worked_by_hand() -> None:
    # Weights (2, 1, 1, 0), sum 4, k = 2. Scores: p1 0, p2 1 (schooling), p3 4, p4 1 -> only p3 poor.
    # H = 1/4, A = 4/4 = 1, M0 = 1/4. CH: income 1/4, schooling 1/4, health 1/4, insured 1/4.
    # Contributions: 2*(1/4)/(4*1/4) = 1/2, 1/4, 1/4 and 0 for the zero-weight indicator.
    weights = {"income": 2.0, "schooling": 1.0, "health": 1.0, "insured": 0.0}
    result = alkire_foster(G0, weights, k=2)
    assert h_a_m0(result) == pytest.approx((0.25, 1.0, 0.25))
    assert result.contribution == pytest.approx(
        {"income": 0.5, "schooling": 0.25, "health": 0.25, "insured": 0}
    )


def test_groups_worked_example() -> None:
    # Groups: {1, 3} and {2, 4}, k = 2. Group x: p3 poor (score 4) -> H 1/2, A 1, M0 4/8 = 1/2.
    # Group y: p2 poor (score 2) -> H 1/2, A 2/4 = 1/2, M0 2/8 = 1/4.
    # M0 = 0.5 * 1/2 + 0.5 * 1/4 = 3/8. Contributions to M0: 0.5*0.5/(3/8) = 2/3 and 0.5*0.25/(3/8) = 1/3.
    frame = G0.with_columns(area=pl.Series(["x", "y", "x", "y"]))
    result = alkire_foster(frame, UNIT_WEIGHTS, k=2, by="area")
    expected = pl.DataFrame(
        {
            "area": ["x", "y"],
            "n": [2.0, 2.0],
            "population_share": [0.5, 0.5],
            "H": [0.5, 0.5],
            "A": [1.0, 0.5],
            "M0": [0.5, 0.25],
            "contribution_to_M0": [2 / 3, 1 / 3],
            "ch_income": [0.5, 0.0],
            "ch_schooling": [0.5, 0.5],
            "ch_health": [0.5, 0.0],
            "ch_insured": [0.5, 0.5],
        }
    )
    assert result.groups is not None
    assert_frame_equal(result.groups, expected, check_exact=False)
    assert math.isclose(result.M0, 3 / 8)


def test_groups_sorted_by_every_group_column() -> None:
    frame = pl.concat([G0, G0]).with_columns(
        province=pl.Series(["b", "a", "b", "a", "a", "b", "a", "b"]),
        district=pl.Series([2, 1, 1, 2, 1, 2, 2, 1]),
    )
    result = alkire_foster(frame, UNIT_WEIGHTS, k=2, by=["province", "district"])
    assert result.groups is not None
    assert result.groups.select("province", "district").rows() == [("a", 1), ("a", 2), ("b", 1), ("b", 2)]


# --- alkire_foster: edge cases --------------------------------------------------------------------


def test_nobody_poor() -> None:
    frame = pl.DataFrame({name: [False, False, False] for name in DIMENSIONS})
    result = alkire_foster(frame, UNIT_WEIGHTS, k=1)
    assert (result.H, result.A, result.M0, result.q) == (0.0, 0.0, 0.0, 0.0)
    assert result.contribution == dict.fromkeys(DIMENSIONS, 0.0)
    assert result.censored_headcount == dict.fromkeys(DIMENSIONS, 0.0)


def test_deprived_but_below_k_are_censored_and_contributions_are_zero() -> None:
    result = alkire_foster(G0, UNIT_WEIGHTS, k=4.5)
    assert result.M0 == 0.0
    assert result.A == 0.0
    assert result.uncensored_headcount["schooling"] == 0.75
    assert result.censored_headcount == dict.fromkeys(DIMENSIONS, 0.0)
    assert result.contribution == dict.fromkeys(DIMENSIONS, 0.0)


def test_nobody_poor_with_groups_gives_zero_contributions() -> None:
    frame = G0.with_columns(area=pl.Series(["x", "y", "x", "y"]))
    result = alkire_foster(frame, UNIT_WEIGHTS, k=4.5, by="area")
    assert result.groups is not None
    assert result.groups.get_column("contribution_to_M0").to_list() == [0.0, 0.0]
    assert result.groups.get_column("A").to_list() == [0.0, 0.0]


def test_everybody_poor() -> None:
    frame = pl.DataFrame({name: [True, True] for name in DIMENSIONS})
    result = alkire_foster(frame, UNIT_WEIGHTS, k=4)
    assert (result.H, result.A, result.M0, result.q) == (1.0, 1.0, 1.0, 2.0)
    assert result.contribution == pytest.approx(dict.fromkeys(DIMENSIONS, 0.25))


def test_vietnam_three_of_twelve_score_equal_to_k_is_poor() -> None:
    names = [f"i{j:02d}" for j in range(12)]
    three = dict.fromkeys(names, False) | {"i00": True, "i05": True, "i11": True}
    two = dict.fromkeys(names, False) | {"i00": True, "i05": True}
    frame = pl.DataFrame([three, two])
    result = alkire_foster(frame, dict.fromkeys(names, 1.0), k=3)
    # Household 1: c = 3 == k -> poor; household 2: c = 2 -> not poor. H = 1/2, A = 3/12, M0 = 1/8.
    assert h_a_m0(result) == pytest.approx((0.5, 0.25, 0.125))


def test_fractional_weights_reaching_k_count_as_poor() -> None:
    # Ten indicators of weight 0.1; eight deprivations add up to 0.7999999999999999 in binary
    # floating point, which must still reach k = 0.8.
    assert sum([0.1] * 8) < 0.8
    names = [f"i{j}" for j in range(10)]
    frame = pl.DataFrame([{name: j < 8 for j, name in enumerate(names)}])
    result = alkire_foster(frame, dict.fromkeys(names, 0.1), k=0.8)
    assert result.H == 1.0
    assert math.isclose(result.M0, 0.8)


def test_one_row() -> None:
    result = alkire_foster(G0.slice(2, 1), UNIT_WEIGHTS, k=2)
    assert (result.H, result.A, result.M0, result.n) == (1.0, 1.0, 1.0, 1.0)


def test_integer_indicators_are_accepted() -> None:
    as_integers = G0.with_columns(pl.col(DIMENSIONS).cast(pl.Int8))
    assert_results_close(alkire_foster(as_integers, UNIT_WEIGHTS, k=2), alkire_foster(G0, UNIT_WEIGHTS, k=2))


def test_integer_indicator_outside_zero_one_raises() -> None:
    frame = G0.with_columns(income=pl.Series([0, 2, 1, 0]))
    with pytest.raises(ValueError, match=r"other than 0/1: income \(1\)"):
        alkire_foster(frame, UNIT_WEIGHTS, k=2)


def test_float_indicator_raises() -> None:
    frame = G0.with_columns(pl.col("income").cast(pl.Float64))
    with pytest.raises(ValueError, match="Boolean or 0/1 integers: income"):
        alkire_foster(frame, UNIT_WEIGHTS, k=2)


def test_nulls_raise_naming_columns_and_count() -> None:
    frame = G0.with_columns(
        income=pl.Series([None, False, True, None], dtype=pl.Boolean),
        health=pl.Series([False, None, True, False], dtype=pl.Boolean),
    )
    with pytest.raises(
        ValueError, match=r"3 missing value\(s\) in indicator columns income \(2\), health \(1\)"
    ):
        alkire_foster(frame, UNIT_WEIGHTS, k=2)


def test_unknown_indicator_raises() -> None:
    with pytest.raises(ValueError, match=r"unknown indicator column\(s\): water"):
        alkire_foster(G0, {**UNIT_WEIGHTS, "water": 1.0}, k=2)


def test_unknown_group_and_sample_weight_columns_raise() -> None:
    with pytest.raises(ValueError, match=r"unknown group column\(s\): commune"):
        alkire_foster(G0, UNIT_WEIGHTS, k=2, by="commune")
    with pytest.raises(ValueError, match=r"unknown sample weight column\(s\): size"):
        alkire_foster(G0, UNIT_WEIGHTS, k=2, sample_weight="size")


@pytest.mark.parametrize("k", [0, -1, math.nan, math.inf])
def test_non_positive_k_raises(k: float) -> None:
    with pytest.raises(ValueError, match="positive number"):
        alkire_foster(G0, UNIT_WEIGHTS, k=k)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({**UNIT_WEIGHTS, "income": -1.0}, "finite and non-negative: income=-1.0"),
        ({**UNIT_WEIGHTS, "income": math.nan}, "finite and non-negative"),
        (dict.fromkeys(DIMENSIONS, 0.0), "all 0"),
        ({}, "empty"),
    ],
)
def test_bad_weights_raise(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        alkire_foster(G0, weights, k=1)


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (pl.Series([1.0, -1.0, 1.0, 1.0]), "1 negative"),
        (pl.Series([1.0, None, 1.0, None]), "2 null"),
        (pl.Series([1.0, math.nan, 1.0, 1.0]), "1 NaN or infinite"),
        (pl.Series(["1", "1", "1", "1"]), "must be numeric"),
    ],
)
def test_bad_sample_weights_raise(size: pl.Series, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        alkire_foster(G0.with_columns(size=size), UNIT_WEIGHTS, k=2, sample_weight="size")


def test_zero_population_raises() -> None:
    with pytest.raises(ValueError, match="population is 0"):
        alkire_foster(G0.with_columns(size=pl.lit(0)), UNIT_WEIGHTS, k=2, sample_weight="size")


def test_empty_frame_raises() -> None:
    with pytest.raises(ValueError, match="no rows"):
        alkire_foster(G0.clear(), UNIT_WEIGHTS, k=2)


@pytest.mark.parametrize(("by", "message"), [("M0", "clash with output"), ("income", "more than one role")])
def test_clashing_group_column_raises(by: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        alkire_foster(G0.with_columns(M0=pl.lit(1)), UNIT_WEIGHTS, k=2, by=by)


def test_sample_weight_equals_replicating_rows() -> None:
    # Person weights (3, 0, 1, 2): replicate person 1 three times, drop person 2, and so on.
    sizes = [3, 0, 1, 2]
    weighted = alkire_foster(G0.with_columns(size=pl.Series(sizes)), UNIT_WEIGHTS, k=2, sample_weight="size")
    replicated = alkire_foster(
        G0.select(pl.all().repeat_by(pl.Series(sizes)).explode()).drop_nulls(), UNIT_WEIGHTS, k=2
    )
    assert_results_close(weighted, replicated)
    # By hand: n = 6; poor = person 3 (weight 1, score 4) -> H = 1/6, A = 1, M0 = 4/(6*4) = 1/6.
    assert (weighted.n, weighted.q) == (6.0, 1.0)
    assert h_a_m0(weighted) == pytest.approx((1 / 6, 1.0, 1 / 6))


def test_group_with_zero_weight_has_null_measures() -> None:
    frame = G0.with_columns(area=pl.Series(["x", "y", "x", "y"]), size=pl.Series([1, 0, 1, 0]))
    result = alkire_foster(frame, UNIT_WEIGHTS, k=2, by="area", sample_weight="size")
    assert result.groups is not None
    row = result.groups.filter(pl.col("area") == "y").row(0, named=True)
    assert (row["n"], row["population_share"], row["contribution_to_M0"]) == (0.0, 0.0, 0.0)
    assert (row["H"], row["A"], row["M0"], row["ch_income"]) == (None, None, None, None)


def test_null_group_key_is_its_own_group_sorted_last() -> None:
    frame = G0.with_columns(area=pl.Series(["x", None, "x", None], dtype=pl.String))
    result = alkire_foster(frame, UNIT_WEIGHTS, k=2, by="area")
    assert result.groups is not None
    assert result.groups.get_column("area").to_list() == ["x", None]


# --- properties -----------------------------------------------------------------------------------


WEIGHT_VALUES = st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0])


@st.composite
def af_problems(draw: st.DrawFn) -> tuple[pl.DataFrame, dict[str, float], float]:
    """A small deprivation frame with a group column and integer sample weights, weights and k."""
    indicators = [f"i{j}" for j in range(draw(st.integers(1, 5)))]
    frame = draw(
        dataframes(
            cols=[
                *(column(name, dtype=pl.Boolean, allow_null=False) for name in indicators),
                column("group", dtype=pl.Int8, strategy=st.integers(0, 2), allow_null=False),
                column("size", dtype=pl.Int64, strategy=st.integers(0, 3), allow_null=False),
            ],
            min_size=1,
            max_size=12,
        )
    )
    assert isinstance(frame, pl.DataFrame)
    if frame.get_column("size").sum() == 0:
        frame = frame.with_columns(size=pl.lit(1, dtype=pl.Int64))
    weights = {name: draw(WEIGHT_VALUES) for name in indicators}
    k = draw(st.floats(min_value=0.05, max_value=1.0)) * sum(weights.values())
    return frame, weights, k


@SETTINGS
@given(af_problems(), st.booleans())
def test_m0_is_h_times_a(problem: tuple[pl.DataFrame, dict[str, float], float], weighted: bool) -> None:
    frame, weights, k = problem
    result = alkire_foster(frame, weights, k, sample_weight="size" if weighted else None)
    assert math.isclose(result.M0, result.H * result.A, abs_tol=1e-12)
    assert 0.0 <= result.M0 <= result.H <= 1.0
    total = sum(weights.values())
    weighted_ch = sum(weights[j] * result.censored_headcount[j] for j in weights) / total
    assert math.isclose(result.M0, weighted_ch, abs_tol=1e-12)


@SETTINGS
@given(af_problems())
def test_contributions_add_up_to_one(problem: tuple[pl.DataFrame, dict[str, float], float]) -> None:
    frame, weights, k = problem
    result = alkire_foster(frame, weights, k, by="group")
    if result.M0 > 0:
        assert sum(result.contribution.values()) == pytest.approx(1.0)
        assert result.groups is not None
        assert result.groups.get_column("contribution_to_M0").sum() == pytest.approx(1.0)
    else:
        assert set(result.contribution.values()) == {0.0}


@SETTINGS
@given(af_problems(), st.booleans())
def test_subgroup_decomposition(
    problem: tuple[pl.DataFrame, dict[str, float], float], weighted: bool
) -> None:
    frame, weights, k = problem
    sample_weight = "size" if weighted else None
    result = alkire_foster(frame, weights, k, by="group", sample_weight=sample_weight)
    groups = result.groups
    assert groups is not None
    populated = groups.filter(pl.col("n") > 0)
    assert groups.get_column("population_share").sum() == pytest.approx(1.0)
    assert (populated["population_share"] * populated["M0"]).sum() == pytest.approx(result.M0)
    assert (populated["population_share"] * populated["H"]).sum() == pytest.approx(result.H)
    # The overall figures do not depend on `by`, and each group equals the measure of its own rows.
    assert_results_close(
        replace(result, groups=None),
        alkire_foster(frame, weights, k, sample_weight=sample_weight),
    )
    for row in populated.iter_rows(named=True):
        alone = alkire_foster(
            frame.filter(pl.col("group") == row["group"]), weights, k, sample_weight=sample_weight
        )
        assert (row["H"], row["A"], row["M0"]) == (
            pytest.approx(alone.H),
            pytest.approx(alone.A),
            pytest.approx(alone.M0),
        )
        assert {j: row[f"ch_{j}"] for j in weights} == pytest.approx(
            alone.censored_headcount, rel=REL, abs=ABS
        )


@SETTINGS
@given(af_problems(), st.floats(min_value=0.0, max_value=3.0))
def test_raising_k_never_raises_h_or_m0(
    problem: tuple[pl.DataFrame, dict[str, float], float], step: float
) -> None:
    frame, weights, k = problem
    low = alkire_foster(frame, weights, k)
    high = alkire_foster(frame, weights, k + step)
    assert high.H <= low.H
    assert high.M0 <= low.M0 + 1e-12


@SETTINGS
@given(af_problems(), st.data())
def test_row_order_does_not_matter(
    problem: tuple[pl.DataFrame, dict[str, float], float], data: st.DataObject
) -> None:
    frame, weights, k = problem
    shuffled = frame[data.draw(st.permutations(range(frame.height)))]
    assert_results_close(
        alkire_foster(shuffled, weights, k, by="group", sample_weight="size"),
        alkire_foster(frame, weights, k, by="group", sample_weight="size"),
    )


@SETTINGS
@given(af_problems())
def test_replicating_every_row_changes_nothing(problem: tuple[pl.DataFrame, dict[str, float], float]) -> None:
    frame, weights, k = problem
    once = alkire_foster(frame, weights, k, by="group")
    twice = alkire_foster(pl.concat([frame, frame]), weights, k, by="group")
    assert (twice.n, twice.q) == (2 * once.n, 2 * once.q)
    assert once.groups is not None and twice.groups is not None
    assert_results_close(
        replace(twice, n=once.n, q=once.q, groups=None),
        replace(once, groups=None),
    )
    assert_frame_equal(twice.groups.drop("n"), once.groups.drop("n"), check_exact=False)


@SETTINGS
@given(af_problems())
def test_sample_weight_equals_replication(problem: tuple[pl.DataFrame, dict[str, float], float]) -> None:
    frame, weights, k = problem
    replicated = frame.select(pl.all().repeat_by(pl.col("size")).explode()).drop_nulls()
    weighted = alkire_foster(frame, weights, k, by="group", sample_weight="size")
    plain = alkire_foster(replicated, weights, k, by="group")
    assert_results_close(replace(weighted, groups=None), replace(plain, groups=None))
    # A group whose weights are all 0 has no replicated rows: compare the populated groups.
    assert weighted.groups is not None and plain.groups is not None
    assert_frame_equal(weighted.groups.filter(pl.col("n") > 0), plain.groups, check_exact=False)


@SETTINGS
@given(af_problems(), st.data())
def test_adding_a_deprivation_never_lowers_m0(
    problem: tuple[pl.DataFrame, dict[str, float], float], data: st.DataObject
) -> None:
    frame, weights, k = problem
    row = data.draw(st.integers(0, frame.height - 1))
    indicator = data.draw(st.sampled_from(sorted(weights)))
    worse = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == row).then(True).otherwise(pl.col(indicator)).alias(indicator)
    )
    before = alkire_foster(frame, weights, k, sample_weight="size")
    after = alkire_foster(worse, weights, k, sample_weight="size")
    assert after.M0 >= before.M0 - 1e-12
    assert after.H >= before.H
