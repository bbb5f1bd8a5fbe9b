"""The tasks pages: the plan's task list, the task form, an agency's own tasks and the progress report
form, the report requests, attachments; scoping (another province → 404) and refusals (403)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import User
from giamngheo.planning.models import DeadlineKind, ReportingDeadline, Task, TaskReport, TaskStatus
from giamngheo.planning.services import tasks as services
from tests.planning.factories import plan_factory, task_factory
from tests.planning.test_tasks_services import PDF_BYTES, World, make_world

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 10, 1)


@pytest.fixture
def world(settings: SettingsWrapper, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return make_world()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _text(response: object) -> str:
    content = getattr(response, "content", b"")
    assert isinstance(content, bytes)
    return content.decode()


def test_pages_need_a_signed_in_user(world: World) -> None:
    for url in (
        reverse("planning:tasks", args=[world.plan.pk]),
        reverse("planning:my_tasks"),
        reverse("planning:report_requests", args=[world.plan.pk]),
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


# --- List --------------------------------------------------------------------------------------------


def test_task_list_groups_by_section_with_lead_in_bold_and_overdue_in_red(world: World) -> None:
    response = _client(world.officer).get(reverse("planning:tasks", args=[world.plan.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert "Mục I" in text and "Mục II" in text
    assert text.index("Thành lập Ban Chỉ đạo giảm nghèo") < text.index("Cho vay ưu đãi hộ nghèo")
    assert "<strong>Sở Nông nghiệp và Môi trường</strong>" in text
    assert "Phối hợp: Ngân hàng Chính sách xã hội tỉnh" in text
    assert text.count('class="badge badge-unconfirmed"') == 2  # the dated and the annual task
    assert "Quá hạn" in text
    assert "30/09/2028" in text  # next due date of the annual task
    assert "2 quá hạn" in text
    assert reverse("planning:task_add", args=[world.plan.pk]) in text


def test_task_list_filters_and_answers_htmx_with_the_table_only(world: World) -> None:
    client = _client(world.officer)
    url = reverse("planning:tasks", args=[world.plan.pk])
    overdue = _text(client.get(url, {"qua_han": "on"}))
    assert "Thành lập Ban Chỉ đạo giảm nghèo" in overdue and "Cho vay ưu đãi hộ nghèo" not in overdue
    of_vbsp = _text(client.get(url, {"co_quan": world.vbsp.pk}))
    assert "Cho vay ưu đãi hộ nghèo" in of_vbsp and "Rà soát hộ nghèo" not in of_vbsp
    done = _text(client.get(url, {"trang_thai": TaskStatus.DONE}))
    assert "Không có nhiệm vụ nào." in done
    partial = client.get(url, {"qua_han": "on"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    assert "<html" not in _text(partial) and "Thành lập Ban Chỉ đạo" in _text(partial)


def test_leader_reads_the_list_without_edit_links(world: World) -> None:
    text = _text(_client(world.leader).get(reverse("planning:tasks", args=[world.plan.pk])))
    assert "Thành lập Ban Chỉ đạo giảm nghèo" in text
    assert reverse("planning:task_add", args=[world.plan.pk]) not in text


@pytest.mark.parametrize("name", ["tasks", "report_requests", "task_add", "deadline_add"])
def test_another_provinces_plan_is_not_found(world: World, name: str) -> None:
    response = _client(world.officer).get(reverse(f"planning:{name}", args=[world.plan_q.pk]))
    assert response.status_code == 404


# --- Task form ---------------------------------------------------------------------------------------


def test_officer_adds_a_task(world: World) -> None:
    response = _client(world.officer).post(
        reverse("planning:task_add", args=[world.plan.pk]),
        {
            "section": "III.1",
            "text": "Hỗ trợ nhà ở cho hộ nghèo",
            "lead_agencies": [world.culture.pk],
            "coordinating_agencies": [world.vbsp.pk],
            "timeframe_kind": "periodic",
            "every_months": "6",
            "status": TaskStatus.NOT_STARTED,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:tasks", args=[world.plan.pk])
    task = Task.objects.get(text="Hỗ trợ nhà ở cho hộ nghèo")
    assert (task.every_months, task.section) == (6, "III.1")
    assert list(task.lead_agencies.all()) == [world.culture]


def test_task_form_shows_the_service_refusal_on_the_field(world: World) -> None:
    response = _client(world.officer).post(
        reverse("planning:task_add", args=[world.plan.pk]),
        {
            "text": "Sai hạn",
            "timeframe_kind": "dated",
            "month": "12",
            "year": "2025",
            "status": "not_started",
        },
    )
    assert response.status_code == 400
    assert "trước ngày bắt đầu của kế hoạch (01/01/2026)" in _text(response)
    assert not Task.objects.filter(text="Sai hạn").exists()


def test_officer_edits_a_task(world: World) -> None:
    url = reverse("planning:task_edit", args=[world.plan.pk, world.dated.pk])
    client = _client(world.officer)
    assert "Thành lập Ban Chỉ đạo giảm nghèo" in _text(client.get(url))
    response = client.post(
        url,
        {
            "text": "Thành lập Ban Chỉ đạo",
            "lead_agencies": [world.labour.pk],
            "timeframe_kind": "dated",
            "month": "4",
            "year": "2027",
            "status": TaskStatus.DONE,
        },
    )
    assert response.status_code == 302
    world.dated.refresh_from_db()
    assert (world.dated.text, world.dated.status) == ("Thành lập Ban Chỉ đạo", TaskStatus.DONE)


@pytest.mark.parametrize("who", ["leader", "labour_member"])
def test_who_may_not_edit_the_plan_gets_403_and_nothing_changes(world: World, who: str) -> None:
    client = _client(getattr(world, who))
    url = reverse("planning:task_add", args=[world.plan.pk])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"text": "Không được", "timeframe_kind": "continuous", "status": "not_started"}
    )
    assert response.status_code == 403
    assert not Task.objects.filter(text="Không được").exists()
    edit = client.post(
        reverse("planning:task_edit", args=[world.plan.pk, world.dated.pk]),
        {"text": "Đổi", "timeframe_kind": "continuous", "status": "done"},
    )
    assert edit.status_code == 403
    world.dated.refresh_from_db()
    assert world.dated.text == "Thành lập Ban Chỉ đạo giảm nghèo"


def test_leader_403_page_says_why(world: World) -> None:
    response = _client(world.leader).post(reverse("planning:task_add", args=[world.plan.pk]), {})
    assert response.status_code == 403
    assert "Vai trò Lãnh đạo chỉ xem số liệu tổng hợp" in _text(response)


# --- My tasks and the progress report ----------------------------------------------------------------


def test_my_tasks_lists_my_agencys_tasks_across_plans(world: World) -> None:
    commune_plan = plan_factory(unit=world.c1, title="Kế hoạch của Xã Một")
    task_factory(plan=commune_plan, text="Hỗ trợ sinh kế ở Xã Một", lead=(world.labour,))
    task_factory(plan=commune_plan, text="Việc của ngân hàng", lead=(world.vbsp,))
    response = _client(world.labour_member).get(reverse("planning:my_tasks"))
    assert response.status_code == 200
    text = _text(response)
    for words in ("Thành lập Ban Chỉ đạo giảm nghèo", "Rà soát hộ nghèo", "Cho vay ưu đãi hộ nghèo"):
        assert words in text
    assert "Hỗ trợ sinh kế ở Xã Một" in text and "Kế hoạch của Xã Một" in text
    assert "Việc của ngân hàng" not in text
    assert "Báo cáo tiến độ" in text
    assert 'enctype="multipart/form-data"' in text
    assert "2 nhiệm vụ quá hạn." in text


def test_my_tasks_for_a_user_without_agency(world: World) -> None:
    text = _text(_client(world.officer).get(reverse("planning:my_tasks")))
    assert "Tài khoản của bạn chưa được gán cho cơ quan nào." in text


def test_member_without_territory_sees_and_reports_on_their_task(world: World) -> None:
    client = _client(world.outsider)
    assert "Rà soát hộ nghèo" in _text(client.get(reverse("planning:my_tasks")))
    response = client.post(
        reverse("planning:task_report", args=[world.annual.pk]),
        {
            "agency": world.labour.pk,
            "period": "năm 2026|2026-12-31",
            "progress": "Đã rà soát.",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    assert TaskReport.objects.get().submitted_by == world.outsider


def test_member_reports_with_an_attachment(world: World) -> None:
    url = reverse("planning:task_report", args=[world.dated.pk])
    client = _client(world.labour_member)
    form = _text(client.get(url))
    assert "năm 2027 (hạn 31/12/2027)" in form  # no deadline: yearly, the coming one first
    response = client.post(
        url,
        {
            "prefix": f"t{world.dated.pk}",
            f"t{world.dated.pk}-agency": world.labour.pk,
            f"t{world.dated.pk}-period": "năm 2026|2026-12-31",
            f"t{world.dated.pk}-progress": "Đã thành lập Ban Chỉ đạo.",
            f"t{world.dated.pk}-status": TaskStatus.DONE,
            f"t{world.dated.pk}-attachment": SimpleUploadedFile("QĐ thành lập.pdf", PDF_BYTES),
            "next": reverse("planning:my_tasks"),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("planning:my_tasks")
    report = TaskReport.objects.get()
    assert (report.agency, report.period_label, report.period_end) == (
        world.labour,
        "năm 2026",
        dt.date(2026, 12, 31),
    )
    world.dated.refresh_from_db()
    assert world.dated.status == TaskStatus.DONE


def test_bad_attachment_shows_the_message_and_saves_nothing(world: World) -> None:
    response = _client(world.labour_member).post(
        reverse("planning:task_report", args=[world.dated.pk]),
        {
            "agency": world.labour.pk,
            "period": "năm 2026|2026-12-31",
            "progress": "x",
            "status": "done",
            "attachment": SimpleUploadedFile("script.js", b"alert(1)"),
        },
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp docx, jpg, pdf, png, xlsx" in _text(response)
    assert not TaskReport.objects.exists()


def test_member_cannot_report_on_another_agencys_task(world: World) -> None:
    response = _client(world.vbsp_member).post(
        reverse("planning:task_report", args=[world.annual.pk]),
        {"agency": world.labour.pk, "period": "năm 2026|2026-12-31", "progress": "x", "status": "done"},
    )
    assert response.status_code == 403
    assert not TaskReport.objects.exists()


def test_member_cannot_pick_another_agency_of_the_task(world: World) -> None:
    # The dated task names both agencies; the bank's member may only report as the bank.
    response = _client(world.vbsp_member).post(
        reverse("planning:task_report", args=[world.dated.pk]),
        {"agency": world.labour.pk, "period": "năm 2026|2026-12-31", "progress": "x", "status": "done"},
    )
    assert response.status_code == 400
    assert not TaskReport.objects.exists()


def test_leader_may_not_report_and_other_province_does_not_find_the_task(world: World) -> None:
    url = reverse("planning:task_report", args=[world.dated.pk])
    assert _client(world.leader).get(url).status_code == 403
    assert _client(world.other_officer).get(url).status_code == 404


# --- Report requests and deadlines -------------------------------------------------------------------


def test_report_requests_show_who_reported_and_who_has_not(world: World) -> None:
    ReportingDeadline.objects.create(
        plan=world.plan,
        province_code="98",
        text="Định kỳ 6 tháng",
        kind=DeadlineKind.PERIODIC,
        every_months=6,
    )
    services.task_report_submit(
        task=world.dated,
        actor=world.labour_member,
        agency=world.labour,
        period_label="năm 2026",
        period_end=dt.date(2026, 12, 31),
        progress="Xong.",
        status="done",
        attachment=SimpleUploadedFile("bao-cao.pdf", PDF_BYTES),
    )
    response = _client(world.leader).get(reverse("planning:report_requests", args=[world.plan.pk]))
    assert response.status_code == 200
    text = _text(response)
    for label in ("6 tháng đầu năm 2026", "năm 2026", "6 tháng đầu năm 2027"):
        assert label in text
    assert "Kỳ tiếp theo: năm 2027, hạn 31/12/2027." in text
    assert "1/3 nhiệm vụ" in text
    assert "Lê Văn Cường" in text
    assert text.count("Chưa báo cáo</span>") == 5  # 2 agencies × 3 periods, minus the one reported
    report = TaskReport.objects.get()
    assert reverse("planning:report_attachment", args=[report.pk]) in text


def test_officer_adds_a_deadline_and_a_leader_may_not(world: World) -> None:
    url = reverse("planning:deadline_add", args=[world.plan.pk])
    data = {"kind": "annual", "month": "11", "day": "5", "text": ""}
    assert _client(world.leader).post(url, data).status_code == 403
    response = _client(world.officer).post(url, data)
    assert response.status_code == 302
    assert ReportingDeadline.objects.get().text == "Báo cáo trước ngày 05/11 hằng năm"
    wrong = _client(world.officer).post(url, {"kind": "dated", "month": "12", "day": "10", "year": "2025"})
    assert wrong.status_code == 400
    assert "trước ngày bắt đầu của kế hoạch" in _text(wrong)
    assert ReportingDeadline.objects.count() == 1


# --- Attachments -------------------------------------------------------------------------------------


def test_attachments_are_served_only_to_who_sees_the_plan(world: World) -> None:
    report = services.task_report_submit(
        task=world.dated,
        actor=world.labour_member,
        agency=world.labour,
        period_label="năm 2026",
        period_end=dt.date(2026, 12, 31),
        progress="Xong.",
        status="done",
        attachment=SimpleUploadedFile("bao-cao.pdf", PDF_BYTES),
    )
    url = reverse("planning:report_attachment", args=[report.pk])
    for user in (world.labour_member, world.leader, world.officer, world.outsider):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
        assert "attachment;" in response["Content-Disposition"]
    assert _client(world.other_officer).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_task_list_queries_do_not_grow_with_the_tasks(
    world: World, django_assert_max_num_queries: Callable[[int], AbstractContextManager[object]]
) -> None:
    client = _client(world.officer)
    url = reverse("planning:tasks", args=[world.plan.pk])
    client.get(url)
    for index in range(20):
        task = task_factory(
            plan=world.plan, text=f"Nhiệm vụ thêm {index}", lead=(world.labour,), section="IV"
        )
        services.task_report_submit(
            task=task,
            actor=world.labour_member,
            agency=world.labour,
            period_label="năm 2026",
            period_end=dt.date(2026, 12, 31),
            progress="Xong.",
            status="in_progress",
        )
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert "Nhiệm vụ thêm 19" in _text(response)
