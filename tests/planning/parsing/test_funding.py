"""Funding: tables with a column per year, breakdown rows, sources named after the amount, and the
funding section taking precedence over amounts given with tasks."""

from __future__ import annotations

from decimal import Decimal

from giamngheo.planning.parsing import parse_plan
from giamngheo.planning.parsing.funding import row_total_mismatches, source_of

D = Decimal

BY_YEAR = """\
III. KINH PHÍ
Bảng kinh phí (ĐVT: triệu đồng)
| TT | Nguồn vốn | Tổng | Chia theo năm | | |
|---|---|---|---|---|---|
| | | | 2026 | 2027 | 2028 |
| I | Ngân sách nhà nước | 900 | 300 | 300 | 300 |
| 1 | Ngân sách trung ương | 600 | 200 | 200 | 200 |
| 2 | Ngân sách tỉnh | 300 | 100 | 100 | 100 |
| II | Vốn huy động cộng đồng | 100 | 30 | 30 | 30 |
| | Tổng cộng | 1.000 | 330 | 330 | 330 |
"""


def test_years_under_a_second_header_row_and_parts_that_name_the_sources() -> None:
    draft = parse_plan(BY_YEAR)
    # "I. Ngân sách nhà nước" names no source of its own: its parts are read instead, not both
    assert [(f.source, f.year, f.amount_million_vnd, f.row_total_million_vnd) for f in draft.funding] == [
        ("central", 2026, D(200), D(600)),
        ("central", 2027, D(200), D(600)),
        ("central", 2028, D(200), D(600)),
        ("local", 2026, D(100), D(300)),
        ("local", 2027, D(100), D(300)),
        ("local", 2028, D(100), D(300)),
        ("community", 2026, D(30), D(100)),
        ("community", 2027, D(30), D(100)),
        ("community", 2028, D(30), D(100)),
    ]
    assert draft.funding_total_million_vnd == D(1000)
    # the community row's years add up to 90, not to its "Tổng" of 100: a person has to look
    assert row_total_mismatches(draft.funding) == [(9, D(90), D(100))]


def test_breakdown_rows_of_a_source_are_not_counted_twice() -> None:
    draft = parse_plan(
        "IV. KINH PHÍ\nĐơn vị tính: tỷ đồng\n"
        "TT\tNguồn vốn\tSố tiền\n"
        "1\tNgân sách trung ương\t12\n"
        "-\tVốn đầu tư phát triển\t8\n"
        "-\tVốn sự nghiệp\t4\n"
        "2\tNgân sách địa phương\t3\n"
        "\tTrong đó:\t\n"
        "a)\tNgân sách tỉnh\t2\n"
        "b)\tNgân sách xã\t1\n"
    )
    assert [(f.source, f.label, f.amount_million_vnd) for f in draft.funding] == [
        ("central", "Ngân sách trung ương", D(12_000)),
        ("local", "Ngân sách địa phương", D(3_000)),
    ]


def test_amounts_with_tasks_give_way_to_the_funding_section() -> None:
    draft = parse_plan(
        "II. NHIỆM VỤ\n1. Tập huấn cán bộ.\n- Kinh phí: 50 triệu đồng (ngân sách tỉnh).\n"
        "III. KINH PHÍ\nTổng kinh phí 250 triệu đồng, gồm: ngân sách trung ương 200 triệu đồng; "
        "ngân sách tỉnh 50 triệu đồng.\n"
    )
    assert [(f.source, f.amount_million_vnd) for f in draft.funding] == [
        ("central", D(200)),
        ("local", D(50)),
    ]
    assert draft.funding_total_million_vnd == D(250)


def test_amounts_with_tasks_are_read_when_there_is_no_funding_section() -> None:
    draft = parse_plan("II. NHIỆM VỤ\n1. Tập huấn cán bộ.\n- Kinh phí: 3,6 tỷ đồng (ngân sách trung ương).\n")
    assert [(f.source, f.label, f.amount_million_vnd) for f in draft.funding] == [
        ("central", "Kinh phí", D(3600)),  # the source is in the parenthesis after the amount
    ]


def test_a_year_in_the_label() -> None:
    draft = parse_plan(
        "III. KINH PHÍ\n- Ngân sách xã năm 2026: 120 triệu đồng;\n- Ngân sách xã năm 2027: 130 triệu đồng.\n"
    )
    assert [(f.year, f.amount_million_vnd) for f in draft.funding] == [(2026, D(120)), (2027, D(130))]


def test_counterpart_budgets_are_local() -> None:
    assert source_of("Ngân sách tỉnh đối ứng") == "local"
    assert source_of("Ngân sách phường") == "local"
    assert source_of("Vốn đối ứng của người dân") == "community"


def test_a_funding_section_with_only_a_total_keeps_the_lines_of_its_appendix() -> None:
    draft = parse_plan(
        "III. KINH PHÍ\nTổng kinh phí 1.000 triệu đồng (chi tiết tại Phụ lục).\n"
        "IV. TỔ CHỨC THỰC HIỆN\n1. Phòng Kinh tế theo dõi, tổng hợp.\nTM. ỦY BAN NHÂN DÂN\n"
        "PHỤ LỤC\nKINH PHÍ THỰC HIỆN\n| TT | Nguồn vốn | Số tiền |\n|---|---|---|\n"
        "| 1 | Ngân sách trung ương | 700 |\n| 2 | Ngân sách xã | 300 |\n"
    )
    assert [(f.source, f.amount_million_vnd) for f in draft.funding] == [
        ("central", D(700)),
        ("local", D(300)),
    ]
    assert draft.funding_total_million_vnd == D(1000)
