"""Certificates and posting lists as PDF: pages, Vietnamese text, and no personal identifiers.

Text is checked with poppler's ``pdftotext`` when it is installed (Debian package poppler-utils); the
page counts and the dataclass checks run everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from giamngheo.documents import (
    Certificate,
    CertificateMember,
    PostingList,
    PostingRow,
    certificate_pdf,
    posting_list_pdf,
)

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")


def certificate(**changes: object) -> Certificate:
    base = Certificate(
        number="27/GCN-UBND",
        household_class="near_poor",
        household_code="DK-0012",
        head_name="Y Nhĩ",
        address="Thôn Kon Rế",
        village="Thôn Kon Rế",
        commune="Xã Đăk Kôi",
        province="Tỉnh Quảng Ngãi",
        members=(
            CertificateMember("Y Nhĩ", 1978, "Chủ hộ"),
            CertificateMember("A Đức", 1980, "Chồng"),
            CertificateMember("Y Thị Hồng Nhung", 2005, "Con"),
        ),
        year=2026,
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        standard_title="Chuẩn nghèo đa chiều giai đoạn 2022-2025",
        legal_basis="Nghị định số 07/2021/NĐ-CP ngày 27/01/2021 của Chính phủ",
        place="Đăk Kôi",
        issued_on=dt.date(2026, 11, 27),
        signer_name="Nguyễn Văn Hùng",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def posting(rows: int = 3, **changes: object) -> PostingList:
    base = PostingList(
        commune="Xã Đăk Kôi",
        province="Tỉnh Quảng Ngãi",
        village="Thôn Kon Rế",
        subtitle="Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2026",
        posted_from=dt.date(2026, 10, 2),
        posted_until=dt.date(2026, 10, 8),
        place="Đăk Kôi",
        posting_place="Nhà văn hóa thôn Kon Rế",
        rows=[
            PostingRow(
                household_code=f"DK-{i:04d}",
                head_name=f"Nguyễn Thị Ánh {i}",
                village="Thôn Kon Rế",
                class_label="Hộ nghèo" if i % 3 == 0 else "Hộ cận nghèo",
                note="Hộ mới phát sinh" if i % 5 == 0 else "",
            )
            for i in range(1, rows + 1)
        ],
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def text_of(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    assert PDFTOTEXT is not None
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, "-layout", str(source), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


def squeeze(text: str) -> str:
    return " ".join(text.split())


# --- certificate --------------------------------------------------------------------------------------


def test_certificate_one_a4_page_per_household() -> None:
    pdf = certificate_pdf([certificate(), certificate(household_code="DK-0013", household_class="poor")])
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) == 2
    assert b"/MediaBox [0 0 595.28 841.89]" in pdf  # A4 portrait, in points


@needs_pdftotext
def test_certificate_text(tmp_path: Path) -> None:
    near_poor, poor = text_of(
        certificate_pdf([certificate(), certificate(household_code="DK-0013", household_class="poor")]),
        tmp_path,
    )
    page = squeeze(near_poor)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "XÃ ĐĂK KÔI",
        "Số: 27/GCN-UBND",
        "GIẤY CHỨNG NHẬN HỘ CẬN NGHÈO",
        "Đăk Kôi, ngày 27 tháng 11 năm 2026",
        "Hộ gia đình ông/bà (chủ hộ): Y Nhĩ",
        "Mã hộ: DK-0012",
        "Thôn Kon Rế, xã Đăk Kôi, tỉnh Quảng Ngãi",
        "Nghị định số 07/2021/NĐ-CP",
        "từ ngày 01/01/2026 đến ngày 31/12/2026",
        "Y Thị Hồng Nhung 2005 Con",
        "A Đức 1980 Chồng",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nguyễn Văn Hùng",
        "giamngheo",
    ):
        assert expected in page, expected
    assert "Là hộ cận nghèo năm 2026" in page
    assert "GIẤY CHỨNG NHẬN HỘ NGHÈO" in squeeze(poor)
    assert "CẬN NGHÈO" not in squeeze(poor)


@needs_pdftotext
def test_certificate_accepts_decomposed_vietnamese(tmp_path: Path) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Đinh Thị Hằng")
    (page,) = text_of(certificate_pdf([certificate(head_name=decomposed)]), tmp_path)
    assert "Đinh Thị Hằng" in page


def test_certificate_with_many_members_still_one_page() -> None:
    members = tuple(CertificateMember(f"Thành viên {i}", 1950 + i, "Con") for i in range(14))
    assert page_count(certificate_pdf([certificate(members=members)])) == 1


def test_no_certificate_gives_a_note_page() -> None:
    assert page_count(certificate_pdf([])) == 1


# --- posting list -------------------------------------------------------------------------------------


@needs_pdftotext
def test_posting_list_text(tmp_path: Path) -> None:
    (page,) = text_of(posting_list_pdf(posting(rows=5)), tmp_path)
    text = squeeze(page)
    for expected in (
        "DANH SÁCH NIÊM YẾT CÔNG KHAI",
        "Kết quả rà soát hộ nghèo, hộ cận nghèo năm 2026",
        "Thôn Kon Rế, xã Đăk Kôi, tỉnh Quảng Ngãi",
        "Thời gian niêm yết: từ 02/10/2026 đến 08/10/2026",
        "Địa điểm niêm yết: Nhà văn hóa thôn Kon Rế",
        "STT Mã hộ Họ và tên chủ hộ Thôn Phân loại Ghi chú",
        "1 DK-0001 Nguyễn Thị Ánh 1 Thôn Kon Rế Hộ cận nghèo",
        "3 DK-0003 Nguyễn Thị Ánh 3 Thôn Kon Rế Hộ nghèo",
        "Hộ mới phát sinh",
        "Tổng số: 5 hộ (trong đó: Hộ cận nghèo: 4; Hộ nghèo: 1).",
        "Đăk Kôi, ngày 02 tháng 10 năm 2026",
        "Trang 1/1",
    ):
        assert expected in text, expected


@needs_pdftotext
def test_posting_list_pages_repeat_the_header(tmp_path: Path) -> None:
    pdf = posting_list_pdf(posting(rows=80))
    pages = text_of(pdf, tmp_path)
    assert len(pages) == page_count(pdf) >= 3
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in page
        if number < len(pages):
            assert "Họ và tên chủ hộ" in page
    assert "DK-0080" in pages[-1] or "DK-0080" in pages[-2]


def test_posting_list_orientation() -> None:
    assert b"/MediaBox [0 0 595.28 841.89]" in posting_list_pdf(posting())
    long_notes = posting(rows=3)
    long_notes = dataclasses.replace(
        long_notes,
        rows=[dataclasses.replace(r, note="Hộ có thành viên được hưởng trợ cấp bảo trợ xã hội hằng tháng")
              for r in long_notes.rows],
    )  # fmt: skip
    assert b"/MediaBox [0 0 841.89 595.28]" in posting_list_pdf(long_notes)
    assert b"/MediaBox [0 0 841.89 595.28]" in posting_list_pdf(posting(landscape=True))


def test_posting_list_has_no_field_for_ids_or_birth_dates() -> None:
    fields = {f.name for f in dataclasses.fields(PostingRow)} | {
        f.name for f in dataclasses.fields(PostingList)
    }
    assert not {name for name in fields if "citizen" in name or "birth" in name or name.endswith("_id")}
    with pytest.raises(TypeError):
        PostingRow("DK-1", "A", "Thôn", "Hộ nghèo", citizen_id="051234567890")  # type: ignore[call-arg]


@needs_pdftotext
def test_empty_posting_list(tmp_path: Path) -> None:
    (page,) = text_of(posting_list_pdf(posting(rows=0)), tmp_path)
    assert "Không có hộ nào trong danh sách." in squeeze(page)
    assert "Tổng số: 0 hộ." in squeeze(page)
