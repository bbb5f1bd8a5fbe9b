"""Tasks (nhiệm vụ) with lead agency (chủ trì), coordinating agencies (phối hợp) and timeframe.

Styles recognised:

- **assignment** — numbered items followed by "* Phân công thực hiện: <A> chủ trì, phối hợp với <B>,
  <C> và các đơn vị liên quan triển khai thực hiện <timeframe>", or by the same sentence without a label
  (:mod:`.outline` decides which paragraphs are assignments); the assignment covers every item of the
  same parent since the previous assignment (one task per item);
- **labelled** — "Cơ quan chủ trì: …", "Cơ quan phối hợp: …", "Thời gian thực hiện: …", "Sản phẩm: …"
  under an item (as bullets, loose lines or inline after ";");
- **responsibility** — an item of "Tổ chức thực hiện" that starts with agencies ("1. Sở Lao động -
  TB&XH: chủ trì …", "Giao Phòng … làm đầu mối …", "Đề nghị Ủy ban MTTQ …: …"): those agencies lead its
  sentences; when the item has bullets, each bullet is a task;
- **schedule** — an item of "Tiến độ thực hiện" ("Tháng 5-12/2019, cấp ủy … triển khai …"); an item with
  no subject of its own takes the lead of the previous one (``lead_inherited``);
- **table** — a table with a "chủ trì" column;
- **inline** — an item elsewhere whose own text, or each of whose bullets, says "<A> chủ trì …".

In a clause, the lead is the subject before "chủ trì" / "phối hợp" / the first verb when it names
agencies; the coordinating agencies follow "phối hợp với" up to the next verb.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Final

from giamngheo.planning.parsing.agencies import alias_spans, looks_like_agency, split_agencies, starts_agency
from giamngheo.planning.parsing.model import UNSPECIFIED, AgencyRef, Task, TaskStyle, Timeframe
from giamngheo.planning.parsing.outline import ASSIGNMENT_LABEL, Node, Outline, walk
from giamngheo.planning.parsing.text import Table, fold
from giamngheo.planning.parsing.timeframes import leading_time, timeframe_of

_PREDICATES: Final = (
    "chủ trì",
    "phối hợp",
    "triển khai",
    "thực hiện",
    "tổ chức",
    "tham mưu",
    "chỉ đạo",
    "hướng dẫn",
    "chịu trách nhiệm",
    "có trách nhiệm",
    "làm đầu mối",
    "là đầu mối",
    "là cơ quan",
    "là đơn vị",
    "theo dõi",
    "xây dựng",
    "tăng cường",
    "nghiên cứu",
    "tham gia",
    "kiểm tra",
    "giám sát",
    "tuyên truyền",
    "rà soát",
    "căn cứ",
    "cân đối",
    "bố trí",
    "đảm bảo",
    "bảo đảm",
    "đẩy mạnh",
    "tiếp tục",
    "chủ động",
    "phê duyệt",
    "ban hành",
    "thành lập",
    "tổng hợp",
    "báo cáo",
    "đôn đốc",
    "vận động",
    "quản lý",
    "cung cấp",
    "hỗ trợ",
    "giải quyết",
    "thẩm định",
    "lồng ghép",
    "nâng cao",
    "phổ biến",
    "quán triệt",
    "thống kê",
    "cập nhật",
    "theo chức năng",
    "trong phạm vi",
    "được",
    "đề xuất",
    "phân bổ",
    "huy động",
    "khẩn trương",
    "trực tiếp",
    "thường xuyên",
    "định kỳ",
    "hằng năm",
    "hàng năm",
    "trong",
    "vào",
    "để",
    "nhằm",
    "theo",
    "khi",
    "trước",
    "từ",
    "sau khi",
    "cụ thể",
    "gồm",
    "thực thi",
    "giúp",
    "tiếp nhận",
    "nắm",
    "phụ trách",
    "đưa",
    "đánh giá",
    "định hướng",
    "giải ngân",
    "tập huấn",
    "kiện toàn",
    "sơ kết",
    "tổng kết",
    "ưu tiên",
    "thúc đẩy",
    "củng cố",
    "chuẩn bị",
    "công bố",
    "nghiệm thu",
    "bàn giao",
    "xác định",
    "kịp thời",
    "hoàn thành",
    "tích cực",
    "tạo điều kiện",
    "phát động",
    "biểu dương",
)
_PREDICATE = re.compile(r"(?<![\w])(?<!các )(?:" + "|".join(re.escape(p) for p in _PREDICATES) + r")(?![\w])")
_PREDICATE_START = re.compile(
    r"^(?:" + "|".join(re.escape(p) for p in _PREDICATES) + r")(?![\w])", re.IGNORECASE
)
_REQUEST = re.compile(
    r"^(?:giao(?:\s+nhiệm vụ)?(?:\s+cho)?|kính\s+đề\s+nghị|đề\s+nghị|yêu\s+cầu|ủy\s+quyền(?:\s+cho)?)\s+",
    re.IGNORECASE,
)
_COORDINATE = re.compile(
    r"(?P<of>(?:với\s+)?sự\s+phối\s+hợp\s+(?:chặt\s+chẽ\s+)?của\s+)|phối\s+hợp(?:\s+chặt\s+chẽ)?(?P<with>\s+với|\s+cùng)?\s+",
    re.IGNORECASE,
)
_LEAD_WORD = re.compile(r"(?<![\w])chủ\s+trì(?![\w])", re.IGNORECASE)
_DIRECT = re.compile(r"^chỉ\s+đạo\s+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n")
_LABEL = re.compile(
    r"(?P<label>(?:cơ quan|đơn vị|bộ phận|người)\s+chủ\s+trì|(?:cơ quan|đơn vị|bộ phận)\s+phối\s+hợp|"
    r"thời\s+gian(?:\s+thực\s+hiện|\s+hoàn\s+thành)?|thời\s+hạn(?:\s+hoàn\s+thành)?|tiến\s+độ(?:\s+thực\s+hiện)?|"
    r"(?<![\w])chủ\s+trì|(?<![\w])phối\s+hợp|nhiệm\s+vụ|nội\s+dung|kết\s+quả|sản\s+phẩm)\s*:\s*",
    re.IGNORECASE,
)
_TRIM = " \t,.;:-–"


@dataclass(frozen=True, slots=True)
class Assignment:
    lead: tuple[AgencyRef, ...]
    coordinating: tuple[AgencyRef, ...]


def sentences(text: str) -> list[str]:
    """Split on ". " (or "!", "?") before a capital letter, and on line breaks."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group(0) == "\n" or (m.end() < len(text) and text[m.end()].isupper()):
            out.append(text[start : m.start()])
            start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]


