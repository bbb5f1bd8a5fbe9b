import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import formats, translation


@pytest.mark.parametrize(
    ("language", "integer", "decimal"),
    [("vi", "1.234.567", "1.234.567,5"), ("en", "1,234,567", "1,234,567.5")],
)
def test_numbers_are_grouped(language: str, integer: str, decimal: str) -> None:
    with translation.override(language):
        assert formats.number_format(1234567) == integer
        assert formats.number_format(Decimal("1234567.5")) == decimal


@pytest.mark.parametrize(
    ("language", "date", "short_date"),
    [("vi", "22/11/2026", "22/11/2026"), ("en", "22 Nov 2026", "22/11/2026")],
)
def test_dates_put_the_day_first(language: str, date: str, short_date: str) -> None:
    day = datetime.date(2026, 11, 22)
    with translation.override(language):
        assert formats.date_format(day) == date
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == short_date


def test_templates_localise_numbers_and_dates() -> None:
    template = Template("{{ households }} {{ income }} {{ day }}")
    context = Context(
        {"households": 1234567, "income": Decimal("2000000.5"), "day": datetime.date(2026, 11, 22)}
    )
    with translation.override("vi"):
        assert template.render(context) == "1.234.567 2.000.000,5 22/11/2026"


def test_vietnamese_dates_are_parsed_day_first() -> None:
    with translation.override("vi"):
        assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
