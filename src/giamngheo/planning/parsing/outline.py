"""The outline of a plan: header, then numbered sections (I., A-, 1., 1.1., (1), a), bullets), then the
signature block; appendices (Phụ lục) after the signature are read again.

Nesting follows the order in which numbering styles appear, as a reader does: a style already open
closes everything below it ("2." after "1.1." is a sibling of "1."), a new style opens a level. An
assignment paragraph ("* Phân công thực hiện: …", "Đơn vị thực hiện: …") is not an item: it is recorded
on the parent with the items it covers (those since the previous assignment, except a heading whose own
items got an assignment of their own). In the content sections, an unnumbered paragraph after an item
that starts with agencies and "chủ trì" ("Phòng Kinh tế chủ trì, phối hợp với …") is read the same way,
and so is a bullet of another kind after the item's bullets ("- …", "- …", "+ Phòng … chủ trì …").

Each section gets a kind from its heading: ``purpose`` (Mục đích, yêu cầu), ``targets`` (Mục tiêu,
chỉ tiêu), ``situation`` (Đánh giá, thực trạng), ``funding`` (Kinh phí, nguồn vốn), ``schedule``
(Tiến độ), ``implementation`` (Tổ chức thực hiện, trách nhiệm), ``appendix``, else ``content``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

from giamngheo.planning.parsing.agencies import looks_like_agency
from giamngheo.planning.parsing.text import Block, Paragraph, Table, fold, is_caps

ASSIGNMENT_LABEL: Final = re.compile(
    r"^(?:[*\-+•]\s*)?(?:phân công(?: thực hiện| nhiệm vụ| trách nhiệm)?|đơn vị thực hiện|"
    r"cơ quan thực hiện|trách nhiệm thực hiện|giao nhiệm vụ)\s*:\s*",
    re.IGNORECASE,
)
END: Final = re.compile(
    r"^(?:nơi nhận\b|tm\.|t/m\b|kt\.|k/t\b|tl\.|q\.\s*chủ tịch|\(đã ký\)|các tin khác|tin liên quan|"
    r"xem các tin|tin cùng chuyên mục|bài viết liên quan)",
    re.IGNORECASE,
)
_LEAD_CLAUSE: Final = re.compile(
    r"^(?:(?:giao|đề\s+nghị)\s+)?(?P<subject>[^.;:]{2,200}?)\s+(?:là\s+(?:cơ\s+quan|đơn\s+vị)\s+"
    r"(?:thường\s+trực|đầu\s+mối)\s*,\s*)?chủ\s+trì(?![\w])(?!\s*:)",
    re.IGNORECASE,
)
APPENDIX: Final = re.compile(r"^(?:PHỤ LỤC|Phụ lục)\b")
TITLE: Final = re.compile(r"^KẾ HOẠCH\b")
_SECTION_KEYS: Final = ("roman", "letter", "num1", "num2")
_KINDS: Final = (
    ("purpose", ("muc dich", "yeu cau", "quan diem")),
    ("targets", ("muc tieu", "chi tieu")),
    ("situation", ("danh gia", "ket qua thuc hien", "thuc trang", "tinh hinh", "ket qua dat duoc")),
    ("funding", ("kinh phi", "nguon von", "nguon luc", "ngan sach")),
    ("schedule", ("tien do", "lo trinh", "thoi gian thuc hien", "thoi han")),
    ("implementation", ("to chuc thuc hien", "trach nhiem", "phan cong nhiem vu", "phan cong thuc hien")),
    ("appendix", ("phu luc",)),
)


@dataclass(eq=False)
class Node:
    """A numbered item or section (the root has no paragraph)."""

    paragraph: Paragraph | None
    key: str
    label: str
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    assignments: list[tuple[Paragraph, list[Node]]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    loose: list[Paragraph] = field(default_factory=list)
    forced_kind: str | None = None

    @property
    def is_bullet(self) -> bool:
        return self.key.startswith("bullet")

    @property
    def numbered_children(self) -> list[Node]:
        return [c for c in self.children if not c.is_bullet]

    @property
    def bullets(self) -> list[Node]:
        return [c for c in self.children if c.is_bullet]

    @property
    def path(self) -> str:
        """Numbering path: "II.1.4" for 1.4 under 1. under II., "E.5(2)" for (2) under 5. under E-."""
        labels: list[str] = []
        node: Node | None = self
        while node is not None and node.paragraph is not None:
            if not node.is_bullet:
                labels.append(node.label)
            node = node.parent
        labels.reverse()
        out = ""
        for label in labels:
            prefix = label.rsplit(".", 1)[0] if "." in label else None
            if prefix is not None and (out == prefix or out.endswith("." + prefix)):
                out = out[: len(out) - len(prefix)] + label
            elif not out:
                out = label
            elif label.startswith("("):
                out += label
            else:
                out += "." + label
        return out

    @cached_property
    def own_kind(self) -> str | None:
        if self.forced_kind is not None:
            return self.forced_kind
        if self.paragraph is None or self.key not in _SECTION_KEYS:
            return None
        body = self.paragraph.body
        head = " ".join(fold(body[:100]).split())
        for kind, words in _KINDS:
            heading = self.key in ("roman", "letter") and len(body) <= 100
            if any(head.startswith(w) or (heading and f" {w} " in f" {head} ") for w in words):
                return kind
        return None

    @property
    def kind(self) -> str:
        node: Node | None = self
        while node is not None:
            own = node.own_kind
            if own is not None:
                return own
            node = node.parent
        return "content"

    def own_text(self) -> str:
        """The item's own text and its unnumbered paragraphs ("2. Phòng Văn hóa - Xã hội" / "Chủ trì …")."""
        parts = [self.paragraph.body] if self.paragraph else []
        parts.extend(p.text for p in self.loose)
        return "\n".join(parts)

    def text_with_bullets(self) -> str:
        """The item's own text, its unnumbered paragraphs and its bullets, one per line, in order."""
        parts = [self.paragraph.body] if self.paragraph else []
        rest = [(p.line, p.text) for p in self.loose]
        rest += [(b.paragraph.line, b.text_with_bullets()) for b in self.bullets if b.paragraph is not None]
        rest.sort(key=lambda item: item[0])
        parts.extend(text for _, text in rest)
        return "\n".join(parts)