def _clean_clause(clause: str) -> str:
    clause = ASSIGNMENT_LABEL.sub("", clause.strip()).strip()
    clause = clause.lstrip("*-+•– ").strip()
    lead = leading_time(clause)
    if lead is not None:
        clause = clause[lead.end :].lstrip(" ,:")
    clause = _REQUEST.sub("", clause).strip()
    if _DIRECT.match(clause) and _LEAD_WORD.search(clause):
        clause = _DIRECT.sub("", clause)  # "Chỉ đạo Phòng … chủ trì, …": the office directed leads
    return clause


def _first_predicate(text: str) -> int | None:
    """Offset of the first verb that ends a subject or a list of agencies (never inside a name)."""
    if _PREDICATE_START.match(text):
        return 0
    # A verb inside a capitalised name ("Sở Xây dựng", "Ban Chỉ đạo", "Ban Tổ chức") is part of the name.
    spans = [(s, e) for s, e in alias_spans(text) if text[s].isupper()]
    for m in _PREDICATE.finditer(text):
        if not any(start <= m.start() < end for start, end in spans):
            return m.start()
    return None


def _cut(segment: str) -> str:
    """A list of agencies at the start of ``segment``: up to the first verb or clause punctuation."""
    end = len(segment)
    predicate = _first_predicate(segment)
    if predicate is not None:
        end = predicate
    for stop in (".", ":", "\n"):
        i = segment.find(stop, 0, end)
        if i >= 0:
            end = i
    return segment[:end]


