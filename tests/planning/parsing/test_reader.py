"""Reading plan files: text encodings, .docx built here with zipfile, unreadable files."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from giamngheo.planning.parsing import PlanReadError, parse_plan, read_plan_file
from giamngheo.planning.parsing.reader import docx_text

from .conftest import names
from .docx_builder import docx, paragraph, table

PLAN_DOCX = docx(
    table(
        [
            ["ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
            ["Số: 7/KH-UBND", "Hòa Bình, ngày 05 tháng 02 năm 2025"],
        ]
    ),
    paragraph("KẾ HOẠCH"),
    paragraph("Giảm nghèo bền vững năm 2025"),
    paragraph("MỤC TIÊU", level=0),
    paragraph("Giảm tỷ lệ hộ nghèo 2 - 3% ở vùng đồng bào dân tộc thiểu số.", level=2, runs=3),
    paragraph("NHIỆM VỤ", level=0),
    paragraph("Rà soát hộ nghèo cuối năm.", level=1),
    paragraph(
        "Cơ quan chủ trì: Phòng Kinh tế; Cơ quan phối hợp: Hội Nông dân, Đoàn Thanh niên; "
        "Thời gian thực hiện: trong tháng 11/2025."
    ),
    paragraph("Tổ chức hội nghị tập huấn cho cán bộ giảm nghèo.", level=1),
    paragraph("Cơ quan chủ trì: Phòng Văn hóa - Xã hội; Thời gian thực hiện: Quý III/2025."),
    paragraph("KINH PHÍ", level=0),
    table(
        [
            ["TT", "Nguồn vốn", "Kinh phí (triệu đồng)"],
            ["1", "Ngân sách trung ương", "1.200"],
            ["2", "Ngân sách địa phương", "300"],
            ["", "Tổng cộng", "1.500"],
        ]
    ),
    numbering=True,
)


def test_docx_text_keeps_paragraphs_numbering_and_table_rows() -> None:
    lines = docx_text(PLAN_DOCX, "ke-hoach.docx").splitlines()
    assert lines[0] == "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "I. MỤC TIÊU" in lines
    assert "- Giảm tỷ lệ hộ nghèo 2 - 3% ở vùng đồng bào dân tộc thiểu số." in lines  # three runs, one line
    assert "II. NHIỆM VỤ" in lines
    assert [line for line in lines if line[:2] in ("1.", "2.")] == [
        "1. Rà soát hộ nghèo cuối năm.",
        "2. Tổ chức hội nghị tập huấn cho cán bộ giảm nghèo.",
    ]
    assert "III. KINH PHÍ" in lines
    assert "\tTổng cộng\t1.500" in lines


def test_docx_plan(tmp_path: Path) -> None:
    file = tmp_path / "ke-hoach.docx"
    file.write_bytes(PLAN_DOCX)
    draft = parse_plan(read_plan_file(file))
    assert (draft.number, draft.issued_on, draft.unit_name) == (
        "7/KH-UBND",
        dt.date(2025, 2, 5),
        "xã Hòa Bình",
    )
    assert draft.title == "Kế hoạch giảm nghèo bền vững năm 2025"
    (target,) = draft.targets
    assert (target.kind, target.value, target.value_max, target.scope) == (
        "poor_rate_reduction",
        Decimal(2),
        Decimal(3),
        "vùng đồng bào dân tộc thiểu số",
    )
    review, training = draft.tasks
    assert (review.section, review.text) == ("II.1", "Rà soát hộ nghèo cuối năm")
    assert names(review.lead_agencies) == ["Phòng Kinh tế"]
    assert names(review.coordinating_agencies) == ["Hội Nông dân", "Đoàn Thanh niên Cộng sản Hồ Chí Minh"]
    assert (review.timeframe.month, review.timeframe.year) == (11, 2025)
    assert names(training.lead_agencies) == ["Phòng Văn hóa - Xã hội"]
    assert (training.timeframe.quarter, training.timeframe.year) == (3, 2025)
    assert [(f.source, f.amount_million_vnd) for f in draft.funding] == [
        ("central", Decimal(1200)),
        ("local", Decimal(300)),
    ]
    assert draft.funding_total_million_vnd == Decimal(1500)


TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _cp1258(text: str) -> bytes:
    """Windows-1258 the way Vietnamese Windows writes it: base letter (with its hat or horn) + tone mark."""
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = next(c for c in decomposed if c in TONES)
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_text_encodings(tmp_path: Path, encoding: str) -> None:
    file = tmp_path / "ke-hoach.txt"
    text = "I. MỤC TIÊU\n\n- Giảm 11.869 hộ nghèo.\n"
    file.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    text = read_plan_file(file)
    assert text.splitlines()[2] == "- Giảm 11.869 hộ nghèo."
    (target,) = parse_plan(text).targets
    assert (target.kind, target.value) == ("poor_households_reduction", Decimal(11869))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ke-hoach.pdf", b"%PDF-1.4", "chỉ hỗ trợ tệp .txt, .md và .docx"),
        ("ke-hoach.docx", b"not a zip", "không phải tệp Word (.docx) hợp lệ"),
        ("ke-hoach.txt", b"  \n\n", "không có nội dung"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    with pytest.raises(PlanReadError) as error:
        read_plan_file(file)
    assert message in error.value.message_vi
    assert name in error.value.message_vi


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PlanReadError) as error:
        read_plan_file(tmp_path / "khong-co.md")
    assert error.value.message_vi.startswith("Không mở được tệp khong-co.md")
