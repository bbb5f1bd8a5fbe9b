"""Printed documents as PDF: household certificates and the public posting list (fpdf2, bundled fonts).

- :func:`certificate_pdf` — giấy chứng nhận hộ nghèo / hộ cận nghèo, one A4 page per household.
- :func:`posting_list_pdf` — danh sách niêm yết công khai of a review round for a commune or a village.

Layout. We could not confirm a nationally fixed form (mẫu) for the certificate: the decrees and circulars
we read (Nghị định 07/2021/NĐ-CP, Quyết định 24/2021/QĐ-TTg, Thông tư 07/2021/TT-BLĐTBXH) say that the
commune chairperson issues certificates but, in the texts we found, give no layout for them, and
provinces print their own. The layout here follows common commune practice and the presentation rules
for administrative documents (Nghị định 30/2020/NĐ-CP: issuing body and national motto side by side,
number, place and date, title, body, signature block). Every page says that it was produced with
giamngheo, so a printout is never mistaken for an official blank form.

The functions take plain dataclasses and return the PDF as bytes; they read no database and know no web
framework. The posting list has no field for a citizen ID or a date of birth, so neither can ever be
printed on a public notice; the certificate prints members' years of birth only.

Fonts: DejaVu Serif, bundled in ``documents/fonts`` (see its README for the licence); fpdf2 embeds only
the glyphs used. All text is normalised to NFC first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal

from fpdf import FPDF, FontFace  # type: ignore[import-untyped]
from fpdf.enums import TableCellFillMode, XPos, YPos  # type: ignore[import-untyped]

from giamngheo.documents.formatting import date_short, nfc, number, place_date

__all__ = [
    "CERTIFICATE_TITLES",
    "CLASS_LABELS",
    "Certificate",
    "CertificateMember",
    "PostingList",
    "PostingRow",
    "certificate_pdf",
    "posting_list_pdf",
]

CertifiedClass = Literal["poor", "near_poor"]

CERTIFICATE_TITLES: Final[dict[str, str]] = {
    "poor": "GIẤY CHỨNG NHẬN HỘ NGHÈO",
    "near_poor": "GIẤY CHỨNG NHẬN HỘ CẬN NGHÈO",
}
#: Vietnamese labels of the engine's classes, as printed on certificates and posting lists.
CLASS_LABELS: Final[dict[str, str]] = {
    "poor": "Hộ nghèo",
    "near_poor": "Hộ cận nghèo",
    "middle_living": "Hộ có mức sống trung bình",
    "not_poor": "Hộ không nghèo",
}

FAMILY: Final = "DejaVuSerif"
_FONT_FILES: Final = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}
_PRODUCER: Final = "giamngheo"
_GREY: Final = (90, 90, 90)
_HEADER_FILL: Final = (230, 230, 230)
MOTTO: Final = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass(frozen=True, slots=True)
class CertificateMember:
    """One line of the members list: name, year of birth (no full date) and relation to the head."""

    full_name: str
    birth_year: int | None
    relation: str
    """Vietnamese, as printed: "Chủ hộ", "Vợ", "Con" …"""


@dataclass(frozen=True, slots=True)
class Certificate:
    """What a household certificate (giấy chứng nhận hộ nghèo / hộ cận nghèo) prints.

    ``commune`` and ``province`` are legal names with their type ("Xã Đăk Kôi", "Tỉnh Quảng Ngãi");
    ``place`` is the short name used in the place-and-date line ("Đăk Kôi"). ``standard_title`` and
    ``legal_basis`` come from the standard that classified the household (``Standard.title_vi`` and
    ``Standard.legal_basis``).
    """

    number: str
    household_class: CertifiedClass
    household_code: str
    head_name: str
    address: str
    village: str
    commune: str
    province: str
    members: Sequence[CertificateMember]
    year: int
    """The year the household is recognised for (năm công nhận)."""
    valid_from: dt.date
    valid_until: dt.date
    standard_title: str
    legal_basis: str
    place: str
    issued_on: dt.date
    signer_name: str = ""
    signature_lines: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


@dataclass(frozen=True, slots=True)
class PostingRow:
    """One household on the public posting list. Deliberately no citizen ID and no date of birth."""

    household_code: str
    head_name: str
    village: str
    class_label: str
    """Vietnamese label as printed ("Hộ nghèo", "Hộ thoát nghèo" …); see :data:`CLASS_LABELS`."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class PostingList:
    """The public posting list (danh sách niêm yết công khai) of one review round.

    ``village`` is empty for a whole-commune list. ``subtitle`` names the round, e.g. "Kết quả rà soát hộ
    nghèo, hộ cận nghèo năm 2026". The list is signed at ``place`` on ``issued_on`` (default: the first
    day of posting).
    """

    commune: str
    province: str
    subtitle: str
    posted_from: dt.date
    posted_until: dt.date
    rows: Sequence[PostingRow]
    village: str = ""
    posting_place: str = ""
    """Where the list is posted ("Nhà văn hóa thôn Kon Rế"); printed when given."""
    place: str = ""
    issued_on: dt.date | None = None
    title: str = "DANH SÁCH NIÊM YẾT CÔNG KHAI"
    signature_lines: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    signer_name: str = ""
    landscape: bool | None = None
    """Force the orientation; ``None`` chooses landscape when the table would be cramped in portrait."""


