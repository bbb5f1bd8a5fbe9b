"""The review's documents: the village Phiếu B workbook (download, upload), certificates, the posting
list PDF and the Excel exports, through the pages and ``review.documents``."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]
from python_calamine import CalamineWorkbook

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import Household, Member
from giamngheo.review import documents
from giamngheo.review.models import ReviewRound, RoundKind, RoundStatus, Survey
from giamngheo.review.services import meeting_record, meeting_villages, posting_start, round_classify
from tests.accounts.factories import PASSWORD, scoped_user_factory
from tests.registry.conftest import Map
from tests.registry.factories import member_factory
from tests.review.factories import (
    POOR_INCOME,
    adult_facts,
    approve,
    entry_of,
    household_facts,
    household_with_adult,
    open_round,
    survey,
)

pytestmark = pytest.mark.django_db

CITIZEN_ID = "097080000123"
PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")


def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _officer(geo_map: Map) -> User:
    return scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1)


def _two_households(geo_map: Map, officer: User) -> tuple[ReviewRound, Household, Member, Member, Household]:
    """A round listing H0001 (head born 20/05/1980 with a citizen ID, and a child born 03/02/2017) in
    village V1 and H0002 in V1B."""
    poor, head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    head.citizen_id = CITIZEN_ID
    head.save(update_fields=["citizen_id"])
    child = member_factory(
        household=poor,
        full_name="Hồ Thị Lan",
        sex="female",
        date_of_birth=datetime.date(2017, 2, 3),
        relation_to_head="Con",
    )
    other, _head = household_with_adult(commune=geo_map.c1, village=geo_map.v1b, code="H0002")
    rnd = open_round(commune=geo_map.c1, households=[poor, other], actor=officer)
    return rnd, poor, head, child, other


def _sheet(data: bytes, name: str) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(BytesIO(data)).get_sheet_by_name(name).to_python()


def _column(ws: Worksheet, name: str) -> int:
    for cell in ws[3]:
        if cell.value == name:
            return int(cell.column)
    raise KeyError(name)


def _fill(data: bytes, households: dict[int, dict[str, Any]], members: dict[int, dict[str, Any]]) -> bytes:
    """Write values into Excel rows by machine name, as a surveyor would in Excel."""
    book = load_workbook(BytesIO(data))
    for name, rows in (("Hộ", households), ("Nhân khẩu", members)):
        ws = book[name]
        for row, values in rows.items():
            for column, value in values.items():
                ws.cell(row=row, column=_column(ws, column)).value = value
    out = BytesIO()
    book.save(out)
    return out.getvalue()


HOUSEHOLD = {
    "income_12m": "12.000.000",
    "ill_member_untreated": "Không",
    "has_dwelling": "Có",
    "durable_main_parts": 0,
    "floor_area_m2": 40,
    "water_source": "nước mặt (sông, suối, ao, hồ)",
    "latrine_type": "không có",
    "waste_disposal": "được thu gom",
    "uses_internet": "Có",
    "uses_telephone": "Có",
    "has_tv": "Có",
    "has_radio": "Không",
    "has_computer": "Không",
    "has_smartphone": "Có",
    "hears_loudspeaker": "Có",
}
MEMBER = {
    "has_labour_capacity": "Có",
    "employment": "tự làm (kể cả nông nghiệp)",
    "has_health_insurance": "Có",
    "stunted": "Không",
    "underweight": "Không",
    "school_attendance": "không đi học",
    "general_education": "trung học phổ thông",
    "vocational_qualification": "không có",
    "enterprise_trained": "Không",
}
CHILD = {**MEMBER, "has_labour_capacity": "Không", "employment": None, "school_attendance": "đang đi học"}


# --- the village workbook -----------------------------------------------------------------------


def test_template_lists_the_villages_households_with_ages_at_the_reference_date(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _poor, head, child, _other = _two_households(geo_map, officer)

    response = _client(officer).get(reverse("review:survey_template", args=[rnd.pk, geo_map.v1.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == documents.XLSX_TYPE
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    households = _sheet(data, "Hộ")
    names = households[2]
    assert [row[names.index("household_code")] for row in households[3:]] == ["H0001"]  # not V1B's H0002
    assert households[3][names.index("area")] == "nông thôn"
    members = _sheet(data, "Nhân khẩu")
    names = members[2]
    rows = [r for r in members[3:] if r[names.index("member_id")]]
    assert [(r[names.index("member_id")], r[names.index("full_name")]) for r in rows] == [
        (str(head.pk), "Hồ Văn Minh"),
        (str(child.pk), "Hồ Thị Lan"),
    ]
    # ages in completed years on 01/10/2026; dates of birth for a commune officer
    assert [r[names.index("age")] for r in rows] == [46, 9]
    assert rows[1][names.index("date_of_birth")] == datetime.date(2017, 2, 3)
    assert rows[1][names.index("sex")] == "nữ"
    assert CITIZEN_ID.encode() not in data


def test_a_village_surveyor_gets_only_their_own_villages_workbook(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=geo_map.v1)
    client = _client(surveyor)

    assert client.get(reverse("review:survey_template", args=[rnd.pk, geo_map.v1.pk])).status_code == 200
    assert client.get(reverse("review:survey_upload", args=[rnd.pk, geo_map.v1.pk])).status_code == 200
    # V1B is not theirs: not visible at all (404), and the round page offers only V1
    assert client.get(reverse("review:survey_template", args=[rnd.pk, geo_map.v1b.pk])).status_code == 404
    assert client.get(reverse("review:survey_upload", args=[rnd.pk, geo_map.v1b.pk])).status_code == 404
    page = client.get(reverse("review:round", args=[rnd.pk])).content.decode()
    assert reverse("review:survey_template", args=[rnd.pk, geo_map.v1.pk]) in page
    assert reverse("review:survey_template", args=[rnd.pk, geo_map.v1b.pk]) not in page


def test_an_agency_viewer_may_not_download_the_workbook(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)
    viewer = scoped_user_factory(role=Role.AGENCY_VIEWER, unit=geo_map.c1)

    response = _client(viewer).get(reverse("review:survey_template", args=[rnd.pk, geo_map.v1.pk]))

    assert response.status_code == 403
    assert "Bạn không được nhập Phiếu B của Thôn V1." in response.content.decode()


def _template(client: Client, rnd: ReviewRound, village_pk: int) -> bytes:
    response = client.get(reverse("review:survey_template", args=[rnd.pk, village_pk]))
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def _upload(client: Client, rnd: ReviewRound, village_pk: int, data: bytes) -> Any:
    url = reverse("review:survey_upload", args=[rnd.pk, village_pk])
    upload = BytesIO(data)
    upload.name = "phieu-b.xlsx"
    return client.post(url, {"workbook": upload}, follow=True)


def test_upload_saves_the_villages_surveys(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, poor, head, child, _other = _two_households(geo_map, officer)
    client = _client(officer)
    data = _fill(_template(client, rnd, geo_map.v1.pk), {4: HOUSEHOLD}, {4: MEMBER, 5: CHILD})

    response = _upload(client, rnd, geo_map.v1.pk, data)

    assert response.redirect_chain[-1][0] == reverse("review:round", args=[rnd.pk])
    assert "Đã lưu Phiếu B của 1 hộ (2 nhân khẩu) — Thôn V1." in response.content.decode()
    stored = Survey.objects.get(round_household=entry_of(rnd, poor))
    assert stored.household_facts["income_12m"] == 12_000_000
    assert stored.household_facts["water_source"] == "surface_water"
    assert [(m["member_id"], m["age"], m["school_attendance"]) for m in stored.member_facts] == [
        (head.pk, 46, "not_attending"),
        (child.pk, 9, "attending"),
    ]
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.SURVEYING


def test_upload_with_one_bad_row_shows_the_errors_and_saves_nothing(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)
    client = _client(officer)
    bad_child = {**CHILD, "has_health_insurance": "có lẽ"}
    data = _fill(_template(client, rnd, geo_map.v1.pk), {4: HOUSEHOLD}, {4: MEMBER, 5: bad_child})

    response = _upload(client, rnd, geo_map.v1.pk, data)

    assert response.status_code == 422
    page = response.content.decode()
    assert "Tệp có 1 lỗi; chưa lưu dữ liệu nào." in page
    table = page[page.index("error-table") :]
    assert "Nhân khẩu" in table
    assert '<td data-label="Dòng Excel" class="num">5</td>' in table
    assert "có lẽ" in table
    assert Survey.objects.count() == 0


def test_upload_to_another_village_is_refused_by_the_service(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)
    client = _client(officer)
    data = _fill(_template(client, rnd, geo_map.v1.pk), {4: HOUSEHOLD}, {4: MEMBER, 5: CHILD})

    response = _upload(client, rnd, geo_map.v1b.pk, data)  # V1's workbook on V1B's page

    assert response.status_code == 422
    page = response.content.decode()
    assert "Lô phiếu có 3 lỗi; không có hộ nào được lưu." in page
    rows = re.findall(
        r'<td data-label="Trang tính">([^<]*)</td>\s*<td data-label="Dòng Excel" class="num">(\d+)</td>', page
    )
    assert rows == [("Hộ", "4"), ("Nhân khẩu", "4"), ("Nhân khẩu", "5")]
    assert "Hộ H0001 không có trong danh sách rà soát của thôn này." in page
    assert page.count("Người này không phải nhân khẩu của hộ H0001.") == 2
    assert Survey.objects.count() == 0


def test_upload_refuses_a_file_over_the_limit(geo_map: Map, monkeypatch: pytest.MonkeyPatch) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)
    monkeypatch.setattr(documents, "MAX_UPLOAD_BYTES", 1024 * 1024)

    response = _upload(_client(officer), rnd, geo_map.v1.pk, b"x" * (1024 * 1024 + 1))

    assert response.status_code == 200
    assert "Tệp quá lớn (1,0 MB); chỉ nhận tệp đến 1 MB." in response.content.decode()
    assert Survey.objects.count() == 0


def test_upload_of_something_else_than_a_workbook_is_explained(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)

    response = _upload(_client(officer), rnd, geo_map.v1.pk, b"%PDF-1.4 not a workbook")

    assert response.status_code == 422
    assert "Tệp không phải là sổ tính Excel (.xlsx)." in response.content.decode()


# --- certificates -------------------------------------------------------------------------------


def _approved(geo_map: Map, officer: User) -> tuple[ReviewRound, Household, Household]:
    rnd, poor, head, child, other = _two_households(geo_map, officer)
    survey(
        rnd,
        poor,
        household_facts(income=POOR_INCOME * 2, deprived=3),
        [adult_facts(head), adult_facts(child, school_attendance="attending", has_labour_capacity=False)],
        officer,
    )
    other_head = other.members.get()
    survey(rnd, other, household_facts(income=30_000_000), [adult_facts(other_head)], officer)
    approve(rnd, actor=officer, posting_day=datetime.date(2026, 10, 20))
    rnd.refresh_from_db()
    return rnd, poor, other


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    assert PDFTOTEXT is not None
    source = tmp_path / "doc.pdf"
    source.write_bytes(pdf)
    out = subprocess.run([PDFTOTEXT, "-layout", str(source), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_certificate_validity_is_the_following_year_for_a_periodic_round() -> None:
    periodic = ReviewRound(kind=RoundKind.PERIODIC, year=2026, reference_date=datetime.date(2026, 10, 1))
    ongoing = ReviewRound(
        kind=RoundKind.ONGOING,
        year=2026,
        month=3,
        reference_date=datetime.date(2026, 3, 15),
        approved_on=datetime.date(2026, 3, 28),
    )
    assert documents.certificate_validity(periodic) == documents.Validity(
        2027, datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)
    )
    assert documents.certificate_validity(ongoing) == documents.Validity(
        2026, datetime.date(2026, 3, 28), datetime.date(2026, 12, 31)
    )


@needs_pdftotext
def test_certificate_of_a_poor_household(geo_map: Map, tmp_path: Path) -> None:
    officer = _officer(geo_map)
    rnd, poor, _other = _approved(geo_map, officer)

    response = _client(officer).get(reverse("review:certificate", args=[rnd.pk, entry_of(rnd, poor).pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf, tmp_path)
    assert "GIẤY CHỨNG NHẬN HỘ NGHÈO" in text
    assert "Năm 2027" in text
    assert "Hồ Văn Minh" in text and "Mã hộ: H0001" in text
    assert "Thôn V1, xã Thử 97001, tỉnh Thử 97" in text
    assert "Chuẩn nghèo đa chiều giai đoạn 2022-2025".lower() in text.lower()
    assert "Nghị định 07/2021/NĐ-CP" in text
    assert "từ ngày 01/01/2027 đến ngày 31/12/2027" in text
    assert "Hồ Thị Lan 2017 Con" in text and "1980 Chủ hộ" in text
    assert CITIZEN_ID not in text and "20/05/1980" not in text


def test_no_certificate_for_a_household_that_is_not_poor(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _poor, other = _approved(geo_map, officer)

    response = _client(officer).get(
        reverse("review:certificate", args=[rnd.pk, entry_of(rnd, other).pk]), follow=True
    )

    assert (
        "Hộ này không phải hộ nghèo, hộ cận nghèo nên không có giấy chứng nhận." in response.content.decode()
    )


def test_no_certificate_before_approval(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)

    response = _client(officer).get(reverse("review:certificates", args=[rnd.pk]), follow=True)

    assert "Chỉ in giấy chứng nhận sau khi kết quả rà soát đã được phê duyệt." in response.content.decode()


@pytest.mark.parametrize("role", [Role.AGENCY_VIEWER, Role.LEADER])
def test_agency_viewers_and_leaders_may_not_download_certificates(geo_map: Map, role: Role) -> None:
    officer = _officer(geo_map)
    rnd, poor, _other = _approved(geo_map, officer)
    unit = geo_map.p if role == Role.LEADER else geo_map.c1  # a leader's scope is a province
    client = _client(scoped_user_factory(role=role, unit=unit))

    one = client.get(reverse("review:certificate", args=[rnd.pk, entry_of(rnd, poor).pk]))
    every = client.get(reverse("review:certificates", args=[rnd.pk]))

    assert (one.status_code, every.status_code) == (403, 403)
    reason = (
        "Vai trò lãnh đạo chỉ xem số liệu tổng hợp"
        if role == Role.LEADER
        else "không được tải giấy chứng nhận"
    )
    assert reason in one.content.decode() and reason in every.content.decode()


@needs_pdftotext
def test_all_certificates_of_the_round_and_of_a_village(geo_map: Map, tmp_path: Path) -> None:
    officer = _officer(geo_map)
    rnd, _poor, _other = _approved(geo_map, officer)
    client = _client(officer)

    whole = client.get(reverse("review:certificates", args=[rnd.pk]))
    v1b = client.get(reverse("review:certificates", args=[rnd.pk]) + f"?thon={geo_map.v1b.pk}")

    text = _pdf_text(b"".join(whole.streaming_content), tmp_path)  # type: ignore[attr-defined]
    assert text.count("GIẤY CHỨNG NHẬN") == 1  # H0002 is not poor
    assert "Không có giấy chứng nhận nào." in _pdf_text(b"".join(v1b.streaming_content), tmp_path)  # type: ignore[attr-defined]


# --- posting list and exports -------------------------------------------------------------------


@needs_pdftotext
def test_posting_list_pdf_is_public_while_posted_and_has_no_personal_ids(
    geo_map: Map, tmp_path: Path
) -> None:
    officer = _officer(geo_map)
    rnd, poor, head, child, other = _two_households(geo_map, officer)
    survey(
        rnd,
        poor,
        household_facts(income=POOR_INCOME * 2, deprived=3),
        [adult_facts(head), adult_facts(child, school_attendance="attending", has_labour_capacity=False)],
        officer,
    )
    survey(rnd, other, household_facts(income=30_000_000), [adult_facts(other.members.get())], officer)
    round_classify(review_round=rnd, actor=officer)
    rnd.refresh_from_db()
    for village_id in meeting_villages(rnd):
        entry = rnd.households.filter(village__pk=village_id).first() if village_id else None
        meeting_record(
            review_round=rnd,
            village=entry.village if entry is not None else None,
            held_on=timezone.localdate() - datetime.timedelta(days=3),
            chair="Trưởng thôn",
            attendees=10,
            agreeing=9,
            actor=officer,
        )
    start = timezone.localdate() - datetime.timedelta(days=1)
    posting_start(review_round=rnd, start_date=start, actor=officer)

    response = Client().get(reverse("review_public:posting_pdf", args=[rnd.pk]))

    assert response.status_code == 200
    text = _pdf_text(b"".join(response.streaming_content), tmp_path)  # type: ignore[attr-defined]
    assert "DANH SÁCH NIÊM YẾT CÔNG KHAI" in text
    assert "Kết quả rà soát hộ nghèo, hộ cận nghèo định kỳ năm 2026" in text
    assert "H0001 Hồ Văn Minh Thôn V1 Hộ nghèo" in text
    assert "H0002" not in text  # same rows as the public page: poor and near-poor only
    assert f"từ {start:%d/%m/%Y} đến" in text
    assert CITIZEN_ID not in text and "1980" not in text and "2017" not in text


def test_posting_list_pdf_of_an_approved_round_is_no_longer_public(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _poor, _other = _approved(geo_map, officer)  # posted 20-26/10/2026, approved after
    assert Client().get(reverse("review_public:posting_pdf", args=[rnd.pk])).status_code == 404


def test_posting_list_pdf_of_a_round_not_posted_is_404(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _two_households(geo_map, officer)
    assert Client().get(reverse("review_public:posting_pdf", args=[rnd.pk])).status_code == 404


def test_results_export(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, _poor, _other = _approved(geo_map, officer)

    response = _client(officer).get(reverse("review:results_export", args=[rnd.pk]))

    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = _sheet(data, "Kết quả rà soát")
    assert rows[0][0] == "Kết quả rà soát định kỳ năm 2026 — Xã Thử 97001"
    assert rows[1][:4] == ["Mã hộ", "Chủ hộ", "Thôn", "Phân loại"]
    assert [r[:4] for r in rows[2:]] == [
        ["H0001", "Hồ Văn Minh", "Thôn V1", "Hộ nghèo"],
        ["H0002", "Hồ Văn Minh", "Thôn V1B", "Hộ không nghèo"],
    ]
    assert rows[2][4] == 1_000_000  # 24,000,000 a year for 2 people
    assert rows[2][6] == 3
    assert rows[2][7] == "Chất lượng nhà ở; Nguồn nước sinh hoạt; Nhà tiêu hợp vệ sinh"
    assert CITIZEN_ID.encode() not in data


def test_a_leader_may_not_export_named_results(geo_map: Map) -> None:
    officer = _officer(geo_map)
    rnd, *_ = _approved(geo_map, officer)
    leader = scoped_user_factory(role=Role.LEADER, unit=geo_map.p)
    assert _client(leader).get(reverse("review:results_export", args=[rnd.pk])).status_code == 403


def test_transitions_export(geo_map: Map) -> None:
    officer = _officer(geo_map)
    poor, head = household_with_adult(commune=geo_map.c1, village=geo_map.v1, code="H0001")
    earlier = open_round(commune=geo_map.c1, households=[poor], actor=officer, year=2025)
    survey(earlier, poor, household_facts(income=POOR_INCOME, deprived=3), [adult_facts(head)], officer)
    approve(earlier, actor=officer, posting_day=datetime.date(2025, 10, 20))
    later = open_round(commune=geo_map.c1, households=[], actor=officer)
    survey(later, poor, household_facts(income=POOR_INCOME * 20), [adult_facts(head)], officer)
    approve(later, actor=officer, posting_day=datetime.date(2026, 10, 20))

    response = _client(officer).get(reverse("review:transitions_export", args=[later.pk]))

    rows = _sheet(b"".join(response.streaming_content), "Biến động")  # type: ignore[attr-defined]
    header = rows[1]
    assert rows[0][0].startswith("Biến động hộ nghèo, hộ cận nghèo — Xã Thử 97001")
    assert [r[0] for r in rows[2:]] == ["Thôn V1", "Toàn xã"]
    assert rows[2][header.index("Thoát nghèo")] == 1
    assert rows[3][header.index("Thoát nghèo")] == 1
    assert rows[3][header.index("Hộ nghèo còn lại")] == 0
