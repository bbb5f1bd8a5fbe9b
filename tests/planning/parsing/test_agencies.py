"""Agency names: the catalogue, normalisation, list splitting, the 2025 renaming."""

from __future__ import annotations

import datetime as dt

import pytest

from giamngheo.planning.parsing import normalise_agency, split_agencies, successor_of
from giamngheo.planning.parsing.agencies import Role, catalogue
from giamngheo.planning.parsing.text import fold

STATUSES = ("confirmed", "best_reading", "unconfirmed")


@pytest.mark.parametrize(
    ("written", "key", "name"),
    [
        ("Phòng LĐ-TB&XH", "labour_social", "Phòng Lao động - Thương binh và Xã hội"),
        ("Phòng LĐTBXH", "labour_social", "Phòng Lao động - Thương binh và Xã hội"),
        ("Sở Lao động, Thương binh và Xã hội", "labour_social", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Lao động, Thương binh - Xã hội", "labour_social", "Sở Lao động - Thương binh và Xã hội"),
        ("Sở Lao động - TB&XH", "labour_social", "Sở Lao động - Thương binh và Xã hội"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "labour_social", "Sở Lao động - Thương binh và Xã hội"),
        ("Phòng NN&PTNT", "agriculture_rural_development", "Phòng Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và PTNT", "agriculture_rural_development", "Sở Nông nghiệp và Phát triển nông thôn"),
        ("Sở Nông nghiệp và Môi trường", "agriculture_environment", "Sở Nông nghiệp và Môi trường"),
        ("Phòng Tài chính - Kế hoạch", "finance_planning", "Phòng Tài chính - Kế hoạch"),
        ("Sở KH&ĐT", "planning_investment", "Sở Kế hoạch và Đầu tư"),
        ("Phòng Văn hoá - Thông tin", "culture_information", "Phòng Văn hóa - Thông tin"),
        ("Phòng Kinh tế - Hạ tầng", "economy_infrastructure", "Phòng Kinh tế - Hạ tầng"),
        ("Phòng Kinh tế", "economy", "Phòng Kinh tế"),
        ("Ban Dân tộc tỉnh", "ethnic_affairs", "Ban Dân tộc"),
        ("Sở Dân tộc và Tôn giáo", "ethnic_religious_affairs", "Sở Dân tộc và Tôn giáo"),
        ("Sở GD&ĐT", "education", "Sở Giáo dục và Đào tạo"),
        ("Ngân hàng CSXH huyện", "vbsp", "Ngân hàng Chính sách xã hội"),
        ("NHCSXH", "vbsp", "Ngân hàng Chính sách xã hội"),
        ("Ủy ban MTTQ Việt Nam huyện", "fatherland_front", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
        ("Đảng đoàn Ủy ban MTTQ tỉnh", "fatherland_front", "Đảng đoàn Ủy ban Mặt trận Tổ quốc Việt Nam"),
        ("Hội LHPN xã", "women_union", "Hội Liên hiệp Phụ nữ"),
        ("Hội Nông dân tỉnh", "farmers_union", "Hội Nông dân"),
        ("Đoàn TNCS Hồ Chí Minh", "youth_union", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"),
        ("Hội CCB", "veterans_association", "Hội Cựu chiến binh"),
        ("Ban Tuyên giáo Tỉnh ủy", "propaganda_board", "Ban Tuyên giáo Tỉnh ủy"),
        ("Ban Dân vận Huyện uỷ", "mass_mobilisation_board", "Ban Dân vận Huyện ủy"),
        ("Ủy ban Kiểm tra Tỉnh ủy", "inspection_committee", "Ủy ban Kiểm tra Tỉnh ủy"),
        ("Văn phòng Tỉnh ủy", "party_office", "Văn phòng Tỉnh ủy"),
        ("Ban Thường vụ Huyện ủy", "party_standing_committee", "Ban Thường vụ Huyện ủy"),
        ("UBND huyện", "people_committee", "Ủy ban nhân dân huyện"),
        ("UỶ BAN NHÂN DÂN TỈNH YÊN BÁI", "people_committee", "Ủy ban nhân dân tỉnh Yên Bái"),
        ("Đảng đoàn Hội đồng nhân dân tỉnh", "people_council", "Đảng đoàn Hội đồng nhân dân tỉnh"),
        ("UBND các xã, thị trấn", "commune_people_committees", "Ủy ban nhân dân cấp xã"),
        ("Ủy ban nhân dân các xã, phường", "commune_people_committees", "Ủy ban nhân dân cấp xã"),
        ("các huyện, thị xã, thành phố", "district_people_committees", "Ủy ban nhân dân cấp huyện"),
        (
            "Văn phòng HĐND và UBND huyện",
            "council_committee_office",
            "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện",
        ),
        ("Công chức Văn hóa - Xã hội", "culture_social", "Công chức Văn hóa - Xã hội"),
    ],
)
def test_normalise(written: str, key: str, name: str) -> None:
    ref = normalise_agency(written)
    assert (ref.key, ref.name) == (key, name)
    assert ref.text == written


def test_normalise_keeps_the_level_apart() -> None:
    ref = normalise_agency("Phòng LĐ-TB&XH huyện Kon Rẫy")
    assert (ref.name, ref.qualifier, ref.matched_alias) == (
        "Phòng Lao động - Thương binh và Xã hội",
        "huyện Kon Rẫy",
        "LĐ-TB&XH",
    )


@pytest.mark.parametrize(
    "written",
    [
        "Trung tâm Dịch vụ nông nghiệp",
        "Ban Công tác Mặt trận các thôn",  # "Mặt trận" inside another body's name
        "Ban Chỉ đạo giảm nghèo huyện",
        "Các cơ quan, đơn vị thuộc Ủy ban nhân dân huyện",
        "Phòng Tài chính - Kế hoạch tham mưu",  # a name followed by a verb is not that agency
    ],
)
def test_names_not_in_the_catalogue_keep_their_text(written: str) -> None:
    ref = normalise_agency(written)
    assert (ref.key, ref.name, ref.matched_alias) == (None, written, None)


def test_a_plain_space_in_an_alias_never_matches_across_va() -> None:
    # "Tỉnh ủy" must not be found in "Hội Nông dân tỉnh và Ủy ban nhân dân …".
    refs = split_agencies("Hội Nông dân tỉnh và Ủy ban nhân dân các xã, phường", role="coordinating")
    assert [r.name for r in refs] == ["Hội Nông dân", "Ủy ban nhân dân cấp xã"]


@pytest.mark.parametrize(
    ("segment", "role", "expected"),
    [
        (
            "Phòng Lao động - Thương binh và Xã hội, Phòng Nông nghiệp và Phát triển nông thôn, "
            "Phòng Dân tộc và các địa phương, đơn vị có liên quan",
            "coordinating",
            [
                "Phòng Lao động - Thương binh và Xã hội",
                "Phòng Nông nghiệp và Phát triển nông thôn",
                "Phòng Dân tộc",
            ],
        ),
        ("Sở Lao động, Thương binh và Xã hội", "coordinating", ["Sở Lao động - Thương binh và Xã hội"]),
        ("Sở Văn hóa, Thể thao và Du lịch, Sở Y tế", "lead", ["Sở Văn hóa, Thể thao và Du lịch", "Sở Y tế"]),
        ("Phòng Văn hóa - Thông tin và các đơn vị liên quan", "coordinating", ["Phòng Văn hóa - Thông tin"]),
        ("Sở Tài chính và các ngành liên quan", "coordinating", ["Sở Tài chính"]),
        ("các sở, ngành liên quan, Ủy ban nhân dân các huyện", "coordinating", ["Ủy ban nhân dân cấp huyện"]),
        (
            "Trung tâm Dịch vụ việc làm và Giáo dục nghề nghiệp, Hội Nông dân",
            "lead",
            ["Trung tâm Dịch vụ việc làm và Giáo dục nghề nghiệp", "Hội Nông dân"],
        ),
        (
            "Phòng LĐ-TB&XH và UBND các xã, thị trấn",
            "lead",
            ["Phòng Lao động - Thương binh và Xã hội", "Ủy ban nhân dân cấp xã"],
        ),
        ("các đơn vị, địa phương", "coordinating", []),
        ("các đơn vị liên quan", "lead", []),
        ("Các cơ quan, đơn vị", "lead", ["Các cơ quan, đơn vị"]),  # a generic lead stays
        ("Các cơ quan, đơn vị", "coordinating", []),
        ("Sở Y tế (chủ trì thẩm định), Sở Y tế", "lead", ["Sở Y tế"]),  # parentheses dropped, no duplicates
    ],
)
def test_split(segment: str, role: Role, expected: list[str]) -> None:
    assert [r.name for r in split_agencies(segment, role=role)] == expected


def test_2025_renaming() -> None:
    new = successor_of("labour_social")
    assert new is not None
    assert (new.key, new.name) == ("agriculture_environment", "Nông nghiệp và Môi trường")
    assert successor_of("labour_social", on=dt.date(2025, 2, 28)) is None  # still in charge that day
    assert successor_of("labour_social", on=dt.date(2025, 3, 1)) == new
    assert successor_of("agriculture_rural_development") == new
    assert successor_of("vbsp") is None
    labour = catalogue().get("labour_social")
    assert "35/2025/NĐ-CP" in labour.citation
    assert labour.valid_to == dt.date(2025, 2, 28)


def test_catalogue_is_consistent() -> None:
    cat = catalogue()
    keys = [a.key for a in cat.agencies]
    assert len(keys) == len(set(keys))
    owners: dict[str, str] = {}
    for agency in cat.agencies:
        if agency.successor is not None:
            cat.get(agency.successor)  # exists
            assert agency.citation and agency.status in STATUSES, agency.key
            assert agency.valid_to is not None, agency.key
        if agency.status:
            assert agency.status in STATUSES
        for alias in (agency.name, *agency.aliases):
            folded = " ".join(fold(alias).split())
            assert owners.setdefault(folded, agency.key) == agency.key, f"{alias!r} names two agencies"
    for key in ("labour_social", "finance_planning", "agriculture_rural_development", "ethnic_affairs",
                "culture_information", "health", "education", "vbsp", "fatherland_front", "farmers_union",
                "women_union", "youth_union", "veterans_association", "commune_people_committees",
                "propaganda_board", "organisation_board", "mass_mobilisation_board", "inspection_committee",
                "party_office", "agriculture_environment", "economy"):  # fmt: skip
        cat.get(key)


@pytest.mark.parametrize(
    ("segment", "role", "expected"),
    [
        (  # "huyện; Ủy" is not "Huyện ủy"
            "Phòng Tài chính - Kế hoạch, Ủy ban nhân dân huyện; Ủy ban nhân dân cấp xã",
            "lead",
            ["Phòng Tài chính - Kế hoạch", "Ủy ban nhân dân huyện", "Ủy ban nhân dân cấp xã"],
        ),
        (
            "Trung tâm Văn hóa huyện, Ủy ban Mặt trận Tổ quốc huyện",
            "coordinating",
            ["Trung tâm Văn hóa huyện", "Ủy ban Mặt trận Tổ quốc Việt Nam"],
        ),
        (  # "tỉnh, Đoàn" is not "Tỉnh Đoàn"
            "Trung tâm Dịch vụ việc làm tỉnh, Đoàn Thanh niên xã",
            "coordinating",
            ["Trung tâm Dịch vụ việc làm", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"],
        ),
        (
            "Ủy ban nhân dân huyện\nỦy ban nhân dân cấp xã",
            "lead",
            ["Ủy ban nhân dân huyện", "Ủy ban nhân dân cấp xã"],
        ),
        (  # "các tổ chức xã hội, đơn vị cấp tỉnh" is two groups, the second one generic
            "các ban, sở, ngành, đoàn thể, các tổ chức xã hội, đơn vị cấp tỉnh và các đồng chí",
            "coordinating",
            ["Các đoàn thể chính trị - xã hội", "Các tổ chức xã hội"],
        ),
        (
            "thủ trưởng các ban, sở, ngành, Ủy ban Mặt trận Tổ quốc, đoàn thể tỉnh, "
            "các cơ quan, đơn vị cấp tỉnh",
            "lead",
            [
                "Thủ trưởng các ban, sở, ngành",
                "Ủy ban Mặt trận Tổ quốc Việt Nam",
                "Các đoàn thể chính trị - xã hội",
                "Các cơ quan, đơn vị cấp tỉnh",
            ],
        ),
        ("cấp ủy đảng và chính quyền các cấp", "lead", ["Cấp ủy đảng", "Chính quyền các cấp"]),
        ("Ban Công tác Mặt trận các thôn, bản", "coordinating", ["Ban Công tác Mặt trận các thôn, bản"]),
        ("Phòng Kinh tế, Trưởng các thôn", "coordinating", ["Phòng Kinh tế", "Trưởng các thôn"]),
    ],
)
def test_split_never_across_separators(segment: str, role: Role, expected: list[str]) -> None:
    assert [r.name for r in split_agencies(segment, role=role)] == expected


def test_an_alias_with_a_comma_still_matches_across_it() -> None:
    # the alias itself has punctuation there: "Lao động - Thương binh" = "Lao động, Thương binh"
    assert normalise_agency("Sở Lao động, Thương binh và Xã hội").key == "labour_social"
    assert normalise_agency("Phòng giao dịch Ngân hàng Chính sách xã hội khu vực Trấn Yên").name == (
        "Phòng giao dịch Ngân hàng Chính sách xã hội"
    )
