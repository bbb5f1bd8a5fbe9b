"""Plans written for these tests in the same administrative style, in layouts the two real examples do not
use: labelled lines, target and task tables, a row-wise indicator table, "a)" items with an assignment,
2025 agency names, inline funding, "định kỳ 6 tháng" and "trước ngày 15/12 hằng năm"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from giamngheo.planning.parsing import PlanDraft, parse_plan

from .conftest import names, task_at

COMMUNE_PLAN = """\
ỦY BAN NHÂN DÂN XÃ TÂN LẬP
Số: 45/KH-UBND
Tân Lập, ngày 10 tháng 01 năm 2024

KẾ HOẠCH
Thực hiện công tác giảm nghèo bền vững năm 2024

Căn cứ Quyết định số 90/QĐ-TTg ngày 18/01/2022 của Thủ tướng Chính phủ phê duyệt Chương trình mục tiêu \
quốc gia giảm nghèo bền vững giai đoạn 2021-2025;
Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2024 của UBND huyện về giảm nghèo năm 2024;
Ủy ban nhân dân xã Tân Lập ban hành Kế hoạch thực hiện như sau:

I. MỤC TIÊU
- Giảm tỷ lệ hộ nghèo bình quân 1-1,5%/năm, riêng các thôn đặc biệt khó khăn giảm 2 - 3%/năm.
- Giảm tỷ lệ hộ cận nghèo 0,5%.
- 100% hộ nghèo có thẻ BHYT.
- Phấn đấu có 12 hộ thoát nghèo.
Chỉ tiêu cụ thể từng thôn:
| TT | Thôn | Tỷ lệ hộ nghèo đầu năm (%) | Giảm (%) | Số hộ nghèo giảm (hộ) | Tỷ lệ hộ nghèo cuối năm (%) |
|---|---|---|---|---|---|
| 1 | Thôn Đông | 12,5 | 2,5 | 7 | 10,0 |
| 2 | Thôn Tây | 8,0 | 1,5 | 5 | 6,5 |
|  | **Toàn xã** | 10,2 | 2,0 | 12 | 8,2 |

II. NHIỆM VỤ, GIẢI PHÁP
1. Rà soát hộ nghèo, hộ cận nghèo định kỳ năm 2024.
- Cơ quan chủ trì: Công chức Văn hóa - Xã hội.
- Cơ quan phối hợp: Ban Công tác Mặt trận các thôn, Hội Nông dân xã, Hội LHPN xã.
- Thời gian thực hiện: Từ ngày 01/9 đến ngày 14/12/2024.
2. Tuyên truyền chính sách giảm nghèo trên hệ thống truyền thanh xã.
Cơ quan chủ trì: Ủy ban MTTQ xã; Cơ quan phối hợp: Đoàn Thanh niên, Hội Cựu chiến binh; Thời gian \
thực hiện: Quý I/2024.
3. Hỗ trợ vay vốn tín dụng chính sách cho hộ nghèo, hộ cận nghèo.
Cơ quan chủ trì: Ngân hàng CSXH huyện
Thời gian thực hiện: hằng quý

III. KINH PHÍ
Tổng kinh phí: 1.250 triệu đồng, trong đó: ngân sách trung ương 800 triệu đồng; ngân sách địa phương \
150 triệu đồng; vốn tín dụng Ngân hàng Chính sách xã hội 0,3 tỷ đồng.

IV. TỔ CHỨC THỰC HIỆN
1. Công chức Văn hóa - Xã hội: tham mưu UBND xã tổ chức thực hiện Kế hoạch; định kỳ 6 tháng báo cáo kết \
quả về UBND huyện (qua Phòng Kinh tế).
2. Các thôn: tổ chức thực hiện, báo cáo kết quả thực hiện trước ngày 15/12 hằng năm.

Nơi nhận:
- UBND huyện;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
"""

PROVINCE_PLAN = """\
ỦY BAN NHÂN DÂN
TỈNH BÌNH SƠN

Số: 210/KH-UBND                     Bình Sơn, ngày 20 tháng 3 năm 2026

