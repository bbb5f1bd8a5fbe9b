"""Task styles the two real plans do not use: an unlabelled assignment after an item, bullets that each
name their lead, "Chỉ đạo <office> chủ trì", products."""

from __future__ import annotations

from giamngheo.planning.parsing import parse_plan

from .conftest import names, task_at


def test_an_unlabelled_assignment_closes_the_item() -> None:
    draft = parse_plan(
        "II. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Tuyên truyền chính sách giảm nghèo\n"
        "- Tuyên truyền trên hệ thống truyền thanh.\n"
        "- Biểu dương hộ vươn lên thoát nghèo.\n"
        "Phòng Văn hóa - Xã hội chủ trì, phối hợp với Ủy ban MTTQ Việt Nam xã thực hiện thường xuyên.\n"
        "2. Hỗ trợ sinh kế\n"
        "Xây dựng 02 mô hình nuôi bò sinh sản.\n"
        "* Phân công thực hiện: Phòng Kinh tế chủ trì; hoàn thành trong Quý III/2026.\n"
    )
    first, second = draft.tasks
    assert (first.section, first.style, first.assignment_line) == ("II.1", "assignment", 5)
    assert names(first.lead_agencies) == ["Phòng Văn hóa - Xã hội"]
    assert names(first.coordinating_agencies) == ["Ủy ban Mặt trận Tổ quốc Việt Nam"]
    assert "Biểu dương hộ vươn lên thoát nghèo." in first.text
    # the labelled assignment of item 2 covers item 2 only
    assert (second.section, names(second.lead_agencies)) == ("II.2", ["Phòng Kinh tế"])
    assert (second.timeframe.quarter, second.timeframe.year) == (3, 2026)


def test_a_labelled_line_is_not_an_unlabelled_assignment() -> None:
    draft = parse_plan(
        "II. NHIỆM VỤ\n1. Rà soát hộ nghèo.\n"
        "Cơ quan chủ trì: Phòng Kinh tế; Thời gian thực hiện: tháng 11/2026.\n"
    )
    (task,) = draft.tasks
    assert (task.style, task.text, names(task.lead_agencies)) == (
        "labelled",
        "Rà soát hộ nghèo",
        ["Phòng Kinh tế"],
    )


def test_bullets_that_each_name_their_lead() -> None:
    draft = parse_plan(
        "II. NHIỆM VỤ\n1. Hỗ trợ sản xuất\n"
        "- Phòng Kinh tế chủ trì xây dựng mô hình trồng quế, hoàn thành trong tháng 6/2026.\n"
        "- Hội Nông dân xã chủ trì vận động hội viên tham gia tổ hợp tác.\n"
    )
    assert [(t.section, t.style, t.source_line, names(t.lead_agencies)) for t in draft.tasks] == [
        ("II.1", "inline", 3, ["Phòng Kinh tế"]),
        ("II.1", "inline", 4, ["Hội Nông dân"]),
    ]
    assert (draft.tasks[0].timeframe.month, draft.tasks[0].timeframe.year) == (6, 2026)


def test_the_office_directed_to_lead_is_the_lead() -> None:
    draft = parse_plan(
        "IV. TỔ CHỨC THỰC HIỆN\n1. Ủy ban nhân dân huyện\n"
        "- Chỉ đạo Phòng Tài chính - Kế hoạch chủ trì, phối hợp với Phòng Dân tộc bố trí vốn đối ứng.\n"
        "- Chỉ đạo các xã triển khai kế hoạch.\n"
    )
    directed, own = draft.tasks
    assert names(directed.lead_agencies) == ["Phòng Tài chính - Kế hoạch"]
    assert names(directed.coordinating_agencies) == ["Phòng Dân tộc"]
    assert names(own.lead_agencies) == ["Ủy ban nhân dân huyện"]


def test_products() -> None:
    draft = parse_plan(
        "II. NHIỆM VỤ\n1. Ban hành hướng dẫn rà soát\n- Cơ quan chủ trì: Sở Nông nghiệp và Môi trường.\n"
        "- Thời gian thực hiện: tháng 8/2026.\n- Sản phẩm: Văn bản hướng dẫn.\n"
    )
    assert task_at(draft, "II.1").product == "Văn bản hướng dẫn"


def test_an_assignment_right_under_a_section_heading_makes_no_task_of_the_headings() -> None:
    draft = parse_plan(
        "I. MỤC TIÊU\nGiảm tỷ lệ hộ nghèo 1%.\nII. NHIỆM VỤ\n"
        "Ủy ban nhân dân các xã chủ trì triển khai các nhiệm vụ của Kế hoạch.\n"
    )
    assert draft.tasks == ()
