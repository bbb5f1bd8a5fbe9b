"""``names.name_key``: two spellings of one unit name give one key."""

import pytest

from giamngheo.geo.names import name_key


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
