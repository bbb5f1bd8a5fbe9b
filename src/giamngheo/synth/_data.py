"""Static input tables of the synthetic population generator (bảng dữ liệu đầu vào).

Every number here is either a published figure (the source is named next to it and in
``docs/synthetic-data.md``) or a stated assumption (marked ``assumption``). Nothing is fetched at run
time. The derivation from these inputs to the generator's parameters is in :mod:`.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# --- regions ------------------------------------------------------------------------------------------
# The six socio-economic regions used by the MOLISA review results (and the GSO).
NORTH_MOUNTAINS: Final = "northern_midlands_mountains"  # Trung du và miền núi phía Bắc
RED_RIVER: Final = "red_river_delta"  # Đồng bằng sông Hồng
CENTRAL_COAST: Final = "north_central_central_coast"  # Bắc Trung Bộ và Duyên hải miền Trung
HIGHLANDS: Final = "central_highlands"  # Tây Nguyên
SOUTH_EAST: Final = "south_east"  # Đông Nam Bộ
MEKONG: Final = "mekong_delta"  # Đồng bằng sông Cửu Long

REGIONS: Final = (NORTH_MOUNTAINS, RED_RIVER, CENTRAL_COAST, HIGHLANDS, SOUTH_EAST, MEKONG)


@dataclass(frozen=True, slots=True)
class RegionResult:
    """Published end-2024 review result of one region (Decision 217/QĐ-BLĐTBXH, 4 Feb 2025).

    ``poor_and_near`` households and their rate are published for every region; the poor count alone
    only for two regions (``poor`` is ``None`` otherwise, and derived in :mod:`.calibration`).
    ``poor_share_2022`` is the poor share of poor + near-poor households in the 2022 review (Decision
    of MOLISA on the 2022 results, as reported by baobariavungtau.com.vn, Feb 2023), used to split the
    regions whose 2024 poor count is not published.
    """

    region: str
    poor_and_near: int
    poor_and_near_rate: float  # percent
    poor: int | None
    poor_share_2022: float


REGION_RESULTS_2024: Final[tuple[RegionResult, ...]] = (
    RegionResult(NORTH_MOUNTAINS, 486_623, 14.98, 283_413, 455_271 / 701_461),
    RegionResult(RED_RIVER, 97_755, 1.40, 35_128, 69_239 / 169_566),
    RegionResult(CENTRAL_COAST, 360_614, 6.24, None, 284_137 / 571_251),
    RegionResult(HIGHLANDS, 152_970, 9.45, None, 129_160 / 236_766),
    RegionResult(SOUTH_EAST, 7_585, 0.15, None, 9_710 / 15_787),
    RegionResult(MEKONG, 153_450, 3.14, None, 109_767 / 277_936),
)
#: National end-2024 figures (same decision): poor households and poor + near-poor households.
NATIONAL_POOR_2024: Final = 599_608
NATIONAL_POOR_AND_NEAR_2024: Final = 1_258_997
NATIONAL_POOR_RATE_2024: Final = 1.93  # percent, as published (denominator ≈ 31.1 M households)


@dataclass(frozen=True, slots=True)
class OldProvince:
    """One of the 63 provinces before 1 July 2025, with what we know of its poverty at end-2024.

    ``population_2019`` (thousands) is the 2019 census resident population, used only as a weight
    (see the doc: recalled, rounded, cross-checked against the census regional totals).
    ``household_size`` is an assumed mean household size. ``poor`` / ``near`` are the end-2024 rates
    in percent when a published figure was found (``None`` otherwise); ``index_2012`` is the province's
    2012 poor rate (Decision 749/QĐ-LĐTBXH, via the Vietnamese Wikipedia article "Nghèo ở Việt Nam")
    or, where that was not available, an assumed relative level; it only ranks provinces inside
    their region. ``source`` is the key of the published figure in ``docs/synthetic-data.md`` (S1-S18).
    """

    code: int
    name: str
    region: str
    new_code: str
    population_2019: int
    household_size: float
    index_2012: float
    poor: float | None = None
    near: float | None = None
    source: str = ""


_HG_TOTAL_2024 = 36.35  # Hà Giang, poor + near-poor, end-2024 (UBND Hà Giang via baomoi.com)
_HG_POOR_SHARE_2023 = 31.12 / 42.61  # Hà Giang 2023: poor 31.12 %, poor + near 42.61 % (vietnamnet.vn)
_TN_DECLINE = 9.45 / 12.46  # Central Highlands poor+near rate, 2024 / 2023 (MOLISA)
_MEKONG_DECLINE = 3.14 / 4.15  # Mekong Delta poor+near rate, 2024 / 2023 (MOLISA)
_CENTRAL_DECLINE = 6.24 / 8.03  # North Central & Central Coast poor+near rate, 2024 / 2023 (MOLISA)

OLD_PROVINCES: Final[tuple[OldProvince, ...]] = (
    # --- Trung du và miền núi phía Bắc ---
    OldProvince(
        2,
        "Hà Giang",
        NORTH_MOUNTAINS,
        "08",
        855,
        4.5,
        30.13,
        _HG_TOTAL_2024 * _HG_POOR_SHARE_2023,
        _HG_TOTAL_2024 * (1 - _HG_POOR_SHARE_2023),
        "S9",
    ),
    OldProvince(4, "Cao Bằng", NORTH_MOUNTAINS, "04", 530, 3.9, 28.22),
    OldProvince(6, "Bắc Kạn", NORTH_MOUNTAINS, "19", 314, 3.7, 20.39),
    OldProvince(8, "Tuyên Quang", NORTH_MOUNTAINS, "08", 785, 3.7, 22.63),
    OldProvince(10, "Lào Cai", NORTH_MOUNTAINS, "15", 731, 4.0, 27.69, 11.24, 9.94, "S8"),
    OldProvince(11, "Điện Biên", NORTH_MOUNTAINS, "11", 599, 4.4, 38.25, 21.29, 11.96, "S6"),
    OldProvince(12, "Lai Châu", NORTH_MOUNTAINS, "12", 460, 4.4, 31.82, 19.46, 9.33, "S5"),
    OldProvince(14, "Sơn La", NORTH_MOUNTAINS, "14", 1248, 4.2, 28.69, 11.11, None, "S7"),
    OldProvince(15, "Yên Bái", NORTH_MOUNTAINS, "15", 822, 3.8, 29.23),
    OldProvince(17, "Hòa Bình", NORTH_MOUNTAINS, "25", 855, 3.7, 21.73),
    OldProvince(19, "Thái Nguyên", NORTH_MOUNTAINS, "19", 1287, 3.4, 13.76),
    OldProvince(20, "Lạng Sơn", NORTH_MOUNTAINS, "20", 782, 3.8, 21.02),
    OldProvince(24, "Bắc Giang", NORTH_MOUNTAINS, "24", 1804, 3.6, 12.11),
    OldProvince(25, "Phú Thọ", NORTH_MOUNTAINS, "25", 1464, 3.5, 14.12),
    # --- Đồng bằng sông Hồng ---
    OldProvince(1, "Hà Nội", RED_RIVER, "01", 8054, 3.4, 1.52, 0.0, None, "S14"),
    OldProvince(22, "Quảng Ninh", RED_RIVER, "22", 1320, 3.4, 3.52),
    OldProvince(26, "Vĩnh Phúc", RED_RIVER, "25", 1152, 3.5, 6.53),
    OldProvince(27, "Bắc Ninh", RED_RIVER, "24", 1369, 3.5, 4.27),
    OldProvince(30, "Hải Dương", RED_RIVER, "31", 1893, 3.3, 7.26),
    OldProvince(31, "Hải Phòng", RED_RIVER, "31", 2029, 3.3, 4.21, 0.0, None, "S14"),
    OldProvince(33, "Hưng Yên", RED_RIVER, "33", 1253, 3.3, 6.77),
    OldProvince(34, "Thái Bình", RED_RIVER, "33", 1861, 3.1, 6.80),
    OldProvince(35, "Hà Nam", RED_RIVER, "37", 853, 3.3, 8.83),
    OldProvince(36, "Nam Định", RED_RIVER, "37", 1781, 3.2, 6.72),
    OldProvince(37, "Ninh Bình", RED_RIVER, "37", 983, 3.4, 7.54, 1.51, 1.89, "S11"),
    # --- Bắc Trung Bộ và Duyên hải miền Trung (index: 2012 where found, else assumption) ---
    OldProvince(38, "Thanh Hóa", CENTRAL_COAST, "38", 3641, 3.6, 16.56),
    OldProvince(40, "Nghệ An", CENTRAL_COAST, "40", 3327, 3.7, 15.61, 5.19 * _CENTRAL_DECLINE, None, "S13"),
    OldProvince(42, "Hà Tĩnh", CENTRAL_COAST, "42", 1289, 3.5, 14.20),
    OldProvince(44, "Quảng Bình", CENTRAL_COAST, "44", 896, 3.6, 17.36),
    OldProvince(45, "Quảng Trị", CENTRAL_COAST, "44", 633, 3.6, 16.0),
    OldProvince(46, "Thừa Thiên Huế", CENTRAL_COAST, "46", 1129, 3.7, 9.0),
    OldProvince(48, "Đà Nẵng", CENTRAL_COAST, "48", 1135, 3.5, 2.0, 0.0, None, "S14"),
    OldProvince(49, "Quảng Nam", CENTRAL_COAST, "48", 1496, 3.5, 18.0),
    OldProvince(51, "Quảng Ngãi", CENTRAL_COAST, "51", 1232, 3.5, 17.0),
    OldProvince(52, "Bình Định", CENTRAL_COAST, "52", 1487, 3.6, 10.0),
    OldProvince(54, "Phú Yên", CENTRAL_COAST, "66", 873, 3.6, 13.0),
    OldProvince(56, "Khánh Hòa", CENTRAL_COAST, "56", 1232, 3.7, 7.0),
    OldProvince(58, "Ninh Thuận", CENTRAL_COAST, "56", 591, 3.9, 13.0),
    OldProvince(60, "Bình Thuận", CENTRAL_COAST, "68", 1231, 3.7, 6.0),
    # --- Tây Nguyên ---
    OldProvince(
        62,
        "Kon Tum",
        HIGHLANDS,
        "51",
        541,
        4.2,
        25.0,
        6.84 * _TN_DECLINE,
        4.39 * _TN_DECLINE,
        "S4",
    ),
    OldProvince(64, "Gia Lai", HIGHLANDS, "52", 1514, 4.0, 20.0, 6.07, None, "S10"),
    OldProvince(66, "Đắk Lắk", HIGHLANDS, "66", 1870, 3.9, 18.0),
    OldProvince(67, "Đắk Nông", HIGHLANDS, "68", 622, 4.0, 20.0),
    OldProvince(68, "Lâm Đồng", HIGHLANDS, "68", 1297, 3.7, 8.0),
    # --- Đông Nam Bộ ---
    OldProvince(70, "Bình Phước", SOUTH_EAST, "75", 995, 3.7, 8.0),
    OldProvince(72, "Tây Ninh", SOUTH_EAST, "80", 1170, 3.5, 4.0, 0.0, None, "S14"),
    OldProvince(74, "Bình Dương", SOUTH_EAST, "79", 2426, 3.2, 1.0, 0.0, None, "S14"),
    OldProvince(75, "Đồng Nai", SOUTH_EAST, "75", 3097, 3.6, 3.0),
    OldProvince(77, "Bà Rịa - Vũng Tàu", SOUTH_EAST, "79", 1149, 3.6, 3.0, 0.0, 0.0, "S14"),
    OldProvince(79, "Hồ Chí Minh", SOUTH_EAST, "79", 8993, 3.5, 1.0, 0.0, None, "S14"),
    # --- Đồng bằng sông Cửu Long (index: assumption) ---
    OldProvince(80, "Long An", MEKONG, "80", 1689, 3.5, 5.0),
    OldProvince(82, "Tiền Giang", MEKONG, "82", 1765, 3.5, 8.0),
    OldProvince(83, "Bến Tre", MEKONG, "86", 1289, 3.4, 10.0),
    OldProvince(84, "Trà Vinh", MEKONG, "86", 1010, 3.7, 15.0),
    OldProvince(86, "Vĩnh Long", MEKONG, "86", 1023, 3.4, 7.0),
    OldProvince(87, "Đồng Tháp", MEKONG, "82", 1600, 3.5, 8.0),
    OldProvince(89, "An Giang", MEKONG, "91", 1908, 3.6, 9.0),
    OldProvince(91, "Kiên Giang", MEKONG, "91", 1723, 3.7, 7.0),
    OldProvince(92, "Cần Thơ", MEKONG, "92", 1236, 3.4, 4.0),
    OldProvince(93, "Hậu Giang", MEKONG, "92", 733, 3.6, 12.0),
    OldProvince(94, "Sóc Trăng", MEKONG, "92", 1200, 3.8, 16.0),
    OldProvince(95, "Bạc Liêu", MEKONG, "96", 907, 3.7, 11.0),
    OldProvince(
        96,
        "Cà Mau",
        MEKONG,
        "96",
        1194,
        3.7,
        11.0,
        3.14 * _MEKONG_DECLINE,
        2.27 * _MEKONG_DECLINE,
        "S12",
    ),
)


@dataclass(frozen=True, slots=True)
class Province:
    """One of the 34 provinces since 1 July 2025 (Resolution 202/2025/QH15).

    Codes and names: PyPI ``vietnam-provinces==2025.10.1`` via ``shared/geo/vn-provinces-2025.geojson``.
    ``urban_share`` (share of households in wards / phường) and ``mean_income`` (thousand VND per
    person per month, 2023) are assumptions except where the doc cites a GSO figure; ``mountain``
    marks provinces whose child nutrition is modelled as worse.
    """

    code: str
    name: str
    urban_share: float
    mean_income: int
    mountain: bool = False


PROVINCES: Final[tuple[Province, ...]] = (
    Province("01", "Thành phố Hà Nội", 0.50, 6900),
    Province("04", "Cao Bằng", 0.24, 2439, True),
    Province("08", "Tuyên Quang", 0.16, 2750, True),
    Province("11", "Điện Biên", 0.16, 2182, True),
    Province("12", "Lai Châu", 0.18, 2324, True),
    Province("14", "Sơn La", 0.15, 2392, True),
    Province("15", "Lào Cai", 0.22, 3250, True),
    Province("19", "Thái Nguyên", 0.33, 4100, True),
    Province("20", "Lạng Sơn", 0.21, 2884, True),
    Province("22", "Quảng Ninh", 0.65, 6000),
    Province("24", "Bắc Ninh", 0.30, 5000),
    Province("25", "Phú Thọ", 0.22, 4200),
    Province("31", "Thành phố Hải Phòng", 0.40, 5700),
    Province("33", "Hưng Yên", 0.14, 4750),
    Province("37", "Ninh Bình", 0.20, 4550),
    Province("38", "Thanh Hóa", 0.18, 3900),
    Province("40", "Nghệ An", 0.16, 3500),
    Province("42", "Hà Tĩnh", 0.20, 3700),
    Province("44", "Quảng Trị", 0.24, 3550),
    Province("46", "Thành phố Huế", 0.50, 4200),
    Province("48", "Thành phố Đà Nẵng", 0.45, 4800),
    Province("51", "Quảng Ngãi", 0.20, 3500, True),
    Province("52", "Gia Lai", 0.30, 3400, True),
    Province("56", "Khánh Hòa", 0.45, 4400),
    Province("66", "Đắk Lắk", 0.25, 3450, True),
    Province("68", "Lâm Đồng", 0.35, 3950, True),
    Province("75", "Đồng Nai", 0.40, 5700),
    Province("79", "Thành phố Hồ Chí Minh", 0.78, 7300),
    Province("80", "Tây Ninh", 0.20, 5400),
    Province("82", "Đồng Tháp", 0.18, 4500),
    Province("86", "Vĩnh Long", 0.18, 4100),
    Province("91", "An Giang", 0.30, 4150),
    Province("92", "Thành phố Cần Thơ", 0.40, 4400),
    Province("96", "Cà Mau", 0.25, 4100),
)

#: Lines of the 2022-2025 standard (Decree 07/2021/NĐ-CP art. 3), VND per person per month.
LINE_RURAL: Final = 1_500_000
LINE_URBAN: Final = 2_000_000
#: Rate floor for provinces reported with no poor / near-poor households (assumption, percent).
RATE_FLOOR: Final = 0.05
