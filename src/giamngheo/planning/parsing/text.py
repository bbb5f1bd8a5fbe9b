"""Text helpers for the plan parser: folding, Vietnamese numbers, and the split of a document into
paragraphs and tables that remember their 1-based line numbers.

- :func:`fold` lower-cases, drops diacritics and turns punctuation into spaces WITHOUT changing the
  length, so a match in the folded text is a match at the same offsets in the original.
- :func:`parse_number` reads Vietnamese numbers: "." groups thousands and "," is the decimal mark
  ("5.440.412" → 5440412, "1,5" → 1.5); "1,621,667" (English grouping) is read as well. A lone
  comma is always a decimal mark ("1,621" → 1.621).
- :func:`split_blocks` cleans Markdown (``#``, ``**``, ``\\*``, emphasis), joins a paragraph broken
  over several lines (a line that starts in lower case after a line without final punctuation), and
  reads tables written with pipes (Markdown), tabs (what :func:`~.reader.read_plan_file` makes of a
  .docx table) or columns aligned with two or more spaces.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Final

#: A number as written in Vietnamese documents (thousands first, so "5.440.412" is one number).
NUMBER: Final = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,3}(?:,\d{3}){2,}|\d+(?:[.,]\d+)?"

_VI_THOUSANDS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_EN_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3}){2,}(?:\.\d+)?")
_PLAIN = re.compile(r"\d+(?:,\d+)?")
_DOT_DECIMAL = re.compile(r"\d+\.\d+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFD", ch)[0].lower()
    if base == "đ":
        return "d"
    return base if base.isalnum() and base.isascii() else " "


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first use of each character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE: Final = _FoldTable()


def fold(text: str) -> str:
    """Lower case, no diacritics, đ → d, anything else than a-z0-9 → space; same length as ``text``.

    ``text`` must be NFC (one character per letter), which :func:`split_blocks` guarantees.

    >>> fold("Phòng LĐ-TB&XH")
    'phong ld tb xh'
    """
    return text.translate(_FOLD_TABLE)


def parse_number(token: str) -> Decimal | None:
    """Read a number written the Vietnamese way.

    >>> parse_number("5.440.412"), parse_number("1,5"), parse_number("11.869"), parse_number("7,30")
    (Decimal('5440412'), Decimal('1.5'), Decimal('11869'), Decimal('7.30'))
    """
    t = token.strip().replace(" ", "").replace("\u00a0", "")
    try:
        if _VI_THOUSANDS.fullmatch(t):
            return Decimal(t.replace(".", "").replace(",", "."))
        if _EN_THOUSANDS.fullmatch(t):
            return Decimal(t.replace(",", ""))
        if _PLAIN.fullmatch(t):
            return Decimal(t.replace(",", "."))
        if _DOT_DECIMAL.fullmatch(t):
            return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the patterns only let digits through
        return None
    return None


def is_caps(text: str) -> bool:
    """True for a heading in capitals ("KẾ HOẠCH", "TM. ỦY BAN NHÂN DÂN")."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank out ``spans`` of ``text`` (same length), so later patterns do not see them."""
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


# --- Markers (numbering) ------------------------------------------------------------------------

_ROMAN = r"X{0,3}(?:IX|IV|V?I{0,3})"
_MARKERS: Final = (
    ("paren", re.compile(r"^\((\d{1,2})\)\s*")),
    ("roman", re.compile(rf"^({_ROMAN})\s*[.\-–/)]\s*(?=\S)")),
    ("letter", re.compile(r"^([A-HJ-UWYĐ])\s*[.\-–)]\s+(?=\S)")),
    ("num", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s*[.\-–)]?\s+(?=\S)")),
    ("num", re.compile(r"^(\d{1,2})\s*[.\-–)]\s*(?=[^\d\s])")),
    ("lower", re.compile(r"^([a-zđ])\s*[).]\s+(?=\S)")),
    ("bullet", re.compile(r"^([-+•–·○▪►✓*])\s*(?=\S)")),
)


