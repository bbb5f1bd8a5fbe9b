"""The review's documents: the village Phiếu B workbook, certificates, the posting list and Excel exports.

``giamngheo.documents`` lays the documents out (framework-free); this module fills its dataclasses from
what the selectors return for a viewer, and decides what personal data goes in: dates of birth only
for the roles of ``registry.permissions.can_see_personal_ids``, never a citizen ID, and nothing
personal on the posting list. Documents are printed in Vietnamese whatever the page language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Final

import polars as pl
from django.utils import translation

from giamngheo.accounts.selectors import Viewer
from giamngheo.documents import (
    CLASS_LABELS,
    Certificate,
    CertificateMember,
    Column,
    PostingList,
    PostingRow,
    SurveyBatch,
    SurveyWorkbookError,
    TemplateHousehold,
    TemplateMember,
    certificate_pdf,
    list_xlsx,
    posting_list_pdf,
    survey_template,
)
from giamngheo.documents.survey_workbook import HOUSEHOLD_SHEET, MEMBER_SHEET
from giamngheo.geo.models import AdminUnit, Level, Village
from giamngheo.registry.birth_date import completed_years
from giamngheo.registry.models import Member
from giamngheo.registry.permissions import can_see_personal_ids
from giamngheo.review import selectors
from giamngheo.review.models import ReviewRound, RoundHousehold, RoundKind
from giamngheo.review.presentation import round_title, transition_columns
from giamngheo.review.procedure import procedure
from giamngheo.review.services import RowError
from giamngheo.standards import HOUSEHOLD_FACTS, MEMBER_FACTS, get_standard

XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE: Final = "application/pdf"
MAX_UPLOAD_BYTES: Final = 10 * 1024 * 1024
"""The largest Phiếu B workbook accepted (a village of a few thousand households is well under 1 MB)."""

_UNIT_PREFIXES: Final = ("Thành phố ", "Đặc khu ", "Thị trấn ", "Phường ", "Tỉnh ", "Xã ")
_FACT_LABELS: Final = {
    **{f.name: f.label_vi for f in (*HOUSEHOLD_FACTS, *MEMBER_FACTS)},
    "household_id": "Mã hộ",
    "household_code": "Mã hộ",
    "member_id": "Mã nhân khẩu",
}


# --- names --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Places:
    """The legal names printed on a document: "Xã Đăk Kôi", "Tỉnh Quảng Ngãi", and the short "Đăk Kôi"
    of the place-and-date line."""

    commune: str
    province: str
    place: str


def places(commune: AdminUnit) -> Places:
    """Unit names are stored with their type ("Xã Đăk Kôi"), as the official list spells them."""
    province = commune.parent
    while province is not None and province.level != Level.PROVINCE:
        province = province.parent
    if province is None:
        province = AdminUnit.objects.filter(
            level=Level.PROVINCE, generation=commune.generation, code=commune.province_code
        ).first()
    short = commune.name
    for prefix in _UNIT_PREFIXES:
        if short.startswith(prefix):
            short = short[len(prefix) :]
            break
    return Places(commune.name, province.name if province is not None else "", short)


def village_label(village: Village | None) -> str:
    return village.name if village is not None else "Hộ chưa gắn thôn"


def round_label(review_round: ReviewRound) -> str:
    with translation.override("vi"):
        return round_title(review_round)


# --- Phiếu B workbook ---------------------------------------------------------------------------


def survey_workbook(*, viewer: Viewer, review_round: ReviewRound, village: Village | None) -> bytes:
    """The Phiếu B template of one village (``documents.survey_template``), prefilled with the village's
    listed households that need a Phiếu B and their present members: age at the round's reference
    date (from the registry date of birth), sex, the household's area, and what an earlier upload or
    the form already recorded. Dates of birth only for viewers who may read them."""
    entries = [
        e
        for e in selectors.village_entries(
            viewer=viewer, review_round=review_round, village_id=village.pk if village else None
        )
        if e.needs_survey
    ]
    personal = can_see_personal_ids(viewer)
    members: dict[int, list[Member]] = {}
    for member in selectors.present_members(
        RoundHousehold.objects.filter(pk__in=[e.pk for e in entries]).values("household_id")
    ):
        members.setdefault(member.household_id, []).append(member)
    households = []
    for entry in entries:
        survey = getattr(entry, "survey", None)
        stored = {m.get("member_id"): m for m in (survey.member_facts if survey is not None else [])}
        household_facts = dict(survey.household_facts) if survey is not None else {}
        household_facts.setdefault("area", entry.household.area)
        people = []
        for member in members.get(entry.household_id, []):
            facts = {k: v for k, v in stored.get(member.pk, {}).items() if k != "member_id"}
            facts.setdefault("age", completed_years(member.date_of_birth, review_round.reference_date))
            people.append(
                TemplateMember(
                    member_id=str(member.pk),
                    full_name=member.full_name,
                    sex=facts.pop("sex", None) or member.sex or None,
                    date_of_birth=member.date_of_birth if personal else None,
                    facts=facts,
                )
            )
        households.append(
            TemplateHousehold(
                household_code=entry.household.code,
                head_name=entry.household.head.full_name if entry.household.head else "",
                address=entry.household.address,
                members=people,
                facts=household_facts,
            )
        )
    return survey_template(
        households,
        village_label=f"{village_label(village)}, {review_round.commune.name}",
        round_label=round_label(review_round),
    )  # every fact, in the paper form's order, as the Phiếu B page asks


@dataclass(frozen=True, slots=True)
class UploadError:
    """One line of the upload's error table, in the workbook's terms."""

    sheet: str
    row: int | None
    column: str
    value: str
    message: str


def workbook_errors(error: SurveyWorkbookError) -> list[UploadError]:
    """The parser's problems (``SurveyWorkbookError.errors``) as table rows."""
    return [
        UploadError(
            r["sheet"] or "",
            r["row"],
            r["column_label"] or r["column"] or "",
            r["value"] or "",
            r["message_vi"],
        )
        for r in error.errors.iter_rows(named=True)
    ]


