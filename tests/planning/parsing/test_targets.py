"""Target sentences one by one, and the number formats of the plans."""

from __future__ import annotations

from decimal import Decimal

import pytest

from giamngheo.planning.parsing import parse_plan
from giamngheo.planning.parsing.funding import source_of


def targets_of(sentence: str) -> list[tuple[object, ...]]:
    draft = parse_plan(f"I. MỤC TIÊU\n\n- {sentence}")
    return [(t.kind, t.value, t.value_max, t.unit, t.bound, t.per_year, t.scope) for t in draft.targets]


D = Decimal


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Giảm tỷ lệ hộ nghèo 1-1,5%/năm, 2-3% ở vùng miền núi.",
            [
                ("poor_rate_reduction", D(1), D("1.5"), "points", None, True, None),
                ("poor_rate_reduction", D(2), D(3), "points", None, True, "vùng miền núi"),
            ],
        ),
        (
            "Tỷ lệ hộ nghèo giảm 2 - 3% mỗi năm",
            [("poor_rate_reduction", D(2), D(3), "points", None, True, None)],
        ),
        (
            "Giảm tỷ lệ hộ nghèo từ 1 đến 1,5 điểm phần trăm",
            [("poor_rate_reduction", D(1), D("1.5"), "points", None, False, None)],
        ),
        (
            "Mỗi năm giảm ít nhất 6,6% tỷ lệ hộ nghèo",
            [("poor_rate_reduction", D("6.6"), None, "points", "at_least", True, None)],
        ),
        (
            "Giảm 11.869 hộ nghèo",
            [("poor_households_reduction", D(11869), None, "households", None, False, None)],
        ),
        (
            "Tỷ lệ hộ cận nghèo giảm 0,5%; tỷ lệ hộ cận nghèo cuối năm còn 3,2%",
            [
                ("near_poor_rate_reduction", D("0.5"), None, "points", None, False, None),
                ("end_rate", D("3.2"), None, "percent", None, False, None),
            ],
        ),
        (
            "Đến cuối năm, tỷ lệ hộ nghèo xuống dưới 5%",
            [("end_rate", D(5), None, "percent", "at_most", False, None)],
        ),
        (
            "100% người nghèo, người cận nghèo được cấp thẻ BHYT",
            [("coverage", D(100), None, "percent", None, False, None)],
        ),
        (
            "Bình quân mỗi năm thoát nghèo cho 3-5% số hộ nghèo",
            [("poor_rate_reduction", D(3), D(5), "points", None, True, None)],
        ),
        (
            "Giảm 150 hộ nghèo, trong đó 120 hộ dân tộc thiểu số",  # a part of the 150, not a second target
            [("poor_households_reduction", D(150), None, "households", None, False, None)],
        ),
        ("Tỷ lệ hộ nghèo đầu năm 2024 là 12,5%", []),  # the baseline
        (
            "Giải quyết việc làm cho 1.200 lao động",
            [("other_count", D(1200), None, "persons", None, False, None)],
        ),
    ],
)
def test_target_sentences(sentence: str, expected: list[tuple[object, ...]]) -> None:
    assert targets_of(sentence) == expected


def test_coverage_subject() -> None:
    (target,) = parse_plan("I. MỤC TIÊU\n\n- 100% người nghèo được cấp thẻ BHYT").targets
    assert target.subject == "thẻ BHYT"


def test_descriptive_figures_outside_a_target_clause_are_ignored() -> None:
    draft = parse_plan(
        "II. NỘI DUNG\n\n1. Huyện có 12 xã, 5.400 hộ, trong đó 30% là đồng bào dân tộc thiểu số."
    )
    assert draft.targets == ()


@pytest.mark.parametrize(
    ("label", "source"),
    [
        ("Vốn Trung ương", "central"),
        ("Ngân sách tỉnh", "local"),
        ("Vốn NGO, ODA", "oda_ngo"),
        ("Vốn huy động cộng đồng, doanh nghiệp", "community"),
        ("Huy động nguồn lực xã hội hóa tại địa phương", "community"),
        ("Vốn vay ưu đãi của Ngân hàng Chính sách xã hội", "credit"),
        ("Vốn lồng ghép các chương trình", "other"),
        ("Thu nhập bình quân", None),
    ],
)
def test_funding_sources(label: str, source: str | None) -> None:
    assert source_of(label) == source


def test_funding_total_with_thousands_dots() -> None:
    draft = parse_plan(
        "IV. KINH PHÍ\n\nTổng kinh phí ước khoảng: 5.440.412 triệu đồng, bao gồm:\n\n"
        "- Vốn Trung ương: 5.440.412 triệu đồng;\n\nMức hỗ trợ 40 triệu đồng/hộ."
    )
    assert draft.funding_total_million_vnd == Decimal(5440412)
    assert [(f.source, f.amount_million_vnd) for f in draft.funding] == [("central", Decimal(5440412))]
