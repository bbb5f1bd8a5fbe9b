"""``support.services.uploads``: the template, every row checked (unknown household, policy, member, bad
date, ineligible, duplicate in the file and against the database), all or nothing, one batch and one
audit row, and 2 000 rows with one bad row saving nothing."""

from __future__ import annotations

import datetime as dt
import io
import time
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.core.exceptions import PermissionDenied

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.registry.models import Household, Member
from giamngheo.support.models import Beneficiary, Policy, SupportAuditAction, SupportBatch, SupportRecord
from giamngheo.support.services.uploads import (
    COLUMNS,
    SHEET,
    UploadRejected,
    parse_date,
    parse_number,
    support_upload,
    upload_template,
)
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import scoped_user_factory
from tests.registry.factories import household_factory, member_factory
from tests.support.factories import policy_factory, record_factory
from tests.support.test_records_data import agency_user, approved_round

__all__ = ["geo_map"]

D = dt.date
NAMES = [c.name for c in COLUMNS]


def workbook(rows: Sequence[dict[str, object]], *, policies: Sequence[Policy] = ()) -> bytes:
    """The template filled in with ``rows`` (by machine name), as a user would save it from Excel."""
    book = openpyxl.load_workbook(io.BytesIO(upload_template(policies=policies, communes=[])))
    sheet = book[SHEET]
    for r, row in enumerate(rows, start=4):
        for name, value in row.items():
            sheet.cell(row=r, column=NAMES.index(name) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Setup:
    geo: Map
    poor: Household
    near: Household
    member: Member
    namesake_a: Member
    loan: Policy
    card: Policy
    officer: User


@pytest.fixture
def setup(geo_map: Map) -> Setup:
    poor = household_factory(commune=geo_map.c1, village=geo_map.v1, code="H001")
    near = household_factory(commune=geo_map.c1, village=geo_map.v1, code="H002")
    member = member_factory(household=poor, full_name="Lò Văn Minh", citizen_id="001090000001")
    twin_a = member_factory(household=near, full_name="Lò Thị Hoa")
    member_factory(household=near, full_name="Lò Thị Hoa")
    approved_round(geo_map.c1, [(poor, "poor"), (near, "near_poor")], approved_on=D(2025, 11, 20))
    return Setup(
        geo=geo_map,
        poor=poor,
        near=near,
        member=member,
        namesake_a=twin_a,
        loan=policy_factory(code="cho-vay", name="Cho vay hộ nghèo", eligible=["poor"], period="yearly"),
        card=policy_factory(
            code="the-bhyt", name="Thẻ BHYT", eligible=["poor", "near_poor"], beneficiary=Beneficiary.MEMBER
        ),
        officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
    )


def row(
    household: str = "H001", policy: str = "cho-vay", day: object = "15/01/2026", **more: object
) -> dict[str, object]:
    return {
        "household_code": household,
        "commune_code": "97001",
        "policy_code": policy,
        "given_on": day,
        **more,
    }


def _problems(error: UploadRejected) -> list[tuple[int | None, str, str]]:
    return [(e.row, e.column, e.code) for e in error.errors]


def test_a_good_file_is_saved_in_one_batch_with_one_audit_row(setup: Setup) -> None:
    son = member_factory(household=setup.poor, full_name="Lò Văn Nam")
    data = workbook(
        [
            row(amount="50.000.000", reference="VAY-1"),
            row(policy="the-bhyt", member_citizen_id="001090000001", day=D(2026, 1, 20)),
            row(household="h001", policy="the-bhyt", member_name="LO VAN NAM", day="2026-01-20"),
        ]
    )
    batch = support_upload(data=data, file_name="ho-tro.xlsx", actor=setup.officer)
    records = list(batch.records.order_by("pk"))
    assert [(r.household_id, r.policy_id, r.member_id, r.given_on) for r in records] == [
        (setup.poor.pk, setup.loan.pk, None, D(2026, 1, 15)),
        (setup.poor.pk, setup.card.pk, setup.member.pk, D(2026, 1, 20)),
        (setup.poor.pk, setup.card.pk, son.pk, D(2026, 1, 20)),
    ]
    loan = records[0]
    assert (loan.amount, loan.reference, loan.klass, loan.eligible, loan.period_key) == (
        Decimal(50_000_000),
        "VAY-1",
        "poor",
        True,
        "2026",
    )
    assert (loan.commune_id, loan.village_id, loan.recorded_by, loan.quantity) == (
        setup.geo.c1.pk,
        setup.geo.v1.pk,
        setup.officer,
        Decimal(1),
    )
    assert (batch.rows, batch.province_code, batch.uploaded_by) == (3, "97", setup.officer)
    events = AuditEvent.objects.filter(action=SupportAuditAction.SUPPORT_BATCH_IMPORTED)
    assert events.count() == 1 and events[0].target_id == str(batch.pk)
    assert events[0].after is not None and events[0].after["policies"] == {"cho-vay": 1, "the-bhyt": 2}
    assert not AuditEvent.objects.filter(action=SupportAuditAction.SUPPORT_RECORDED).exists()


def test_every_row_is_checked_and_nothing_is_saved(setup: Setup) -> None:
    earlier = record_factory(
        policy=setup.loan, household=setup.poor, given_on=D(2025, 12, 1), period_key="2025"
    )
    data = workbook(
        [
            row(),  # row 4: fine
            row(household="H999"),  # 5: unknown household
            row(policy="khong-co"),  # 6: unknown policy
            row(day="31/02/2026"),  # 7: bad date
            row(household="H002"),  # 8: near-poor household, loan for the poor
            row(day="20/01/2026"),  # 9: same policy, household and year as row 4
            row(day="05/12/2025"),  # 10: duplicate of the earlier record of 2025
            row(
                policy="the-bhyt", household="H002", member_name="Lò Thị Hoa"
            ),  # 11: two members of that name
            row(policy="the-bhyt", member_citizen_id="009999999999"),  # 12: no such member
            row(policy="the-bhyt"),  # 13: a member policy without a member
            row(member_name="Lò Văn Minh"),  # 14: a household policy with a member
            row(quantity="nhiều"),  # 15: not a number
            {**row(), "commune_code": "99999"},  # 16: unknown commune
            row(day="15/01/2099"),  # 17: in the future
        ]
    )
    with pytest.raises(UploadRejected) as rejected:
        support_upload(data=data, file_name="loi.xlsx", actor=setup.officer)
    problems = _problems(rejected.value)
    assert problems == [
        (5, "Mã hộ", "household"),
        (6, "Mã chính sách", "policy"),
        (7, "Ngày hỗ trợ (dd/mm/yyyy)", "date"),
        (8, "Mã hộ", "class"),
        (9, "Mã chính sách", "duplicate.file"),
        (10, "Mã chính sách", "duplicate"),
        (11, "Họ và tên người nhận", "member.ambiguous"),
        (12, "Số định danh cá nhân của người nhận", "member"),
        (13, "Họ và tên người nhận", "member.missing"),
        (14, "Họ và tên người nhận", "member.extra"),
        (15, "Số lượng", "number"),
        (16, "Mã xã", "commune"),
        (17, "Ngày hỗ trợ (dd/mm/yyyy)", "given_on"),
    ]
    by_row = {e.row: e for e in rejected.value.errors}
    assert "Ngày 15/01/2026 hộ là hộ cận nghèo" in by_row[8].message
    assert by_row[9].message.startswith("Trùng với dòng 4 của tệp")
    assert f"(bản ghi số {earlier.pk})" in by_row[10].message and "kỳ năm 2025" in by_row[10].message
    assert by_row[5].value == "H999" and by_row[7].value == "31/02/2026"
    assert "13 dòng có lỗi" in rejected.value.message
    assert SupportRecord.objects.count() == 1 and not SupportBatch.objects.exists()


def test_2000_rows_with_one_bad_row_save_nothing_and_report_the_row(setup: Setup) -> None:
    households = [household_factory(commune=setup.geo.c1, code=f"K{i:05d}") for i in range(2000)]
    approved_round(setup.geo.c1, [(h, "poor") for h in households], approved_on=D(2025, 12, 1))
    rows = [row(household=h.code, reference=f"R{i}") for i, h in enumerate(households)]
    rows[1234] = row(household=households[1234].code, day="32/01/2026")
    data = workbook(rows)
    started = time.perf_counter()
    with pytest.raises(UploadRejected) as rejected:
        support_upload(data=data, file_name="lon.xlsx", actor=setup.officer)
    bad = time.perf_counter() - started
    assert _problems(rejected.value) == [(1238, "Ngày hỗ trợ (dd/mm/yyyy)", "date")]
    assert rejected.value.errors[0].value == "32/01/2026"
    assert not SupportRecord.objects.exists() and not SupportBatch.objects.exists()

    rows[1234] = row(household=households[1234].code)
    started = time.perf_counter()
    batch = support_upload(data=workbook(rows), file_name="lon.xlsx", actor=setup.officer)
    good = time.perf_counter() - started
    assert batch.records.count() == 2000 == SupportRecord.objects.filter(eligible=True, klass="poor").count()
    assert bad < 20 and good < 20  # a few seconds; generous for a shared machine


def test_lookups_are_one_query_per_kind_whatever_the_number_of_rows(
    setup: Setup, django_assert_max_num_queries: object
) -> None:
    households = [household_factory(commune=setup.geo.c1, code=f"Q{i:04d}") for i in range(300)]
    for h in households:
        member_factory(household=h, full_name="Hà Văn Tú", citizen_id=f"0010900{h.pk:05d}")
    approved_round(setup.geo.c1, [(h, "poor") for h in households], approved_on=D(2025, 12, 1))
    rows = [row(household=h.code, policy="the-bhyt", member_name="Hà Văn Tú") for h in households]
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        batch = support_upload(data=workbook(rows), file_name="q.xlsx", actor=setup.officer)
    assert batch.rows == 300


def test_no_override_in_an_upload_even_for_a_province_officer(setup: Setup) -> None:
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=setup.geo.p)
    with pytest.raises(UploadRejected) as rejected:
        support_upload(data=workbook([row(household="H002")]), file_name="x.xlsx", actor=officer)
    assert _problems(rejected.value) == [(4, "Mã hộ", "class")]