def batch_errors(errors: Sequence[RowError], batch: SurveyBatch) -> list[UploadError]:
    """The service's refusals (``BatchRejected.errors``: frame, data row, column) in workbook terms,
    with the Excel row numbers the parser kept (``SurveyBatch.household_rows`` / ``member_rows``)."""
    frames = {"households": batch.households, "members": batch.members}
    sheets = {"households": HOUSEHOLD_SHEET, "members": MEMBER_SHEET}
    excel_rows = {"households": batch.household_rows, "members": batch.member_rows}
    found = []
    for error in errors:
        frame = frames.get(error.frame)
        column = "household_code" if error.column == "household_id" else error.column
        value = ""
        excel_row = None
        if frame is not None and error.row is not None and 0 < error.row <= frame.height:
            if column in frame.columns:
                cell = frame[column][error.row - 1]
                value = "" if cell is None else _cell_text(cell)
            rows = excel_rows.get(error.frame, ())
            excel_row = rows[error.row - 1] if error.row <= len(rows) else None
        found.append(
            UploadError(
                sheets.get(error.frame, error.frame),
                excel_row,
                _FACT_LABELS.get(column, column),
                value,
                error.message,
            )
        )
    return found


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "Có" if value else "Không"
    return str(value)


def batch_frames(batch: SurveyBatch) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The parsed workbook as ``services.survey_batch_save`` takes it: ``household_id`` = the code, the
    registry ``member_id`` kept (as an integer; empty for a person not yet registered)."""
    households = batch.households.rename({"household_code": "household_id"})
    members = batch.members.rename({"household_code": "household_id"}).with_columns(
        pl.col("member_id").cast(pl.Int64, strict=False)
    )
    return households, members


# --- certificates -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Validity:
    year: int
    valid_from: dt.date
    valid_until: dt.date


def certificate_validity(review_round: ReviewRound) -> Validity:
    """The year a certificate recognises the household for, and its validity.

    Our reading (docs/open-legal-questions.md, item 21, best reading; the procedure file has no
    validity): a periodic review runs from 1 September to 14 December of year Y and sets the list of
    poor and near-poor households for the following year, so its certificate is for year Y + 1, valid
    from 1 January to 31 December of Y + 1. An ongoing (monthly) review recognises a household from its
    approval until the end of that year, when the next periodic review's list takes over.
    """
    if review_round.kind == RoundKind.PERIODIC:
        year = review_round.year + 1
        return Validity(year, dt.date(year, 1, 1), dt.date(year, 12, 31))
    start = review_round.approved_on or review_round.reference_date
    return Validity(review_round.year, start, dt.date(review_round.year, 12, 31))


CERTIFICATE_NUMBER: Final = "......../GCN-UBND"
"""Left for the commune to number by hand in its register of documents: we do not invent numbers."""


def certificates(*, viewer: Viewer, review_round: ReviewRound, entries: Sequence[RoundHousehold]) -> bytes:
    """One PDF with a certificate (``documents.certificate_pdf``) per poor or near-poor household of
    ``entries`` (from ``selectors.certified_entries``). Members with year of birth and relation; the
    standard's title and legal basis from ``giamngheo.standards``; signer left blank for handwriting."""
    names = places(review_round.commune)
    validity = certificate_validity(review_round)
    issued_on = review_round.approved_on or review_round.reference_date
    members: dict[int, list[Member]] = {}
    for member in selectors.present_members(
        RoundHousehold.objects.filter(pk__in=[e.pk for e in entries]).values("household_id")
    ):
        members.setdefault(member.household_id, []).append(member)
    certs = []
    for entry in entries:
        household = entry.household
        standard = get_standard(getattr(entry, "current_standard", "") or review_round.standard_id)
        certs.append(
            Certificate(
                number=CERTIFICATE_NUMBER,
                household_class=getattr(entry, "current_class"),  # noqa: B009 (annotated by the selector)
                household_code=household.code,
                head_name=household.head.full_name if household.head else "",
                address=household.address or "—",
                village=entry.village.name if entry.village else "",
                commune=names.commune,
                province=names.province,
                members=[
                    CertificateMember(
                        m.full_name,
                        m.date_of_birth.year if m.date_of_birth else None,
                        "Chủ hộ" if m.pk == household.head_id else m.relation_to_head,
                    )
                    for m in members.get(household.pk, [])
                ],
                year=validity.year,
                valid_from=validity.valid_from,
                valid_until=validity.valid_until,
                standard_title=standard.title_vi,
                legal_basis=standard.legal_basis,
                place=names.place,
                issued_on=issued_on,
            )
        )
    return certificate_pdf(certs)


