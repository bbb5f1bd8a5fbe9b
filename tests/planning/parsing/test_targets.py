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


# --- A second figure for an area; periods of years -------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "scope"),
    [
        ("Giảm tỷ lệ hộ nghèo 1-1,5%/năm, vùng miền núi 2-3%/năm", "vùng miền núi"),
        ("Giảm tỷ lệ hộ nghèo 1-1,5%/năm, vùng miền núi giảm 2-3%/năm", "vùng miền núi"),
        ("Giảm tỷ lệ hộ nghèo 1-1,5%/năm, các huyện nghèo giảm 2-3%/năm", "các huyện nghèo"),
        (
            "Giảm tỷ lệ hộ nghèo 1-1,5%/năm; vùng đồng bào dân tộc thiểu số giảm 2-3%/năm",
            "vùng đồng bào dân tộc thiểu số",
        ),
        ("Giảm tỷ lệ hộ nghèo 1-1,5%/năm, các xã đặc biệt khó khăn 2-3%/năm", "các xã đặc biệt khó khăn"),
        (
            "Giảm tỷ lệ hộ nghèo 1-1,5%/năm, trong đó các thôn, bản đặc biệt khó khăn giảm 2-3%/năm",
            "các thôn, bản đặc biệt khó khăn",
        ),
    ],
)
def test_second_figure_for_an_area(sentence: str, scope: str) -> None:
    assert targets_of(sentence) == [
        ("poor_rate_reduction", D(1), D("1.5"), "points", None, True, None),
        ("poor_rate_reduction", D(2), D(3), "points", None, True, scope),
    ]


def test_figures_that_are_not_for_an_area_keep_their_reading() -> None:
    # "xã đạt chuẩn nông thôn mới" is not an area followed by its figure: no scope "xã"
    assert targets_of("Giảm 25 hộ nghèo, xã đạt chuẩn nông thôn mới 100%") == [
        ("poor_households_reduction", D(25), None, "households", None, False, None),
        ("other_percent", D(100), None, "percent", None, False, None),
    ]


def test_equivalent_households_are_the_same_cut() -> None:
    assert targets_of("Giảm 1,2% tỷ lệ hộ nghèo (tương đương 4.350 hộ)") == [
        ("poor_rate_reduction", D("1.2"), None, "points", None, False, None),
        ("poor_households_reduction", D(4350), None, "households", None, False, None),
    ]


def test_a_bare_cut_in_the_targets_of_a_poverty_plan_is_the_poverty_rate() -> None:
    assert targets_of("Xã Hang Chú giảm 6,5%, tương ứng 95 hộ") == [
        ("poor_rate_reduction", D("6.5"), None, "points", None, False, "Xã Hang Chú"),
        ("poor_households_reduction", D(95), None, "households", None, False, "Xã Hang Chú"),
    ]
    # another rate named in the clause stays another rate
    assert targets_of("Tỷ lệ trẻ em suy dinh dưỡng giảm 1,5%")[0][0] == "other_percent"


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("Giai đoạn 2021-2025 phấn đấu mỗi năm giảm ít nhất 6,6% tỷ lệ hộ nghèo", (None, 2021, 2025)),
        ("Giảm tỷ lệ hộ nghèo bình quân 1%/năm trong giai đoạn 2026 - 2030", (None, 2026, 2030)),
        ("Từ năm 2026 đến năm 2030, tỷ lệ hộ nghèo giảm 1,5%/năm", (None, 2026, 2030)),
        ("Tỷ lệ hộ nghèo giảm 1%/năm (2026-2030)", (None, 2026, 2030)),
        ("Đến năm 2030, tỷ lệ hộ nghèo còn dưới 2%", (2030, 2030, 2030)),
        ("Năm 2026 giảm 2,5% so với năm 2025", (2026, 2026, 2026)),  # the comparison is not its year
        ("Giảm tỷ lệ hộ nghèo 1%", (None, None, None)),
    ],
)
def test_target_periods(text: str, period: tuple[int | None, int | None, int | None]) -> None:
    (target,) = parse_plan(f"I. MỤC TIÊU\n\n- {text}").targets
    assert (target.year, target.year_from, target.year_to) == period


def test_a_heading_gives_its_year_and_a_plan_for_several_years_its_span() -> None:
    draft = parse_plan(
        "KẾ HOẠCH\nGiảm nghèo giai đoạn 2026 - 2030\n\nI. MỤC TIÊU\n1. Chỉ tiêu chủ yếu\n"
        "- Giảm tỷ lệ hộ nghèo 1%/năm.\n2. Chỉ tiêu năm 2026\n- Giảm 120 hộ nghèo.\n"
    )
    assert [(t.kind, t.year, t.year_from, t.year_to) for t in draft.targets] == [
        ("poor_rate_reduction", None, 2026, 2030),
        ("poor_households_reduction", 2026, 2026, 2026),
    ]