@dataclass(frozen=True, slots=True)
class Marker:
    kind: str  # "paren", "roman", "letter", "num1".."num4", "lower", "bullet-" …
    label: str  # as written, without the separator: "II", "1.4", "1", "a", "-"
    end: int  # where the text after the marker starts


def find_marker(text: str) -> Marker | None:
    """The numbering at the start of a paragraph, if any."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if not m or not m.group(1):
            continue
        label = m.group(1)
        if kind == "num":
            depth = label.count(".") + 1
            return Marker(f"num{depth}", label, m.end())
        if kind == "bullet":
            return Marker(f"bullet{label}", label, m.end())
        return Marker(kind, label, m.end())
    return None


# --- Blocks -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of the document: cleaned text, its numbering, and the lines it spans."""

    text: str
    line: int
    offsets: tuple[tuple[int, int], ...]  # (offset in text, line number) for each joined line
    marker: Marker | None
    bold: bool

    @property
    def body(self) -> str:
        """The text after the numbering."""
        return self.text[self.marker.end :] if self.marker else self.text

    @property
    def body_offset(self) -> int:
        return self.marker.end if self.marker else 0

    def line_at(self, offset: int) -> int:
        """The line number of the character at ``offset`` of :attr:`text`."""
        line = self.line
        for start, number in self.offsets:
            if start > offset:
                break
            line = number
        return line


@dataclass(frozen=True, slots=True)
class Table:
    """A table: rows of cells (header rows included) and the line of each row."""

    rows: tuple[tuple[str, ...], ...]
    lines: tuple[int, ...]
    caption: str


Block = Paragraph | Table

_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_HEADING = re.compile(r"^#{1,6}\s*")
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009]+")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_TERMINAL = ".:;!?"


def clean_line(raw: str) -> tuple[str, bool]:
    """Strip Markdown from one line; also say whether it was bold or a heading."""
    s = raw.replace("\u00a0", " ").strip()
    bold = s.startswith("#") or (s.startswith("**") and s.rstrip().endswith("**"))
    s = _HEADING.sub("", s)
    s = s.replace("**", "").replace("__", "")
    s = _ESCAPE.sub(r"\1", s)
    star = re.match(r"^\*\s+", s)
    s = "* " + s[star.end() :].replace("*", "") if star else s.replace("*", "")
    s = _SPACES.sub(" ", s).strip()
    return s, bold


def _cells(raw: str, *, continuing: bool = False) -> list[str] | None:
    """The cells of a table row, or None when the line is not one. Inside a tab-separated table a row
    whose only text is in a middle cell ("\tTrong đó:\t") is a row too."""
    s = raw.strip()
    if continuing and "\t" not in s and "\t" in raw.rstrip("\r\n") and not s.startswith("|"):
        cells = [clean_line(c)[0] for c in raw.rstrip("\r\n").split("\t")]
        return cells if any(cells) else []
    if s.startswith("|") and s.count("|") >= 2:
        if _PIPE_SEPARATOR.match(s):
            return []
        inner = s[1:-1] if s.endswith("|") else s[1:]
        return [clean_line(c)[0] for c in inner.split("|")]
    if "\t" in s:
        cells = [clean_line(c)[0] for c in raw.rstrip("\r\n").split("\t")]
        return cells if any(cells) else []
    return None


def _aligned_cells(raw: str) -> list[str] | None:
    """Cells of a line aligned with runs of spaces, when it has a number in a later cell."""
    s = raw.strip()
    cells = [c for c in re.split(r" {2,}", s) if c]
    if len(cells) >= 3 and any(parse_number(c.rstrip("%")) is not None for c in cells[1:]):
        return cells
    return None


@dataclass(slots=True)
class _Open:
    """A paragraph being assembled."""

    text: str
    line: int
    offsets: list[tuple[int, int]]
    bold: bool
    last_length: int = 0  # length of the last line joined, to tell a wrapped line from a heading

    def close(self) -> Paragraph:
        return Paragraph(
            text=self.text,
            line=self.line,
            offsets=tuple(self.offsets),
            marker=find_marker(self.text),
            bold=self.bold,
        )


