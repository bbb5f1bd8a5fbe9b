"""Support records from an Excel upload (nhập danh sách hỗ trợ từ Excel): the template to fill in
(:func:`upload_template`) and the import (:func:`support_upload`), all rows or none.

The template's sheet "Hỗ trợ" has a title (row 1), the Vietnamese headers (row 2), the machine name of each
column (row 3: ``household_code``, ``commune_code`` …) and data from row 4; the reader finds the columns by
their machine names, or by the Vietnamese headers when row 3 was deleted. Columns: household code, commune
code, member's citizen ID or name (for a policy given to a person), policy code, date (dd/mm/yyyy),
quantity, amount, reference number. The codes, citizen IDs and dates are text cells, so Excel keeps leading
zeros and does not turn 05/03 into 3 May.

Every row is checked as one record would be (``services.records``: unknown household, commune, policy or
member, bad date or number, policy not in force, household not eligible on the day, duplicate against the
database or within the file). Any problem in any row rejects the whole file with the list of problems
(Excel row, column, value, reason in Vietnamese) and nothing is saved; otherwise every row is saved in one
transaction with one ``SupportBatch`` and one ``SUPPORT_BATCH_IMPORTED`` audit row.

**No override in an upload**: ineligible or duplicate support cannot be allowed from a file, because a
supervisor's written reason is given for one household at a time. Record such a case on the record form.

Lookups are made once per kind for the whole file (communes, households, policies, members, the class
history, earlier records), in batches of ids, never once per row: 10 000 rows take a few seconds.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import xlsxwriter  # type: ignore[import-untyped]
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Upper
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from giamngheo.accounts.models import User
from giamngheo.accounts.selectors import sees_everything
from giamngheo.accounts.services import audit_record
from giamngheo.geo.models import AdminUnit, Generation, Level
from giamngheo.planning.models import Agency
from giamngheo.registry.models import Household, Member
from giamngheo.registry.selectors import households_visible_to
from giamngheo.registry.text import fold
from giamngheo.support.eligibility import Facts, Rule, eligibility, rule_in_words
from giamngheo.support.history import class_histories
from giamngheo.support.models import (
    Beneficiary,
    Policy,
    SupportAuditAction,
    SupportBatch,
    SupportPeriod,
    SupportRecord,
)
from giamngheo.support.permissions import recording_refusal
from giamngheo.support.selectors import policies_visible_to
from giamngheo.support.services.records import (
    data_errors,
    ineligible_message,
    period_key,
    period_label,
    policy_rule,
    recording_agency,
)

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "SHEET",
    "UploadError",
    "UploadRejected",
    "support_upload",
    "upload_template",
]

SHEET: Final = "Hỗ trợ"
GUIDE_SHEET: Final = "Hướng dẫn"
POLICY_SHEET: Final = "Chính sách"
COMMUNE_SHEET: Final = "Xã"
MAX_ROWS: Final = 20_000
MAX_UPLOAD_BYTES: Final = 10 * 1024 * 1024
BATCH: Final = 5000  # ids per query
_HEADER_SCAN_ROWS: Final = 15
_FIRST_DATA_ROW: Final = 3  # 0-based: Excel row 4


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    label: str
    width: float
    text: bool = True
    required: bool = False


COLUMNS: Final = (
    Column("household_code", "Mã hộ", 12, required=True),
    Column("commune_code", "Mã xã", 10, required=True),
    Column("member_citizen_id", "Số định danh cá nhân của người nhận", 18),
    Column("member_name", "Họ và tên người nhận", 24),
    Column("policy_code", "Mã chính sách", 26, required=True),
    Column("given_on", "Ngày hỗ trợ (dd/mm/yyyy)", 14, required=True),
    Column("quantity", "Số lượng", 10, text=False),
    Column("amount", "Số tiền (đồng)", 14, text=False),
    Column("reference", "Số chứng từ", 16),
)
_BY_NAME: Final = {c.name: c for c in COLUMNS}


@dataclass(frozen=True, slots=True)
class UploadError:
    """One problem: ``row`` the Excel row number (``None`` for the whole file), ``column`` the
    Vietnamese header, ``value`` what the cell holds, ``message`` why it is refused."""

    row: int | None
    column: str
    value: str
    message: str
    code: str = ""


class UploadRejected(Exception):
    """The file is refused; ``errors`` lists every problem, nothing was saved."""

    def __init__(self, errors: Sequence[UploadError], rows: int = 0) -> None:
        self.errors = sorted(errors, key=lambda e: (e.row or 0, e.column))
        self.rows = rows
        super().__init__(f"{len(self.errors)} problem(s) in the support upload")

    @property
    def message(self) -> str:
        rows = len({e.row for e in self.errors if e.row is not None})
        if rows:
            return _("Không lưu dòng nào: {rows} dòng có lỗi ({count} lỗi). Hãy sửa rồi tải lên lại.").format(
                rows=rows, count=len(self.errors)
            )
        return _("Không lưu dòng nào: tệp không đọc được hoặc không đúng mẫu.")


# --- the template ----------------------------------------------------------------------------------------


def _beneficiary_label(policy: Policy) -> str:
    return str(Beneficiary(policy.beneficiary).label) if policy.beneficiary in Beneficiary.values else ""


def upload_template(*, policies: Iterable[Policy], communes: Iterable[AdminUnit]) -> bytes:
    """The Excel template: a guide, the empty "Hỗ trợ" sheet, and the lists of the policies and communes the
    user may use (their codes to copy)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 13})
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "vcenter", "border": 1, "bg_color": "#E7E6E6"}
    )
    machine = book.add_format({"font_color": "#808080", "italic": True, "font_size": 9})
    text = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    guide = book.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 110, wrap)
    lines = [
        _("Nhập danh sách hỗ trợ đã thực hiện"),
        _("Mỗi dòng của trang “Hỗ trợ” là một lần hỗ trợ cho một hộ hoặc một người."),
        _("Mã hộ và mã xã: như trong sổ hộ (mã xã: xem trang “Xã”)."),
        _("Mã chính sách: xem trang “Chính sách”."),
        _(
            "Chính sách hỗ trợ cho từng người (thẻ bảo hiểm y tế, học phí …): ghi số định danh cá nhân "
            "của người nhận, hoặc họ và tên nếu chưa có số."
        ),
        _("Ngày hỗ trợ ghi dạng ngày/tháng/năm, ví dụ 15/03/2026. Số lượng để trống là 1."),
        _(
            "Phần mềm kiểm tra toàn bộ tệp: hộ có thuộc diện được hưởng vào ngày hỗ trợ không (theo "
            "kết quả rà soát đã phê duyệt), có trùng với lần hỗ trợ đã ghi không. Nếu có một dòng lỗi "
            "thì không lưu dòng nào và liệt kê từng lỗi (dòng, cột) để sửa."
        ),
        _(
            "Không cho phép hỗ trợ ngoài điều kiện qua tệp: trường hợp đặc biệt (có lý do) do cán bộ "
            "tỉnh ghi nhận từng hộ trên trang ghi nhận hỗ trợ."
        ),
        _("Không đổi tên trang, không xóa dòng 3 (tên cột máy đọc)."),
    ]
    for r, line in enumerate(lines):
        guide.write_string(r, 0, line, title if r == 0 else wrap)

    sheet = book.add_worksheet(SHEET)
    sheet.write_string(0, 0, _("Danh sách hỗ trợ đã thực hiện"), title)
    sheet.set_row(1, 42)
    for c, column in enumerate(COLUMNS):
        sheet.write_string(1, c, column.label, header)
        sheet.write_string(2, c, column.name, machine)
        sheet.set_column(c, c, column.width, text if column.text else None)
    sheet.freeze_panes(_FIRST_DATA_ROW, 0)
    sheet.activate()

    listing = book.add_worksheet(POLICY_SHEET)
    labels = [
        _("Mã chính sách"),
        _("Tên chính sách"),
        _("Đối tượng nhận"),
        _("Diện được hưởng"),
        _("Tần suất"),
    ]
    for c, label in enumerate(labels):
        listing.write_string(0, c, label, header)
    for r, policy in enumerate(policies, start=1):
        listing.write_string(r, 0, policy.code)
        listing.write_string(r, 1, policy.name)
        listing.write_string(r, 2, _beneficiary_label(policy))
        listing.write_string(r, 3, rule_in_words(policy_rule(policy))[0])
        listing.write_string(r, 4, str(SupportPeriod(policy.period).label))
    listing.set_column(0, 0, 28)
    listing.set_column(1, 1, 60)
    listing.set_column(2, 4, 24)

    units = book.add_worksheet(COMMUNE_SHEET)
    units.write_string(0, 0, _("Mã xã"), header)
    units.write_string(0, 1, _("Tên xã, phường"), header)
    for r, commune in enumerate(communes, start=1):
        units.write_string(r, 0, commune.code)
        units.write_string(r, 1, commune.name)
    units.set_column(0, 0, 10)
    units.set_column(1, 1, 40)
    book.close()
    return buffer.getvalue()