@dataclass
class Outline:
    header: list[Block]
    root: Node
    body: list[tuple[Block, Node]]
    title_index: int | None


def _key(paragraph: Paragraph) -> str | None:
    return paragraph.marker.kind if paragraph.marker else None


def build_outline(blocks: list[Block]) -> Outline:
    """Split ``blocks`` into header and body and nest the body's numbered items."""
    title_index = next(
        (
            i
            for i, b in enumerate(blocks)
            if isinstance(b, Paragraph) and is_caps(b.text) and TITLE.match(b.text)
        ),
        None,
    )
    start = len(blocks)
    for i, block in enumerate(blocks):
        if title_index is not None and i <= title_index:
            continue
        if isinstance(block, Paragraph) and _key(block) in _SECTION_KEYS:
            start = i
            break
    root = Node(paragraph=None, key="root", label="")
    stack: list[Node] = [root]
    body: list[tuple[Block, Node]] = []
    ended = False
    pending: dict[int, int] = {}  # id(parent) → index of the first child not yet covered by an assignment
    for block in blocks[start:]:
        if isinstance(block, Paragraph):
            if END.match(block.text):
                ended = True
                continue
            if APPENDIX.match(block.text) and len(block.text) < 250:
                ended = False
                node = Node(paragraph=block, key="appendix", label=block.text, parent=root)
                node.forced_kind = "appendix"
                root.children.append(node)
                stack = [root, node]
                body.append((block, node))
                continue
        if ended:
            continue
        if isinstance(block, Table):
            stack[-1].tables.append(block)
            body.append((block, stack[-1]))
            continue
        if ASSIGNMENT_LABEL.match(block.text) or _implicit_assignment(block, stack):
            item = next((n for n in reversed(stack) if not n.is_bullet), root)
            parent = item.parent if item.parent is not None else root
            first = pending.get(id(parent), 0)
            covered = [c for c in parent.children[first:] if not c.is_bullet and not c.assignments]
            if covered:
                parent.assignments.append((block, covered))
                pending[id(parent)] = len(parent.children)
            else:
                item.loose.append(block)
            body.append((block, item))
            continue
        key = _key(block)
        if key is None:
            stack[-1].loose.append(block)
            body.append((block, stack[-1]))
            continue
        keys = [n.key for n in stack]
        if key in keys:
            del stack[keys.index(key) :]
        parent = stack[-1]
        assert block.marker is not None
        node = Node(paragraph=block, key=key, label=block.marker.label, parent=parent)
        if key in ("paren",):
            node.label = f"({block.marker.label})"
        parent.children.append(node)
        stack.append(node)
        body.append((block, node))
    return Outline(header=list(blocks[:start]), root=root, body=body, title_index=title_index)


def _implicit_assignment(block: Paragraph, stack: list[Node]) -> bool:
    """An unlabelled assignment of the item being read: "Phòng Kinh tế chủ trì, phối hợp với …"."""
    marker = block.marker
    if marker is not None:
        after_bullets = stack[-1].is_bullet and stack[-1].key != marker.kind
        if not (marker.kind.startswith("bullet") and after_bullets):
            return False
    item = next((n for n in reversed(stack) if not n.is_bullet), None)
    if item is None or item.paragraph is None or item.kind != "content":
        return False
    if item.key in ("roman", "letter") or item.own_kind is not None:
        return False  # under a section heading, not under an item: no item to assign
    m = _LEAD_CLAUSE.match(block.body)
    return m is not None and looks_like_agency(m.group("subject"))


def walk(node: Node) -> list[Node]:
    """``node`` and all its descendants, depth first, in document order."""
    out = [node]
    for child in node.children:
        out.extend(walk(child))
    return out
