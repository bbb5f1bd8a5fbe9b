"""Header fields of a plan: title, number, date, issuer, unit, period and the documents it is based on.

- **title**: the "KẾ HOẠCH" heading and the line after it ("KẾ HOẠCH Thực hiện mục tiêu … năm 2019");
  without such a heading, a first line "Kế hoạch số …" (a news page) or the first paragraph;
- **number**: "Số: 45/KH-UBND" above the title, "ban hành Kế hoạch số 131-KH/TU", or a first line
  "Kế hoạch số …"; a plan that only cites other plans has no number;
- **issued on**: the place-and-date line ("Tân Lập, ngày 10 tháng 01 năm 2024") or the date in the
  sentence that says the plan was issued ("Ngày 19 tháng 4 năm 2019, Ban Thường vụ Tỉnh ủy ban hành …");
- **issuer**: who "ban hành Kế hoạch" or "xây dựng Kế hoạch", else the issuing body under its superior
  in the header ("UBND TỈNH LÂM HÀ" / "SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG": the Sở, as Decree 30/2020/NĐ-CP,
  Appendix I, lays out the name of the issuing body under that of its superior), else the header's
  unit, else the signature ("TM. ỦY BAN NHÂN DÂN");
- **unit**: the unit in the header ("ỦY BAN NHÂN DÂN HUYỆN KON RẪY", "HUYỆN ỦY MƯỜNG KHƯƠNG"), else the
  most frequent "trên địa bàn <huyện> <Tên>", else "<Tỉnh ủy> <Tên>";
- **period**: "giai đoạn 2021-2025", "năm 2019" or "đến năm 2030" in the title, else in the preamble;
- **basis**: every document cited with its number in the title and preamble (the plan's own number
  excluded), with date and issuer when given.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from giamngheo.planning.parsing.agencies import normalise_agency
from giamngheo.planning.parsing.model import CitedAct
from giamngheo.planning.parsing.outline import END, Outline
from giamngheo.planning.parsing.text import Block, Paragraph, Table, is_caps
from giamngheo.planning.parsing.timeframes import ACT_KINDS, ACT_NUMBER, DATE_TEXT, mask_citations

_I = re.IGNORECASE
_ACT: Final = re.compile(
    rf"(?P<kind>{ACT_KINDS})\s+(?:số\s*:?\s*)?(?P<number>{ACT_NUMBER})"
    rf"(?:\s*,?\s*ngày\s+(?P<date>{DATE_TEXT}))?"
    r"(?:\s+của\s+(?P<issuer>[^,;“”\"()]+?))?"
    r"(?=\s+(?:về|thực\s+hiện|triển\s+khai|ban\s+hành|quy\s+định|phê\s+duyệt|hướng\s+dẫn|sửa\s+đổi|khóa|khoá)"
    r"(?![\w])|\s*[,;:.“”\"()]|\s*$)",
    _I,
)
_NUMBER_LINE = re.compile(rf"(?:^|\s)Số\s*:?\s*(?P<number>{ACT_NUMBER})", _I)
_ISSUED_PLAN = re.compile(rf"ban\s+hành\s+Kế\s+hoạch\s+(?:số\s*:?\s*)?(?P<number>{ACT_NUMBER})", _I)
_FIRST_LINE_PLAN = re.compile(rf"^Kế\s+hoạch\s+số\s*:?\s*(?P<number>{ACT_NUMBER})", _I)
_PLACE_DATE = re.compile(r"[\w)]\s*,\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", _I)
_ISSUER = re.compile(r"(?P<issuer>[^,;.()]+?)\s+(?:đã\s+)?(?:ban\s+hành|xây\s+dựng)\s+Kế\s+hoạch", _I)
_DATED_PREFIX = re.compile(r"^.*?\bngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}\s*", _I)
_SIGNATURE = re.compile(r"^(?:TM|T/M)\.?\s+(?P<issuer>.+)$", _I)
_HEADER_UNIT = re.compile(
    r"^(?:ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|ĐẢNG ỦY|ĐẢNG UỶ|BAN CHỈ ĐẠO[^\n]*?)\s+"
    r"(?P<level>TỈNH|HUYỆN|THỊ XÃ|THÀNH PHỐ|QUẬN|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|XÃ)\s+(?P<name>.+)$"
)
_LEVEL_LINE = re.compile(
    r"^(?P<level>TỈNH|HUYỆN|THỊ XÃ|THÀNH PHỐ|QUẬN|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|XÃ)\s+"
    r"(?P<name>(?!HỘI\b|[ỦU][YỶ]\b).+)$"
)
# "HUYỆN ỦY MƯỜNG KHƯƠNG", "TỈNH ỦY YÊN BÁI": a party committee's header names its unit
_PARTY_LINE = re.compile(r"^(?P<level>TỈNH|HUYỆN|THÀNH|THỊ|QUẬN)\s+[ỦU][YỶ]\s+(?P<name>.+)$")
_PARTY_LEVELS: Final = {
    "TỈNH": "tỉnh",
    "HUYỆN": "huyện",
    "THÀNH": "thành phố",
    "THỊ": "thị xã",
    "QUẬN": "quận",
}
_PARTY_UNIT = re.compile(r"(?P<level>Tỉnh|Huyện|Thành|Thị|Quận)\s+[ủu][yỷ]\s+(?P<name>[^,;.()\n]{1,40})")
_AREA = re.compile(
    r"trên\s+địa\s+bàn\s+(?P<level>tỉnh|huyện|thị\s+xã|thành\s+phố|quận|phường|thị\s+trấn|đặc\s+khu|xã)"
    r"\s+(?P<name>[^,;.()\n]{1,40})"
)
_RANGE = re.compile(r"giai\s+đoạn\s+(\d{4})\s*[-–]\s*(\d{4})|(?<!\d)(\d{4})\s*[-–]\s*(\d{4})(?!\d)", _I)
_UNTIL = re.compile(r"đến\s+năm\s+(\d{4})", _I)
_YEAR = re.compile(r"(?<!đến\s)năm\s+(\d{4})", _I)


@dataclass(frozen=True, slots=True)
class Header:
    title: str | None
    number: str | None
    issued_on: dt.date | None
    issuer: str | None
    basis: tuple[CitedAct, ...]
    period_start: int | None
    period_end: int | None
    unit_name: str | None


def parse_date(text: str) -> dt.date | None:
    """ "23-11-2021", "27/12/2021", "23 tháng 6 năm 2021" → a date (None if impossible)."""
    m = re.search(r"(\d{1,2})\s*(?:[/.\-]|tháng)\s*(\d{1,2})\s*(?:[/.\-]|,?\s*năm)\s*(\d{4})", text, _I)
    if not m:
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def _texts(blocks: list[Block]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append((block.text, block.line))
        else:
            for row, line in zip(block.rows, block.lines, strict=True):
                out.extend((cell, line) for cell in row if cell)
    return out


def _title(outline: Outline, blocks: list[Block]) -> str | None:
    if outline.title_index is not None:
        heading = blocks[outline.title_index]
        assert isinstance(heading, Paragraph)
        title = heading.text
        parts: list[str] = []
        for block in blocks[outline.title_index + 1 :]:
            if not isinstance(block, Paragraph) or block.marker is not None:
                break
            text = block.text
            if text.endswith(":") or len(text) > 400 or re.match(r"^(?:Căn cứ|Kính gửi)", text):
                break
            if parts and not is_caps(text):
                break
            parts.append(text)
            if not is_caps(text):
                break
        if title.strip().upper() == "KẾ HOẠCH" and parts:
            subtitle = " ".join(parts)
            title = (
                f"KẾ HOẠCH {subtitle}"
                if is_caps(subtitle)
                else f"Kế hoạch {subtitle[0].lower()}{subtitle[1:]}"
            )
        return title
    for block in blocks:
        if isinstance(block, Paragraph):
            return block.text
    return None


def _number(header: list[tuple[str, int]]) -> str | None:
    for text, _ in header:
        m = _NUMBER_LINE.search(text) if re.match(r"^Số\b", text.strip(), _I) else None
        if m:
            return m.group("number").replace(" ", "")
    for text, _ in header:
        m = _ISSUED_PLAN.search(text)
        if m:
            return m.group("number").replace(" ", "")
    if header:
        m = _FIRST_LINE_PLAN.match(header[0][0])
        if m:
            return m.group("number").replace(" ", "")
    return None


def _issued_on(header: list[tuple[str, int]]) -> dt.date | None:
    for text, _ in header:
        if re.search(r"ban\s+hành\s+Kế\s+hoạch", text, _I):
            for sentence in re.split(r"(?<=[.;])\s+", text):
                if re.search(r"ban\s+hành\s+Kế\s+hoạch", sentence, _I):
                    masked = mask_citations(sentence)
                    m = re.search(rf"ngày\s+({DATE_TEXT})", masked, _I)
                    if m:
                        return parse_date(m.group(1))
    for text, _ in header:
        m = _PLACE_DATE.search(text)
        if m:
            try:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                continue
    return None


def _issuer(header: list[tuple[str, int]], blocks: list[Block]) -> str | None:
    for text, _ in header:
        m = _ISSUER.search(mask_citations(text))
        if m:
            issuer = re.sub(
                r"^.*?\bngày\s+\d+\s+tháng\s+\d+\s+năm\s+\d{4}\s*", "", m.group("issuer"), flags=_I
            )
            issuer = issuer.strip(" ,-–")
            if issuer and issuer[0].isupper() and len(issuer.split()) <= 12:
                return normalise_agency(issuer).name
    caps = [text.strip() for text, _ in header if is_caps(text)]
    for first, second in pairwise(caps):
        if _HEADER_UNIT.match(first) or normalise_agency(first).key is not None:
            below = normalise_agency(second)
            if below.key is not None and not _HEADER_UNIT.match(second):
                return below.name
    for text in caps:
        if _HEADER_UNIT.match(text):
            return normalise_agency(text).name
    for block in blocks:
        if isinstance(block, Paragraph) and END.match(block.text):
            m = _SIGNATURE.match(block.text)
            if m:
                name = m.group("issuer").strip()
                return normalise_agency(name.capitalize() if is_caps(name) else name).name
    return None


def _title_case(name: str) -> str:
    return " ".join(w.capitalize() for w in name.split())


def _proper_name(text: str) -> str | None:
    """The capitalised words at the start of ``text`` ("Kon Rẫy giai đoạn …" → "Kon Rẫy")."""
    words: list[str] = []
    for word in text.split():
        if not word[0].isupper():
            break
        words.append(word)
    return " ".join(words) or None


def _unit_name(header: list[tuple[str, int]], all_text: str) -> str | None:
    for text, _ in header:
        if is_caps(text):
            m = _HEADER_UNIT.match(text.strip()) or _LEVEL_LINE.match(text.strip())
            if m:
                level = m.group("level").lower()
                return f"{level} {_title_case(m.group('name').strip())}"
            party = _PARTY_LINE.match(text.strip())
            if party:
                return f"{_PARTY_LEVELS[party.group('level')]} {_title_case(party.group('name').strip())}"
    areas = Counter(
        f"{' '.join(m.group('level').split())} {name}"
        for m in _AREA.finditer(all_text)
        if (name := _proper_name(m.group("name")))
    )
    if areas:
        return areas.most_common(1)[0][0]
    levels = {"Tỉnh": "tỉnh", "Huyện": "huyện", "Thành": "thành phố", "Thị": "thị xã", "Quận": "quận"}
    for m in _PARTY_UNIT.finditer(all_text):
        name = _proper_name(m.group("name"))
        if name:
            return f"{levels[m.group('level')]} {name}"
    return None


def _period(texts: list[str]) -> tuple[int | None, int | None]:
    for raw in texts:
        text = mask_citations(raw)
        m = _RANGE.search(text)
        if m:
            a, b = (int(x) for x in (m.group(1) or m.group(3), m.group(2) or m.group(4)))
            if 0 < b - a <= 15:
                return a, b
        m_year = _YEAR.search(text)
        if m_year:
            year = int(m_year.group(1))
            return year, year
        m_until = _UNTIL.search(text)
        if m_until:
            return None, int(m_until.group(1))
    return None, None


def _basis(header_blocks: list[Block], own_number: str | None) -> tuple[CitedAct, ...]:
    found: dict[str, CitedAct] = {}
    for block in header_blocks:
        if not isinstance(block, Paragraph):
            continue
        for m in _ACT.finditer(block.text):
            number = re.sub(r"\s+", "", m.group("number"))
            if number == own_number:
                continue
            issuer = m.group("issuer")
            act = CitedAct(
                kind=m.group("kind")[0].upper() + m.group("kind")[1:],
                number=number,
                issued_on=parse_date(m.group("date")) if m.group("date") else None,
                issuer=" ".join(issuer.split()) if issuer else None,
                text=" ".join(m.group(0).split()),
                source_line=block.line_at(m.start()),
            )
            previous = found.get(number)
            if previous is None or (previous.issued_on is None and act.issued_on is not None):
                found[number] = act
    return tuple(found.values())


def read_header(outline: Outline, blocks: list[Block]) -> Header:
    header_texts = _texts(outline.header)
    title = _title(outline, blocks)
    number = _number(header_texts)
    preamble = [text for text, _ in header_texts]
    start, end = _period(([title] if title else []) + preamble)
    all_text = "\n".join(b.text for b in blocks if isinstance(b, Paragraph))
    table_cells = [c for b in outline.header if isinstance(b, Table) for row in b.rows for c in row]
    return Header(
        title=title,
        number=number,
        issued_on=_issued_on(header_texts),
        issuer=_issuer(header_texts, blocks),
        basis=_basis(outline.header, number),
        period_start=start,
        period_end=end,
        unit_name=_unit_name(header_texts + [(c, 0) for c in table_cells], all_text),
    )
