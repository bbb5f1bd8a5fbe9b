"""Aggregations added for the forms: transitions by unit, shares, households with no cause."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.reports.aggregation import (
    REPORT_SCHEMA,
    TRANSITION_COLUMNS,
    share,
    transition_summary,
    without_cause_counts,
)
from giamngheo.review.transitions import household_transitions


def _transitions(
    rows: list[tuple[int, int, str | None, str | None, str]], earlier: list[int]
) -> pl.DataFrame:
    previous = pl.DataFrame(
        [(h, v, p) for h, v, p, _c, _s in rows if p is not None],
        schema={"household_id": pl.Int64, "village_id": pl.Int64, "klass": pl.String},
        orient="row",
    )
    current = pl.DataFrame(
        [(h, v, c) for h, v, _p, c, _s in rows if c is not None],
        schema={"household_id": pl.Int64, "village_id": pl.Int64, "klass": pl.String},
        orient="row",
    )
    registry = pl.DataFrame(
        [(h, s, None) for h, _v, _p, _c, s in rows],
        schema={"household_id": pl.Int64, "status": pl.String, "joined_on": pl.Date},
        orient="row",
    )
    return household_transitions(
        previous, current, registry, earlier_poor=earlier, previous_reference=dt.date(2024, 10, 1)
    )


def test_transition_summary_adds_the_review_categories_up() -> None:
    per_household = _transitions(
        [
            (1, 1, "poor", "poor", "active"),
            (2, 1, "poor", "near_poor", "active"),
            (3, 1, "poor", "not_poor", "active"),
            (4, 2, "poor", None, "moved_out"),
            (5, 2, "near_poor", "poor", "active"),
            (6, 2, "not_poor", "poor", "active"),  # relapsed (poor earlier)
            (7, 2, None, "near_poor", "active"),
            (8, 2, "near_poor", "middle_living", "active"),
        ],
        earlier=[6],
    )
    total = transition_summary(per_household).row(0, named=True)
    assert total == {
        "poor_before": 4,
        "escaped_poverty": 2,
        "poor_left": 1,
        "newly_poor": 1,
        "relapsed": 1,
        "poor_moved_in": 0,
        "poor_now": 3,
        "near_poor_before": 2,
        "escaped_near_poverty": 1,
        "near_poor_to_poor": 1,
        "near_poor_left": 0,
        "near_poor_from_poor": 1,
        "newly_near_poor": 1,
        "near_poor_moved_in": 0,
        "near_poor_now": 2,
    }
    by_village = transition_summary(per_household, ["village_id"])
    assert by_village["village_id"].to_list() == [1, 2]
    assert by_village.drop("village_id").sum().row(0) == tuple(total.values())


_class = st.sampled_from(["poor", "near_poor", "middle_living", "not_poor", "incomplete", None])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 3), _class, _class, st.sampled_from(["active", "moved_out", "merged"])),
        max_size=40,
    ),
    st.data(),
)
def test_every_row_balances(rows: list[tuple[int, Any, Any, str]], data: st.DataObject) -> None:
    """đầu kỳ − giảm + tăng = cuối kỳ, for the poor and the near-poor, whatever the classes."""
    numbered = [(i, v, p, c, s) for i, (v, p, c, s) in enumerate(rows) if p is not None or c is not None]
    earlier = data.draw(st.lists(st.sampled_from([r[0] for r in numbered]), max_size=5)) if numbered else []
    table = transition_summary(_transitions(numbered, earlier), ["village_id"])
    assert table.columns == ["village_id", *TRANSITION_COLUMNS]
    for r in table.iter_rows(named=True):
        assert (
            r["poor_before"]
            - r["escaped_poverty"]
            - r["poor_left"]
            + r["newly_poor"]
            + r["relapsed"]
            + r["poor_moved_in"]
            == r["poor_now"]
        )
        assert (
            r["near_poor_before"]
            - r["escaped_near_poverty"]
            - r["near_poor_to_poor"]
            - r["near_poor_left"]
            + r["near_poor_from_poor"]
            + r["newly_near_poor"]
            + r["near_poor_moved_in"]
            == r["near_poor_now"]
        )


def test_share_and_households_without_a_cause() -> None:
    frame = pl.DataFrame(
        {
            "province_code": ["51"] * 4,
            "commune_id": [1, 1, 2, 2],
            "commune_code": ["1", "1", "2", "2"],
            "commune_name": ["A", "A", "B", "B"],
            "village_id": [None, None, None, None],
            "village_name": [None, None, None, None],
            "household_id": [1, 2, 3, 4],
            "area": ["rural"] * 4,
            "ethnic_minority": [False] * 4,
            "meritorious_family": [False] * 4,
            "social_protection": [False] * 4,
            "no_labour_capacity": [False] * 4,
            "klass": ["poor", "near_poor", "poor", "not_poor"],
            "deprived": [[], [], [], []],
            "causes": [["land"], [], [], []],
        },
        schema=REPORT_SCHEMA,
    )
    assert without_cause_counts(frame).row(0, named=True) == {"households": 2, "poor": 1, "near_poor": 1}
    by = without_cause_counts(frame, ["commune_id"])
    assert by.rows() == [(1, 1, 0, 1), (2, 1, 1, 0)]
    rates = pl.DataFrame({"n": [1, 0], "d": [4, 0]}).select(share("n", "d", "rate"))["rate"].to_list()
    assert rates[0] == pytest.approx(25.0) and rates[1] is None
