"""Time expressions: timeframes of tasks."""

from __future__ import annotations

import pytest

from giamngheo.planning.parsing.timeframes import find_times, timeframe_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (kind, day, month, year, every_months, quarter)
        ("triển khai thực hiện thường xuyên", ("continuous", None, None, None, None, None)),
        ("thực hiện liên tục", ("continuous", None, None, None, None, None)),
        ("hằng năm sau khi có kết quả rà soát", ("annual", None, None, None, None, None)),
        ("trong tháng 9 hằng năm", ("annual", None, 9, None, None, None)),
        ("trong tháng 1 hàng năm, tham mưu", ("annual", None, 1, None, None, None)),
        ("Hằng năm, vào tháng 9", ("annual", None, 9, None, None, None)),
        ("trước ngày 05 tháng 11 hàng năm", ("annual", 5, 11, None, None, None)),
        ("trước ngày 15/12 hằng năm", ("annual", 15, 12, None, None, None)),
        ("trong tháng 4/2022", ("dated", None, 4, 2022, None, None)),
        ("tháng 4 năm 2022", ("dated", None, 4, 2022, None, None)),
        ("trong tháng 4", ("dated", None, 4, None, None, None)),
        ("Quý I/2022", ("dated", None, 3, 2022, None, 1)),
        ("quý II năm 2023", ("dated", None, 6, 2023, None, 2)),
        ("Quý IV/2030", ("dated", None, 12, 2030, None, 4)),
        ("định kỳ 6 tháng", ("periodic", None, None, None, 6, None)),
        ("6 tháng một lần", ("periodic", None, None, None, 6, None)),
        ("hằng quý", ("periodic", None, None, None, 3, None)),
        ("định kỳ hằng tháng", ("periodic", None, None, None, 1, None)),
        ("Tháng 5-12/2019, cấp ủy", ("dated", None, 12, 2019, None, None)),
        ("Từ ngày 20/4-30/4/2019", ("dated", 30, 4, 2019, None, None)),
        ("Từ ngày 01/9 đến ngày 14/12/2024", ("dated", 14, 12, 2024, None, None)),
        ("vào ngày 10/12/2019", ("dated", 10, 12, 2019, None, None)),
        ("ngày 19 tháng 4 năm 2019", ("dated", 19, 4, 2019, None, None)),
        ("hoàn thành trong năm 2023", ("dated", None, None, 2023, None, None)),
        ("theo quy định", ("unspecified", None, None, None, None, None)),
        ("giai đoạn 2021-2025", ("unspecified", None, None, None, None, None)),
        ("Đề án đến năm 2020 tầm nhìn đến năm 2025", ("unspecified", None, None, None, None, None)),
        ("tháng 13/2022", ("unspecified", None, None, None, None, None)),
    ],
)
def test_timeframe_of(text: str, expected: tuple[object, ...]) -> None:
    t = timeframe_of(text)
    assert (t.kind, t.day, t.month, t.year, t.every_months, t.quarter) == expected


def test_dates_of_cited_documents_are_not_timeframes() -> None:
    text = "theo Chỉ thị số 05-CT/TW ngày 23-6-2021 và Kế hoạch số 4587/KH-UBND ngày 27/12/2021 của UBND tỉnh"
    assert find_times(text) == []
    assert timeframe_of("Chương trình 20-CTr/HU ngày 05/4/2021; thực hiện trong tháng 6/2022").month == 6


def test_the_first_expression_is_the_timeframe_and_keeps_its_text() -> None:
    found = find_times("triển khai thường xuyên; báo cáo trước ngày 15/12 hằng năm")
    assert [f.timeframe.kind for f in found] == ["continuous", "annual"]
    assert found[1].timeframe.text == "trước ngày 15/12 hằng năm"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (kind, day, month, year, every_months, quarter) of each expression found
        (
            "định kỳ 6 tháng, năm báo cáo",
            [("periodic", None, None, None, 6, None), ("annual",) + (None,) * 5],
        ),
        ("định kỳ 6 tháng và năm", [("periodic", None, None, None, 6, None), ("annual",) + (None,) * 5]),
        (
            "định kỳ 6 tháng (trước ngày 10/6) và năm (trước ngày 10/12)",
            [("periodic", 10, 6, None, 6, None), ("annual", 10, 12, None, None, None)],
        ),
        ("hằng quý, năm", [("periodic", None, None, None, 3, None), ("annual",) + (None,) * 5]),
        ("trước ngày 25 hằng tháng", [("periodic", 25, None, None, 1, None)]),
        ("trong Quý II, Quý III/2025", [("dated", None, 9, 2025, None, 3)]),
        ("Quý III và Quý IV năm 2026", [("dated", None, 12, 2026, None, 4)]),
        ("2026 - 2030", [("dated", None, None, 2030, None, None)]),
        ("2027", [("dated", None, None, 2027, None, None)]),
        ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện", []),
        ("tháng 3, năm 2025 là tháng", [("dated", None, 3, None, None, None)]),
    ],
)
def test_more_expressions(text: str, expected: list[tuple[object, ...]]) -> None:
    found = [
        (t.kind, t.day, t.month, t.year, t.every_months, t.quarter)
        for t in (f.timeframe for f in find_times(text))
    ]
    assert found == expected


def test_a_bare_year_gives_way_to_a_date_in_it() -> None:
    t = timeframe_of(
        "Chỉ đạo rà soát hộ nghèo cuối năm 2024 đúng quy trình, hoàn thành trước ngày 15/12/2024."
    )
    assert (t.kind, t.day, t.month, t.year) == ("dated", 15, 12, 2024)
    t = timeframe_of("Hoàn thành trong năm 2025, chậm nhất trong tháng 12")
    assert (t.kind, t.month, t.year) == ("dated", 12, 2025)
