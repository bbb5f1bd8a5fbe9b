"""``support.eligibility``: the class on a day (the approval date is the day the class changes), newly
escaped households within N years, policy validity, and properties over random histories."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamngheo.support.eligibility import (
    Decision,
    Facts,
    HistoryEntry,
    Rule,
    add_years,
    class_on,
    eligibility,
    escape_of,
    rule_in_words,
)

D = dt.date
RURAL = Facts(ethnic_minority=False, area="rural")


def entry(approved_on: dt.date, klass: str, round_id: int = 0) -> HistoryEntry:
    return HistoryEntry(approved_on, round_id or approved_on.toordinal(), klass, f"Đợt {approved_on.year}")


def rule(*eligible: str, years: int | None = None, **fields: object) -> Rule:
    values: dict[str, object] = {"valid_from": D(2020, 1, 1), **fields}
    return Rule.of(eligible=eligible, escaped_within_years=years, **values)  # type: ignore[arg-type]


POOR_THEN_NEAR = [entry(D(2024, 11, 20), "poor", 1), entry(D(2025, 11, 25), "near_poor", 2)]


# --- the class on a day ------------------------------------------------------------------------------------


def test_the_approval_day_uses_the_new_class_and_the_day_before_the_old_one() -> None:
    assert class_on(POOR_THEN_NEAR, D(2025, 11, 24)) == POOR_THEN_NEAR[0]
    assert class_on(POOR_THEN_NEAR, D(2025, 11, 25)) == POOR_THEN_NEAR[1]
    assert class_on(POOR_THEN_NEAR, D(2024, 11, 19)) is None

    policy = rule("poor")
    before = eligibility(policy, POOR_THEN_NEAR, RURAL, D(2025, 11, 24))
    on_the_day = eligibility(policy, POOR_THEN_NEAR, RURAL, D(2025, 11, 25))
    assert (before.eligible, before.klass, before.round_id) == (True, "poor", 1)
    assert (on_the_day.eligible, on_the_day.klass, on_the_day.round_id, on_the_day.code) == (
        False,
        "near_poor",
        2,
        "class",
    )
    assert (
        "Ngày 25/11/2025 hộ là hộ cận nghèo theo Đợt 2025 (phê duyệt ngày 25/11/2025)" in on_the_day.reason_vi
    )
    assert "chính sách dành cho: hộ nghèo" in on_the_day.reason_vi


def test_two_rounds_approved_the_same_day_the_later_round_wins_whatever_the_order() -> None:
    periodic = entry(D(2025, 12, 1), "poor", 7)
    ongoing = entry(D(2025, 12, 1), "not_poor", 9)
    assert class_on([ongoing, periodic], D(2025, 12, 1)) == ongoing
    assert class_on([periodic, ongoing], D(2025, 12, 31)) == ongoing


def test_no_approved_round_before_the_day_is_not_eligible_with_the_reason() -> None:
    decision = eligibility(rule("poor"), POOR_THEN_NEAR, RURAL, D(2024, 1, 1))
    assert decision == Decision(
        False,
        "",
        None,
        "Ngày 01/01/2024 hộ chưa có kết quả rà soát được phê duyệt, "
        "nên chưa xác định được hộ thuộc diện nào.",
        "On 2024-01-01 the household has no approved review result yet.",
        "no_round",
    )
    assert decision.overridable


def test_an_incomplete_classification_gives_no_class() -> None:
    decision = eligibility(
        rule("poor", "near_poor"), [entry(D(2025, 3, 1), "incomplete")], RURAL, D(2025, 6, 1)
    )
    assert (decision.eligible, decision.code, decision.klass) == (False, "incomplete", "incomplete")


@pytest.mark.parametrize(
    ("klass", "eligible"),
    [
        ("poor", {"poor"}),
        ("near_poor", {"near_poor"}),
        ("middle_living", {"middle_living"}),
        ("not_poor", set()),
    ],
)
def test_direct_classes(klass: str, eligible: set[str]) -> None:
    history = [entry(D(2025, 1, 10), klass)]
    for value in ("poor", "near_poor", "middle_living"):
        decision = eligibility(rule(value), history, RURAL, D(2025, 2, 1))
        assert decision.eligible is (value in eligible), value
        assert decision.klass == klass


# --- newly escaped -------------------------------------------------------------------------------------

ESCAPED = [
    entry(D(2022, 12, 10), "poor", 1),
    entry(D(2023, 12, 12), "poor", 2),
    entry(D(2024, 12, 15), "not_poor", 3),
    entry(D(2025, 12, 10), "middle_living", 4),
]


def test_newly_escaped_within_n_years_counts_from_the_escape_round_to_the_same_day_n_years_later() -> None:
    policy = rule("newly_escaped", years=3)
    assert escape_of(ESCAPED, D(2026, 1, 1)) == (ESCAPED[1], ESCAPED[2])
    exactly = eligibility(policy, ESCAPED, RURAL, D(2027, 12, 15))
    after = eligibility(policy, ESCAPED, RURAL, D(2027, 12, 16))
    day_of_escape = eligibility(policy, ESCAPED, RURAL, D(2024, 12, 15))
    day_before = eligibility(policy, ESCAPED, RURAL, D(2024, 12, 14))
    assert (exactly.eligible, exactly.as_newly_escaped, exactly.escaped_on) == (True, True, D(2024, 12, 15))
    assert exactly.klass == "middle_living" and exactly.round_id == 4
    assert "còn trong thời hạn 3 năm (đến hết ngày 15/12/2027)" in exactly.reason_vi
    assert "hộ thoát nghèo theo Đợt 2024 (phê duyệt ngày 15/12/2024)" in exactly.reason_vi
    assert (after.eligible, after.code) == (False, "escaped_too_long_ago")
    assert "đã quá 3 năm (hết ngày 15/12/2027)" in after.reason_vi
    assert day_of_escape.eligible and day_of_escape.round_id == 3
    assert (day_before.eligible, day_before.code, day_before.klass) == (False, "class", "poor")


def test_escaping_near_poverty_counts_as_newly_escaped() -> None:
    history = [entry(D(2024, 11, 1), "near_poor"), entry(D(2025, 11, 1), "not_poor")]
    decision = eligibility(rule("newly_escaped", years=3), history, RURAL, D(2026, 1, 5))
    assert decision.eligible and decision.as_newly_escaped
    assert "hộ thoát cận nghèo" in decision.reason_vi


def test_poor_to_near_poor_is_no_escape() -> None:
    decision = eligibility(rule("newly_escaped", years=3), POOR_THEN_NEAR, RURAL, D(2026, 1, 5))
    assert (decision.eligible, decision.code, decision.klass) == (False, "class", "near_poor")
    both = eligibility(rule("near_poor", "newly_escaped", years=3), POOR_THEN_NEAR, RURAL, D(2026, 1, 5))
    assert both.eligible and not both.as_newly_escaped


def test_a_relapse_restarts_the_term_from_the_last_escape() -> None:
    history = [
        entry(D(2020, 12, 1), "poor"),
        entry(D(2021, 12, 1), "not_poor"),
        entry(D(2022, 12, 1), "poor"),
        entry(D(2023, 12, 1), "not_poor"),
    ]
    decision = eligibility(rule("newly_escaped", years=3), history, RURAL, D(2026, 6, 1))
    assert decision.eligible and decision.escaped_on == D(2023, 12, 1)
    assert not eligibility(rule("newly_escaped", years=3), history, RURAL, D(2026, 12, 2)).eligible


def test_never_poor_is_not_newly_escaped() -> None:
    history = [entry(D(2024, 12, 1), "not_poor"), entry(D(2025, 12, 1), "not_poor")]
    decision = eligibility(rule("newly_escaped", years=3), history, RURAL, D(2026, 1, 1))
    assert (decision.eligible, decision.code) == (False, "never_poor")
    assert "chưa từng là hộ nghèo, hộ cận nghèo" in decision.reason_vi


def test_an_escape_on_29_february_ends_on_28_february() -> None:
    assert add_years(D(2024, 2, 29), 3) == D(2027, 2, 28)
    history = [entry(D(2023, 12, 1), "poor"), entry(D(2024, 2, 29), "not_poor")]
    policy = rule("newly_escaped", years=3)
    assert eligibility(policy, history, RURAL, D(2027, 2, 28)).eligible
    assert not eligibility(policy, history, RURAL, D(2027, 3, 1)).eligible


# --- the policy's other conditions -------------------------------------------------------------------------


def test_policy_validity_dates_are_inclusive_and_not_overridable() -> None:
    policy = rule("poor", valid_from=D(2025, 1, 1), valid_to=D(2025, 12, 31))
    history = [entry(D(2024, 12, 1), "poor")]
    assert eligibility(policy, history, RURAL, D(2025, 1, 1)).eligible
    assert eligibility(policy, history, RURAL, D(2025, 12, 31)).eligible
    early = eligibility(policy, history, RURAL, D(2024, 12, 31))
    late = eligibility(policy, history, RURAL, D(2026, 1, 1))
    for decision in (early, late):
        assert (decision.eligible, decision.code, decision.overridable) == (False, "not_in_force", False)
    assert "hiệu lực từ ngày 01/01/2025 đến ngày 31/12/2025" in late.reason_vi


def test_ethnic_minority_and_area_conditions() -> None:
    history = [entry(D(2025, 1, 1), "poor")]
    policy = rule("poor", ethnic_minority_only=True, area="rural")
    assert eligibility(policy, history, Facts(ethnic_minority=True, area="rural"), D(2025, 2, 1)).eligible
    kinh = eligibility(policy, history, Facts(ethnic_minority=False, area="rural"), D(2025, 2, 1))
    town = eligibility(policy, history, Facts(ethnic_minority=True, area="urban"), D(2025, 2, 1))
    assert (kinh.code, town.code) == ("ethnic_minority", "area")
    assert "hộ ở khu vực thành thị" in town.reason_vi


def test_rule_in_words() -> None:
    words = rule_in_words(
        rule("poor", "near_poor", "newly_escaped", years=3, ethnic_minority_only=True, area="rural")
    )
    assert words[0] == (
        "hộ nghèo, hộ cận nghèo, hộ mới thoát nghèo (trong vòng 3 năm); "
        "chỉ hộ dân tộc thiểu số; khu vực nông thôn"
    )
    assert words[1].startswith("poor, near-poor, newly escaped from poverty (within 3 years)")


# --- properties ------------------------------------------------------------------------------------------

CLASSES = st.sampled_from(["poor", "near_poor", "middle_living", "not_poor"])
DAYS = st.dates(min_value=D(2021, 1, 1), max_value=D(2030, 12, 31))
HISTORIES = st.lists(st.tuples(DAYS, CLASSES), max_size=8).map(
    lambda items: [HistoryEntry(day, i + 1, klass) for i, (day, klass) in enumerate(items)]
)


@settings(max_examples=200, deadline=None)
@given(history=HISTORIES, day=DAYS, shuffled=st.randoms())
def test_the_order_of_the_history_never_changes_the_decision(
    history: list[HistoryEntry], day: dt.date, shuffled: object
) -> None:
    other = list(history)
    shuffled.shuffle(other)  # type: ignore[attr-defined]
    policy = rule("poor", "newly_escaped", years=3)
    assert eligibility(policy, history, RURAL, day) == eligibility(policy, other, RURAL, day)


@settings(max_examples=200, deadline=None)
@given(history=HISTORIES, day=DAYS, klass=st.sampled_from(["poor", "near_poor", "middle_living"]))
def test_a_direct_class_policy_follows_the_latest_round_approved_on_or_before_the_day(
    history: list[HistoryEntry], day: dt.date, klass: str
) -> None:
    known = [e for e in history if e.approved_on <= day]
    latest = max(known, key=lambda e: (e.approved_on, e.round_id)) if known else None
    decision = eligibility(rule(klass), history, RURAL, day)
    assert decision.eligible is (latest is not None and latest.klass == klass)
    assert decision.round_id == (latest.round_id if latest else None)


@settings(max_examples=200, deadline=None)
@given(history=HISTORIES, day=DAYS)
def test_a_newly_escaped_household_was_already_eligible_on_its_escape_day(
    history: list[HistoryEntry], day: dt.date
) -> None:
    policy = rule("newly_escaped", years=3)
    decision = eligibility(policy, history, RURAL, day)
    if decision.eligible:
        assert decision.escaped_on is not None and decision.escaped_on <= day <= add_years(
            decision.escaped_on, 3
        )
        assert decision.klass in ("not_poor", "middle_living")
        assert any(e.klass in ("poor", "near_poor") and e.approved_on <= decision.escaped_on for e in history)