KẾ HOẠCH
Thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững
giai đoạn 2026 - 2030

Căn cứ Nghị định số 351/2025/NĐ-CP ngày 30/12/2025 của Chính phủ quy định chuẩn nghèo đa chiều;
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. ĐÁNH GIÁ KẾT QUẢ GIAI ĐOẠN TRƯỚC
Năm 2025 tỷ lệ hộ nghèo giảm 2,1%, còn 6,3%; huy động được 120 tỷ đồng vốn doanh nghiệp.

II. MỤC TIÊU
1. Tỷ lệ hộ nghèo đa chiều giảm bình quân 1 - 1,5%/năm; riêng các xã đặc biệt khó khăn giảm 3%/năm.
2. Tỷ lệ hộ cận nghèo cuối năm 2030 còn dưới 4%.
3. Thu nhập bình quân của người dân các xã nghèo đạt 45 triệu đồng/người/năm.
4. Các chỉ tiêu cụ thể:

| Chỉ tiêu | Đơn vị tính | Kế hoạch năm 2026 |
|---|---|---|
| Số hộ thoát nghèo | hộ | 1.500 |
| Tỷ lệ người nghèo có thẻ bảo hiểm y tế | % | 100 |
| Số lao động được đào tạo nghề | người | 2.000 |

III. NHIỆM VỤ VÀ GIẢI PHÁP
1. Hỗ trợ phát triển sản xuất
a) Xây dựng và nhân rộng mô hình giảm nghèo gắn với chuỗi giá trị.
b) Hỗ trợ giống, vật tư cho hộ nghèo,
hộ cận nghèo theo hướng sản xuất hàng hóa.
* Phân công thực hiện: Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính, Sở Dân tộc và \
Tôn giáo, Hội Nông dân tỉnh và Ủy ban nhân dân các xã, phường triển khai thực hiện hằng quý.
2. Nhiệm vụ cụ thể
| TT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |
|---|---|---|---|---|
| 1 | Rà soát hộ nghèo định kỳ | Sở Nông nghiệp và Môi trường | UBND các xã, phường | \
trước ngày 14/12 hằng năm |
| 2 | Tổng kết giai đoạn | Sở NN&MT | Sở Nội vụ, Sở Y tế | Quý IV/2030 |

IV. KINH PHÍ
Dự kiến tổng nguồn vốn: 2.150,5 tỷ đồng, trong đó:
- Ngân sách trung ương: 1.500 tỷ đồng;
- Ngân sách địa phương: 400 tỷ đồng;
- Vốn ODA: 50,5 tỷ đồng;
- Vốn huy động hợp pháp khác (doanh nghiệp, cộng đồng): 200 tỷ đồng.
Mức hỗ trợ tối đa 30 triệu đồng/hộ.

V. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường: là cơ quan thường trực, chủ trì theo dõi, tổng hợp; định kỳ 6 tháng, hằng \
năm báo cáo Ủy ban nhân dân tỉnh.
2. Ủy ban nhân dân các xã, phường: báo cáo kết quả thực hiện trước ngày 15/12 hằng năm.
3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh chủ trì giám sát việc thực hiện Kế hoạch.
"""


@pytest.fixture(scope="module")
def commune() -> PlanDraft:
    return parse_plan(COMMUNE_PLAN)


@pytest.fixture(scope="module")
def province() -> PlanDraft:
    return parse_plan(PROVINCE_PLAN)


# --- Commune plan --------------------------------------------------------------------------------------


def test_commune_header(commune: PlanDraft) -> None:
    assert commune.title == "Kế hoạch thực hiện công tác giảm nghèo bền vững năm 2024"
    assert (commune.number, commune.issued_on) == ("45/KH-UBND", dt.date(2024, 1, 10))
    assert (commune.issuer, commune.unit_name) == ("Ủy ban nhân dân xã Tân Lập", "xã Tân Lập")
    assert (commune.period_start, commune.period_end) == (2024, 2024)
    assert [a.number for a in commune.basis] == ["90/QĐ-TTg", "12/KH-UBND"]


def test_commune_text_targets(commune: PlanDraft) -> None:
    text_targets = [t for t in commune.targets if t.source_line < 19]
    assert [(t.kind, t.value, t.value_max, t.unit, t.per_year, t.scope) for t in text_targets] == [
        ("poor_rate_reduction", Decimal(1), Decimal("1.5"), "points", True, None),
        ("poor_rate_reduction", Decimal(2), Decimal(3), "points", True, "các thôn đặc biệt khó khăn"),
        ("near_poor_rate_reduction", Decimal("0.5"), None, "points", False, None),
        ("coverage", Decimal(100), None, "percent", False, None),
        ("poor_households_reduction", Decimal(12), None, "households", False, None),
    ]
    assert text_targets[3].subject == "thẻ BHYT"
    assert {t.year for t in text_targets} == {2024}  # a one-year plan: its year


def test_commune_target_table(commune: PlanDraft) -> None:
    rows = [(t.scope, t.kind, t.value) for t in commune.targets if t.source_line >= 19]
    assert rows == [
        ("Thôn Đông", "poor_rate_reduction", Decimal("2.5")),
        ("Thôn Đông", "poor_households_reduction", Decimal(7)),
        ("Thôn Đông", "end_rate", Decimal("10.0")),
        ("Thôn Tây", "poor_rate_reduction", Decimal("1.5")),
        ("Thôn Tây", "poor_households_reduction", Decimal(5)),
        ("Thôn Tây", "end_rate", Decimal("6.5")),
        (None, "poor_rate_reduction", Decimal("2.0")),  # "Toàn xã" is the commune itself
        (None, "poor_households_reduction", Decimal(12)),
        (None, "end_rate", Decimal("8.2")),
    ]
    # the baseline column ("đầu năm") is not a target; the village cuts add up to the commune's
    villages = sum(t.value for t in commune.targets if t.kind == "poor_households_reduction" and t.scope)
    assert villages == Decimal(12)


def test_commune_labelled_tasks(commune: PlanDraft) -> None:
    review = task_at(commune, "II.1")
    assert review.style == "labelled"
    assert review.text == "Rà soát hộ nghèo, hộ cận nghèo định kỳ năm 2024"
    assert names(review.lead_agencies) == ["Công chức Văn hóa - Xã hội"]
    assert names(review.coordinating_agencies) == [
        "Ban Công tác Mặt trận các thôn",
        "Hội Nông dân",
        "Hội Liên hiệp Phụ nữ",
    ]
    assert (review.timeframe.kind, review.timeframe.day, review.timeframe.month, review.timeframe.year) == (
        "dated",
        14,
        12,
        2024,
    )
    inline = task_at(commune, "II.2")  # the three labels on one line, separated by ";"
    assert names(inline.lead_agencies) == ["Ủy ban Mặt trận Tổ quốc Việt Nam"]
    assert names(inline.coordinating_agencies) == [
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "Hội Cựu chiến binh",
    ]
    assert (
        inline.timeframe.kind,
        inline.timeframe.quarter,
        inline.timeframe.month,
        inline.timeframe.year,
    ) == (
        "dated",
        1,
        3,
        2024,
    )
    credit = task_at(commune, "II.3")
    assert names(credit.lead_agencies) == ["Ngân hàng Chính sách xã hội"]
    assert (credit.timeframe.kind, credit.timeframe.every_months) == ("periodic", 3)


def test_commune_funding_inline(commune: PlanDraft) -> None:
    assert [(f.source, f.amount_million_vnd) for f in commune.funding] == [
        ("central", Decimal(800)),
        ("local", Decimal(150)),
        ("credit", Decimal(300)),  # "0,3 tỷ đồng"
    ]
    assert commune.funding_total_million_vnd == Decimal(1250)


def test_commune_deadlines_and_organisation(commune: PlanDraft) -> None:
    assert [(d.kind, d.every_months, d.day, d.month, d.source_line) for d in commune.deadlines] == [
        ("periodic", 6, None, None, 39),
        ("annual", None, 15, 12, 40),
    ]
    assert names(task_at(commune, "IV.1").lead_agencies) == ["Công chức Văn hóa - Xã hội"]
    villages = task_at(commune, "IV.2")
    assert names(villages.lead_agencies) == ["Các thôn"]
    assert villages.lead_agencies[0].key is None
    assert (villages.timeframe.kind, villages.timeframe.month, villages.timeframe.day) == ("annual", 12, 15)
    assert len(commune.tasks) == 5  # the recipients after "Nơi nhận" are not tasks


# --- Province plan ---------------------------------------------------------------------------------------


def test_province_header(province: PlanDraft) -> None:
    assert province.unit_name == "tỉnh Bình Sơn"
    assert (province.number, province.issued_on) == ("210/KH-UBND", dt.date(2026, 3, 20))
    assert (province.period_start, province.period_end) == (2026, 2030)
    assert province.title == (
        "Kế hoạch thực hiện Chương trình mục tiêu quốc gia giảm nghèo bền vững giai đoạn 2026 - 2030"
    )
    assert [(a.number, a.issued_on) for a in province.basis] == [("351/2025/NĐ-CP", dt.date(2025, 12, 30))]


def test_province_targets(province: PlanDraft) -> None:
    found = [
        (t.kind, t.value, t.value_max, t.unit, t.bound, t.per_year, t.scope, t.year) for t in province.targets
    ]
    assert found == [
        ("poor_rate_reduction", Decimal(1), Decimal("1.5"), "points", None, True, None, None),
        ("poor_rate_reduction", Decimal(3), None, "points", None, True, "các xã đặc biệt khó khăn", None),
        ("end_rate", Decimal(4), None, "percent", "at_most", False, None, 2030),
        ("income", Decimal(45), None, "million_vnd", None, True, None, None),
        ("poor_households_reduction", Decimal(1500), None, "households", None, False, None, 2026),
        ("coverage", Decimal(100), None, "percent", None, False, None, 2026),
        ("other_count", Decimal(2000), None, "persons", None, False, None, 2026),
    ]
    assert province.targets[2].subject == "hộ cận nghèo"
    assert province.targets[5].subject == "thẻ bảo hiểm y tế"


def test_province_situation_section_is_not_read_as_targets_or_funding(province: PlanDraft) -> None:
    assert all(t.source_line > 15 for t in province.targets)
    assert all(f.source_line > 15 for f in province.funding)


def test_province_assignment_over_lettered_items(province: PlanDraft) -> None:
    items = [t for t in province.tasks if t.style == "assignment"]
    assert [t.section for t in items] == ["III.1.a", "III.1.b"]
    assert items[1].text == "Hỗ trợ giống, vật tư cho hộ nghèo, hộ cận nghèo theo hướng sản xuất hàng hóa."
    for task in items:
        assert names(task.lead_agencies) == ["Sở Nông nghiệp và Môi trường"]
        assert names(task.coordinating_agencies) == [
            "Sở Tài chính",
            "Sở Dân tộc và Tôn giáo",
            "Hội Nông dân",
            "Ủy ban nhân dân cấp xã",
        ]
        assert (task.timeframe.kind, task.timeframe.every_months) == ("periodic", 3)


def test_province_task_table(province: PlanDraft) -> None:
    rows = [t for t in province.tasks if t.style == "table"]
    assert [(t.text, t.section) for t in rows] == [
        ("Rà soát hộ nghèo định kỳ", "III.2"),
        ("Tổng kết giai đoạn", "III.2"),
    ]
    first, second = rows
    assert names(first.lead_agencies) == ["Sở Nông nghiệp và Môi trường"]
    assert names(first.coordinating_agencies) == ["Ủy ban nhân dân cấp xã"]
    assert (first.timeframe.kind, first.timeframe.day, first.timeframe.month) == ("annual", 14, 12)
    assert names(second.lead_agencies) == ["Sở Nông nghiệp và Môi trường"]  # "Sở NN&MT"
    assert names(second.coordinating_agencies) == ["Sở Nội vụ", "Sở Y tế"]
    assert (second.timeframe.quarter, second.timeframe.year) == (4, 2030)


def test_province_funding_in_billions(province: PlanDraft) -> None:
    assert [(f.source, f.amount_million_vnd) for f in province.funding] == [
        ("central", Decimal(1_500_000)),
        ("local", Decimal(400_000)),
        ("oda_ngo", Decimal(50_500)),
        ("community", Decimal(200_000)),
    ]
    assert province.funding_total_million_vnd == Decimal(2_150_500)  # "Dự kiến tổng nguồn vốn"
    assert sum(f.amount_million_vnd for f in province.funding) == province.funding_total_million_vnd


def test_province_organisation(province: PlanDraft) -> None:
    assert [(d.kind, d.every_months, d.month, d.day) for d in province.deadlines] == [
        ("periodic", 6, None, None),
        ("annual", None, None, None),
        ("annual", None, 12, 15),
    ]
    assert names(task_at(province, "V.2").lead_agencies) == ["Ủy ban nhân dân cấp xã"]
    assert names(task_at(province, "V.3").lead_agencies) == ["Ủy ban Mặt trận Tổ quốc Việt Nam"]


# --- Two short plans in other hands -----------------------------------------------------------------------

DISTRICT_MARKDOWN = """\
**ỦY BAN NHÂN DÂN HUYỆN ĐĂK HÀ**

