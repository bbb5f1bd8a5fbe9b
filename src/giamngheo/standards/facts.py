"""The facts schema (lược đồ dữ kiện): what is observed about a household and its members.

Facts, not verdicts: nothing here says whether a household is poor. A survey (Phiếu B), an Excel file or
the registry supplies these facts; :func:`giamngheo.standards.evaluate` applies a standard to them. The
schema is the superset that every encoded standard needs, so the same facts can be evaluated under any
standard (policy simulation). ``docs/data-format.md`` documents it for people, in Vietnamese and English;
this module is its single source for code. Which standard uses which fact is derived from the indicator
registry (:func:`giamngheo.standards.indicators.facts_used_by`), never written twice.

Conventions
-----------
- One row per household in the household frame, keyed by ``household_id``; one row per person in the
  member frame, linked by ``household_id``. The number of members (nhân khẩu) is the number of member
  rows: it is never typed in separately.
- Money is in Vietnamese đồng (VND), whole numbers. Ages are completed years at the review date.
- Enumerations are lower-case English codes; their Vietnamese labels live here and in the docs.
- A null (empty cell) means "not observed". The engine never fills it in: a household with a missing
  fact that its standard needs is classified ``incomplete`` with the list of missing facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import polars as pl


class Level(StrEnum):
    HOUSEHOLD = "household"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class Fact:
    """One observable fact: its column name, level, Polars type, unit and allowed values."""

    name: str
    level: Level
    dtype: pl.DataType
    label_vi: str
    label_en: str
    unit: str = ""
    allowed: tuple[str, ...] = ()
    allowed_labels_vi: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    """Required for every row whatever the standard (keys and area)."""
    note_vi: str = ""
    note_en: str = ""

    def __post_init__(self) -> None:
        if self.allowed and len(self.allowed_labels_vi) != len(self.allowed):
            raise ValueError(f"fact {self.name}: one Vietnamese label per allowed value")

    @property
    def polars_dtype(self) -> pl.DataType:
        """The canonical Polars type: an ``Enum`` of the allowed values for enumerations."""
        return pl.Enum(list(self.allowed)) if self.allowed else self.dtype

    @property
    def is_integer(self) -> bool:
        return self.dtype.is_integer()


# --- enumerations -------------------------------------------------------------------------------------

AREA_VALUES: Final = ("urban", "rural")
SEX_VALUES: Final = ("male", "female")
EMPLOYMENT_VALUES: Final = (
    "wage_with_contract",
    "wage_without_contract",
    "self_employed",
    "unemployed",
    "not_in_labour_force",
)
SCHOOL_ATTENDANCE_VALUES: Final = ("not_attending", "attending_below_age_level", "attending")
GENERAL_EDUCATION_VALUES: Final = ("none", "primary", "lower_secondary", "upper_secondary")
VOCATIONAL_VALUES: Final = ("none", "elementary", "intermediate", "college_or_higher")
WATER_SOURCE_VALUES: Final = (
    "piped",
    "drilled_well",
    "protected_dug_well",
    "protected_spring",
    "rainwater",
    "bottled",
    "unprotected_dug_well",
    "unprotected_spring",
    "surface_water",
    "vendor_tanker",
    "other",
)
LATRINE_VALUES: Final = (
    "septic",
    "semi_septic",
    "pour_flush",
    "ventilated_improved_pit",
    "double_vault",
    "simple_pit",
    "hanging_over_water",
    "other",
    "none",
)
WASTE_VALUES: Final = ("collected", "treated_on_site", "discarded")

# --- the schema ---------------------------------------------------------------------------------------

H, M = Level.HOUSEHOLD, Level.MEMBER
Utf8, Int64, Float64, Boolean = pl.String(), pl.Int64(), pl.Float64(), pl.Boolean()

HOUSEHOLD_FACTS: Final[tuple[Fact, ...]] = (
    Fact("household_id", H, Utf8, "Mã hộ", "Household code", required=True),
    Fact(
        "area",
        H,
        Utf8,
        "Khu vực",
        "Area",
        allowed=AREA_VALUES,
        allowed_labels_vi=("thành thị", "nông thôn"),
        required=True,
        note_vi="Phường là thành thị, xã là nông thôn (từ 01/7/2025); đặc khu theo quy định riêng.",
        note_en="Ward (phường) is urban, commune (xã) rural since 1 July 2025; special zones as designated.",
    ),
    Fact(
        "income_12m",
        H,
        Int64,
        "Tổng thu nhập của hộ 12 tháng qua",
        "Total household income, last 12 months",
        unit="VND",
        minimum=0,
        note_vi="Thu nhập bình quân đầu người/tháng = tổng thu nhập 12 tháng ÷ 12 ÷ số nhân khẩu.",
        note_en="Income per person per month = 12-month income ÷ 12 ÷ number of members.",
    ),
    Fact(
        "income_score",
        H,
        Float64,
        "Điểm A (ước tính thu nhập, Phiếu B)",
        "Score A (estimated income, form B)",
        unit="điểm / points",
        minimum=0,
        note_vi="Chỉ dùng khi phân loại theo điểm (Thông tư 07/2021/TT-BLĐTBXH).",
        note_en="Used only when classifying by score (Circular 07/2021/TT-BLĐTBXH).",
    ),
    Fact(
        "ill_member_untreated",
        H,
        Boolean,
        "Có người ốm đau không đi khám chữa bệnh",
        "A member was ill and did not seek treatment",
    ),
    Fact("has_dwelling", H, Boolean, "Có nhà ở", "Has a dwelling"),
    Fact(
        "durable_main_parts",
        H,
        Int64,
        "Số kết cấu chính (tường, cột, mái) bằng vật liệu bền chắc",
        "Main structures (walls, pillars, roof) of durable materials",
        unit="0–3",
        minimum=0,
        maximum=3,
        note_vi="Bỏ trống nếu hộ không có nhà ở.",
        note_en="Leave empty when the household has no dwelling.",
    ),
    Fact("floor_area_m2", H, Float64, "Diện tích nhà ở", "Dwelling floor area", unit="m²", minimum=0),
    Fact(
        "water_source",
        H,
        Utf8,
        "Nguồn nước sinh hoạt chính",
        "Main source of water for daily use",
        allowed=WATER_SOURCE_VALUES,
        allowed_labels_vi=(
            "nước máy",
            "giếng khoan",
            "giếng đào được bảo vệ",
            "khe/mó được bảo vệ",
            "nước mưa",
            "nước đóng chai, bình",
            "giếng đào không được bảo vệ",
            "khe/mó không được bảo vệ",
            "nước mặt (sông, suối, ao, hồ)",
            "mua từ xe chở, người bán",
            "khác",
        ),
    ),
    Fact(
        "latrine_type",
        H,
        Utf8,
        "Loại nhà tiêu",
        "Type of latrine",
        allowed=LATRINE_VALUES,
        allowed_labels_vi=(
            "tự hoại",
            "bán tự hoại",
            "thấm dội nước",
            "chìm có ống thông hơi",
            "hai ngăn",
            "hố đào đơn giản",
            "cầu tiêu trên ao, sông",
            "khác",
            "không có",
        ),
    ),
    Fact(
        "waste_disposal",
        H,
        Utf8,
        "Xử lý rác thải sinh hoạt",
        "Household waste disposal",
        allowed=WASTE_VALUES,
        allowed_labels_vi=("được thu gom", "tự xử lý hợp vệ sinh", "vứt bỏ ra môi trường"),
    ),
    Fact("uses_internet", H, Boolean, "Có thành viên sử dụng internet", "A member uses the internet"),
    Fact(
        "uses_telephone",
        H,
        Boolean,
        "Có thành viên sử dụng điện thoại",
        "A member uses a telephone (fixed or mobile)",
    ),
    Fact("has_tv", H, Boolean, "Có ti vi", "Has a television"),
    Fact("has_radio", H, Boolean, "Có radio", "Has a radio"),
    Fact(
        "has_computer",
        H,
        Boolean,
        "Có máy tính (để bàn, xách tay, bảng)",
        "Has a computer (desktop, laptop, tablet)",
    ),
    Fact("has_smartphone", H, Boolean, "Có điện thoại thông minh", "Has a smartphone"),
    Fact(
        "hears_loudspeaker",
        H,
        Boolean,
        "Nghe được hệ thống loa truyền thanh xã/thôn",
        "Can hear the commune/village loudspeaker",
    ),
)

MEMBER_FACTS: Final[tuple[Fact, ...]] = (
    Fact("household_id", M, Utf8, "Mã hộ", "Household code", required=True),
    Fact(
        "age",
        M,
        Int64,
        "Tuổi (tròn năm tại ngày rà soát)",
        "Age (completed years at the review date)",
        unit="năm / years",
        minimum=0,
        maximum=130,
        required=True,
    ),
    Fact("sex", M, Utf8, "Giới tính", "Sex", allowed=SEX_VALUES, allowed_labels_vi=("nam", "nữ")),
    Fact(
        "has_labour_capacity",
        M,
        Boolean,
        "Có khả năng lao động",
        "Has labour capacity",
        note_vi="Sai (false) nếu mất khả năng lao động.",
        note_en="False when the person has lost the capacity to work.",
    ),
    Fact(
        "employment",
        M,
        Utf8,
        "Tình trạng việc làm",
        "Employment status",
        allowed=EMPLOYMENT_VALUES,
        allowed_labels_vi=(
            "làm công ăn lương có hợp đồng lao động",
            "làm công ăn lương không có hợp đồng lao động",
            "tự làm (kể cả nông nghiệp)",
            "thất nghiệp",
            "không tham gia lao động (đi học, nội trợ, …)",
        ),
    ),
    Fact("has_health_insurance", M, Boolean, "Có thẻ bảo hiểm y tế còn hạn", "Has valid health insurance"),
    Fact(
        "stunted",
        M,
        Boolean,
        "Suy dinh dưỡng chiều cao theo tuổi (thấp còi)",
        "Stunted (height-for-age)",
    ),
    Fact(
        "underweight",
        M,
        Boolean,
        "Suy dinh dưỡng cân nặng theo tuổi (nhẹ cân)",
        "Underweight (weight-for-age)",
    ),
    Fact(
        "school_attendance",
        M,
        Utf8,
        "Tình trạng đi học / đào tạo",
        "School / training attendance",
        allowed=SCHOOL_ATTENDANCE_VALUES,
        allowed_labels_vi=("không đi học", "đi học chậm so với bậc, cấp học theo tuổi", "đang đi học"),
    ),
    Fact(
        "general_education",
        M,
        Utf8,
        "Trình độ giáo dục phổ thông cao nhất đã hoàn thành",
        "Highest general education completed",
        allowed=GENERAL_EDUCATION_VALUES,
        allowed_labels_vi=("chưa tốt nghiệp tiểu học", "tiểu học", "trung học cơ sở", "trung học phổ thông"),
    ),
    Fact(
        "vocational_qualification",
        M,
        Utf8,
        "Trình độ giáo dục nghề nghiệp cao nhất",
        "Highest vocational qualification",
        allowed=VOCATIONAL_VALUES,
        allowed_labels_vi=("không có", "sơ cấp", "trung cấp", "cao đẳng trở lên"),
    ),
    Fact(
        "enterprise_trained",
        M,
        Boolean,
        "Được doanh nghiệp tuyển dụng và đào tạo nghề có chứng nhận",
        "Hired and trained on the job by an enterprise, with a certificate",
    ),
)

HOUSEHOLD_FACTS_BY_NAME: Final[dict[str, Fact]] = {f.name: f for f in HOUSEHOLD_FACTS}
MEMBER_FACTS_BY_NAME: Final[dict[str, Fact]] = {f.name: f for f in MEMBER_FACTS}

#: Household columns carried through ``evaluate`` unchanged, for grouping (province, commune, village …).
PASSTHROUGH_PATTERN: Final = r"^(province|district|commune|village)_(code|name)$|^weight$"


def polars_schema(level: Level) -> dict[str, pl.DataType]:
    """Canonical column types (``household_id`` may also be an integer type)."""
    facts = HOUSEHOLD_FACTS if level is Level.HOUSEHOLD else MEMBER_FACTS
    return {f.name: f.polars_dtype for f in facts}
