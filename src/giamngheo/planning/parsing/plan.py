"""Parse a whole plan: :func:`parse_plan` (text → :class:`~.model.PlanDraft`) and :func:`draft_as_json`."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any, Final

from giamngheo.planning.parsing.funding import funding_in_paragraph, funding_in_table
from giamngheo.planning.parsing.header import read_header
from giamngheo.planning.parsing.model import (
    AgencyRef,
    Deadline,
    DeadlineKind,
    FundingLine,
    PlanDraft,
    Target,
    Timeframe,
)
from giamngheo.planning.parsing.outline import Node, Outline, build_outline
from giamngheo.planning.parsing.targets import (
    Context,
    Period,
    heading_period,
    lead_in_context,
    targets_in_paragraph,
    targets_in_table,
)
from giamngheo.planning.parsing.tasks import extract_tasks
from giamngheo.planning.parsing.text import Block, Paragraph, Table, split_blocks
from giamngheo.planning.parsing.timeframes import find_times

_REPORT: Final = re.compile(r"(?<![\w])(?:báo\s+cáo|gửi|nộp)(?![\w])", re.IGNORECASE)
_CLAUSE_END: Final = re.compile(r";|(?<=[.!?])\s+(?=[A-ZĐ])")
_SKIPPED_KINDS: Final = ("situation", "purpose")
_HEADING_KEYS: Final = ("roman", "letter", "num1", "num2", "num3", "paren")


def _clauses(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    start = 0
    for m in _CLAUSE_END.finditer(text):
        out.append((start, text[start : m.start()]))
        start = m.end()
    out.append((start, text[start:]))
    return [(s, c) for s, c in out if c.strip()]


def deadlines_in_paragraph(paragraph: Paragraph) -> list[Deadline]:
    """Reporting deadlines: a clause that asks for a report (báo cáo, gửi, nộp) and gives a date."""
    deadlines = []
    for start, clause in _clauses(paragraph.text):
        if not _REPORT.search(clause):
            continue
        for found in find_times(clause):
            t = found.timeframe
            kind: DeadlineKind
            if t.kind == "annual" or t.kind == "periodic" or t.kind == "dated":
                kind = t.kind
            else:
                continue
            deadlines.append(
                Deadline(
                    text=" ".join(clause.split()),
                    kind=kind,
                    month=t.month,
                    day=t.day,
                    every_months=t.every_months,
                    year=t.year,
                    source_line=paragraph.line_at(start + found.start),
                )
            )
    return deadlines


def _is_list_item(paragraph: Paragraph) -> bool:
    return paragraph.marker is not None and (
        paragraph.marker.kind.startswith("bullet") or paragraph.marker.kind == "lower"
    )


def _heading_period(block: Block, node: Node, cache: dict[int, Period | None]) -> Period | None:
    """The period named by the closest heading above ``block`` ("3. Chỉ tiêu năm 2026")."""
    current: Node | None = node
    while current is not None and current.paragraph is not None:
        if current.paragraph is not block and current.key in _HEADING_KEYS:
            if id(current) not in cache:
                cache[id(current)] = heading_period(current.paragraph.body)
            found = cache[id(current)]
            if found is not None:
                return found
        current = current.parent
    return None


def _body_items(
    outline: Outline, plan_period: Period
) -> tuple[list[Target], list[Deadline], list[FundingLine], Decimal | None]:
    """Targets, deadlines and funding of the body. When the plan has a section on funding (Kinh phí,
    Nguồn vốn) with funding lines, the lines are read from there only: amounts given with tasks
    elsewhere ("Kinh phí: 180 triệu đồng") are parts of them, not more money. Its total, if it states
    one, is the plan's."""
    targets: list[Target] = []
    deadlines: list[Deadline] = []
    funding: dict[bool, list[FundingLine]] = {True: [], False: []}  # in a funding section or not
    totals: dict[bool, Decimal | None] = {True: None, False: None}
    list_context: Context | None = None
    headings: dict[int, Period | None] = {}
    for block, node in outline.body:
        kind = node.kind
        if kind in _SKIPPED_KINDS:
            list_context = None
            continue
        year, year_from, year_to = _heading_period(block, node, headings) or plan_period
        base = Context(year=year, in_targets=kind == "targets", year_from=year_from, year_to=year_to)
        section = kind == "funding"
        if isinstance(block, Table):
            lines, table_total = funding_in_table(block)
            if lines or table_total is not None:
                funding[section].extend(lines)
                totals[section] = totals[section] if totals[section] is not None else table_total
            elif not any("chủ trì" in cell.lower() for row in block.rows[:2] for cell in row):
                targets.extend(targets_in_table(block, base))
            continue
        item = _is_list_item(block)
        context = list_context if item and list_context is not None else base
        targets.extend(targets_in_paragraph(block, context))
        deadlines.extend(deadlines_in_paragraph(block))
        lines, paragraph_total = funding_in_paragraph(block)
        funding[section].extend(lines)
        totals[section] = totals[section] if totals[section] is not None else paragraph_total
        if not item:
            ends_list = block.text.rstrip().endswith(":") or "như sau" in block.text[-40:]
            list_context = lead_in_context(block.text, base.in_targets) if ends_list else None
            if list_context is not None and list_context.period == (None, None, None):
                list_context = replace(list_context, year=year, year_from=year_from, year_to=year_to)
    total = totals[True] if totals[True] is not None else totals[False]
    return targets, deadlines, funding[True] or funding[False], total