def analyse_assignment(text: str, *, inherited: tuple[AgencyRef, ...] = ()) -> Assignment:
    """Lead and coordinating agencies of an assignment text; ``inherited`` leads when it names none.

    >>> a = analyse_assignment("Phòng LĐ-TB&XH chủ trì, phối hợp với các đơn vị liên quan, Ủy ban nhân dân "
    ...                        "các xã, thị trấn triển khai thực hiện thường xuyên.")
    >>> [x.name for x in a.lead], [x.name for x in a.coordinating]
    (['Phòng Lao động - Thương binh và Xã hội'], ['Ủy ban nhân dân cấp xã'])
    """
    leads: list[AgencyRef] = []
    coords: list[AgencyRef] = []
    for sentence in sentences(text):
        for raw_clause in sentence.split(";"):
            clause = _clean_clause(raw_clause)
            if not clause:
                continue
            for m in _COORDINATE.finditer(clause):
                rest = clause[m.end() :]
                if m.group("of") or m.group("with") or starts_agency(rest):
                    coords.extend(split_agencies(_cut(rest), role="coordinating"))
            end = len(clause)
            colon = clause.find(":")
            if 0 <= colon < 200:
                end = colon
            for pattern in (_LEAD_WORD, _COORDINATE):
                found = pattern.search(clause)
                if found:
                    end = min(end, found.start())
            predicate = _first_predicate(clause[:end])
            if predicate is not None:
                end = predicate
            subject = clause[:end].strip(_TRIM)
            if subject and looks_like_agency(subject):
                leads.extend(split_agencies(subject, role="lead"))
    lead = _unique(leads) or inherited
    names = {a.name for a in lead}
    return Assignment(tuple(lead), tuple(a for a in _unique(coords) if a.name not in names))


def _unique(refs: list[AgencyRef] | tuple[AgencyRef, ...]) -> tuple[AgencyRef, ...]:
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.name not in seen:
            seen.add(ref.name)
            out.append(ref)
    return tuple(out)


def _head_words(text: str) -> int:
    """How many words follow the item's head agencies (the item's own content)."""
    clause = _clean_clause(text.split(";")[0])
    colon = clause.find(":")
    end = colon if 0 <= colon < 200 else None
    predicate = _first_predicate(clause)
    if end is None:
        end = predicate if predicate is not None else len(clause)
    return len(clause[end:].strip(_TRIM).split())


# --- Labelled blocks -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Labelled:
    content: str
    lead: str
    coordinating: str
    time: str
    product: str = ""


def _labelled(text: str) -> _Labelled | None:
    """Read "Cơ quan chủ trì: …; Cơ quan phối hợp: …; Thời gian thực hiện: …" from ``text``."""
    matches = list(_LABEL.finditer(text))
    if not any("chu tri" in fold(m.group("label")) for m in matches):
        return None
    content = text[: matches[0].start()].strip(_TRIM + "\n") if matches else text
    values: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        label = " ".join(fold(m.group("label")).split())
        value = text[m.end() : end].strip(_TRIM + "\n")
        if "chu tri" in label:
            values.setdefault("lead", value)
        elif "phoi hop" in label:
            values.setdefault("coordinating", value)
        elif label.startswith(("thoi gian", "thoi han", "tien do")):
            values.setdefault("time", value)
        elif label in ("san pham", "ket qua"):
            values.setdefault("product", value)
        elif label in ("nhiem vu", "noi dung") and not content:
            content = value
    return _Labelled(
        content,
        values.get("lead", ""),
        values.get("coordinating", ""),
        values.get("time", ""),
        values.get("product", ""),
    )


# --- Building tasks --------------------------------------------------------------------------------


