import datetime

import pytest
from django.core.exceptions import ValidationError

from giamngheo.registry.citizen_id import citizen_id_mismatch, validate_citizen_id_format

MALE_1985 = "001085123456"


@pytest.mark.parametrize("value", [MALE_1985, "096399000001", "079303123456"])
def test_valid_format(value: str) -> None:
    validate_citizen_id_format(value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("00108512345", "citizen_id.length"),  # 11 digits
        ("0010851234567", "citizen_id.length"),  # 13 digits
        ("00108512345a", "citizen_id.digits"),
        ("００１０８５１２３４５６", "citizen_id.digits"),  # full-width digits are not ASCII
        ("000085123456", "citizen_id.province"),
        ("097085123456", "citizen_id.province"),
        ("999085123456", "citizen_id.province"),
    ],
)
def test_invalid_format(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_citizen_id_format(value)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("value", "sex", "born"),
    [
        (MALE_1985, "male", datetime.date(1985, 5, 1)),
        ("001185123456", "female", datetime.date(1985, 5, 1)),
        ("001203123456", "male", datetime.date(2003, 1, 1)),
        ("001303123456", "female", datetime.date(2003, 1, 1)),
        ("001099123456", "male", datetime.date(1999, 12, 31)),
        ("001200123456", "male", datetime.date(2000, 1, 1)),
        ("001185123456", "female", None),
    ],
)
def test_sex_and_century_consistent(value: str, sex: str, born: datetime.date | None) -> None:
    assert citizen_id_mismatch(value, sex=sex, date_of_birth=born) is None


@pytest.mark.parametrize(
    ("value", "sex", "born", "words"),
    [
        (MALE_1985, "female", None, "giới tính"),  # 0 = male
        ("001185123456", "male", datetime.date(1985, 1, 1), "giới tính"),  # 1 = female
        (MALE_1985, "male", datetime.date(2085, 1, 1), "thế kỷ"),  # 0 = 20th century
        ("001285123456", "male", datetime.date(1985, 1, 1), "thế kỷ"),  # 2 = 21st century
        ("001086123456", "male", datetime.date(1985, 1, 1), "năm sinh"),  # 86 != 85
    ],
)
def test_sex_and_century_mismatch(value: str, sex: str, born: datetime.date | None, words: str) -> None:
    reason = citizen_id_mismatch(value, sex=sex, date_of_birth=born)
    assert reason is not None
    assert words in reason
