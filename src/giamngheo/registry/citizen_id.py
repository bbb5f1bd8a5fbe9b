"""Citizen identification number (số định danh cá nhân, 12 digits, printed on the CCCD card).

Structure, from Circular 59/2021/TT-BCA, article 7 (Thông tư 59/2021/TT-BCA, Điều 7):

- digits 1-3: code of the province (or country, for births abroad) where the birth was registered,
  ``001`` … ``096``;
- digit 4: sex and century of birth: 20th century (1900-1999) male 0 / female 1, 21st (2000-2099)
  2 / 3, 22nd 4 / 5, 23rd 6 / 7, 24th 8 / 9;
- digits 5-6: the last two digits of the year of birth;
- digits 7-12: a random number.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LENGTH = 12
PROVINCE_MIN = 1
PROVINCE_MAX = 96
FIRST_CENTURY_YEAR = 1900  # digit 0/1 is the 20th century, then one pair per century


def validate_citizen_id_format(value: str) -> None:
    """Digits only, 12 of them, and a birth-registration province code 001-096 (TT 59/2021/TT-BCA, Đ. 7)."""
    if not value.isascii() or not value.isdigit():
        raise ValidationError(_("Số định danh cá nhân chỉ gồm chữ số."), code="citizen_id.digits")
    if len(value) != LENGTH:
        raise ValidationError(
            _("Số định danh cá nhân phải có đúng {n} chữ số (đang có {got}).").format(
                n=LENGTH, got=len(value)
            ),
            code="citizen_id.length",
        )
    province = int(value[:3])
    if not PROVINCE_MIN <= province <= PROVINCE_MAX:
        raise ValidationError(
            _("Ba chữ số đầu ({code}) không phải mã tỉnh nơi đăng ký khai sinh (001-096).").format(
                code=value[:3]
            ),
            code="citizen_id.province",
        )


def citizen_id_mismatch(value: str, *, sex: str, date_of_birth: datetime.date | None) -> str | None:
    """Why the 4th digit (sex and century) or digits 5-6 (year) disagree with the person, or ``None``.

    ``value`` must already pass :func:`validate_citizen_id_format`. ``sex`` is ``"male"``/``"female"``
    (anything else is not checked); without a date of birth only the sex parity is checked.
    Circular 59/2021/TT-BCA, article 7.
    """
    digit = int(value[3])
    if sex in ("male", "female") and digit % 2 != (0 if sex == "male" else 1):
        return _("Chữ số thứ 4 ({digit}) của số định danh không khớp với giới tính.").format(digit=digit)
    if date_of_birth is not None:
        century_digit = (date_of_birth.year - FIRST_CENTURY_YEAR) // 100
        if date_of_birth.year < FIRST_CENTURY_YEAR or digit // 2 != century_digit:
            return _(
                "Chữ số thứ 4 ({digit}) của số định danh không khớp với thế kỷ của năm sinh {year}."
            ).format(digit=digit, year=date_of_birth.year)
        if value[4:6] != f"{date_of_birth.year % 100:02d}":
            return _("Chữ số thứ 5-6 ({yy}) của số định danh không khớp với năm sinh {year}.").format(
                yy=value[4:6], year=date_of_birth.year
            )
    return None