def _task(
    node: Node,
    text: str,
    assignment: Assignment,
    timeframe: Timeframe,
    style: TaskStyle,
    *,
    line: int | None = None,
    assignment_text: str = "",
    assignment_line: int | None = None,
    product: str = "",
) -> Task:
    assert node.paragraph is not None
    return Task(
        text=" ".join(text.split()),
        lead_agencies=assignment.lead,
        coordinating_agencies=assignment.coordinating,
        timeframe=timeframe,
        section=node.path,
        source_line=line if line is not None else node.paragraph.line,
        style=style,
        assignment=" ".join(assignment_text.split()),
        assignment_line=assignment_line,
        product=" ".join(product.split()),
    )


def _labelled_task(node: Node) -> Task | None:
    assert node.paragraph is not None
    parts = [node.paragraph.body]
    parts += [b.text_with_bullets() for b in node.bullets]
    parts += [p.text for p in node.loose]
    labelled = _labelled("\n".join(parts))
    if labelled is None:
        return None
    assignment = Assignment(
        _unique(split_agencies(_cut_label_value(labelled.lead), role="lead")),
        _unique(split_agencies(_cut_label_value(labelled.coordinating), role="coordinating")),
    )
    time = timeframe_of(labelled.time) if labelled.time else timeframe_of(labelled.content)
    product = _cut_label_value(labelled.product)
    return _task(node, labelled.content or node.paragraph.body, assignment, time, "labelled", product=product)


def _cut_label_value(value: str) -> str:
    return value.split("\n")[0].strip(_TRIM)


def _head_lead(node: Node) -> tuple[AgencyRef, ...]:
    """The agencies an item starts with ("1. Sở Lao động - TB&XH: …"), if any."""
    assert node.paragraph is not None
    first = sentences(node.paragraph.body)
    return analyse_assignment(first[0] if first else node.paragraph.body).lead


def _inherited_lead(node: Node) -> tuple[AgencyRef, ...]:
    """The lead of the closest enclosing item that names agencies, within the section."""
    parent = node.parent
    while parent is not None and parent.paragraph is not None and parent.own_kind is None:
        lead = _head_lead(parent)
        if lead:
            return lead
        parent = parent.parent
    return ()


def _responsibility_tasks(node: Node, style: TaskStyle) -> list[Task]:
    assert node.paragraph is not None
    bullets = node.bullets
    own = node.paragraph.body if bullets else node.own_text()
    head = Assignment(_head_lead(node) or _inherited_lead(node), ())
    tasks: list[Task] = []
    if not bullets or _head_words(own) >= 8:
        assignment = analyse_assignment(own, inherited=head.lead)
        tasks.append(_task(node, own, assignment, timeframe_of(own), style))
    for bullet in bullets:
        assert bullet.paragraph is not None
        text = bullet.text_with_bullets()
        assignment = analyse_assignment(text, inherited=head.lead)
        tasks.append(_task(node, text, assignment, timeframe_of(text), style, line=bullet.paragraph.line))
    return tasks


def _schedule_task(node: Node) -> Task:
    assert node.paragraph is not None
    own = node.text_with_bullets()
    lead = leading_time(own)
    time = lead.timeframe if lead is not None else timeframe_of(own)
    return _task(node, own, analyse_assignment(own), time, "schedule")


def _inline_task(node: Node, text: str | None = None, line: int | None = None) -> Task | None:
    assert node.paragraph is not None
    own = node.paragraph.body if text is None else text
    for sentence in sentences(own):
        if _LEAD_WORD.search(sentence):
            assignment = analyse_assignment(sentence)
            if assignment.lead:
                return _task(node, own, assignment, timeframe_of(sentence), "inline", line=line)
    return None


def _inline_bullet_tasks(node: Node) -> list[Task]:
    """Bullets of an item that each name their own lead ("- Phòng Kinh tế chủ trì …")."""
    tasks = []
    for bullet in node.bullets:
        assert bullet.paragraph is not None
        task = _inline_task(node, bullet.text_with_bullets(), bullet.paragraph.line)
        if task is not None:
            tasks.append(task)
    return tasks