def _table_at(lines: list[str], i: int) -> tuple[list[tuple[str, ...]], list[int], int] | None:
    """The table starting at line index ``i`` (rows, their line numbers, next index), or None."""
    first = _cells(lines[i])
    aligned = first is None
    if aligned and not (i + 1 < len(lines) and _aligned_cells(lines[i]) and _aligned_cells(lines[i + 1])):
        return None
    rows: list[tuple[str, ...]] = []
    row_lines: list[int] = []
    j = i
    while j < len(lines):
        row = _aligned_cells(lines[j]) if aligned else _cells(lines[j], continuing=j > i)
        if row is None:
            break
        if row:
            rows.append(tuple(row))
            row_lines.append(j + 1)
        j += 1
    if len(rows) < 2:
        return None
    if aligned and i > 0:
        header = [c for c in re.split(r" {2,}", lines[i - 1].strip()) if c]
        if len(header) == len(rows[0]):
            rows.insert(0, tuple(clean_line(c)[0] for c in header))
            row_lines.insert(0, i)
    return rows, row_lines, j


def split_blocks(text: str) -> list[Block]:
    """Split a document into paragraphs and tables, in order. ``text`` is normalised to NFC."""
    lines = nfc(text).splitlines()
    full = _full_line_length(lines)
    blocks: list[Block] = []
    current: _Open | None = None
    blank_before = True
    i = 0
    while i < len(lines):
        table = _table_at(lines, i)
        if table is not None:
            rows, row_lines, i = table
            if current is not None:
                if current.line == row_lines[0]:  # an aligned table's header line
                    current = None
                else:
                    blocks.append(current.close())
                    current = None
            caption = next((b.text for b in reversed(blocks) if isinstance(b, Paragraph)), "")
            blocks.append(Table(rows=tuple(rows), lines=tuple(row_lines), caption=caption))
            blank_before = True
            continue
        cleaned, bold = clean_line(lines[i])
        i += 1
        if not cleaned:
            blank_before = True
            continue
        wrapped = current is not None and current.last_length >= full
        if current is not None and _continues(current.text, cleaned, blank_before, wrapped=wrapped):
            joined = current.text + " "
            current.offsets.append((len(joined), i))
            current.text = joined + cleaned
            current.last_length = len(cleaned)
        else:
            if current is not None:
                blocks.append(current.close())
            current = _Open(cleaned, i, [(0, i)], bold, len(cleaned))
        blank_before = False
    if current is not None:
        blocks.append(current.close())
    return blocks


def _full_line_length(lines: list[str]) -> int:
    """How long a line is when the text was wrapped there (85 % of the usual long line): a shorter line
    without final punctuation followed by a capitalised line is a heading, not a wrapped line."""
    lengths = sorted(len(s) for raw in lines if (s := raw.strip()))
    if not lengths:
        return 0
    return int(lengths[(len(lengths) * 9) // 10] * 0.85)


def _continues(previous: str, line: str, blank_before: bool, *, wrapped: bool = True) -> bool:
    """Whether ``line`` continues the paragraph ``previous`` (a paragraph broken over lines).

    A line in lower case continues a paragraph without final punctuation. A capitalised line does so
    only right after a line as long as the text's wrapped lines ("… gửi về Phòng" / "Lao động - …"),
    never after a short one ("2. Phòng Văn hóa - Xã hội" / "Chủ trì thực hiện …" are two paragraphs).
    A wrapped line ending with ":" goes on with a line in lower case or a figure ("1.920 triệu đồng").
    """
    if find_marker(line) is not None or is_caps(line) or is_caps(previous):
        return False
    if previous[-1] == ":" and not blank_before and wrapped:
        return line[0].islower() or line[0].isdigit()  # "… bền vững):" / "1.920 triệu đồng;"
    if previous[-1] in _TERMINAL:
        return False
    if blank_before or not wrapped:
        return line[0].islower()
    return True
