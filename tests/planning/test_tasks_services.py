"""Tasks, progress reports and reporting deadlines (``planning.services.tasks``): validation, permissions,
audit rows, nothing half-saved; the rows and the report-request matrix the pages show.

:func:`make_world` is shared with the views and exports tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import SettingsWrapper

from giamngheo.accounts.models import AuditEvent, Role, User
from giamngheo.geo.models import AdminUnit
from giamngheo.planning.models import (
    Agency,
    AgencyMember,
    DeadlineKind,
    Plan,
    PlanningAuditAction,
    ReportingDeadline,
    Task,
    TaskReport,
    TaskStatus,
    TimeframeKind,
)
from giamngheo.planning.services import tasks as services
from tests.accounts.factories import admin_factory, scoped_user_factory, user_factory
from tests.geo.factories import commune_factory, province_factory
from tests.planning.factories import agency_factory, plan_factory, task_factory

pytestmark = pytest.mark.django_db

D = dt.date
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class World:
    """Province 98 (communes c1, c2) with a 2026–2030 plan and its agencies; province 96 with its own
    plan. ``labour`` and ``vbsp`` members are agency viewers of province 98; ``outsider`` is a member of
    ``labour`` with no territory of their own."""

    p: AdminUnit
    c1: AdminUnit
    q: AdminUnit
    labour: Agency
    vbsp: Agency
    culture: Agency
    foreign: Agency
    admin: User
    officer: User
    leader: User
    labour_member: User
    vbsp_member: User
    outsider: User
    other_officer: User
    plan: Plan
    plan_q: Plan
    dated: Task
    annual: Task
    continuous: Task
    foreign_task: Task


def member(agency: Agency, *, unit: AdminUnit | None, **fields: Any) -> User:
    user = (
        scoped_user_factory(role=Role.AGENCY_VIEWER, unit=unit, **fields)
        if unit is not None
        else user_factory(role=Role.AGENCY_VIEWER, **fields)
    )
    AgencyMember.objects.create(agency=agency, user=user)
    return user


def make_world() -> World:
    p = province_factory(code="98", name="Tỉnh Thử")
    c1 = commune_factory(province=p, code="98001", name="Xã Một")
    commune_factory(province=p, code="98002", name="Xã Hai")
    q = province_factory(code="96", name="Tỉnh Bên")
    commune_factory(province=q, code="96001", name="Xã Bên")
    labour = agency_factory(unit=p, name="Sở Nông nghiệp và Môi trường")
    vbsp = agency_factory(unit=p, name="Ngân hàng Chính sách xã hội tỉnh")
    culture = agency_factory(unit=p, name="Sở Văn hóa, Thể thao và Du lịch")
    foreign = agency_factory(unit=q, name="Sở Tài chính tỉnh Bên")
    plan = plan_factory(unit=p, number="51/KH-UBND", title="Kế hoạch giảm nghèo bền vững 2026-2030")
    plan_q = plan_factory(unit=q, title="Kế hoạch của tỉnh Bên")
    dated = task_factory(
        plan=plan,
        text="Thành lập Ban Chỉ đạo giảm nghèo",
        section="I.1",
        lead=(labour,),
        coordinating=(vbsp,),
        timeframe_kind=TimeframeKind.DATED,
        month=4,
        year=2027,
        position=1,
    )
    annual = task_factory(
        plan=plan,
        text="Rà soát hộ nghèo, hộ cận nghèo",
        section="I.2",
        lead=(labour,),
        timeframe_kind=TimeframeKind.ANNUAL,
        month=9,
        position=2,
    )
    continuous = task_factory(
        plan=plan,
        text="Cho vay ưu đãi hộ nghèo",
        section="II.1",
        lead=(vbsp,),
        coordinating=(labour,),
        position=3,
    )
    foreign_task = task_factory(plan=plan_q, text="Nhiệm vụ của tỉnh Bên", lead=(foreign,))
    return World(
        p=p,
        c1=c1,
        q=q,
        labour=labour,
        vbsp=vbsp,
        culture=culture,
        foreign=foreign,
        admin=admin_factory(),
        officer=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=p, full_name="Trần Thị Bình"),
        leader=scoped_user_factory(role=Role.LEADER, unit=p),
        labour_member=member(labour, unit=p, full_name="Lê Văn Cường"),
        vbsp_member=member(vbsp, unit=p, full_name="Phạm Thị Dung"),
        outsider=member(labour, unit=None),
        other_officer=scoped_user_factory(role=Role.PROVINCE_OFFICER, unit=q),
        plan=plan,
        plan_q=plan_q,
        dated=dated,
        annual=annual,
        continuous=continuous,
        foreign_task=foreign_task,
    )


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture(autouse=True)
def _media(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _audits(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- task_save ---------------------------------------------------------------------------------------


def test_task_save_creates_a_task_at_the_end_with_an_audit_row(world: World) -> None:
    task = services.task_save(
        plan=world.plan,
        actor=world.officer,
        text="  Tuyên truyền về giảm nghèo  ",
        section="III",
        lead_agencies=[world.culture],
        coordinating_agencies=[world.labour, world.vbsp],
        timeframe_kind=TimeframeKind.ANNUAL,
        month=11,
        day=5,
        year=2027,  # an annual task has no year: dropped
    )
    assert task.text == "Tuyên truyền về giảm nghèo"
    assert task.position == 4
    assert task.province_code == "98"
    assert (task.month, task.day, task.year) == (11, 5, None)
    assert list(task.lead_agencies.all()) == [world.culture]
    assert {a.pk for a in task.coordinating_agencies.all()} == {world.labour.pk, world.vbsp.pk}
    [audit] = _audits(PlanningAuditAction.TASK_SAVED)
    assert audit.actor == world.officer
    assert audit.before is None
    assert audit.after is not None
    assert audit.after["lead_agencies"] == [world.culture.pk]
    assert audit.after["month"] == 11


def test_task_save_edits_and_records_before_and_after(world: World) -> None:
    services.task_save(
        plan=world.plan,
        actor=world.officer,
        task=world.dated,
        text="Thành lập Ban Chỉ đạo",
        lead_agencies=[world.labour],
        timeframe_kind=TimeframeKind.DATED,
        month=6,
        year=2027,
        status=TaskStatus.IN_PROGRESS,
    )
    world.dated.refresh_from_db()
    assert (world.dated.month, world.dated.status) == (6, TaskStatus.IN_PROGRESS)
    assert list(world.dated.coordinating_agencies.all()) == []
    [audit] = _audits(PlanningAuditAction.TASK_SAVED)
    assert audit.before is not None and audit.after is not None
    assert (audit.before["month"], audit.after["month"]) == (4, 6)
    assert audit.before["coordinating_agencies"] == [world.vbsp.pk]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"text": "   "}, "text", "nội dung"),
        ({"timeframe_kind": "dated", "month": 13, "year": 2027}, "month", "Tháng phải từ 1 đến 12"),
        ({"timeframe_kind": "dated", "month": 2, "day": 31, "year": 2027}, "day", "31/2 không có thật"),
        ({"timeframe_kind": "annual", "day": 5}, "day", "phải có tháng"),
        ({"timeframe_kind": "periodic"}, "every_months", "Định kỳ phải từ 1 đến 12"),
        ({"timeframe_kind": "periodic", "every_months": 24}, "every_months", "Định kỳ phải từ 1 đến 12"),
        (
            {"timeframe_kind": "dated", "month": 4, "year": 2025},
            "year",
            "trước ngày bắt đầu của kế hoạch (01/01/2026)",
        ),
        ({"timeframe_kind": "dated"}, "year", "Hãy nhập năm"),
        ({"timeframe_kind": "sometimes"}, "timeframe_kind", "không hợp lệ"),
        ({"status": "lost"}, "status", "không hợp lệ"),
    ],
)
def test_task_save_refuses_bad_input_and_saves_nothing(
    world: World, fields: dict[str, object], field: str, words: str
) -> None:
    before = Task.objects.count()
    arguments: dict[str, object] = {"text": "Nhiệm vụ mới", "timeframe_kind": "continuous", **fields}
    with pytest.raises(ValidationError) as caught:
        services.task_save(plan=world.plan, actor=world.officer, **arguments)  # type: ignore[arg-type]
    assert field in caught.value.message_dict
    assert words in " ".join(caught.value.message_dict[field])
    assert Task.objects.count() == before
    assert not _audits(PlanningAuditAction.TASK_SAVED)


def test_task_save_refuses_an_agency_both_lead_and_coordinating(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_save(
            plan=world.plan,
            actor=world.officer,
            text="X",
            timeframe_kind="continuous",
            lead_agencies=[world.labour],
            coordinating_agencies=[world.labour],
        )
    assert (
        "Sở Nông nghiệp và Môi trường đã là cơ quan chủ trì"
        in caught.value.message_dict["coordinating_agencies"][0]
    )


def test_task_save_refuses_an_agency_of_another_province(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.task_save(
            plan=world.plan,
            actor=world.officer,
            text="X",
            timeframe_kind="continuous",
            lead_agencies=[world.foreign],
        )
    assert caught.value.message_dict["lead_agencies"] == [
        "Cơ quan ngoài địa bàn của bạn: Sở Tài chính tỉnh Bên."
    ]


@pytest.mark.parametrize("who", ["leader", "other_officer", "labour_member"])
def test_task_save_is_refused_to_who_may_not_edit_the_plan(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.task_save(plan=world.plan, actor=getattr(world, who), text="X", timeframe_kind="continuous")
    assert Task.objects.filter(text="X").count() == 0


def test_task_save_refuses_a_task_of_another_plan(world: World) -> None:
    with pytest.raises(ValidationError, match="không thuộc kế hoạch"):
        services.task_save(
            plan=world.plan, actor=world.admin, task=world.foreign_task, text="X", timeframe_kind="continuous"
        )


def test_task_status_set_is_audited_and_needs_the_right_to_edit(world: World) -> None:
    services.task_status_set(task=world.dated, actor=world.officer, status=TaskStatus.DONE)
    world.dated.refresh_from_db()
    assert world.dated.status == TaskStatus.DONE
    [audit] = _audits(PlanningAuditAction.TASK_STATUS_SET)
    assert (audit.before, audit.after) == ({"status": "not_started"}, {"status": "done"})
    with pytest.raises(PermissionDenied):
        services.task_status_set(task=world.dated, actor=world.leader, status=TaskStatus.CANCELLED)
    with pytest.raises(ValidationError):
        services.task_status_set(task=world.dated, actor=world.officer, status="lost")
    world.dated.refresh_from_db()
    assert world.dated.status == TaskStatus.DONE


# --- task_report_submit ------------------------------------------------------------------------------


def _report(world: World, actor: User, task: Task, agency: Agency, **fields: object) -> TaskReport:
    arguments: dict[str, object] = {
        "period_label": "6 tháng đầu năm 2027",
        "period_end": D(2027, 6, 30),
        "progress": "Đã ban hành quyết định thành lập.",
        "status": TaskStatus.IN_PROGRESS,
        **fields,
    }
    return services.task_report_submit(task=task, actor=actor, agency=agency, **arguments)  # type: ignore[arg-type]


def test_lead_agency_member_reports_with_a_pdf_and_sets_the_status(world: World, tmp_path: Path) -> None:
    upload = SimpleUploadedFile("Báo cáo 6 tháng.pdf", PDF_BYTES, content_type="application/pdf")
    report = _report(world, world.labour_member, world.dated, world.labour, attachment=upload, status="done")
    assert report.submitted_by == world.labour_member
    assert report.province_code == "98"
    assert report.attachment.name.startswith("planning/reports/")
    assert report.attachment.name.endswith(".pdf")
    assert Path(report.attachment.path).read_bytes() == PDF_BYTES
    world.dated.refresh_from_db()
    assert world.dated.status == TaskStatus.DONE
    [reported] = _audits(PlanningAuditAction.TASK_REPORTED)
    assert reported.after is not None and reported.after["period_label"] == "6 tháng đầu năm 2027"
    [status] = _audits(PlanningAuditAction.TASK_STATUS_SET)
    assert status.after == {"status": "done", "report": report.pk}


def test_coordinating_agency_report_does_not_change_the_status(world: World) -> None:
    _report(world, world.vbsp_member, world.dated, world.vbsp, status=TaskStatus.DONE)
    world.dated.refresh_from_db()
    assert world.dated.status == TaskStatus.NOT_STARTED
    assert TaskReport.objects.filter(task=world.dated, agency=world.vbsp).count() == 1


def test_member_cannot_report_on_another_agencys_task(world: World) -> None:
    # The annual task names only the labour agency.
    with pytest.raises(PermissionDenied):
        _report(world, world.vbsp_member, world.annual, world.labour)
    assert not TaskReport.objects.exists()


def test_member_cannot_report_in_the_name_of_another_agency_of_the_task(world: World) -> None:
    with pytest.raises(PermissionDenied, match="không phải cán bộ của Sở Nông nghiệp và Môi trường"):
        _report(world, world.vbsp_member, world.dated, world.labour)
    assert not TaskReport.objects.exists()


def test_agency_not_given_the_task_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _report(world, world.officer, world.annual, world.culture)
    assert caught.value.message_dict["agency"] == [
        "Sở Văn hóa, Thể thao và Du lịch không được giao nhiệm vụ này."
    ]


def test_plan_officer_may_enter_a_report_for_an_agency(world: World) -> None:
    report = _report(world, world.officer, world.continuous, world.vbsp, status=TaskStatus.IN_PROGRESS)
    assert report.agency == world.vbsp
    world.continuous.refresh_from_db()
    assert world.continuous.status == TaskStatus.IN_PROGRESS


def test_leader_may_not_report(world: World) -> None:
    with pytest.raises(PermissionDenied):
        _report(world, world.leader, world.dated, world.labour)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("virus.exe", b"MZ\x90\x00", "Chỉ nhận tệp docx, jpg, pdf, png, xlsx"),
        ("bao-cao.pdf", b"<html>not a pdf</html>", "không phải tệp PDF thật"),
        ("anh.png", b"\xff\xd8\xff\xe0 a jpeg", "không phải tệp PNG thật"),
        ("rong.pdf", b"", "rỗng"),
        ("to.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "quá giới hạn 10 MB"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_saved(
    world: World, settings: SettingsWrapper, name: str, content: bytes, words: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as caught:
        _report(world, world.labour_member, world.dated, world.labour, attachment=upload)
    assert words in caught.value.message_dict["attachment"][0]
    assert not TaskReport.objects.exists()
    assert not _audits(PlanningAuditAction.TASK_REPORTED)
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_report_needs_a_period_in_the_plan_and_a_text(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        _report(
            world, world.labour_member, world.dated, world.labour, period_end=D(2025, 12, 31), progress=" "
        )
    errors = caught.value.message_dict
    assert errors["period_end"] == [
        "Kỳ báo cáo kết thúc ngày 31/12/2025, trước khi kế hoạch bắt đầu (01/01/2026)."
    ]
    assert errors["progress"] == ["Hãy nhập kết quả thực hiện."]
    assert not TaskReport.objects.exists()


def test_file_is_removed_when_the_report_cannot_be_saved(
    world: World, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**_: object) -> None:
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    upload = SimpleUploadedFile("bao-cao.pdf", PDF_BYTES)
    with pytest.raises(RuntimeError):
        _report(world, world.labour_member, world.dated, world.labour, attachment=upload)
    assert not TaskReport.objects.exists()
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))


# --- deadline_save -----------------------------------------------------------------------------------


def test_deadline_save_fills_in_a_text_and_is_audited(world: World) -> None:
    deadline = services.deadline_save(
        plan=world.plan, actor=world.officer, kind=DeadlineKind.ANNUAL, month=11, day=5
    )
    assert deadline.text == "Báo cáo trước ngày 05/11 hằng năm"
    assert deadline.province_code == "98"
    [audit] = _audits(PlanningAuditAction.DEADLINE_SAVED)
    assert audit.after is not None and audit.after["month"] == 11


def test_dated_deadline_before_the_plan_start_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.deadline_save(
            plan=world.plan, actor=world.officer, kind=DeadlineKind.DATED, month=12, day=10, year=2025
        )
    assert caught.value.message_dict["year"] == [
        "Thời hạn báo cáo ngày 10/12/2025 trước ngày bắt đầu của kế hoạch (01/01/2026): "
        "hãy kiểm tra lại năm, tháng."
    ]
    assert not ReportingDeadline.objects.exists()
    assert not _audits(PlanningAuditAction.DEADLINE_SAVED)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "periodic", "every_months": 0}, "every_months"),
        ({"kind": "dated", "month": 12}, "year"),
        ({"kind": "annual", "month": 2, "day": 30}, "day"),
        ({"kind": "weekly"}, "kind"),
    ],
)
def test_deadline_save_refuses_impossible_rules(world: World, fields: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.deadline_save(plan=world.plan, actor=world.officer, **fields)  # type: ignore[arg-type]
    assert field in caught.value.message_dict
    assert not ReportingDeadline.objects.exists()


def test_deadline_save_is_refused_to_a_leader(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.deadline_save(
            plan=world.plan, actor=world.leader, kind=DeadlineKind.PERIODIC, every_months=6
        )


# --- Reads ---------------------------------------------------------------------------------------------


def test_task_rows_flag_overdue_tasks_and_filter(world: World) -> None:
    today = D(2027, 10, 1)
    rows = services.task_rows(world.plan.tasks.all(), today)
    by_text = {r.task.text: r for r in rows}
    assert [r.task.pk for r in rows] == [world.dated.pk, world.annual.pk, world.continuous.pk]
    dated, annual, continuous = (by_text[t.text] for t in (world.dated, world.annual, world.continuous))
    assert (dated.overdue, dated.next_due, dated.timeframe) == (True, None, "Tháng 4/2027")
    assert (annual.overdue, annual.next_due, annual.timeframe) == (True, D(2028, 9, 30), "Hằng năm, tháng 9")
    assert (continuous.overdue, continuous.next_due, continuous.timeframe) == (False, None, "Thường xuyên")
    assert dated.lead == ("Sở Nông nghiệp và Môi trường",)
    assert dated.coordinating == ("Ngân hàng Chính sách xã hội tỉnh",)
    assert [g for g, _ in services.grouped(rows)] == ["I", "II"]

    overdue = services.task_rows(world.plan.tasks.all(), today, services.TaskFilters(overdue_only=True))
    assert [r.task.pk for r in overdue] == [world.dated.pk, world.annual.pk]
    of_vbsp = services.task_rows(world.plan.tasks.all(), today, services.TaskFilters(agency=world.vbsp))
    assert [r.task.pk for r in of_vbsp] == [world.dated.pk, world.continuous.pk]
    done = services.task_rows(world.plan.tasks.all(), today, services.TaskFilters(status=TaskStatus.DONE))
    assert done == []


def test_a_report_covering_the_due_date_clears_the_overdue_flag(world: World) -> None:
    _report(
        world,
        world.labour_member,
        world.annual,
        world.labour,
        period_label="năm 2027",
        period_end=D(2027, 12, 31),
    )
    [row] = [
        r for r in services.task_rows(world.plan.tasks.all(), D(2027, 10, 1)) if r.task.pk == world.annual.pk
    ]
    assert row.overdue is False
    assert row.last_report is not None and row.last_report.period_label == "năm 2027"


@pytest.mark.parametrize(
    ("section", "group"),
    [("II.1.4", "II"), ("E.5(2)", "E"), ("3", "3"), ("Tuyên truyền", "Tuyên truyền"), ("", "")],
)
def test_section_group(section: str, group: str) -> None:
    assert services.section_group(section) == group


def test_report_matrix_shows_who_has_not_reported(world: World) -> None:
    ReportingDeadline.objects.create(
        plan=world.plan,
        province_code="98",
        text="Định kỳ 6 tháng",
        kind=DeadlineKind.PERIODIC,
        every_months=6,
    )
    _report(
        world,
        world.labour_member,
        world.dated,
        world.labour,
        period_label="6 tháng đầu năm 2026",
        period_end=D(2026, 6, 30),
    )
    _report(
        world,
        world.labour_member,
        world.annual,
        world.labour,
        period_label="6 tháng đầu năm 2026",
        period_end=D(2026, 6, 30),
    )
    _report(
        world,
        world.labour_member,
        world.dated,
        world.labour,
        period_label="năm 2026",
        period_end=D(2026, 12, 31),
    )
    matrix = services.report_matrix(world.plan, D(2027, 7, 15))
    assert [p.label for p in matrix.periods] == ["6 tháng đầu năm 2026", "năm 2026", "6 tháng đầu năm 2027"]
    assert matrix.upcoming is not None and matrix.upcoming.label == "năm 2027"
    rows = {r.agency.name: r for r in matrix.rows}
    assert list(rows) == ["Ngân hàng Chính sách xã hội tỉnh", "Sở Nông nghiệp và Môi trường"]
    labour = rows["Sở Nông nghiệp và Môi trường"].cells
    # labour has three tasks (lead of two, coordinating one): 2/3, then 1/3, then none.
    assert [(c.state, c.reported, c.expected) for c in labour] == [
        ("partial", 2, 3),
        ("partial", 1, 3),
        ("none", 0, 3),
    ]
    assert labour[0].last is not None and labour[0].last.submitted_by == world.labour_member
    vbsp = rows["Ngân hàng Chính sách xã hội tỉnh"].cells
    assert [c.state for c in vbsp] == ["none", "none", "none"]
    assert matrix.missing == 4


def test_report_choices_offer_the_next_period_then_those_due(world: World) -> None:
    ReportingDeadline.objects.create(
        plan=world.plan, province_code="98", text="Trước 05/11", kind=DeadlineKind.ANNUAL, month=11, day=5
    )
    choices = services.report_choices(world.plan, D(2027, 7, 15))
    assert [(p.label, p.due) for p in choices] == [("năm 2027", D(2027, 11, 5)), ("năm 2026", D(2026, 11, 5))]
