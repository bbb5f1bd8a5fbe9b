"""Vietnamese dates and numbers for documents."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import unicodedata
from decimal import Decimal

import pytest

from giamngheo.documents.formatting import date_long, date_short, nfc, number, place_date


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (dt.date(2026, 11, 27), "27/11/2026", "ngày 27 tháng 11 năm 2026"),
        (dt.date(2026, 10, 2), "02/10/2026", "ngày 02 tháng 10 năm 2026"),
        # Months 1 and 2 take a leading zero in administrative documents; 3 to 9 do not.
        (dt.date(2026, 2, 5), "05/02/2026", "ngày 05 tháng 02 năm 2026"),
        (dt.date(2026, 3, 15), "15/03/2026", "ngày 15 tháng 3 năm 2026"),
    ],
)
def test_dates(day: dt.date, short: str, long: str) -> None:
    assert date_short(day) == short
    assert date_long(day) == long


def test_place_date() -> None:
    assert place_date("Đăk Kôi", dt.date(2026, 11, 27)) == "Đăk Kôi, ngày 27 tháng 11 năm 2026"


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1_234_567, 0, "1.234.567"),
        (0, 0, "0"),
        (999, 0, "999"),
        (-1_500_000, 0, "-1.500.000"),
        (1234.5, 1, "1.234,5"),
        (Decimal("8.25"), 2, "8,25"),
    ],
)
def test_number(value: int | float | Decimal, decimals: int, text: str) -> None:
    assert number(value, decimals) == text


def test_nfc_composes_vietnamese_letters() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăk Kôi")
    assert len(decomposed) > len("Đăk Kôi")
    assert nfc(decomposed) == "Đăk Kôi"


def test_documents_package_imports_no_django() -> None:
    code = "import sys, giamngheo.documents; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