# --- posting list -------------------------------------------------------------------------------


def posting_subtitle(review_round: ReviewRound) -> str:
    """ "Kết quả rà soát hộ nghèo, hộ cận nghèo định kỳ năm 2026" (or "thường xuyên tháng 3/2026")."""
    if review_round.kind == RoundKind.ONGOING:
        when = f"thường xuyên tháng {review_round.month}/{review_round.year}"
    else:
        when = f"định kỳ năm {review_round.year}"
    return f"Kết quả rà soát hộ nghèo, hộ cận nghèo {when}"


def posting_pdf(found: selectors.PublicPosting) -> bytes:
    """The public posting list (``documents.posting_list_pdf``): the very rows of the public page —
    village, household code, head's name and class; no citizen ID, no date of birth."""
    review_round, posting = found.review_round, found.posting
    names = places(review_round.commune)
    return posting_list_pdf(
        PostingList(
            commune=names.commune,
            province=names.province,
            subtitle=posting_subtitle(review_round),
            posted_from=posting.start_date,
            posted_until=posting.end_date,
            rows=[
                PostingRow(r.code, r.head, r.village, CLASS_LABELS.get(r.klass, r.klass)) for r in found.rows
            ],
            posting_place="; ".join(line for line in posting.places.splitlines() if line.strip()),
            place=names.place,
        )
    )