def _table_tasks(table: Table, section: str) -> list[Task]:
    header_index = next(
        (i for i, row in enumerate(table.rows) if any("chu tri" in fold(c) for c in row)), None
    )
    if header_index is None:
        return []
    header = [" ".join(fold(c).split()) for c in table.rows[header_index]]

    def column(*words: str) -> int | None:
        return next((i for i, h in enumerate(header) if any(w in h for w in words)), None)

    lead_col = column("chu tri")
    coord_col = column("phoi hop")
    time_col = column("thoi gian", "thoi han", "tien do", "hoan thanh")
    product_col = column("san pham", "ket qua")
    content_col = column("noi dung", "nhiem vu", "cong viec", "hoat dong", "ten")
    if content_col is None:
        content_col = next(
            (
                i
                for i, h in enumerate(header)
                if i not in (lead_col, coord_col, time_col, product_col) and h not in ("tt", "stt")
            ),
            None,
        )
    tasks = []
    for row, line in zip(table.rows[header_index + 1 :], table.lines[header_index + 1 :], strict=True):

        def cell(index: int | None, row: tuple[str, ...] = row) -> str:
            return row[index] if index is not None and index < len(row) else ""

        content = cell(content_col)
        if not content or not cell(lead_col):
            continue
        assignment = Assignment(
            _unique(split_agencies(cell(lead_col), role="lead")),
            _unique(split_agencies(cell(coord_col), role="coordinating")),
        )
        time = timeframe_of(cell(time_col)) if cell(time_col) else UNSPECIFIED
        tasks.append(
            Task(
                text=content,
                lead_agencies=assignment.lead,
                coordinating_agencies=assignment.coordinating,
                timeframe=time,
                section=section,
                source_line=line,
                style="table",
                product=cell(product_col),
            )
        )
    return tasks


def extract_tasks(outline: Outline) -> list[Task]:
    """Every task of the plan, in document order."""
    tasks: list[Task] = []
    covered: set[int] = set()
    schedule_leads: dict[int, tuple[AgencyRef, ...]] = {}  # id(parent) → lead of its last schedule item
    for node in walk(outline.root):
        for paragraph, items in node.assignments:
            text = ASSIGNMENT_LABEL.sub("", paragraph.text).strip()
            assignment = analyse_assignment(text)
            timeframe = timeframe_of(text)
            for item in items:
                covered.add(id(item))
                tasks.append(
                    _task(
                        item,
                        item.text_with_bullets(),
                        assignment,
                        timeframe,
                        "assignment",
                        assignment_text=text,
                        assignment_line=paragraph.line,
                    )
                )
        for table in node.tables:
            tasks.extend(_table_tasks(table, node.path))
    for node in walk(outline.root):
        if node.paragraph is None or node.is_bullet or node.key == "appendix" or id(node) in covered:
            continue
        labelled = _labelled_task(node)
        if labelled is not None:
            tasks.append(labelled)
            continue
        kind = node.kind
        leaf = not node.numbered_children
        is_section_heading = node.own_kind is not None
        if kind == "implementation" and not is_section_heading:
            if leaf:
                tasks.extend(_responsibility_tasks(node, "responsibility"))
            elif _head_words(node.paragraph.body) >= 8:
                own = node.paragraph.body
                tasks.append(_task(node, own, analyse_assignment(own), timeframe_of(own), "responsibility"))
        elif kind == "schedule" and not is_section_heading and leaf:
            task = _schedule_task(node)
            previous = schedule_leads.get(id(node.parent))
            if not task.lead_agencies and previous:
                task = replace(task, lead_agencies=previous, lead_inherited=True)
            if task.lead_agencies:
                schedule_leads[id(node.parent)] = task.lead_agencies
            tasks.append(task)
        elif leaf and kind not in ("purpose", "situation"):
            own = node.paragraph.body
            colon = own.find(":")
            if 0 < colon < 150 and looks_like_agency(own[:colon]):
                tasks.extend(_responsibility_tasks(node, "responsibility"))
                continue
            inline = _inline_task(node)
            if inline is not None:
                tasks.append(inline)
            else:
                tasks.extend(_inline_bullet_tasks(node))
    tasks.sort(key=lambda t: t.source_line)
    return tasks
