"""Vietnamese dates and numbers for printed documents (PDF, Excel titles), without Django settings.

The web pages take their formats from ``giamngheo.site.formats``; documents are built outside a request,
so this module spells the same conventions out: ``27/11/2026`` for short dates, ``ngày 27 tháng 11 năm
2026`` in the place-and-date line of an administrative document, ``1.234.567`` for whole numbers and a
decimal comma (``8,5``).

The long form follows the rule for administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I): a day
below 10 and the months 1 and 2 are written with a leading zero (``ngày 05 tháng 02 năm 2026``), other
months without (``tháng 3``).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

__all__ = ["date_long", "date_short", "nfc", "number", "place_date"]


def date_short(day: dt.date) -> str:
    """``27/11/2026``; ``02/10/2026`` (day and month always two digits)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def date_long(day: dt.date) -> str:
    """``ngày 27 tháng 11 năm 2026``; ``ngày 05 tháng 02 năm 2026``; ``ngày 15 tháng 3 năm 2026``."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date) -> str:
    """The place-and-date line: ``Đăk Kôi, ngày 27 tháng 11 năm 2026``."""
    return f"{place}, {date_long(day)}"


def number(value: int | float | Decimal, decimals: int = 0) -> str:
    """``1.234.567``; with ``decimals``: ``1.234,5`` (dot groups thousands, comma marks decimals)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def nfc(text: str) -> str:
    """Text in composed form (NFC): one code point per Vietnamese letter, as the fonts expect."""
    return unicodedata.normalize("NFC", text)
