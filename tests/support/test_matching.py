"""Jobs matching (framework-free): scores, reasons, eligibility, order and tie-break."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from giamngheo.support import matching
from giamngheo.support.matching import OpeningProfile, SeekerProfile

TODAY = dt.date(2026, 6, 15)


def seeker(**fields: object) -> SeekerProfile:
    values: dict[str, object] = {
        "id": 1,
        "skills": ("may mặc",),
        "commune_id": 10,
        "province_code": "97",
        "desired_wage": Decimal(6_000_000),
        "age": 30,
    }
    values.update(fields)
    return SeekerProfile(**values)  # type: ignore[arg-type]


def opening(**fields: object) -> OpeningProfile:
    values: dict[str, object] = {
        "id": 1,
        "skills": ("may mặc",),
        "title": "Công nhân may",
        "commune_id": 10,
        "province_code": "97",
        "wage_min": Decimal(5_000_000),
        "wage_max": Decimal(7_000_000),
        "deadline": dt.date(2026, 7, 1),
        "positions_left": 5,
    }
    values.update(fields)
    return OpeningProfile(**values)  # type: ignore[arg-type]


def codes(m: matching.Match) -> list[str]:
    return [reason.code for reason in m.reasons]


def test_normalise_skills() -> None:
    assert matching.normalise_skills("May mặc, lái xe; may  mặc\nhàn điện / ") == [
        "May mặc",
        "lái xe",
        "hàn điện",
    ]
    assert matching.normalise_skills(["  Chăn nuôi ", "chan nuoi", ""]) == ["Chăn nuôi"]


def test_skill_words_are_folded_without_common_words() -> None:
    assert matching.skill_words("Công nhân may mặc", "Lái xe") == {
        "may": "may",
        "mac": "mặc",
        "lai": "lái",
        "xe": "xe",
    }


def test_a_perfect_local_match_and_its_reasons() -> None:
    m = matching.match(seeker(), opening(), today=TODAY)
    assert m.eligible
    assert m.skill_overlap == 1.0
    assert codes(m) == ["skills", "wage_met", "same_commune"]
    assert m.score == 50 + 20 + 15
    texts = [reason.text for reason in m.reasons]
    assert texts == [
        "Kỹ năng phù hợp: mặc, may (100%).",
        "Lương đến 7.000.000 đồng, đạt mức mong muốn 6.000.000 đồng.",
        "Làm việc ngay tại xã của người lao động.",
    ]


def test_partial_skills_score_the_jaccard_index() -> None:
    # seeker {may, mac, han, dien} vs opening {may, cong, nghiep}: "cong" is a common word → {may, nghiep}
    m = matching.match(
        seeker(skills=("may mặc", "hàn điện")), opening(skills=("may công nghiệp",)), today=TODAY
    )
    assert m.skill_overlap == pytest.approx(1 / 5)
    assert m.reasons[0] == matching.Reason("skills", 10.0, "Kỹ năng phù hợp: may (20%).")


def test_training_counts_as_skill_words_and_the_title_stands_in_for_missing_skills() -> None:
    m = matching.match(seeker(skills=(), training="Sơ cấp nghề may"), opening(skills=()), today=TODAY)
    # seeker {may} ("sơ cấp nghề" is a level of training) vs the title "Công nhân may": {may}
    assert m.skill_overlap == 1.0
    assert m.reasons[0].code == "skills"
    m = matching.match(
        seeker(skills=("hàn",), training="Trung cấp điện"), opening(skills=("điện",)), today=TODAY
    )
    assert m.skill_overlap == pytest.approx(1 / 2)


def test_no_common_skill() -> None:
    m = matching.match(seeker(skills=("chăn nuôi",)), opening(), today=TODAY)
    assert m.skill_overlap == 0
    assert m.reasons[0] == matching.Reason("skills_none", 0.0, "Chưa có kỹ năng trùng với yêu cầu.")


@pytest.mark.parametrize(
    ("wants_abroad", "abroad", "code", "points"),
    [
        (True, True, "abroad_wish", matching.ABROAD_WISH_POINTS),
        (False, True, "abroad_unwanted", matching.ABROAD_UNWANTED_POINTS),
        (True, False, "domestic_for_abroad", matching.DOMESTIC_FOR_ABROAD_POINTS),
    ],
)
def test_the_wish_to_work_abroad(wants_abroad: bool, abroad: bool, code: str, points: float) -> None:
    m = matching.match(seeker(wants_abroad=wants_abroad), opening(abroad=abroad), today=TODAY)
    reason = next(r for r in m.reasons if r.code.startswith(("abroad", "domestic")))
    assert (reason.code, reason.points) == (code, points)
    # An opening abroad has no place bonus.
    assert ("same_commune" in codes(m)) is (not abroad)


def test_no_abroad_reason_when_neither_side_is_abroad() -> None:
    m = matching.match(seeker(wants_abroad=False), opening(abroad=False), today=TODAY)
    assert not any(code.startswith(("abroad", "domestic")) for code in codes(m))


@pytest.mark.parametrize(
    ("wage_max", "code", "points"),
    [
        (Decimal(6_000_000), "wage_met", 20.0),
        (Decimal(5_000_000), "wage_near", 10.0),  # 83 % of the wish
        (Decimal(4_000_000), "wage_low", -10.0),
        (None, "wage_met", 20.0),  # no upper wage: the lower one (6,500,000) is read
    ],
)
def test_wage_fit(wage_max: Decimal | None, code: str, points: float) -> None:
    o = opening(wage_max=wage_max, wage_min=Decimal(6_500_000) if wage_max is None else Decimal(1))
    reason = next(r for r in matching.match(seeker(), o, today=TODAY).reasons if r.code.startswith("wage"))
    assert (reason.code, reason.points) == (code, points)


def test_unknown_wages_give_no_points() -> None:
    m = matching.match(seeker(desired_wage=None), opening(), today=TODAY)
    assert "wage_unknown" in codes(m)
    m = matching.match(seeker(), opening(wage_min=None, wage_max=None), today=TODAY)
    assert "wage_unspecified" in codes(m)


def test_place_bonus() -> None:
    assert "same_province" in codes(matching.match(seeker(), opening(commune_id=11), today=TODAY))
    assert "other_province" in codes(
        matching.match(seeker(), opening(commune_id=None, province_code="96"), today=TODAY)
    )


@pytest.mark.parametrize(
    ("fields", "age", "code"),
    [
        ({"deadline": dt.date(2026, 6, 14)}, 30, "deadline_passed"),
        ({"positions_left": 0}, 30, "no_positions"),
        ({"is_open": False}, 30, "closed"),
        ({"abroad": True}, 17, "too_young_abroad"),
    ],
)
def test_openings_that_are_no_match(fields: dict[str, object], age: int, code: str) -> None:
    m = matching.match(seeker(age=age, wants_abroad=True), opening(**fields), today=TODAY)
    assert not m.eligible
    assert m.reasons[0].code == code
    assert matching.rank_openings(seeker(age=age), [opening(**fields)], today=TODAY) == []


def test_the_deadline_day_itself_is_still_open() -> None:
    assert matching.match(seeker(), opening(deadline=TODAY), today=TODAY).eligible


def test_an_adult_may_go_abroad() -> None:
    assert matching.match(seeker(age=18, wants_abroad=True), opening(abroad=True), today=TODAY).eligible


def test_rank_openings_best_first_without_the_unsuitable() -> None:
    openings = [
        opening(id=1, skills=("chăn nuôi",), wage_max=Decimal(4_000_000), commune_id=11),  # -10 + 8 = -2
        opening(id=2),  # 85
        opening(id=3, commune_id=11),  # 50 + 20 + 8 = 78
        opening(id=4, abroad=True),  # 50 - 40 + 20 = 30
        opening(id=5, deadline=dt.date(2026, 1, 1)),  # not a match
    ]
    ranked = matching.rank_openings(seeker(), openings, today=TODAY)
    assert [(m.opening_id, m.score) for m in ranked] == [(2, 85.0), (3, 78.0), (4, 30.0)]
    assert matching.rank_openings(seeker(), openings, today=TODAY, limit=1)[0].opening_id == 2


def test_ties_are_broken_by_skill_overlap_then_deadline_then_id() -> None:
    # Same score 60: opening 8 by skills (50, wage near 10, other province 0), opening 7 with half the
    # skills (25) but the wage (20) and the commune (15): the better skill overlap goes first.
    a = opening(id=8, commune_id=None, province_code="96", wage_max=Decimal(5_000_000))
    b = opening(id=7, skills=("may mặc", "cắt chỉ"), commune_id=10)
    ranked = matching.rank_openings(seeker(), [b, a], today=TODAY)
    assert [(m.opening_id, m.score, m.skill_overlap) for m in ranked] == [(8, 60.0, 1.0), (7, 60.0, 0.5)]
    early = opening(id=9, deadline=dt.date(2026, 6, 20))
    late = opening(id=3, deadline=dt.date(2026, 6, 30))
    none = opening(id=1, deadline=None)
    same = opening(id=2, deadline=dt.date(2026, 6, 30))
    for order in itertools.permutations([none, late, early, same]):
        ranked = matching.rank_openings(seeker(), list(order), today=TODAY)
        assert [m.opening_id for m in ranked] == [9, 2, 3, 1]


def test_rank_seekers_best_first_and_deterministic() -> None:
    seekers = [
        seeker(id=5, skills=("may mặc",)),  # 85
        seeker(id=2, skills=("may mặc",)),  # 85, smaller id first
        seeker(id=3, skills=("may",), commune_id=11),  # 50*1/2 + 20 + 8 = 53
        seeker(id=4, skills=("trồng lúa",), desired_wage=Decimal(9_000_000)),  # 0 - 10 + 15 = 5
        seeker(id=6, skills=("trồng lúa",), desired_wage=Decimal(10_000_000), commune_id=11),  # -2: left out
    ]
    for order in itertools.permutations(seekers):
        ranked = matching.rank_seekers(opening(), list(order), today=TODAY)
        assert [(m.seeker_id, m.score) for m in ranked] == [(2, 85.0), (5, 85.0), (3, 53.0), (4, 5.0)]


@pytest.mark.parametrize(
    ("placed", "registered", "expected"), [(1, 3, 33.3), (2, 2, 100.0), (0, 5, 0.0), (0, 0, None)]
)
def test_rate(placed: int, registered: int, expected: float | None) -> None:
    assert matching.rate(placed, registered) == expected
