"""Command line: ``giamngheo classify | measure | synth | standards | plan parse``.

Messages for people are Vietnamese; the log (stderr, ``--verbose``) is English. On bad input the
command prints a per-row error report (row, column, value, message), writes nothing, and exits with 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import polars as pl

from giamngheo.planning.parsing.model import PlanDraft, Timeframe
from giamngheo.planning.parsing.reader import PlanReadError
from giamngheo.standards import (
    FactsError,
    Standard,
    StandardError,
    evaluate,
    get_standard,
    list_standards,
    standard_for,
)
from giamngheo.tables import TableError, read_table, write_table

log = logging.getLogger("giamngheo.cli")

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
#: Rows of the error report printed on the terminal; the full report goes to --errors.
SHOWN_ERRORS = 50


def _standard(args: argparse.Namespace) -> Standard:
    if args.standard:
        return get_standard(args.standard)
    day = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    return standard_for(day, args.province)


def _read_facts(args: argparse.Namespace) -> tuple[pl.DataFrame, pl.DataFrame]:
    households = read_table(Path(args.households), sheet="households")
    members = read_table(Path(args.members), sheet="members")
    return households, members


def _print_errors(error: FactsError, errors_path: str | None) -> None:
    report = error.errors
    print(
        f"Dữ liệu đầu vào có {report.height} lỗi; không ghi tệp kết quả. "
        "(Dòng = số thứ tự dòng dữ liệu, dòng 1 là dòng ngay dưới tiêu đề.)",
        file=sys.stderr,
    )
    shown = report.head(SHOWN_ERRORS)
    for row in shown.iter_rows(named=True):
        where = f"{row['frame']}, dòng {row['row']}" if row["row"] is not None else row["frame"]
        value = "" if row["value"] is None else f" = “{row['value']}”"
        print(f"  [{where}] cột {row['column']}{value}: {row['message_vi']}", file=sys.stderr)
    if report.height > SHOWN_ERRORS:
        print(f"  … và {report.height - SHOWN_ERRORS} lỗi khác.", file=sys.stderr)
    if errors_path:
        write_table(report, Path(errors_path), sheet="loi")
        print(f"Báo cáo lỗi đầy đủ: {errors_path}", file=sys.stderr)
    log.warning("input rejected: %d invalid values; first: %s", report.height, report.row(0, named=True))


def cmd_classify(args: argparse.Namespace) -> int:
    standard = _standard(args)
    households, members = _read_facts(args)
    results = evaluate(households, members, standard, basis=args.basis)
    results = results.with_columns(pl.lit(standard.id).alias("standard"))
    write_table(results, Path(args.out))
    counts = results.group_by("class").len().sort("class")
    summary = ", ".join(f"{r['class']}: {r['len']:,}".replace(",", ".") for r in counts.iter_rows(named=True))
    print(f"Đã phân loại {results.height:,} hộ theo chuẩn {standard.id} → {args.out}".replace(",", "."))
    print(f"  {summary}")
    return EXIT_OK


def cmd_measure(args: argparse.Namespace) -> int:
    from giamngheo.measures import alkire_foster, household_rates

    standard = _standard(args)
    households, members = _read_facts(args)
    by = [c.strip() for c in args.by.split(",") if c.strip()] if args.by else []
    unknown = [c for c in by if c not in households.columns]
    if unknown:
        print(f"Cột nhóm không có trong tệp hộ: {', '.join(unknown)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    results = evaluate(households, members, standard, basis=args.basis)
    results = results.with_columns(pl.col(c).cast(pl.String) for c in by)
    rates = household_rates(results, by=by or None)
    dep_columns = [f"dep_{i}" for i in standard.indicator_ids]
    complete = results.filter(pl.col("class") != "incomplete")
    k = args.k if args.k is not None else float(standard.poor_min_deprivations)
    af = alkire_foster(complete, dict.fromkeys(dep_columns, 1.0), k, by=by or None)
    if by and af.groups is not None:
        af_columns = af.groups.select(
            *by,
            pl.col("H").alias("af_H"),
            pl.col("A").alias("af_A"),
            pl.col("M0").alias("af_M0"),
            *[pl.col(f"ch_{c}").alias(f"af_ch_{c.removeprefix('dep_')}") for c in dep_columns],
        )
        table = rates.join(af_columns, on=by, how="left", nulls_equal=True)
    else:
        table = rates.with_columns(
            pl.lit(af.H).alias("af_H"),
            pl.lit(af.A).alias("af_A"),
            pl.lit(af.M0).alias("af_M0"),
            *[pl.lit(af.censored_headcount[c]).alias(f"af_ch_{c.removeprefix('dep_')}") for c in dep_columns],
        )
    table = table.with_columns(pl.lit(standard.id).alias("standard"), pl.lit(k).alias("af_k"))
    write_table(table, Path(args.out))
    print(
        f"Đã tính tỷ lệ hộ nghèo, cận nghèo và chỉ số Alkire-Foster (k = {k:g}) cho {table.height} nhóm "
        f"theo chuẩn {standard.id} → {args.out}"
    )
    print("  Hộ thiếu thông tin (incomplete) được tính vào mẫu số tỷ lệ, không tính vào Alkire-Foster.")
    return EXIT_OK


def cmd_synth(args: argparse.Namespace) -> int:
    from giamngheo.synth import generate

    provinces = [p.strip() for p in args.provinces.split(",")] if args.provinces else None
    summary = generate(args.households, args.seed, Path(args.out), province_codes=provinces, fmt=args.format)
    print(f"Đã tạo dữ liệu tổng hợp: {summary}")
    return EXIT_OK


def cmd_standards(args: argparse.Namespace) -> int:
    for s in list_standards():
        lines = ", ".join(
            f"{area} {s.lines[area].poverty_monthly:,.0f} đ/người/tháng".replace(",", ".")
            for area in ("rural", "urban")
        )
        period = f"{s.valid_from:%d/%m/%Y}–{s.valid_to:%d/%m/%Y}"
        provinces = f" (tỉnh {', '.join(s.province_codes)})" if s.province_codes else ""
        print(f"{s.id:<20} {period}{provinces}  {s.title_vi}")
        print(
            f"{'':<20} {lines}; {len(s.indicators)} chỉ số; nghèo khi thiếu hụt ≥ {s.poor_min_deprivations}"
        )
        if s.unconfirmed:
            print(f"{'':<20} chưa xác nhận: {', '.join(s.unconfirmed)}")
    return EXIT_OK


_TARGET_KINDS_VI = {
    "poor_rate_reduction": "Giảm tỷ lệ hộ nghèo",
    "near_poor_rate_reduction": "Giảm tỷ lệ hộ cận nghèo",
    "poor_households_reduction": "Giảm số hộ nghèo",
    "near_poor_households_reduction": "Giảm số hộ cận nghèo",
    "end_rate": "Tỷ lệ cuối kỳ",
    "coverage": "Tỷ lệ bao phủ",
    "income": "Thu nhập",
    "other_percent": "Chỉ tiêu khác",
    "other_count": "Chỉ tiêu khác",
}
_UNITS_VI = {
    "points": "điểm %",
    "percent": "%",
    "households": "hộ",
    "persons": "người",
    "million_vnd": "triệu đồng",
}
_BOUNDS_VI = {"at_least": "trên ", "at_most": "dưới "}
_SOURCES_VI = {
    "central": "Ngân sách trung ương",
    "local": "Ngân sách địa phương",
    "oda_ngo": "Vốn ODA, viện trợ phi chính phủ",
    "community": "Huy động cộng đồng, doanh nghiệp",
    "credit": "Tín dụng Ngân hàng Chính sách xã hội",
    "other": "Nguồn khác",
}
#: Characters of a task's text shown in the summary.
SHOWN_TASK_TEXT = 110


def _vn(value: Decimal) -> str:
    """A number the Vietnamese way: 5.440.412 and 1,5."""
    whole, _, fraction = f"{abs(value):f}".partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return ("-" if value < 0 else "") + grouped + (f",{fraction}" if fraction else "")


def _when(t: Timeframe) -> str:
    day_month = "/".join(f"{x:02d}" for x in (t.day, t.month) if x is not None)
    if t.kind == "continuous":
        return "thường xuyên"
    if t.kind == "annual":
        if t.day is not None:
            return f"hằng năm, ngày {day_month}"
        return f"hằng năm, tháng {t.month}" if t.month else "hằng năm"
    if t.kind == "periodic":
        return f"định kỳ {t.every_months} tháng"
    if t.kind == "dated":
        if t.quarter is not None:
            return f"quý {t.quarter}" + (f"/{t.year}" if t.year else "")
        parts = [f"ngày {day_month}" if t.day else f"tháng {t.month:02d}" if t.month else ""]
        return " ".join(p for p in (*parts, f"năm {t.year}" if t.year else "") if p)
    return "chưa rõ"


def _plan_summary(draft: PlanDraft) -> list[str]:
    """A readable Vietnamese summary of a parsed plan."""
    out = [f"Kế hoạch: {draft.title or '—'}"]
    issued = f"{draft.issued_on:%d/%m/%Y}" if draft.issued_on else "—"
    out.append(
        f"Số: {draft.number or '—'}; ngày ban hành: {issued}; cơ quan ban hành: {draft.issuer or '—'}; "
        f"địa bàn: {draft.unit_name or '—'}"
    )
    if draft.period_start or draft.period_end:
        out.append(f"Thời kỳ: {draft.period_start or '…'}–{draft.period_end or '…'}")
    if draft.basis:
        out.append(f"Căn cứ ({len(draft.basis)}): " + "; ".join(f"{a.kind} {a.number}" for a in draft.basis))
    out.append(f"Chỉ tiêu ({len(draft.targets)}):")
    for t in draft.targets:
        value = _vn(t.value) + (f"–{_vn(t.value_max)}" if t.value_max is not None else "")
        what = _TARGET_KINDS_VI[t.kind] + (f" ({t.subject})" if t.subject else "")
        where = f" — {t.scope}" if t.scope else ""
        when = f" (năm {t.year})" if t.year else ""
        per_year = "/năm" if t.per_year else ""
        out.append(
            f"  [dòng {t.source_line}] {what}{where}: {_BOUNDS_VI.get(t.bound or '', '')}{value}"
            f"{'' if t.unit == 'percent' else ' '}{_UNITS_VI[t.unit]}{per_year}{when}"
        )
    out.append(f"Nhiệm vụ ({len(draft.tasks)}):")
    for task in draft.tasks:
        lead = ", ".join(a.name for a in task.lead_agencies) or "—"
        coordinating = ", ".join(a.name for a in task.coordinating_agencies) or "—"
        out.append(
            f"  [{task.section}, dòng {task.source_line}] Chủ trì: {lead}; phối hợp: {coordinating}; "
            f"thời gian: {_when(task.timeframe)}"
        )
        text = task.text if len(task.text) <= SHOWN_TASK_TEXT else task.text[: SHOWN_TASK_TEXT - 1] + "…"
        out.append(f"      {text}")
    out.append(f"Thời hạn báo cáo ({len(draft.deadlines)}):")
    for d in draft.deadlines:
        when = _when(Timeframe(d.kind, month=d.month, day=d.day, year=d.year, every_months=d.every_months))
        out.append(f"  [dòng {d.source_line}] {when}: {d.text}")
    total = (
        f"; tổng {_vn(draft.funding_total_million_vnd)} triệu đồng"
        if draft.funding_total_million_vnd is not None
        else ""
    )
    out.append(f"Kinh phí ({len(draft.funding)} nguồn{total}):")
    for f in draft.funding:
        amount = _vn(f.amount_million_vnd)
        out.append(f"  [dòng {f.source_line}] {_SOURCES_VI[f.source]}: {amount} triệu đồng ({f.label})")
    out.append("Đây là bản đọc tự động, cần được người kiểm tra đối chiếu với văn bản trước khi sử dụng.")
    return out


def cmd_plan_parse(args: argparse.Namespace) -> int:
    from giamngheo.planning.parsing import draft_as_json, parse_plan, read_plan_file

    draft = parse_plan(read_plan_file(args.file))
    log.info(
        "plan parsed: %s targets, %s tasks, %s deadlines, %s funding lines",
        len(draft.targets),
        len(draft.tasks),
        len(draft.deadlines),
        len(draft.funding),
    )
    if args.json:
        print(json.dumps(draft_as_json(draft), ensure_ascii=False, indent=2))
    else:
        print("\n".join(_plan_summary(draft)))
    return EXIT_OK


def _facts_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--households", required=True, help="tệp hộ / household facts (.csv, .parquet, .xlsx)"
    )
    parser.add_argument("--members", required=True, help="tệp thành viên / member facts")
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--standard", help="mã chuẩn nghèo, ví dụ vn-2022-2025")
    choice.add_argument("--date", help="ngày rà soát YYYY-MM-DD: chọn chuẩn đang có hiệu lực")
    parser.add_argument("--province", help="mã tỉnh (chuẩn địa phương nếu có), dùng với --date")
    parser.add_argument("--basis", choices=("income", "score"), default="income", help="thu nhập hoặc điểm A")
    parser.add_argument("--out", required=True, help="tệp kết quả (.csv, .parquet, .xlsx)")
    parser.add_argument("--errors", help="ghi báo cáo lỗi đầy đủ ra tệp này khi dữ liệu có lỗi")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="giamngheo", description="Quản lý giảm nghèo bền vững — giamngheo")
    parser.add_argument("-v", "--verbose", action="store_true", help="ghi nhật ký (tiếng Anh) ra stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    classify = sub.add_parser("classify", help="phân loại hộ theo chuẩn nghèo / classify households")
    _facts_arguments(classify)
    classify.set_defaults(handler=cmd_classify)

    measure = sub.add_parser("measure", help="tỷ lệ hộ nghèo và Alkire-Foster theo nhóm / rates and AF")
    _facts_arguments(measure)
    measure.add_argument("--by", default="", help="cột nhóm, cách nhau bằng dấu phẩy, ví dụ commune_code")
    measure.add_argument("--k", type=float, help="ngưỡng k của Alkire-Foster (mặc định theo chuẩn)")
    measure.set_defaults(handler=cmd_measure)

    synth = sub.add_parser("synth", help="tạo dân số tổng hợp / synthetic population")
    synth.add_argument("--households", type=int, required=True)
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--out", required=True, help="thư mục kết quả")
    synth.add_argument("--provinces", help="mã tỉnh, cách nhau bằng dấu phẩy (mặc định: cả nước)")
    synth.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    synth.set_defaults(handler=cmd_synth)

    standards = sub.add_parser("standards", help="liệt kê các chuẩn nghèo / list the standards")
    standards.set_defaults(handler=cmd_standards)

    plan = sub.add_parser("plan", help="kế hoạch giảm nghèo / poverty-reduction plans")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    plan_parse = plan_sub.add_parser(
        "parse", help="đọc chỉ tiêu, nhiệm vụ, thời hạn, kinh phí từ văn bản kế hoạch / parse a plan"
    )
    plan_parse.add_argument("file", help="tệp kế hoạch (.txt, .md, .docx)")
    plan_parse.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    plan_parse.set_defaults(handler=cmd_plan_parse)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s"
    )
    try:
        return int(args.handler(args))
    except FactsError as error:
        _print_errors(error, getattr(args, "errors", None))
        return EXIT_BAD_INPUT
    except (StandardError, TableError, PlanReadError) as error:
        print(f"Lỗi: {error.message_vi}", file=sys.stderr)
        log.warning("%s", error)
        return EXIT_BAD_INPUT
    except ValueError as error:  # e.g. a malformed --date
        print(f"Lỗi: giá trị không hợp lệ ({error})", file=sys.stderr)
        log.warning("bad argument: %s", error)
        return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