# KẾ HOẠCH
## Thực hiện mục tiêu giảm nghèo năm 2024

Căn cứ Nghị quyết số 12/NQ-HĐND ngày 15/12/2023 của HĐND huyện;

### I. MỤC TIÊU
Phấn đấu đến cuối năm 2024 tỷ lệ hộ nghèo toàn huyện giảm còn 8,5%, giảm 2,5% so với năm 2023 \
(giảm 350 hộ); tỷ lệ hộ cận nghèo giảm 1%.

### II. NHIỆM VỤ, GIẢI PHÁP
**1. Công tác tuyên truyền**
Đẩy mạnh tuyên truyền về chính sách giảm nghèo.
- Đơn vị thực hiện: Phòng Văn hóa và Thông tin chủ trì; phối hợp Trung tâm Văn hóa - Thể thao huyện, \
UBND các xã, thị trấn.
**2. Rà soát hộ nghèo**
Tổ chức rà soát hộ nghèo, hộ cận nghèo định kỳ hằng năm theo Quyết định số 24/2021/QĐ-TTg.
- Cơ quan thực hiện: Phòng Lao động - TB&XH chủ trì, tham mưu UBND huyện; thời gian: từ ngày 01/9 \
đến 14/12 hằng năm.

### III. TỔ CHỨC THỰC HIỆN
**1. Phòng Lao động - Thương binh và Xã hội**
a) Chủ trì, phối hợp với các cơ quan liên quan hướng dẫn, kiểm tra việc thực hiện Kế hoạch.
b) Tổng hợp, báo cáo UBND huyện trước ngày 20/12/2024.
**2. Phòng Tài chính - Kế hoạch:** Cân đối, bố trí kinh phí thực hiện.
**3. Đề nghị Ủy ban MTTQ Việt Nam huyện và các tổ chức chính trị - xã hội** phối hợp tuyên truyền.
"""

COMMUNE_CRLF = (
    "UBND XÃ AN BÌNH\r\nKẾ HOẠCH\r\nGiảm nghèo năm 2025\r\n\r\nI. CHỈ TIÊU\r\n"
    "1. Giảm 25 hộ nghèo, đưa tỷ lệ hộ nghèo xuống dưới 3%.\r\n"
    "2. Tỷ lệ người dân tham gia bảo hiểm y tế đạt 95%.\r\n"
    "3. Tỷ lệ hộ nghèo đầu năm 2025: 4,2%.\r\n"
    "II. NHIỆM VỤ\r\n"
    "1. Hỗ trợ làm nhà cho 10 hộ nghèo. Giao Ban Chỉ đạo giảm nghèo xã chủ trì, phối hợp với Ban Công tác "
    "Mặt trận thôn thực hiện, hoàn thành trước 30/6/2025.\r\n"
    "2. Vận động doanh nghiệp hỗ trợ sinh kế; Hội Nông dân xã chủ trì thực hiện trong Quý II/2025.\r\n"
    "III. KINH PHÍ\r\n"
    "Kinh phí thực hiện từ ngân sách xã 120.000.000 đồng và vốn xã hội hóa 80 triệu đồng.\r\n"
)


def test_district_markdown_targets_compare_with_last_year() -> None:
    draft = parse_plan(DISTRICT_MARKDOWN)
    assert (draft.issuer, draft.unit_name) == ("Ủy ban nhân dân huyện Đăk Hà", "huyện Đăk Hà")
    assert [(t.kind, t.value, t.bound, t.year) for t in draft.targets] == [
        ("end_rate", Decimal("8.5"), None, 2024),  # "giảm còn 8,5%": the rate it falls to
        ("poor_rate_reduction", Decimal("2.5"), None, 2024),  # "so với năm 2023" is not its year
        ("poor_households_reduction", Decimal(350), None, 2024),
        ("near_poor_rate_reduction", Decimal(1), None, 2024),  # the subject carries over ";"
    ]


def test_district_markdown_tasks() -> None:
    draft = parse_plan(DISTRICT_MARKDOWN)
    assert [t.section for t in draft.tasks] == ["II.1", "II.2", "III.1.a", "III.1.b", "III.2", "III.3"]
    media, review = draft.tasks[:2]
    assert names(media.lead_agencies) == ["Phòng Văn hóa - Thông tin"]
    assert names(media.coordinating_agencies) == [
        "Trung tâm Văn hóa - Thể thao huyện",
        "Ủy ban nhân dân cấp xã",
    ]
    assert (review.timeframe.kind, review.timeframe.day, review.timeframe.month) == ("annual", 14, 12)
    # "a)" and "b)" under "1. Phòng Lao động - Thương binh và Xã hội" are that office's tasks
    for task in draft.tasks[2:4]:
        assert names(task.lead_agencies) == ["Phòng Lao động - Thương binh và Xã hội"]
    assert (draft.tasks[3].timeframe.day, draft.tasks[3].timeframe.month, draft.tasks[3].timeframe.year) == (
        20,
        12,
        2024,
    )
    assert [(d.kind, d.day, d.month, d.year) for d in draft.deadlines] == [("dated", 20, 12, 2024)]


def test_commune_with_windows_line_ends_and_inline_assignments() -> None:
    draft = parse_plan(COMMUNE_CRLF)
    assert [(t.kind, t.value, t.bound, t.subject) for t in draft.targets] == [
        ("poor_households_reduction", Decimal(25), None, None),
        ("end_rate", Decimal(3), "at_most", "hộ nghèo"),
        ("coverage", Decimal(95), None, "bảo hiểm y tế"),
        # "Tỷ lệ hộ nghèo đầu năm 2025: 4,2%" is the baseline, not a target
    ]
    houses, livelihoods = draft.tasks
    assert houses.style == "inline"
    assert names(houses.lead_agencies) == ["Ban Chỉ đạo giảm nghèo xã"]
    assert names(houses.coordinating_agencies) == ["Ban Công tác Mặt trận thôn"]
    assert (houses.timeframe.day, houses.timeframe.month, houses.timeframe.year) == (30, 6, 2025)
    assert names(livelihoods.lead_agencies) == ["Hội Nông dân"]
    assert (livelihoods.timeframe.quarter, livelihoods.timeframe.year) == (2, 2025)
    assert [(f.source, f.label, f.amount_million_vnd) for f in draft.funding] == [
        ("local", "Kinh phí thực hiện từ ngân sách xã", Decimal(120)),  # 120.000.000 đồng
        ("community", "vốn xã hội hóa", Decimal(80)),
    ]