class _Document(FPDF):  # type: ignore[misc]
    """An A4 document with the bundled fonts and a footer naming giamngheo (and page numbers)."""

    def __init__(self, *, page_numbers: bool = False, title: str = "") -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        fonts = resources.files("giamngheo.documents") / "fonts"
        for style, filename in _FONT_FILES.items():
            with resources.as_file(fonts / filename) as path:
                self.add_font(FAMILY, style, str(path))
        self.show_page_numbers = page_numbers
        self.footer_note = ""
        self.set_margins(left=20, top=15, right=15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_creator(_PRODUCER)
        self.set_producer(_PRODUCER)
        self.set_title(nfc(title))
        self.set_lang("vi")
        self.set_font(FAMILY, size=12)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, "I", 8)
        self.set_text_color(*_GREY)
        note = "Lập bằng phần mềm giamngheo" + (f" · {self.footer_note}" if self.footer_note else "")
        width = self.epw
        if self.show_page_numbers:
            self.cell(width / 2, 5, nfc(note), align="L")
            self.cell(width / 2, 5, f"Trang {self.page_no()}/{{nb}}", align="R")
        else:
            self.cell(width, 5, nfc(note), align="C")
        self.set_text_color(0, 0, 0)

    # --- building blocks ------------------------------------------------------------------------------

    def text_line(
        self, text: str, *, style: str = "", size: float = 12, align: str = "L", h: float = 6
    ) -> None:
        self.set_font(FAMILY, style, size)
        self.multi_cell(0, h, nfc(text), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def labelled(self, label: str, value: str, *, size: float = 12, h: float = 7) -> None:
        """``Label: value`` with the value in bold, wrapping as one paragraph."""
        self.set_font(FAMILY, "", size)
        self.multi_cell(
            0, h, nfc(f"{label}: **{_escape_markdown(value)}**"), markdown=True, align="L",
            new_x=XPos.LMARGIN, new_y=YPos.NEXT,
        )  # fmt: skip

    def official_header(self, issuer: Sequence[str], reference: str) -> None:
        """Issuing body (left) and national motto (right), each with the short rule under it."""
        top, left = self.get_y(), self.l_margin
        left_w = 75.0
        right_w = self.epw - left_w
        self.set_xy(left, top)
        self.set_font(FAMILY, "B", 11)
        for line in issuer:
            self.set_x(left)
            self.multi_cell(left_w, 5.5, nfc(line.upper()), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self._rule(left + left_w / 2, self.get_y() + 0.8, 24)
        left_bottom = self.get_y() + 2
        if reference:
            self.set_xy(left, left_bottom + 1)
            self.set_font(FAMILY, "", 11)
            self.cell(left_w, 6, nfc(reference), align="C")
            left_bottom += 8
        self.set_xy(left + left_w, top)
        self.set_font(FAMILY, "B", 11)
        self.cell(right_w, 5.5, nfc(MOTTO[0]), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FAMILY, "B", 12)
        self.cell(right_w, 6, nfc(MOTTO[1]), align="C", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self._rule(left + left_w + right_w / 2, self.get_y() + 0.8, self.get_string_width(nfc(MOTTO[1])))
        self.set_xy(left, max(left_bottom, self.get_y() + 2) + 2)

    def place_and_date(self, place: str, day: dt.date) -> None:
        self.set_font(FAMILY, "I", 12)
        self.set_x(self.l_margin + self.epw * 0.4)
        self.cell(
            self.epw * 0.6, 6, nfc(place_date(place, day)), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def signature_block(self, lines: Sequence[str], signer: str) -> None:
        """Right-hand signature block: titles in bold, the signing note, room for seal and name."""
        x, w = self.l_margin + self.epw * 0.4, self.epw * 0.6
        if self.will_page_break(6 * len(lines) + 36):
            self.add_page()
        self.set_font(FAMILY, "B", 12)
        for line in lines:
            self.set_x(x)
            self.cell(w, 6, nfc(line), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FAMILY, "I", 10)
        self.set_x(x)
        self.cell(
            w, 5, nfc("(Ký, ghi rõ họ tên và đóng dấu)"), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(22)
        if signer:
            self.set_font(FAMILY, "B", 12)
            self.set_x(x)
            self.cell(w, 6, nfc(signer), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _rule(self, centre_x: float, y: float, length: float) -> None:
        self.set_line_width(0.3)
        self.line(centre_x - length / 2, y, centre_x + length / 2, y)


def _escape_markdown(text: str) -> str:
    """fpdf2's markdown uses ``**``, ``__``, ``--`` and ``~~`` as markers; break them in user text."""
    for marker in ("**", "__", "--", "~~"):
        text = text.replace(marker, marker[0] + "\u200b" + marker[1])
    return text


def _output(pdf: _Document) -> bytes:
    data: Any = pdf.output()
    return bytes(data)


# --- certificate --------------------------------------------------------------------------------------


def certificate_pdf(certs: Sequence[Certificate]) -> bytes:
    """One A4 page per household certificate, in the given order (empty input: a one-page note)."""
    pdf = _Document(title="Giấy chứng nhận hộ nghèo, hộ cận nghèo")
    if not certs:
        pdf.add_page()
        pdf.text_line("Không có giấy chứng nhận nào.", align="C")
    for cert in certs:
        pdf.footer_note = f"Mã hộ {cert.household_code}"
        pdf.add_page()
        _certificate_page(pdf, cert)
    return _output(pdf)


def _certificate_page(pdf: _Document, cert: Certificate) -> None:
    pdf.official_header(("Ủy ban nhân dân", cert.commune), f"Số: {cert.number}")
    pdf.place_and_date(cert.place, cert.issued_on)
    pdf.ln(7)
    pdf.text_line(CERTIFICATE_TITLES[cert.household_class], style="B", size=16, align="C", h=8)
    pdf.text_line(f"Năm {cert.year}", style="B", size=13, align="C", h=7)
    pdf.ln(5)
    pdf.text_line(f"ỦY BAN NHÂN DÂN {cert.commune.upper()} CHỨNG NHẬN:", style="B", size=12, h=7)
    pdf.labelled("Hộ gia đình ông/bà (chủ hộ)", cert.head_name)
    pdf.labelled("Mã hộ", cert.household_code)
    pdf.labelled("Địa chỉ", cert.address)
    pdf.labelled("Nơi cư trú", _place_phrase(cert.village, cert.commune, cert.province))
    label = CLASS_LABELS[cert.household_class].lower()
    pdf.text_line(
        f"Là {label} năm {cert.year} theo {_lower_first(cert.standard_title)}, căn cứ {cert.legal_basis}.",
        h=7,
    )
    pdf.text_line(
        f"Giấy chứng nhận có giá trị từ ngày {date_short(cert.valid_from)} "
        f"đến ngày {date_short(cert.valid_until)}.",
        h=7,
    )
    pdf.ln(2)
    pdf.text_line(f"Danh sách thành viên trong hộ ({number(len(cert.members))} người):", style="B", h=7)
    _members_table(pdf, cert.members)
    pdf.ln(6)
    pdf.signature_block(cert.signature_lines, cert.signer_name)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _place_phrase(*parts: str) -> str:
    """ "Thôn Kon Rế, xã Đăk Kôi, tỉnh Quảng Ngãi": unit types in lower case after the first part."""
    present = [p for p in parts if p]
    return ", ".join([*present[:1], *(_lower_first(p) for p in present[1:])])


def _members_table(pdf: _Document, members: Sequence[CertificateMember]) -> None:
    many = len(members) > 8
    pdf.set_font(FAMILY, "", 10 if many else 11)
    with pdf.table(
        col_widths=(12, 80, 25, 48),
        width=pdf.epw,
        align="LEFT",
        text_align=("CENTER", "LEFT", "CENTER", "LEFT"),
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADER_FILL),
        line_height=4.6 if many else 6.5,
        padding=(0.4 if many else 1, 1.5),
        first_row_as_headings=True,
    ) as table:
        table.row(["STT", "Họ và tên", "Năm sinh", "Quan hệ với chủ hộ"])
        for i, member in enumerate(members, start=1):
            year = str(member.birth_year) if member.birth_year is not None else ""
            table.row([str(i), nfc(member.full_name), year, nfc(member.relation)])


# --- posting list -------------------------------------------------------------------------------------

_POSTING_HEADINGS: Final = ("STT", "Mã hộ", "Họ và tên chủ hộ", "Thôn", "Phân loại", "Ghi chú")
_POSTING_MIN: Final = (12.0, 24.0, 45.0, 28.0, 30.0, 30.0)
_PORTRAIT_WIDTH: Final = 210.0 - 20.0 - 15.0


def posting_list_pdf(posting: PostingList) -> bytes:
    """The posting list with its table repeated-header on every page and "Trang i/n" in the footer."""
    pdf = _Document(page_numbers=True, title=posting.title)
    widths = _natural_widths(pdf, posting.rows)
    landscape = posting.landscape if posting.landscape is not None else sum(widths) > _PORTRAIT_WIDTH * 1.1
    pdf.footer_note = nfc(posting.subtitle)
    pdf.add_page(orientation="L" if landscape else "P")
    pdf.official_header(("Ủy ban nhân dân", posting.commune), "")
    pdf.ln(4)
    pdf.text_line(posting.title, style="B", size=15, align="C", h=8)
    pdf.text_line(posting.subtitle, style="B", size=12, align="C", h=6.5)
    where = _place_phrase(posting.village, posting.commune, posting.province)
    pdf.text_line(where, size=12, align="C", h=6.5)
    pdf.text_line(
        f"Thời gian niêm yết: từ {date_short(posting.posted_from)} đến {date_short(posting.posted_until)}",
        style="I",
        size=12,
        align="C",
        h=6.5,
    )
    if posting.posting_place:
        pdf.text_line(f"Địa điểm niêm yết: {posting.posting_place}", style="I", size=12, align="C", h=6.5)
    pdf.ln(4)
    if posting.rows:
        _posting_table(pdf, posting, _fit(widths, pdf.epw))
    else:
        pdf.text_line("Không có hộ nào trong danh sách.", style="I", align="C")
    pdf.ln(3)
    pdf.text_line(_summary(posting.rows), size=11, h=6)
    pdf.text_line(
        "Trong thời gian niêm yết, mọi ý kiến phản ánh, khiếu nại xin gửi về Ủy ban nhân dân "
        f"{_lower_first(posting.commune)}.",
        style="I",
        size=11,
        h=6,
    )
    pdf.ln(4)
    if pdf.will_page_break(60):
        pdf.add_page()
    pdf.place_and_date(posting.place or posting.commune, posting.issued_on or posting.posted_from)
    pdf.signature_block(posting.signature_lines, posting.signer_name)
    return _output(pdf)


def _natural_widths(pdf: _Document, rows: Sequence[PostingRow]) -> list[float]:
    """Each column's width if no cell wrapped (10 pt text plus padding), at least the column minimum."""
    pdf.set_font(FAMILY, "", 10)
    columns: list[Sequence[str]] = [
        [r.household_code for r in rows],
        [r.head_name for r in rows],
        [r.village for r in rows],
        [r.class_label for r in rows],
        [r.note for r in rows],
    ]
    widths = [_POSTING_MIN[0]]
    for minimum, values in zip(_POSTING_MIN[1:], columns, strict=True):
        longest = max((pdf.get_string_width(nfc(v)) for v in values), default=0.0)
        widths.append(max(minimum, longest + 4))
    return widths


def _fit(widths: Sequence[float], total: float) -> tuple[float, ...]:
    """Fit the natural widths to the page: widen name and note, or shrink the note first, then the rest."""
    fitted = list(widths)
    excess = sum(fitted) - total
    if excess <= 0:
        fitted[2] -= excess / 2
        fitted[5] -= excess / 2
        return tuple(fitted)
    from_note = min(excess, fitted[5] - _POSTING_MIN[5])
    fitted[5] -= from_note
    excess -= from_note
    slack = [w - m for w, m in zip(fitted, _POSTING_MIN, strict=True)]
    if excess > 0 and sum(slack) > 0:
        ratio = min(1.0, excess / sum(slack))
        fitted = [w - s * ratio for w, s in zip(fitted, slack, strict=True)]
    scale = total / sum(fitted)
    return tuple(w * scale for w in fitted)


def _posting_table(pdf: _Document, posting: PostingList, widths: tuple[float, ...]) -> None:
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(
        col_widths=widths,
        width=pdf.epw,
        align="LEFT",
        text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT"),
        headings_style=FontFace(emphasis="BOLD", fill_color=_HEADER_FILL),
        cell_fill_color=(248, 248, 248),
        cell_fill_mode=TableCellFillMode.ROWS,
        line_height=5.5,
        padding=(1, 1.5),
        repeat_headings=1,
    ) as table:
        table.row(list(_POSTING_HEADINGS))
        for i, row in enumerate(posting.rows, start=1):
            table.row(
                [str(i), nfc(row.household_code), nfc(row.head_name), nfc(row.village), nfc(row.class_label),
                 nfc(row.note)]
            )  # fmt: skip


def _summary(rows: Sequence[PostingRow]) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.class_label] = counts.get(row.class_label, 0) + 1
    detail = "; ".join(f"{label}: {number(n)}" for label, n in counts.items())
    return f"Tổng số: {number(len(rows))} hộ" + (f" (trong đó: {detail})." if detail else ".")