# --- reading the file ------------------------------------------------------------------------------------


def _fold_header(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _cell_text(value: object) -> str:
    """A cell as text ("" when empty); whole numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


@dataclass
class _Row:
    excel_row: int
    cells: Mapping[str, object]

    def text(self, name: str) -> str:
        return _cell_text(self.cells.get(name))


def _read(data: bytes, problems: list[UploadError]) -> list[_Row]:
    if not data:
        problems.append(UploadError(None, "", "", _("Tệp tải lên rỗng."), "file.empty"))
        return []
    if not zipfile.is_zipfile(io.BytesIO(data)):
        problems.append(
            UploadError(
                None, "", "", _("Tệp không phải là sổ tính Excel (.xlsx). Hãy dùng tệp mẫu."), "file.type"
            )
        )
        return []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = {_fold_header(name): name for name in book.sheet_names}
        name = names.get(_fold_header(SHEET), book.sheet_names[0] if len(book.sheet_names) == 1 else None)
        if name is None:
            problems.append(
                UploadError(
                    None, "", "", _("Thiếu trang “{sheet}”. Hãy dùng tệp mẫu.").format(sheet=SHEET), "sheet"
                )
            )
            return []
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, ValueError, OSError, IndexError):
        problems.append(
            UploadError(
                None, "", "", _("Không đọc được tệp: tệp hỏng hoặc không phải sổ tính Excel."), "file.type"
            )
        )
        return []
    header_at, positions = _header(rows)
    if header_at is None:
        problems.append(
            UploadError(
                None,
                "",
                "",
                _("Không tìm thấy dòng tên cột (household_code …) hoặc tiêu đề “Mã hộ”. Hãy dùng tệp mẫu."),
                "column.missing",
            )
        )
        return []
    missing = [c for c in COLUMNS if c.required and c.name not in positions]
    for column in missing:
        problems.append(
            UploadError(
                None,
                column.label,
                "",
                _("Thiếu cột bắt buộc “{label}”.").format(label=column.label),
                "column",
            )
        )
    if missing:
        return []
    found: list[_Row] = []
    for i in range(header_at + 1, len(rows)):
        row = rows[i]
        cells = {name: row[index] if index < len(row) else None for name, index in positions.items()}
        if all(_cell_text(value) == "" for value in cells.values()):
            continue
        found.append(_Row(i + 1, cells))
    return found


def _header(rows: Sequence[Sequence[object]]) -> tuple[int | None, dict[str, int]]:
    """The header row (machine names, else the Vietnamese labels) and each known column's index."""
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        texts = [_cell_text(v) for v in row]
        if "household_code" in texts:
            return i, {text: c for c, text in enumerate(texts) if text in _BY_NAME and c == texts.index(text)}
    by_label = {_fold_header(c.label): c.name for c in COLUMNS}
    for i, row in enumerate(rows[:_HEADER_SCAN_ROWS]):
        folded = [_fold_header(_cell_text(v)) for v in row]
        if _fold_header("Mã hộ") in folded:
            positions: dict[str, int] = {}
            for c, text in enumerate(folded):
                name = by_label.get(text)
                if name is not None and name not in positions:
                    positions[name] = c
            return i, positions
    return None, {}


# --- values --------------------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)


def parse_date(value: object) -> dt.date | None:
    """A date from a cell: an Excel date, ``15/03/2026`` (day first), ``2026-03-15``, or an Excel serial
    number; ``None`` when it is none of these."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466 and float(value).is_integer():
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    text = _cell_text(value)
    match = _DATE.match(text)
    try:
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        match = _ISO.match(text)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None
    return None


def parse_number(value: object) -> Decimal | None:
    """A number from a cell: Excel numbers, or text written the Vietnamese way (``1.500.000``, ``1,5``);
    ``None`` when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _cell_text(value).replace(" ", "").replace("\u00a0", "").removesuffix("đ").removesuffix("đồng")
    if not text:
        return None
    if "." in text and "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS_DOT.match(text):
        text = text.replace(".", "")
    elif _THOUSANDS_COMMA.match(text):
        text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _commune_code(text: str) -> str:
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text


def _citizen_id(text: str) -> str:
    digits = text.replace(" ", "")
    return digits.zfill(12) if digits.isdigit() and 9 <= len(digits) < 12 else digits


# --- checking and saving -------------------------------------------------------------------------------


@dataclass
class _Resolved:
    """A row once every lookup is done (None where a lookup failed: the row has an error)."""

    row: _Row
    household: Household | None = None
    policy: Policy | None = None
    member: Member | None = None
    given_on: dt.date | None = None
    quantity: Decimal = Decimal(1)
    amount: Decimal | None = None
    reference: str = ""


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


class _Checker:
    """Reads everything the rows need (one query per kind and batch) and collects the problems."""

    def __init__(self, actor: User | None, rows: Sequence[_Row]) -> None:
        self.actor = actor
        self.rows = rows
        self.problems: list[UploadError] = []

    def add(self, row: _Row, column: str, message: str, code: str, value: str | None = None) -> None:
        label = _BY_NAME[column].label
        self.problems.append(
            UploadError(row.excel_row, label, row.text(column) if value is None else value, message, code)
        )

    # lookups ----------------------------------------------------------------------------------------------

    def communes(self) -> dict[str, AdminUnit]:
        codes = sorted({_commune_code(r.text("commune_code")) for r in self.rows} - {""})
        found: dict[str, AdminUnit] = {}
        for chunk in _chunks(codes):
            units = AdminUnit.objects.filter(level=Level.COMMUNE, generation=Generation.Y2025, code__in=chunk)
            found.update({unit.code: unit for unit in units})
        return found

    def households(self, communes: Mapping[str, AdminUnit]) -> dict[tuple[int, str], Household]:
        wanted: dict[int, set[str]] = defaultdict(set)
        for r in self.rows:
            unit = communes.get(_commune_code(r.text("commune_code")))
            if unit is not None and r.text("household_code"):
                wanted[unit.pk].add(r.text("household_code").upper())
        visible = (
            Household.objects.all()
            if self.actor is None or sees_everything(self.actor)
            else households_visible_to(self.actor)
        )
        found: dict[tuple[int, str], Household] = {}
        for commune_id, codes in wanted.items():
            for chunk in _chunks(sorted(codes)):
                rows = (
                    visible.filter(commune_id=commune_id)
                    .annotate(code_upper=Upper("code"))
                    .filter(code_upper__in=chunk)
                    .only(
                        "pk", "code", "commune_id", "village_id", "province_code", "area", "ethnic_minority"
                    )
                    .order_by()
                )
                found.update({(commune_id, h.code.upper()): h for h in rows})
        return found

    def policies(self) -> dict[str, Policy]:
        codes = sorted({r.text("policy_code") for r in self.rows} - {""})
        visible = policies_visible_to(self.actor) if self.actor is not None else Policy.objects.all()
        return {p.code: p for p in visible.filter(code__in=codes).select_related("unit")}

    def members(self, household_ids: Sequence[int]) -> dict[int, list[Member]]:
        found: dict[int, list[Member]] = defaultdict(list)
        for chunk in _chunks(sorted(set(household_ids))):
            rows = Member.objects.filter(household_id__in=chunk).only(
                "pk", "household_id", "full_name", "full_name_search", "citizen_id"
            )
            for member in rows.order_by("pk"):
                found[member.household_id].append(member)
        return found

    def earlier(
        self, household_ids: Sequence[int], policy_ids: Sequence[int]
    ) -> dict[tuple[int, int, int | None, str], SupportRecord]:
        found: dict[tuple[int, int, int | None, str], SupportRecord] = {}
        if not policy_ids:
            return found
        for chunk in _chunks(sorted(set(household_ids))):
            rows = (
                SupportRecord.objects.filter(
                    household_id__in=chunk, policy_id__in=sorted(set(policy_ids)), cancelled_at__isnull=True
                )
                .exclude(period_key__startswith="any-")
                .only("pk", "policy_id", "household_id", "member_id", "period_key", "given_on", "reference")
                .order_by("given_on", "pk")
            )
            for record in rows:
                found.setdefault(
                    (record.policy_id, record.household_id, record.member_id, record.period_key), record
                )
        return found

    # the checks ------------------------------------------------------------------------------------------

    def resolve(self) -> list[_Resolved]:
        communes = self.communes()
        households = self.households(communes)
        policies = self.policies()
        resolved: list[_Resolved] = []
        for row in self.rows:
            item = _Resolved(row)
            resolved.append(item)
            code = row.text("household_code")
            commune_code = _commune_code(row.text("commune_code"))
            commune = communes.get(commune_code)
            if not commune_code:
                self.add(row, "commune_code", _("Thiếu mã xã."), "commune.missing")
            elif commune is None:
                self.add(
                    row,
                    "commune_code",
                    _("Không có xã, phường mã {code}.").format(code=commune_code),
                    "commune",
                )
            if not code:
                self.add(row, "household_code", _("Thiếu mã hộ."), "household.missing")
            elif commune is not None:
                item.household = households.get((commune.pk, code.upper()))
                if item.household is None:
                    self.add(
                        row,
                        "household_code",
                        _("Không tìm thấy hộ mã {code} của {commune} trên địa bàn của bạn.").format(
                            code=code, commune=commune.name
                        ),
                        "household",
                    )
            policy_code = row.text("policy_code")
            item.policy = policies.get(policy_code)
            if not policy_code:
                self.add(row, "policy_code", _("Thiếu mã chính sách."), "policy.missing")
            elif item.policy is None:
                self.add(
                    row,
                    "policy_code",
                    _("Không có chính sách mã {code} (xem trang “Chính sách” của tệp mẫu).").format(
                        code=policy_code
                    ),
                    "policy",
                )
            raw_date = row.cells.get("given_on")
            item.given_on = parse_date(raw_date)
            if _cell_text(raw_date) == "":
                self.add(row, "given_on", _("Thiếu ngày hỗ trợ."), "date.missing")
            elif item.given_on is None:
                self.add(
                    row, "given_on", _("Ngày không hợp lệ; hãy ghi ngày/tháng/năm, ví dụ 15/03/2026."), "date"
                )
            quantity = row.cells.get("quantity")
            if _cell_text(quantity):
                number = parse_number(quantity)
                if number is None:
                    self.add(row, "quantity", _("Số lượng phải là một số."), "number")
                else:
                    item.quantity = number
            amount = row.cells.get("amount")
            if _cell_text(amount):
                item.amount = parse_number(amount)
                if item.amount is None:
                    self.add(row, "amount", _("Số tiền phải là một số (đồng)."), "number")
            item.reference = row.text("reference")
        members = self.members(
            [i.household.pk for i in resolved if i.household is not None and self._for_member(i)]
        )
        for item in resolved:
            self._resolve_member(item, members)
        return resolved

    @staticmethod
    def _for_member(item: _Resolved) -> bool:
        return item.policy is not None and item.policy.beneficiary == Beneficiary.MEMBER

    def _resolve_member(self, item: _Resolved, members: Mapping[int, Sequence[Member]]) -> None:
        row = item.row
        citizen_id = _citizen_id(row.text("member_citizen_id"))
        name = row.text("member_name")
        if item.policy is None or item.household is None:
            return
        if item.policy.beneficiary != Beneficiary.MEMBER:
            if citizen_id or name:
                column = "member_citizen_id" if citizen_id else "member_name"
                self.add(
                    row, column, _("Chính sách hỗ trợ cho cả hộ: để trống cột người nhận."), "member.extra"
                )
            return
        people = members.get(item.household.pk, [])
        if citizen_id:
            matches = [m for m in people if m.citizen_id == citizen_id]
            if not matches:
                self.add(
                    row,
                    "member_citizen_id",
                    _("Hộ {code} không có thành viên mang số định danh này.").format(
                        code=item.household.code
                    ),
                    "member",
                )
                return
            item.member = matches[0]
            return
        if not name:
            self.add(
                row,
                "member_name",
                _("Chính sách hỗ trợ cho từng người: ghi số định danh hoặc họ và tên người nhận."),
                "member.missing",
            )
            return
        matches = [m for m in people if m.full_name_search == fold(name)]
        if len(matches) == 1:
            item.member = matches[0]
        elif not matches:
            self.add(
                row,
                "member_name",
                _("Hộ {code} không có thành viên tên {name}.").format(code=item.household.code, name=name),
                "member",
            )
        else:
            self.add(
                row,
                "member_name",
                _("Hộ {code} có {n} thành viên cùng tên {name}: hãy ghi số định danh.").format(
                    code=item.household.code, n=len(matches), name=name
                ),
                "member.ambiguous",
            )

    def check(self, resolved: Sequence[_Resolved]) -> list[SupportRecord]:
        """The records to save (when no row has a problem)."""
        complete = [i for i in resolved if i.household and i.policy and i.given_on]
        histories = class_histories(i.household.pk for i in complete if i.household is not None)
        earlier = self.earlier(
            [i.household.pk for i in complete if i.household is not None],
            [i.policy.pk for i in complete if i.policy is not None],
        )
        rules: dict[int, Rule] = {}
        seen: dict[tuple[int, int, int | None, str], int] = {}
        records: list[SupportRecord] = []
        field_columns = {
            "policy": "policy_code",
            "given_on": "given_on",
            "member": "member_name",
            "quantity": "quantity",
            "amount": "amount",
            "reference": "reference",
        }
        failed = {problem.row for problem in self.problems}  # one reason at a time per row
        for item in complete:
            household, policy, given_on, row = item.household, item.policy, item.given_on, item.row
            assert household is not None and policy is not None and given_on is not None
            if row.excel_row in failed:
                continue
            problems = data_errors(
                policy=policy,
                household=household,
                member=item.member,
                given_on=given_on,
                quantity=item.quantity,
                amount=item.amount,
                reference=item.reference,
            )
            for name, message in problems.items():
                column = field_columns.get(name, "household_code")
                if name == "member" and row.text("member_citizen_id"):
                    column = "member_citizen_id"
                self.add(row, column, message, name)
            if problems:
                continue
            rule = rules.setdefault(policy.pk, policy_rule(policy))
            decision = eligibility(
                rule,
                histories.get(household.pk, []),
                Facts(ethnic_minority=household.ethnic_minority, area=household.area),
                given_on,
            )
            if not decision.eligible:
                message = (
                    decision.reason_vi
                    if decision.code == "not_in_force"
                    else ineligible_message(decision, policy=policy, household=household)
                )
                self.add(
                    row,
                    "given_on" if decision.code == "not_in_force" else "household_code",
                    message,
                    decision.code,
                )
                continue
            key = period_key(policy.period, given_on)
            member_id = item.member.pk if item.member is not None else None
            dedupe = (policy.pk, household.pk, member_id, key)
            if policy.period != SupportPeriod.ANY:
                before = earlier.get(dedupe)
                if before is not None:
                    reference = (
                        _(", số chứng từ {reference}").format(reference=before.reference)
                        if before.reference
                        else ""
                    )
                    self.add(
                        row,
                        "policy_code",
                        _(
                            "Trùng với lần hỗ trợ đã ghi: “{policy}” kỳ {period}, ngày {day}{reference} "
                            "(bản ghi số {pk})."
                        ).format(
                            policy=policy.name,
                            period=period_label(key),
                            day=before.given_on.strftime("%d/%m/%Y"),
                            reference=reference,
                            pk=before.pk,
                        ),
                        "duplicate",
                    )
                    continue
                first = seen.get(dedupe)
                if first is not None:
                    self.add(
                        row,
                        "policy_code",
                        _(
                            "Trùng với dòng {row} của tệp: cùng chính sách, cùng người nhận, "
                            "cùng kỳ {period}."
                        ).format(row=first, period=period_label(key)),
                        "duplicate.file",
                    )
                    continue
                seen[dedupe] = row.excel_row
            records.append(
                SupportRecord(
                    policy=policy,
                    household_id=household.pk,
                    member_id=member_id,
                    province_code=household.province_code,
                    commune_id=household.commune_id,
                    village_id=household.village_id,
                    given_on=given_on,
                    period_key=key,
                    quantity=item.quantity,
                    amount=item.amount,
                    reference=item.reference,
                    review_round_id=decision.round_id,
                    klass=decision.klass,
                    eligible=True,
                    recorded_by=self.actor,
                )
            )
        return records


@transaction.atomic(durable=True)
def support_upload(
    *, data: bytes, file_name: str, actor: User | None, agency: Agency | None = None
) -> SupportBatch:
    """Import the support records of an uploaded template: all rows, or none with
    :class:`UploadRejected` listing every problem. ``agency``: the agency that delivered the support
    (an agency viewer's own agency by default). See the module docstring."""
    try:
        agency = recording_agency(actor, agency)
    except ValidationError as error:
        raise UploadRejected([UploadError(None, "", "", " ".join(error.messages), "agency")]) from error
    refusal = recording_refusal(actor, agency=agency)
    if refusal is not None:
        raise PermissionDenied(refusal)
    problems: list[UploadError] = []
    if len(data) > MAX_UPLOAD_BYTES:
        problems.append(
            UploadError(
                None,
                "",
                "",
                _("Tệp quá lớn; chỉ nhận tệp đến {n} MB.").format(n=MAX_UPLOAD_BYTES // 2**20),
                "file.size",
            )
        )
        raise UploadRejected(problems)
    rows = _read(data, problems)
    if problems:
        raise UploadRejected(problems)
    if not rows:
        raise UploadRejected(
            [UploadError(None, "", "", _("Trang “{sheet}” chưa có dòng nào.").format(sheet=SHEET), "empty")]
        )
    if len(rows) > MAX_ROWS:
        raise UploadRejected(
            [
                UploadError(
                    None,
                    "",
                    "",
                    _("Tệp có {n} dòng; mỗi lần chỉ nhập tối đa {max} dòng.").format(
                        n=len(rows), max=MAX_ROWS
                    ),
                    "rows",
                )
            ]
        )
    checker = _Checker(actor, rows)
    resolved = checker.resolve()
    records = checker.check(resolved)
    if checker.problems:
        raise UploadRejected(checker.problems, rows=len(rows))
    provinces = Counter(record.province_code for record in records)
    batch = SupportBatch.objects.create(
        province_code=provinces.most_common(1)[0][0],
        file_name=file_name[:255],
        rows=len(records),
        uploaded_by=actor,
    )
    for record in records:
        record.batch = batch
        record.agency = agency
    SupportRecord.objects.bulk_create(records, batch_size=1000)
    policies = Counter(record.policy.code for record in records)
    audit_record(
        actor=actor,
        action=SupportAuditAction.SUPPORT_BATCH_IMPORTED,
        target=batch,
        after={
            "file_name": batch.file_name,
            "rows": len(records),
            "agency": agency.pk if agency is not None else None,
            "policies": dict(sorted(policies.items())),
            "provinces": sorted(provinces),
            "given_from": min(record.given_on for record in records),
            "given_to": max(record.given_on for record in records),
        },
    )
    return batch
