"""Funding by source (nguồn vốn): "Vốn Trung ương ước khoảng: 1.621.667 triệu đồng", "ngân sách địa
phương 150 triệu đồng", funding tables.

The label of an amount is the text before it, back to the previous amount, the start of the clause or a
"trong đó:". A label with "Tổng" is the plan's total (the first one is kept). The source comes from the
label, checked in this order:

- ``credit``: tín dụng, vốn vay, cho vay, Ngân hàng Chính sách xã hội;
- ``oda_ngo``: ODA, NGO, phi chính phủ, nước ngoài, viện trợ, quốc tế;
- ``central``: trung ương, NSTW;
- ``community``: cộng đồng, doanh nghiệp, huy động, xã hội hóa, đóng góp, đối ứng, người dân;
- ``local``: địa phương, NSĐP, ngân sách tỉnh / huyện / xã;
- ``other``: any other label that names money (vốn, kinh phí, nguồn, ngân sách, lồng ghép).

Amounts are converted to million VND (triệu đồng): "tỷ đồng" × 1000, "nghìn đồng" ÷ 1000, "đồng" ÷ 10⁶.
An amount per household or person ("20 triệu đồng/hộ") is a norm, not funding, and is skipped. A table
without a stated unit is read in million VND, the usual unit of plan tables.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Final

from giamngheo.planning.parsing.model import FundingLine, FundingSource
from giamngheo.planning.parsing.text import NUMBER, Paragraph, Table, fold, parse_number
from giamngheo.planning.parsing.timeframes import mask_citations

_I = re.IGNORECASE
_MONEY_UNIT = r"triệu(?:\s+đồng)?|tr\.?\s*đ|trđ|tỷ(?!\s*lệ)(?:\s+đồng)?|nghìn\s+đồng|ngàn\s+đồng|đồng|VNĐ|VND"
# The unit is an atomic group: "30 triệu đồng/hộ" must not be read as "30 triệu" followed by " đồng/hộ".
_AMOUNT: Final = re.compile(
    rf"(?<![\d.,/])(?P<value>{NUMBER})\s*(?P<unit>(?>{_MONEY_UNIT}))(?![\w])(?!\s*/)", _I
)
_SOURCES: Final[tuple[tuple[FundingSource, tuple[str, ...]], ...]] = (
    ("credit", ("tin dung", "von vay", "cho vay", "ngan hang chinh sach", "nhcsxh", "vay uu dai")),
    ("oda_ngo", ("oda", "ngo", "phi chinh phu", "nuoc ngoai", "vien tro", "quoc te")),
    ("central", ("trung uong", "nstw", "ns tw", "von tw", "ngan sach tw")),
    (
        "community",
        ("cong dong", "doanh nghiep", "huy dong", "xa hoi hoa", "dong gop", "doi ung", "nguoi dan"),
    ),
    ("local", ("dia phuong", "nsdp", "ngan sach tinh", "ngan sach huyen", "ngan sach xa", "ngan sach cap")),
    ("other", ("von", "kinh phi", "nguon", "ngan sach", "long ghep")),
)
_LABEL_NOISE = re.compile(
    r"^(?:[\s,;:.\-–+•*()]|trong\s+đó|bao\s+gồm|gồm|cụ\s+thể|và\s)+|(?:[\s,;:.\-–(]|ước\s+khoảng|khoảng|dự\s+kiến|"
    r"ước\s+tính|ước|là|đạt|khái\s+toán|tối\s+thiểu)+$",
    _I,
)
_TOTAL = re.compile(r"(?<![\w])tổng(?![\w])|^cộng(?![\w])", _I)


def to_million(value: Decimal, unit: str) -> Decimal:
    """``value`` in ``unit`` as million VND."""
    u = " ".join(fold(unit).split())
    if u.startswith("ty"):
        return value * 1000
    if u.startswith(("nghin", "ngan")):
        return value / 1000
    if u in ("dong", "vnd"):
        return value / 1_000_000
    return value


def source_of(label: str) -> FundingSource | None:
    """The funding source a label names, or None when it names no money at all."""
    words = f" {' '.join(fold(label).split())} "
    for source, keys in _SOURCES:
        if any(f" {k} " in words for k in keys):
            return source
    return None


def funding_in_paragraph(paragraph: Paragraph) -> tuple[list[FundingLine], Decimal | None]:
    """Funding lines of one paragraph, and a total if the paragraph states one."""
    text = mask_citations(paragraph.text)
    lines: list[FundingLine] = []
    total: Decimal | None = None
    previous = 0
    for m in _AMOUNT.finditer(text):
        raw_label = text[previous : m.start()]
        previous = m.end()
        for sep in (";", "trong đó", "bao gồm"):
            if sep in raw_label:
                raw_label = raw_label.rsplit(sep, 1)[1]
        label = _LABEL_NOISE.sub("", raw_label).strip()
        value = parse_number(m.group("value"))
        if value is None or not label:
            continue
        amount = to_million(value, m.group("unit"))
        if _TOTAL.search(label):
            total = total if total is not None else amount
            continue
        source = source_of(label)
        if source is None:
            continue
        lines.append(FundingLine(source, label, amount, paragraph.line_at(m.start())))
    return lines, total


def _unit_of(text: str) -> str | None:
    m = re.search(rf"(?:đơn\s+vị(?:\s+tính)?|ĐVT|đvt)\s*:?\s*(?P<unit>{_MONEY_UNIT})", text, _I)
    if m:
        return m.group("unit")
    m = re.search(rf"\((?P<unit>{_MONEY_UNIT})\)", text, _I)
    return m.group("unit") if m else None


def funding_in_table(table: Table) -> tuple[list[FundingLine], Decimal | None]:
    """Funding lines from a table whose rows are sources ("Ngân sách trung ương | 1.621.667")."""
    header = table.rows[0]
    header_words = [" ".join(fold(c).split()) for c in header]
    context = " ".join([table.caption, *header])
    labels_with_source = [
        row for row in table.rows[1:] if any(source_of(c) not in (None, "other") for c in row[:2])
    ]
    if not (
        re.search(r"kinh\s+phí|nguồn\s+vốn|vốn|ngân\s+sách", context, _I) or len(labels_with_source) >= 2
    ):
        return [], None
    unit = _unit_of(context) or "triệu đồng"
    amount_col = next(
        (i for i, h in enumerate(header_words) if i > 0 and ("tong" in h or "cong" in h.split())), None
    )
    lines: list[FundingLine] = []
    total: Decimal | None = None
    for row, line in zip(table.rows[1:], table.lines[1:], strict=True):
        label_col = next(
            (
                i
                for i, c in enumerate(row)
                if c and parse_number(c) is None and c.lower() not in ("tt", "stt")
            ),
            None,
        )
        if label_col is None:
            continue
        numbers = [
            (i, parse_number(c)) for i, c in enumerate(row) if i > label_col and parse_number(c) is not None
        ]
        if not numbers:
            continue
        chosen = dict(numbers).get(amount_col) if amount_col is not None else numbers[-1][1]
        if chosen is None:
            continue
        amount = to_million(chosen, _unit_of(row[label_col]) or unit)
        label = row[label_col].strip()
        if _TOTAL.search(label):
            total = total if total is not None else amount
            continue
        source = source_of(label)
        if source is not None:
            lines.append(FundingLine(source, label, amount, line))
    return lines, total
