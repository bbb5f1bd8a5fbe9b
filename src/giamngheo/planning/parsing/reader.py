"""Read a plan file as text: .txt / .md (UTF-8, UTF-16 with BOM, or Windows-1258) and .docx.

A .docx is read with the standard library only (``word/document.xml`` in the zip): one line per
paragraph (``w:p``, text of its ``w:t`` runs) with a blank line after it, and one tab-separated line per
table row (``w:tr``, cells ``w:tc``). Automatic numbering (``w:numPr`` with ``word/numbering.xml``) is
rendered as text ("1.", "a)", "-"), so numbered items keep their numbers; numbering that comes only
from a paragraph style is not. Line numbers of the result are those of this text.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Final
from xml.etree import ElementTree as ET

from giamngheo.planning.parsing.text import nfc

SUFFIXES: Final = (".txt", ".md", ".markdown", ".docx")
_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class PlanReadError(ValueError):
    """A plan file that cannot be read. ``message_vi`` is for people; ``str(error)`` is for logs."""

    def __init__(self, message_en: str, message_vi: str) -> None:
        super().__init__(message_en)
        self.message_vi = message_vi


def decode_text(data: bytes) -> str:
    """Bytes of a text file → NFC text (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1258)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return nfc(data.decode("utf-16"))
    try:
        return nfc(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return nfc(data.decode("cp1258", errors="replace"))


def read_plan_file(path: str | Path) -> str:
    """The text of a plan file (.txt, .md, .docx); :class:`PlanReadError` when it cannot be read."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix not in SUFFIXES:
        raise PlanReadError(
            f"unsupported plan file type {suffix or '(none)'}: {file}",
            f"Không đọc được tệp {file.name}: chỉ hỗ trợ tệp .txt, .md và .docx.",
        )
    try:
        data = file.read_bytes()
    except OSError as error:
        raise PlanReadError(
            f"cannot read {file}: {error}",
            f"Không mở được tệp {file.name} (tệp không tồn tại hoặc không có quyền đọc).",
        ) from error
    text = docx_text(data, file.name) if suffix == ".docx" else decode_text(data)
    if not text.strip():
        raise PlanReadError(f"empty plan file: {file}", f"Tệp {file.name} không có nội dung.")
    return text


# --- .docx --------------------------------------------------------------------------------------------


def _roman(n: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
              (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
    out = ""
    for value, letters in values:
        while n >= value:
            out += letters
            n -= value
    return out


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _format(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    return str(n)


class _Numbering:
    """Automatic list numbering of a .docx (``word/numbering.xml``)."""

    def __init__(self, xml: bytes | None) -> None:
        self.levels: dict[
            str, dict[int, tuple[str, str, int]]
        ] = {}  # abstractNumId → ilvl → (fmt, text, start)
        self.nums: dict[str, str] = {}  # numId → abstractNumId
        self.counters: dict[str, list[int]] = {}
        if xml is None:
            return
        root = ET.fromstring(xml)
        for abstract in root.iter(f"{_W}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[ilvl] = (
                    fmt.get(f"{_W}val", "decimal") if fmt is not None else "decimal",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1,
                )
            self.levels[abstract.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iter(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.nums[num.get(f"{_W}numId", "")] = ref.get(f"{_W}val", "")

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(self.nums.get(num_id, ""), {})
        if num_id == "0" or ilvl not in levels:
            return ""
        fmt, text, start = levels[ilvl]
        if fmt == "bullet":
            return "-"
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        out = text
        for level in range(ilvl + 1):
            lf, _, ls = levels.get(level, ("decimal", "", 1))
            out = out.replace(f"%{level + 1}", _format(counters[level] or ls, lf))
        return out


def _paragraph_text(paragraph: ET.Element, separator: str = "\n") -> str:
    parts: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append(separator)
    return "".join(parts)


def docx_text(data: bytes, name: str = "") -> str:
    """The text of a .docx document (see the module docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = archive.read("word/document.xml")
            numbering_xml = (
                archive.read("word/numbering.xml") if "word/numbering.xml" in archive.namelist() else None
            )
        root = ET.fromstring(document)
        numbering = _Numbering(numbering_xml)
    except (zipfile.BadZipFile, KeyError, ET.ParseError) as error:
        raise PlanReadError(
            f"not a readable .docx: {name}: {error}",
            f"Tệp {name} không phải tệp Word (.docx) hợp lệ hoặc đã bị hỏng.",
        ) from error
    body = root.find(f"{_W}body")
    lines: list[str] = []
    for child in body if body is not None else []:
        if child.tag == f"{_W}p":
            text = _paragraph_text(child)
            num = child.find(f"{_W}pPr/{_W}numPr")
            if num is not None:
                ilvl = num.find(f"{_W}ilvl")
                num_id = num.find(f"{_W}numId")
                label = numbering.label(
                    num_id.get(f"{_W}val", "0") if num_id is not None else "0",
                    int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0,
                )
                if label and text.strip():
                    text = f"{label} {text}"
            lines.extend([text, ""])
        elif child.tag == f"{_W}tbl":
            for row in child.findall(f"{_W}tr"):
                cells = [
                    " ".join(_paragraph_text(p, " ").strip() for p in cell.iter(f"{_W}p")).strip()
                    for cell in row.findall(f"{_W}tc")
                ]
                lines.append("\t".join(cells))
            lines.append("")
    return nfc("\n".join(lines))
