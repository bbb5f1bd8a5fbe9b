import pytest

from giamngheo.registry.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("ĐẶNG THỊ ĐÀO", "dang thi dao"),
        ("  Hồ   Thị\tỞ ", "ho thi o"),
        ("Lò Văn Ửng", "lo van ung"),
        ("", ""),
    ],
)
def test_fold_removes_diacritics_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_accepts_decomposed_input() -> None:
    assert fold("Nguye\u0302\u0303n") == "nguyen"