def parse_plan(text: str) -> PlanDraft:
    """Read a plan's header, targets, tasks, reporting deadlines and funding from its text.

    Rule-based and offline; see the package README for what is recognised. The result is a draft for
    a person to check: every item keeps its text and line.
    """
    blocks = split_blocks(text)
    outline = build_outline(blocks)
    header = read_header(outline, blocks)
    start, end = header.period_start, header.period_end
    plan_period: Period = (None, None, None)
    if start is not None and start == end:
        plan_period = (start, start, start)
    elif start is not None and end is not None and start < end:
        plan_period = (None, start, end)  # a target of a plan for several years is for all of them
    targets, deadlines, funding, total = _body_items(outline, plan_period)
    return PlanDraft(
        title=header.title,
        number=header.number,
        issued_on=header.issued_on,
        issuer=header.issuer,
        basis=header.basis,
        period_start=header.period_start,
        period_end=header.period_end,
        targets=tuple(targets),
        tasks=tuple(extract_tasks(outline)),
        deadlines=tuple(deadlines),
        funding=tuple(funding),
        unit_name=header.unit_name,
        funding_total_million_vnd=total,
    )


# --- JSON ---------------------------------------------------------------------------------------------


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _names(agencies: tuple[AgencyRef, ...]) -> list[str]:
    return [a.name for a in agencies]


def _timeframe(t: Timeframe) -> dict[str, Any]:
    return {
        "kind": t.kind,
        "month": t.month,
        "day": t.day,
        "year": t.year,
        "every_months": t.every_months,
        "quarter": t.quarter,
        "text": t.text,
    }


def draft_as_json(draft: PlanDraft) -> dict[str, Any]:
    """The draft as plain JSON data; agencies as their display names, amounts as numbers."""
    return {
        "title": draft.title,
        "number": draft.number,
        "issued_on": draft.issued_on.isoformat() if draft.issued_on else None,
        "issuer": draft.issuer,
        "unit_name": draft.unit_name,
        "period_start": draft.period_start,
        "period_end": draft.period_end,
        "basis": [
            {
                "kind": a.kind,
                "number": a.number,
                "issued_on": a.issued_on.isoformat() if a.issued_on else None,
                "issuer": a.issuer,
                "text": a.text,
                "source_line": a.source_line,
            }
            for a in draft.basis
        ],
        "targets": [
            {
                "text": t.text,
                "kind": t.kind,
                "value": _number(t.value),
                "value_max": _number(t.value_max),
                "unit": t.unit,
                "bound": t.bound,
                "per_year": t.per_year,
                "scope": t.scope,
                "subject": t.subject,
                "year": t.year,
                "year_from": t.year_from,
                "year_to": t.year_to,
                "source_line": t.source_line,
            }
            for t in draft.targets
        ],
        "tasks": [
            {
                "text": t.text,
                "lead_agencies": _names(t.lead_agencies),
                "coordinating_agencies": _names(t.coordinating_agencies),
                "timeframe": _timeframe(t.timeframe),
                "section": t.section,
                "style": t.style,
                "assignment": t.assignment,
                "assignment_line": t.assignment_line,
                "product": t.product,
                "lead_inherited": t.lead_inherited,
                "source_line": t.source_line,
            }
            for t in draft.tasks
        ],
        "deadlines": [
            {
                "text": d.text,
                "kind": d.kind,
                "month": d.month,
                "day": d.day,
                "every_months": d.every_months,
                "year": d.year,
                "source_line": d.source_line,
            }
            for d in draft.deadlines
        ],
        "funding": [
            {
                "source": f.source,
                "label": f.label,
                "amount_million_vnd": _number(f.amount_million_vnd),
                "year": f.year,
                "row_total_million_vnd": _number(f.row_total_million_vnd),
                "source_line": f.source_line,
            }
            for f in draft.funding
        ],
        "funding_total_million_vnd": _number(draft.funding_total_million_vnd),
    }