# --- Excel exports ------------------------------------------------------------------------------

_RESULT_COLUMNS: Final = (
    Column("Mã hộ", 12),
    Column("Chủ hộ", 24),
    Column("Thôn", 18),
    Column("Phân loại", 18),
    Column("Thu nhập bình quân (đồng/người/tháng)"),
    Column("Điểm A"),
    Column("Số chỉ số thiếu hụt"),
    Column("Chỉ số thiếu hụt", 48),
    Column("Nguyên nhân nghèo", 40),
    Column("Nhu cầu hỗ trợ", 40),
)
_NOT_CLASSIFIED: Final = "Chưa phân loại"
_INCOMPLETE: Final = "Chưa đủ thông tin"


def results_xlsx(*, viewer: Viewer, review_round: ReviewRound) -> bytes:
    """The round's households with their current results (no citizen ID, no date of birth)."""
    rules = procedure()
    causes = {item.id: item.vi for item in rules.causes.items}
    needs = {item.id: item.vi for item in rules.support_needs.items}
    labels: dict[str, dict[str, str]] = {}

    def indicator_names(standard_id: str | None, ids: Sequence[str] | None) -> str:
        if not standard_id or not ids:
            return ""
        if standard_id not in labels:
            labels[standard_id] = {i.id: i.label_vi for i in get_standard(standard_id).indicators}
        return "; ".join(labels[standard_id].get(i, i) for i in ids)

    def rows() -> Iterator[list[Any]]:
        for entry in selectors.result_table(viewer=viewer, review_round=review_round):
            e: Any = entry
            klass = e.current_class
            yield [
                entry.household.code,
                entry.household.head.full_name if entry.household.head else "",
                entry.village.name if entry.village else "",
                CLASS_LABELS.get(klass, _INCOMPLETE) if klass else _NOT_CLASSIFIED,
                round(e.current_income) if e.current_income is not None else None,
                e.current_score,
                e.current_count,
                indicator_names(e.current_standard, e.current_deprived),
                "; ".join(causes.get(c, c) for c in entry.causes),
                "; ".join(needs.get(n, n) for n in entry.support_needs),
            ]

    title = f"Kết quả {round_label(review_round).lower()} — {review_round.commune.name}"
    return list_xlsx(_RESULT_COLUMNS, rows(), title=title, sheet_name="Kết quả rà soát")


def transitions_xlsx(found: selectors.Transitions) -> bytes:
    """The transitions table (biến động): one row per village, then the commune totals."""
    with translation.override("vi"):
        columns = transition_columns()
    rows: list[list[Any]] = [
        [row.village.name if row.village else "Hộ chưa gắn thôn", *[row.counts[c] for c, _n in columns]]
        for row in found.villages
    ]
    rows.append(["Toàn xã", *[found.totals[c] for c, _n in columns]])
    title = (
        f"Biến động hộ nghèo, hộ cận nghèo — {found.current.commune.name}: "
        f"{round_label(found.current)} so với {round_label(found.previous)}"
    )
    return list_xlsx(
        [Column("Thôn", 22), *[Column(name) for _c, name in columns]],
        rows,
        title=title,
        sheet_name="Biến động",
    )


__all__ = [
    "MAX_UPLOAD_BYTES",
    "PDF_TYPE",
    "XLSX_TYPE",
    "UploadError",
    "batch_errors",
    "batch_frames",
    "certificate_validity",
    "certificates",
    "places",
    "posting_pdf",
    "results_xlsx",
    "survey_workbook",
    "transitions_xlsx",
    "workbook_errors",
]