def test_households_outside_the_territory_are_not_found(setup: Setup) -> None:
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=setup.geo.c2)
    with pytest.raises(UploadRejected) as rejected:
        support_upload(data=workbook([row()]), file_name="x.xlsx", actor=outsider)
    assert _problems(rejected.value) == [(4, "Mã hộ", "household")]
    leader = scoped_user_factory(role=Role.LEADER, unit=setup.geo.p)
    with pytest.raises(PermissionDenied):
        support_upload(data=workbook([row()]), file_name="x.xlsx", actor=leader)


def test_an_agency_viewer_uploads_for_their_agency(setup: Setup) -> None:
    user, agency = agency_user(setup.geo.p)
    batch = support_upload(data=workbook([row()]), file_name="x.xlsx", actor=user)
    assert [r.agency for r in batch.records.all()] == [agency]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "file.empty"),
        (b"not a workbook", "file.type"),
    ],
)
def test_files_that_are_not_the_template(setup: Setup, data: bytes, code: str) -> None:
    with pytest.raises(UploadRejected) as rejected:
        support_upload(data=data, file_name="x", actor=setup.officer)
    assert [e.code for e in rejected.value.errors] == [code]
    assert "tệp không đọc được" in rejected.value.message


def test_a_sheet_without_the_machine_names_is_read_by_its_headers(setup: Setup) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(["Mã hộ", "Mã xã", "Mã chính sách", "Ngày hỗ trợ (dd/mm/yyyy)"])
    sheet.append(["H001", "97001", "cho-vay", dt.datetime(2026, 1, 15)])
    out = io.BytesIO()
    book.save(out)
    batch = support_upload(data=out.getvalue(), file_name="tu-lam.xlsx", actor=setup.officer)
    assert [r.given_on for r in batch.records.all()] == [D(2026, 1, 15)]

    missing = openpyxl.Workbook()
    page = missing.active
    assert page is not None
    page.title = SHEET
    page.append(["Mã hộ", "Mã xã"])
    page.append(["H001", "97001"])
    out = io.BytesIO()
    missing.save(out)
    with pytest.raises(UploadRejected) as rejected:
        support_upload(data=out.getvalue(), file_name="thieu.xlsx", actor=setup.officer)
    assert [(e.column, e.code) for e in rejected.value.errors] == [
        ("Mã chính sách", "column"),
        ("Ngày hỗ trợ (dd/mm/yyyy)", "column"),
    ]


