"""``names``: two spellings of one unit name give one key; names written as in an address."""

import pytest

from giamngheo.geo.names import address_name, name_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Xã Hiệp Hòa", "Xã Hiệp Hoà"),
        ("Phường Nguyễn Úy", "Phường Nguyễn Uý"),
        ("Xã Thanh Thủy", "Xã Thanh Thuỷ"),
        ("Xã Chân Mây - Lăng Cô", "Xã Chân Mây – Lăng Cô"),
        ("Xã Ea H'Leo", "Xã Ea H’leo"),
        ("Xã Xuân Giang", "Xã  Xuân Giang "),
        ("Phường Đăk Bla", "Phường Đăk BLa"),
    ],
)
def test_spellings_of_one_name_have_one_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_different_names_keep_different_keys() -> None:
    assert name_key("Xã Hòa An") != name_key("Xã Hòa Ân")
    assert name_key("Phường 1") != name_key("Phường 11")
    assert name_key("Xã Hiệp Hoà") == "xã hiệp hòa"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Xã Đăk Kôi", "Huyện Kon Rẫy", "Tỉnh Kon Tum"), "Xã Đăk Kôi, huyện Kon Rẫy, tỉnh Kon Tum"),
        (
            ("Phường Trần Phú", "Thành phố Quảng Ngãi", "Tỉnh Quảng Ngãi"),
            "Phường Trần Phú, thành phố Quảng Ngãi, tỉnh Quảng Ngãi",
        ),
        (("Thị trấn Ba Tơ", "Thị xã Đức Phổ", None), "Thị trấn Ba Tơ, thị xã Đức Phổ"),
        (("Xã Cũ", "Quận 1", "Thành phố Hồ Chí Minh"), "Xã Cũ, quận 1, thành phố Hồ Chí Minh"),
        (("Xã Cũ", "Cũ 950", ""), "Xã Cũ, Cũ 950"),  # no type word: kept as it is
        (("Xã Cũ", "Xãxa"), "Xã Cũ, Xãxa"),
    ],
)
def test_address_name_lowers_the_type_word_of_the_larger_units(
    names: tuple[str | None, ...], expected: str
) -> None:
    assert address_name(*names) == expected
