"""Which standard is in force on a day, for a province (``standard_for`` / ``Catalogue.for_date``).

Periods (docs: vietnam-poverty-rules.md §2): Decision 59/2015 for 2016-2020 (kept for 2021); Decree
07/2021 for 2022-2025, extended to 31/12/2026 by Decree 351/2025; Decree 351/2025 from 01/01/2027 to
31/12/2030. Ho Chi Minh City's own standard applies to its 2025 review only.
"""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.standards import StandardError, get_standard, standard_for
from tests.standards.builders import VIETNAMESE

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Decision 59/2015/QĐ-TTg, applied 2016-2020 and (unconfirmed) through 2021.
        (D(2016, 1, 1), "vn-2016-2020"),
        (D(2021, 12, 31), "vn-2016-2020"),
        # Decree 07/2021/NĐ-CP art. 3: 2022-2025.
        (D(2022, 1, 1), "vn-2022-2025"),
        (D(2025, 12, 31), "vn-2022-2025"),
        # Decree 351/2025/NĐ-CP keeps the 2022-2025 standard for the whole of 2026.
        (D(2026, 1, 1), "vn-2022-2025"),
        (D(2026, 6, 30), "vn-2022-2025"),
        (D(2026, 12, 31), "vn-2022-2025"),
        # Decree 351/2025/NĐ-CP: its own lines from 01/01/2027 to 31/12/2030.
        (D(2027, 1, 1), "vn-2027-2030"),
        (D(2030, 12, 31), "vn-2027-2030"),
    ],
)
def test_national_standard_in_force(day: dt.date, expected: str) -> None:
    assert standard_for(day).id == expected
    assert get_standard(expected).in_force(day)


@pytest.mark.parametrize("day", [D(2015, 12, 31), D(2031, 1, 1)])
def test_no_standard_in_force_raises_with_a_vietnamese_message(day: dt.date) -> None:
    with pytest.raises(StandardError) as caught:
        standard_for(day)
    message = caught.value.message_vi
    assert VIETNAMESE.search(message), message
    assert "chuẩn nghèo" in message
    assert f"{day:%d/%m/%Y}" in message  # the date as a commune officer writes it
    assert message != str(caught.value)  # the English text is for logs


@pytest.mark.parametrize(
    ("day", "province", "expected"),
    [
        # HCMC (79) reviewed 2025 with its own standard (Decision 505/QĐ-UBND, 01/2026).
        (D(2025, 6, 1), "79", "local-79-hcm-2025"),
        (D(2025, 6, 1), 79, "local-79-hcm-2025"),
        (D(2025, 6, 1), " 79 ", "local-79-hcm-2025"),
        (D(2025, 1, 1), "79", "local-79-hcm-2025"),
        (D(2025, 12, 31), "79", "local-79-hcm-2025"),
        # The local file's validity ends 31/12/2025: HCMC falls back to the national standard.
        (D(2024, 12, 31), "79", "vn-2022-2025"),
        (D(2026, 1, 1), "79", "vn-2022-2025"),
        (D(2026, 6, 1), "79", "vn-2022-2025"),
        (D(2026, 6, 1), 79, "vn-2022-2025"),
        (D(2027, 1, 1), 79, "vn-2027-2030"),
        # Other provinces (Hà Nội 01, Điện Biên 11) and no province: national.
        (D(2025, 6, 1), "01", "vn-2022-2025"),
        (D(2025, 6, 1), 1, "vn-2022-2025"),
        (D(2025, 6, 1), "11", "vn-2022-2025"),
        (D(2025, 6, 1), None, "vn-2022-2025"),
    ],
)
def test_local_standard_wins_in_its_province_while_in_force(
    day: dt.date, province: str | int | None, expected: str
) -> None:
    assert standard_for(day, province).id == expected


@pytest.mark.parametrize("code", [79, "79"])
def test_int_and_text_province_codes_select_the_same_standard(code: str | int) -> None:
    assert standard_for(D(2025, 6, 1), code) is standard_for(D(2025, 6, 1), "79")


def test_a_non_numeric_province_code_is_refused_in_vietnamese() -> None:
    with pytest.raises(StandardError) as caught:
        standard_for(D(2025, 6, 1), "HCM")
    assert "Mã tỉnh" in caught.value.message_vi


def test_get_standard_unknown_id_lists_the_known_ones() -> None:
    with pytest.raises(StandardError) as caught:
        get_standard("vn-1999")
    assert "vn-2022-2025" in caught.value.message_vi
    assert VIETNAMESE.search(caught.value.message_vi)