def test_the_template_lists_the_policies_and_keeps_codes_as_text(setup: Setup) -> None:
    book = openpyxl.load_workbook(
        io.BytesIO(upload_template(policies=[setup.loan, setup.card], communes=[setup.geo.c1]))
    )
    assert book.sheetnames == ["Hướng dẫn", SHEET, "Chính sách", "Xã"]
    sheet = book[SHEET]
    assert [c.value for c in sheet[3]][: len(NAMES)] == NAMES
    assert sheet.column_dimensions["A"].number_format == "@" or sheet["A4"].number_format == "@"
    policies = book["Chính sách"]
    assert [policies.cell(row=r, column=1).value for r in (2, 3)] == ["cho-vay", "the-bhyt"]
    assert policies.cell(row=3, column=4).value == "hộ nghèo, hộ cận nghèo"
    assert book["Xã"].cell(row=2, column=1).value == "97001"
    guide = " ".join(str(c.value) for c in book["Hướng dẫn"]["A"])
    assert "Không cho phép hỗ trợ ngoài điều kiện qua tệp" in guide


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/03/2026", D(2026, 3, 15)),
        ("5/3/2026", D(2026, 3, 5)),
        ("2026-03-15", D(2026, 3, 15)),
        (dt.datetime(2026, 3, 15, 0, 0), D(2026, 3, 15)),
        (46096.0, D(2026, 3, 15)),
        ("15/13/2026", None),
        ("ngày mai", None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1.500.000", Decimal(1_500_000)),
        ("1,5", Decimal("1.5")),
        ("1.234.567,5", Decimal("1234567.5")),
        ("1,500,000", Decimal(1_500_000)),
        ("2 000 000 đ", Decimal(2_000_000)),
        (3.0, Decimal("3.0")),
        ("abc", None),
    ],
)
def test_parse_number(value: object, expected: Decimal | None) -> None:
    assert parse_number(value) == expected
