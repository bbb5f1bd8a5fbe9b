"""The support records pages: territory (outside → 404), leaders refused (403 with the reason), the record
form with the live eligibility check and the supervisor's override field, the list with filters and its
Excel export, cancelling, the upload page, and the household's support section."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from decimal import Decimal

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.test import Client

from giamngheo.accounts.models import Role, User
from giamngheo.registry.models import Household, Member
from giamngheo.support.models import Beneficiary, Policy, SupportBatch, SupportRecord
from tests.accounts.conftest import Map, geo_map
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.registry.factories import household_factory, member_factory
from tests.support.factories import policy_factory, record_factory
from tests.support.test_records_data import approved_round
from tests.support.test_uploads import row, workbook

__all__ = ["geo_map"]

D = dt.date
RECORDS = "/ho-tro/da-ho-tro/"
ADD = "/ho-tro/da-ho-tro/ghi-nhan/"
CHECK = "/ho-tro/da-ho-tro/kiem-tra/"


@dataclass
class Page:
    geo: Map
    poor: Household
    near: Household
    member: Member
    loan: Policy
    card: Policy
    officer: User
    province: User


@pytest.fixture
def page(geo_map: Map) -> Page:
    poor = household_factory(commune=geo_map.c1, village=geo_map.v1, code="H001")
    near = household_factory(commune=geo_map.c1, village=geo_map.v1b, code="H002")
    member = member_factory(household=poor, full_name="Lò Văn Minh", citizen_id="001090000001")
    poor.head = member
    poor.save(update_fields=["head"])
    approved_round(geo_map.c1, [(poor, "poor"), (near, "near_poor")], approved_on=D(2025, 11, 20))
    return Page(
        geo=geo_map,
        poor=poor,
        near=near,
        member=member,
        loan=policy_factory(code="cho-vay", name="Cho vay hộ nghèo", eligible=["poor"], period="yearly"),
        card=policy_factory(
            code="the-bhyt", name="Thẻ BHYT", eligible=["poor", "near_poor"], beneficiary=Beneficiary.MEMBER
        ),
        officer=scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo_map.c1),
        province=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo_map.p),
    )


def client_for(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def text(response: object) -> str:
    content = response.content.decode()  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", content)


# --- access ---------------------------------------------------------------------------------------------


def test_a_leader_is_refused_the_records_pages_with_the_reason(page: Page) -> None:
    leader = scoped_user_factory(role=Role.LEADER, unit=page.geo.p)
    client = client_for(leader)
    for url in (RECORDS, ADD, "/ho-tro/da-ho-tro/tai-len/", f"/ho-tro/da-ho-tro/ho/{page.poor.pk}/"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp" in text(response)
    assert client.get("/ho-tro/chinh-sach/").status_code == 200  # the rules are not personal data
    assert Client().get(RECORDS).status_code == 302  # sign in first


def test_records_outside_the_territory_are_404(page: Page) -> None:
    record = record_factory(policy=page.loan, household=page.poor)
    outsider = scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=page.geo.c2)
    client = client_for(outsider)
    assert client.get(f"{RECORDS}{record.pk}/").status_code == 404
    assert client.get(f"/ho-tro/da-ho-tro/ho/{page.poor.pk}/").status_code == 404
    assert client.get(f"{ADD}?ho={page.poor.pk}").status_code == 404
    listing = client.get(RECORDS)
    assert listing.status_code == 200 and listing.context["count"] == 0


def test_a_village_surveyor_sees_but_may_not_record(page: Page) -> None:
    surveyor = scoped_user_factory(role=Role.VILLAGE_SURVEYOR, village=page.geo.v1)
    record_factory(policy=page.loan, household=page.poor)
    client = client_for(surveyor)
    assert client.get(RECORDS).context["count"] == 1
    refused = client.get(ADD)
    assert refused.status_code == 403 and "Rà soát viên thôn không ghi nhận hỗ trợ" in text(refused)


# --- recording one, with the live check ------------------------------------------------------------------


def test_choose_the_household_by_code_then_record(page: Page) -> None:
    client = client_for(page.officer)
    found = client.get(ADD, {"q": "h001"})
    assert [c.household for c in found.context["choices"]] == [page.poor]
    assert "Hộ nghèo" in text(found)
    form = client.get(ADD, {"ho": page.poor.pk})
    assert form.status_code == 200
    html = text(form)
    assert "Hôm nay: Hộ nghèo" in html and 'hx-post="/ho-tro/da-ho-tro/kiem-tra/?ho=' in html
    assert "override_reason" not in html  # a commune officer is no supervisor
    saved = client.post(
        f"{ADD}?ho={page.poor.pk}",
        {
            "policy": page.loan.pk,
            "given_on": "15/01/2026",
            "quantity": "1",
            "amount": "50.000.000",
            "reference": "V1",
        },
    )
    record = SupportRecord.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"{RECORDS}{record.pk}/"
    assert (record.amount, record.klass, record.recorded_by) == (Decimal(50_000_000), "poor", page.officer)
    detail = text(client.get(saved["Location"]))
    assert "Cho vay hộ nghèo" in detail and "50.000.000 đ" in detail and "Ghi nhận hỗ trợ" in detail


def test_the_live_check_says_why_and_shows_the_override_field_to_a_supervisor_only(page: Page) -> None:
    data = {"policy": page.loan.pk, "given_on": "15/01/2026", "quantity": "1"}
    officer = client_for(page.officer).post(f"{CHECK}?ho={page.near.pk}", data)
    html = text(officer)
    assert "Không thuộc diện được hưởng." in html
    assert "Ngày 15/01/2026 hộ là hộ cận nghèo" in html
    assert "Chỉ cán bộ tỉnh hoặc quản trị hệ thống mới được cho phép" in html
    assert 'name="override_reason"' not in html
    province = client_for(page.province).post(f"{CHECK}?ho={page.near.pk}", data)
    assert 'name="override_reason"' in text(province)
    fine = client_for(page.officer).post(f"{CHECK}?ho={page.poor.pk}", data)
    assert "Thuộc diện được hưởng." in text(fine) and 'name="override_reason"' not in text(fine)
    empty = client_for(page.officer).post(f"{CHECK}?ho={page.poor.pk}", {"given_on": "15/01/2026"})
    assert "Chọn chính sách và ngày hỗ trợ" in text(empty)


def test_a_duplicate_is_refused_on_the_form_and_a_supervisor_overrides_it(page: Page) -> None:
    first = record_factory(policy=page.loan, household=page.poor, given_on=D(2026, 1, 5), period_key="2026")
    data = {"policy": page.loan.pk, "given_on": "20/01/2026", "quantity": "1"}
    refused = client_for(page.officer).post(f"{ADD}?ho={page.poor.pk}", data)
    assert refused.status_code == 422
    assert f"bản ghi số {first.pk}" in text(refused)
    assert SupportRecord.objects.count() == 1
    province = client_for(page.province)
    again = province.post(f"{ADD}?ho={page.poor.pk}", data)
    assert again.status_code == 422 and 'name="override_reason"' in text(again)
    saved = province.post(
        f"{ADD}?ho={page.poor.pk}", {**data, "override_reason": "Theo công văn 15/UBND ngày 18/01/2026"}
    )
    assert saved.status_code == 302
    record = SupportRecord.objects.exclude(pk=first.pk).get()
    assert (record.override_reason, record.override_by) == (
        "Theo công văn 15/UBND ngày 18/01/2026",
        page.province,
    )
    assert "Cho phép ngoài điều kiện" in text(province.get(saved["Location"]))


def test_a_member_policy_offers_the_household_members(page: Page) -> None:
    client = client_for(page.officer)
    form = client.get(ADD, {"ho": page.poor.pk})
    assert list(form.context["form"].fields["member"].queryset) == [page.member]
    missing = client.post(
        f"{ADD}?ho={page.poor.pk}", {"policy": page.card.pk, "given_on": "15/01/2026", "quantity": "1"}
    )
    assert missing.status_code == 422 and "hãy chọn thành viên" in text(missing)
    ok = client.post(
        f"{ADD}?ho={page.poor.pk}",
        {"policy": page.card.pk, "member": page.member.pk, "given_on": "15/01/2026", "quantity": "1"},
    )
    assert ok.status_code == 302 and SupportRecord.objects.get().member == page.member


# --- the list, export, cancel ------------------------------------------------------------------------------


def test_the_list_filters_and_exports(page: Page) -> None:
    kept = record_factory(policy=page.loan, household=page.poor, given_on=D(2026, 1, 5), reference="A")
    record_factory(policy=page.card, household=page.poor, member=page.member, given_on=D(2025, 12, 1))
    record_factory(
        policy=page.loan,
        household=page.near,
        given_on=D(2026, 2, 1),
        eligible=False,
        override_reason="Lý do cụ thể",
    )
    record_factory(
        policy=page.loan,
        household=page.poor,
        given_on=D(2024, 2, 1),
        cancelled_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC),
    )
    client = client_for(page.officer)
    assert client.get(RECORDS).context["count"] == 3
    by_policy = client.get(
        RECORDS, {"policy": str(page.loan.pk), "date_from": "01/01/2026", "state": "eligible"}
    )
    assert [r.record for r in by_policy.context["rows"]] == [kept]
    assert client.get(RECORDS, {"state": "overridden"}).context["count"] == 1
    assert client.get(RECORDS, {"state": "cancelled"}).context["count"] == 1
    assert client.get(RECORDS, {"village": page.geo.v1b.pk}).context["count"] == 1
    partial = client.get(RECORDS, {"policy": page.loan.pk}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "Cho vay hộ nghèo" in text(partial)

    export = client.get("/ho-tro/da-ho-tro/xuat.xlsx", {"policy": page.loan.pk})
    assert export.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)))  # type: ignore[attr-defined]
    sheet = book.active
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=3)]
    assert sorted(v[3] for v in values) == ["H001", "H002"]
    assert "001090000001" not in str(values)


def test_cancel_a_record(page: Page) -> None:
    record = record_factory(policy=page.loan, household=page.poor)
    client = client_for(page.officer)
    assert "Huỷ bản ghi" in text(client.get(f"{RECORDS}{record.pk}/"))
    short = client.post(f"{RECORDS}{record.pk}/huy/", {"reason": "nhầm"})
    assert short.status_code == 200 and SupportRecord.objects.get().cancelled_at is None
    done = client.post(f"{RECORDS}{record.pk}/huy/", {"reason": "Ghi nhầm sang hộ khác"})
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.cancelled_at is not None
    detail = text(client.get(f"{RECORDS}{record.pk}/"))
    assert "Đã huỷ" in detail and "Ghi nhầm sang hộ khác" in detail
    assert client.get(f"{RECORDS}{record.pk}/huy/").status_code == 409


# --- the upload page -------------------------------------------------------------------------------------


def test_the_upload_page_lists_the_errors_or_saves_the_batch(page: Page) -> None:
    client = client_for(page.officer)
    template = client.get("/ho-tro/da-ho-tro/mau.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(template.streaming_content)))  # type: ignore[attr-defined]
    assert "cho-vay" in [c.value for c in book["Chính sách"]["A"]]
    bad = workbook([row(), row(household="H002")])
    refused = client.post("/ho-tro/da-ho-tro/tai-len/", {"workbook": io.BytesIO(bad)}, format="multipart")
    assert refused.status_code == 422
    html = text(refused)
    assert "Không lưu dòng nào: 1 dòng có lỗi" in html and "hộ cận nghèo" in html
    assert [e.row for e in refused.context["errors"]] == [5]
    assert not SupportRecord.objects.exists()
    good = io.BytesIO(workbook([row()]))
    good.name = "ho-tro.xlsx"
    saved = client.post("/ho-tro/da-ho-tro/tai-len/", {"workbook": good})
    assert saved.status_code == 302 and saved["Location"] == RECORDS
    assert SupportBatch.objects.get().file_name == "ho-tro.xlsx"


# --- the household's section ---------------------------------------------------------------------------


def test_the_household_section(page: Page) -> None:
    record_factory(policy=page.loan, household=page.poor, given_on=D(2026, 1, 5))
    record_factory(policy=page.loan, household=page.near, given_on=D(2026, 1, 5))
    response = client_for(page.officer).get(
        f"/ho-tro/da-ho-tro/ho/{page.poor.pk}/", headers={"HX-Request": "true"}
    )
    html = text(response)
    assert response.status_code == 200 and "<html" not in html
    assert "Diện hiện nay: Hộ nghèo" in html and "05/01/2026" in html
    assert len(response.context["rows"]) == 1
    assert f"?ho={page.poor.pk}" in html  # the button to record support for this household
    admin = client_for(admin_factory())
    assert admin.get(f"/ho-tro/da-ho-tro/ho/{page.near.pk}/").status_code == 200


def test_the_admin_reads_but_never_writes(page: Page) -> None:
    record_factory(policy=page.loan, household=page.poor)
    client = client_for(admin_factory(is_superuser=True))
    for model in ("policy", "supportrecord", "supportbatch"):
        assert client.get(f"/admin/support/{model}/").status_code == 200, model
        assert client.get(f"/admin/support/{model}/add/").status_code == 403, model
    record = SupportRecord.objects.get()
    assert (
        client.post(f"/admin/support/supportrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert SupportRecord.objects.filter(pk=record.pk).exists()
