"""Plausibility of a date of birth (ngày sinh): not in the future, an age of at most 130 years.

Shared by the member forms and ``services.member_update`` so that a form and a direct call refuse
the same dates with the same Vietnamese message.
"""

from __future__ import annotations

import datetime
from typing import Final

from django.utils.translation import gettext as _

MAX_AGE_YEARS: Final = 130


def completed_years(born: datetime.date | None, on: datetime.date) -> int | None:
    """Age in completed years (tuổi tròn) on ``on`` of someone born on ``born`` (``None`` if unknown)."""
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def too_old(born: datetime.date, today: datetime.date) -> bool:
    """Would someone born on ``born`` be older than ``MAX_AGE_YEARS`` on ``today``?"""
    try:
        limit = today.replace(year=today.year - MAX_AGE_YEARS)
    except ValueError:  # 29 February
        limit = today.replace(year=today.year - MAX_AGE_YEARS, day=28)
    return born < limit


def birth_date_problem(born: datetime.date | None, today: datetime.date) -> tuple[str, str] | None:
    """What is wrong with ``born`` as a date of birth on ``today``: ``(code, message)``, or ``None``."""
    if born is None:
        return None
    if born > today:
        return "future", _("Ngày sinh không thể ở tương lai.")
    if too_old(born, today):
        return "too_old", _("Ngày sinh {day} cho tuổi trên {n}; hãy kiểm tra lại.").format(
            day=born.strftime("%d/%m/%Y"), n=MAX_AGE_YEARS
        )
    return None
