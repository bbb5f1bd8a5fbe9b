"""The import pages through the client: upload or paste → draft → confirm → result, on both real plans."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from giamngheo.accounts.models import Role, User
from giamngheo.planning.models import Agency, Plan
from giamngheo.planning.plans_views import DRAFTS_KEY
from giamngheo.planning.services import importing
from giamngheo.planning.services.agencies import agencies_seed
from tests.accounts.factories import PASSWORD, admin_factory, scoped_user_factory
from tests.planning.test_plans_services import demo_geo, yen_bai_units

pytestmark = pytest.mark.django_db

DATA = Path(__file__).with_name("data")
IMPORT_URL = reverse("planning:plan_import")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _login(client: Client, user: User) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def _upload(client: Client, unit: str, path: Path, **extra: Any) -> str:
    """Upload ``path`` for ``unit``; the draft's token."""
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/plain")
    response = client.post(IMPORT_URL, {"unit": unit, "file": upload, "text": "", **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"].rstrip("/").rsplit("/", 1)[-1]


def _draft(client: Client, token: str) -> importing.ImportDraft:
    return importing.ImportDraft.from_json(client.session[DRAFTS_KEY][token])


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def draft_post(
    draft: importing.ImportDraft, *, drop: dict[str, set[int]] | None = None, **header: Any
) -> dict[str, Any]:
    """What the browser sends for ``draft`` with every row kept except those in ``drop``."""
    drop = drop or {}
    h = draft.header
    data: dict[str, Any] = {
        "h-title": h.title,
        "h-number": h.number,
        "h-issuer": h.issuer,
        "h-issued_on": _date(h.issued_on),
        "h-period_start": _date(h.period_start),
        "h-period_end": _date(h.period_end),
        "h-parent": h.parent or "",
        "h-parent_reference": h.parent_reference,
        "h-legal_basis": h.legal_basis,
        "h-status": h.status,
        "h-funding_total": h.funding_total,
    }
    data.update({f"h-{name}": value for name, value in header.items()})
    timing = ("month", "day", "year", "every_months")
    tables = (
        ("t", "targets", draft.targets, ("kind", "value", "value_max", "year", "unit", "subject")),
        ("k", "tasks", draft.tasks, ("text", "lead", "coordinating", "timeframe_kind", *timing)),
        ("d", "deadlines", draft.deadlines, ("text", "kind", *timing)),
        ("f", "funding", draft.funding, ("source", "label", "amount")),
    )
    for prefix, table, rows, names in tables:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": len(rows),
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, row in enumerate(rows):
            if i not in drop.get(table, set()):
                data[f"{prefix}-{i}-keep"] = "on"
            for name in names:
                value = getattr(row, name)
                data[f"{prefix}-{i}-{name}"] = "" if value is None else value
    return data


def _docx(*paragraphs: str) -> bytes:
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>' for text in paragraphs
    )
    document = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


# --- Yên Bái: upload, draft, confirm ------------------------------------------------------------------


def test_yen_bai_upload_draft_confirm_and_result(client: Client) -> None:
    province, districts = yen_bai_units()
    agencies_seed(unit=province, actor=None)
    _login(client, admin_factory())
    token = _upload(client, "tinh-cu-15", DATA / "plan-yen-bai-2019.txt")

    page = client.get(reverse("planning:plan_import_draft", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã đọc được 29 chỉ tiêu, 35 nhiệm vụ, 3 thời hạn báo cáo và 5 nguồn vốn." in html
    assert 'href="#L43"' in html and 'id="L43"' in html  # Trạm Tấu's targets, linked to their line
    assert "Huyện Trạm Tấu giảm trên 8,50% (giảm 453 hộ)" in html  # the sentence quoted
    assert f'<option value="{districts["Huyện Trạm Tấu"].pk}" selected>' in html
    assert 'value="5.440.412"' in html
    assert 'id="draft-existing"' not in html

    draft = _draft(client, token)
    response = client.post(reverse("planning:plan_import_draft", args=[token]), draft_post(draft))
    assert response.status_code == 302, response.content.decode()[:3000]
    result = client.get(response["Location"])
    text = result.content.decode()
    assert 'id="saved-targets">29<' in text and 'id="saved-tasks">35<' in text
    assert 'id="saved-deadlines">3<' in text and 'id="saved-funding">5<' in text
    assert "Cơ quan mới được thêm" in text
    plan = Plan.objects.get()
    assert (plan.targets.count(), plan.tasks.count(), plan.deadlines.count(), plan.funding.count()) == (
        29,
        35,
        3,
        5,
    )
    assert token not in client.session[DRAFTS_KEY]  # the draft is gone once saved
    detail = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert 'id="L27"' in detail and "funding-warning" not in detail
    # importing the same file again: the draft says the unit already has that plan
    again = _upload(client, "tinh-cu-15", DATA / "plan-yen-bai-2019.txt")
    notice = client.get(reverse("planning:plan_import_draft", args=[again])).content.decode()
    assert (
        'id="draft-existing"' in notice
        and f'href="{reverse("planning:plan_detail", args=[plan.pk])}"' in notice
    )


def test_yen_bai_wrong_total_is_refused_on_the_page_then_accepted(client: Client) -> None:
    yen_bai_units()
    _login(client, admin_factory())
    token = _upload(client, "tinh-cu-15", DATA / "plan-yen-bai-2019.txt")
    draft = _draft(client, token)
    url = reverse("planning:plan_import_draft", args=[token])

    refused = client.post(url, draft_post(draft, funding_total="5.000.000"))
    assert refused.status_code == 400
    assert (
        "nhiều hơn tổng nguồn vốn của kế hoạch (5.000.000 triệu đồng) 440.412 triệu đồng"
        in refused.content.decode()
    )
    assert not Plan.objects.exists()

    accepted = client.post(url, draft_post(draft, funding_total="5.000.000", accept_total_mismatch="on"))
    assert accepted.status_code == 302
    plan = Plan.objects.get()
    detail = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert "funding-warning" in detail and "440.412 triệu đồng" in detail


# --- Kon Rẫy: a province officer imports the old district's plan -------------------------------------


def test_kon_ray_through_the_pages_with_corrections(client: Client) -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    agencies_seed(unit=geo.district, actor=None)
    before = Agency.objects.count()
    seeded = set(Agency.objects.values_list("pk", flat=True))
    _login(client, officer)
    token = _upload(client, "huyen-614", DATA / "plan-kon-ray-2022.md")
    draft = _draft(client, token)
    assert draft.kept() == {"targets": 2, "tasks": 28, "deadlines": 2, "funding": 0}
    url = reverse("planning:plan_import_draft", args=[token])
    page = client.get(url).content.decode()
    assert "Phân công: dòng 27" in page  # task 1.3 and the line that assigns it

    # a start in 2026: the two tasks due in April 2022 are refused, and nothing is saved
    refused = client.post(url, draft_post(draft, period_start="01/01/2026"))
    assert refused.status_code == 400
    problems = refused.content.decode().split('id="draft-problems"')[1].split("</section>")[0]
    assert problems.count("trước ngày bắt đầu của kế hoạch (01/01/2026)") == 2
    assert 'href="#draft-task-3">Nhiệm vụ 4 (dòng 29)</a>' in problems
    assert not Plan.objects.exists() and Agency.objects.count() == before

    # the start as read (2022), first task and one target left out
    data = draft_post(draft, drop={"tasks": {0}, "targets": {0}})
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    plan = Plan.objects.get()
    assert (plan.targets.count(), plan.tasks.count(), plan.deadlines.count(), plan.funding.count()) == (
        1,
        27,
        2,
        0,
    )
    labour = Agency.objects.get(unit=geo.district, kind="labour_social")
    assert plan.tasks.filter(lead_agencies=labour).count() == 13
    result = client.get(saved["Location"]).content.decode()
    new = sorted(Agency.objects.exclude(pk__in=seeded).values_list("name", flat=True))
    # task 1.1 ("Các cơ quan, đơn vị thuộc Ủy ban nhân dân huyện") was left out: its lead is not added
    assert new == ["Các cơ quan, đơn vị", "Các đoàn thể chính trị - xã hội"]
    listed = result.split('id="new-agencies"')[1]
    assert all(name in listed for name in new)
    # the chain: the district party committee's plan, as text
    detail = client.get(reverse("planning:plan_detail", args=[plan.pk])).content.decode()
    assert "Kế hoạch số 51-KH/HU ngày 23-11-2021 của Ban Thường vụ Huyện ủy" in detail


# --- formats and refusals -----------------------------------------------------------------------------


def test_docx_upload_and_pasted_text(client: Client) -> None:
    geo = demo_geo()
    _login(client, scoped_user_factory(role=Role.COMMUNE_OFFICER, unit=geo.commune))
    document = _docx(
        "KẾ HOẠCH",
        "Giảm nghèo bền vững xã Đăk Kôi năm 2026",
        "I. MỤC TIÊU",
        "- Giảm tỷ lệ hộ nghèo 3%/năm.",
        "II. NHIỆM VỤ",
        "1. Rà soát hộ nghèo, hộ cận nghèo.",
        "* Phân công thực hiện: Phòng Kinh tế chủ trì, phối hợp với Ủy ban Mặt trận Tổ quốc Việt Nam xã "
        "thực hiện trong tháng 9 hằng năm.",
    )
    upload = SimpleUploadedFile("ke-hoach.docx", document)
    response = client.post(IMPORT_URL, {"unit": "xa-23485", "file": upload})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    draft = _draft(client, token)
    assert draft.source_name == "ke-hoach.docx"
    assert [(t.kind, t.value) for t in draft.targets] == [("poor_rate_reduction", "3")]
    assert [(t.lead, t.timeframe_kind, t.month) for t in draft.tasks] == [("Phòng Kinh tế", "annual", 9)]

    pasted = client.post(
        IMPORT_URL,
        {"unit": "xa-23485", "text": "KẾ HOẠCH\nNăm 2026\n\nI. MỤC TIÊU\n\n- Giảm tỷ lệ hộ nghèo 2%"},
    )
    assert pasted.status_code == 302
    assert len(client.session[DRAFTS_KEY]) == 2


def test_bad_file_types_and_empty_input_are_refused_with_a_message(client: Client) -> None:
    demo_geo()
    _login(client, admin_factory())
    pdf = SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4 ...")
    response = client.post(IMPORT_URL, {"unit": "tinh-51", "file": pdf})
    assert response.status_code == 200
    assert (
        "Tệp ke-hoach.pdf không đọc được: chỉ nhận tệp văn bản .txt, .md hoặc Word .docx."
        in response.content.decode()
    )
    empty = client.post(IMPORT_URL, {"unit": "tinh-51", "text": "   "})
    assert "Hãy dán nội dung kế hoạch hoặc chọn tệp." in empty.content.decode()
    big = SimpleUploadedFile("lon.txt", b"a" * (importing.MAX_BYTES + 10))
    assert "tối đa 2 MB" in client.post(IMPORT_URL, {"unit": "tinh-51", "file": big}).content.decode()
    assert DRAFTS_KEY not in client.session


def test_import_scoping(client: Client) -> None:
    geo = demo_geo()
    officer = scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.province)
    _login(client, officer)
    page = client.get(IMPORT_URL).content.decode()
    assert 'value="tinh-51"' in page and 'value="huyen-614"' in page
    assert 'value="tinh-98"' not in page  # another province is not offered
    refused = client.post(IMPORT_URL, {"unit": "tinh-98", "text": "KẾ HOẠCH\nNăm 2026"})
    assert refused.status_code == 200
    assert "Bạn không được lập kế hoạch cho đơn vị này." in refused.content.decode()
    token = _upload(client, "tinh-51", DATA / "plan-kon-ray-2022.md")

    other = Client()
    _login(other, scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=geo.other_province))
    assert (
        other.get(reverse("planning:plan_import_draft", args=[token])).status_code == 404
    )  # not their session

    leader = Client()
    _login(leader, scoped_user_factory(role=Role.LEADER, unit=geo.province))
    response = leader.get(IMPORT_URL)
    assert response.status_code == 403
    assert "Lãnh đạo" in response.content.decode()
