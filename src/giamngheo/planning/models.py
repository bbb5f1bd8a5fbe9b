"""Plans (kế hoạch giảm nghèo), their targets (chỉ tiêu), tasks (nhiệm vụ) with lead and coordinating
agencies (cơ quan chủ trì, phối hợp), reporting deadlines (thời hạn báo cáo), progress reports and funding
lines (nguồn vốn) — the plans turned into something tracked.

Every table carries ``province_code`` (the distribution key). Models stay thin: writes go through
``planning.services`` (validated, in a transaction, audited), reads through ``planning.selectors``
(territory-scoped). Progress against targets is never typed in: it is read from the approved review
rounds (``reports`` figures).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanningAuditAction(models.TextChoices):
    """Audit actions of the ``planning`` context (stored in ``accounts.AuditEvent.action``)."""

    AGENCY_CREATED = "agency.created", _("Thêm cơ quan")
    AGENCY_UPDATED = "agency.updated", _("Sửa cơ quan")
    AGENCY_MEMBER_SET = "agency.member_set", _("Gán người dùng cho cơ quan")
    PLAN_CREATED = "plan.created", _("Tạo kế hoạch")
    PLAN_UPDATED = "plan.updated", _("Sửa kế hoạch")
    PLAN_IMPORTED = "plan.imported", _("Nhập kế hoạch từ văn bản")
    TARGET_SAVED = "target.saved", _("Lưu chỉ tiêu")
    TARGET_DELETED = "target.deleted", _("Xoá chỉ tiêu")
    TARGETS_CASCADED = "targets.cascaded", _("Phân bổ chỉ tiêu cho đơn vị cấp dưới")
    TASK_SAVED = "task.saved", _("Lưu nhiệm vụ")
    TASK_STATUS_SET = "task.status_set", _("Cập nhật trạng thái nhiệm vụ")
    TASK_REPORTED = "task.reported", _("Báo cáo tiến độ nhiệm vụ")
    DEADLINE_SAVED = "deadline.saved", _("Lưu thời hạn báo cáo")
    FUNDING_SAVED = "funding.saved", _("Lưu nguồn vốn")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ACTIVE = "active", _("Đang thực hiện")
    CLOSED = "closed", _("Đã kết thúc")


class Agency(models.Model):
    """An agency of a unit (cơ quan, đơn vị): Sở, Phòng, Ngân hàng Chính sách xã hội, Mặt trận, đoàn thể …

    ``kind``: the canonical agency type of ``planning/data/agencies.toml`` (``labour_social``, ``vbsp`` …)
    when known. ``aliases``: other names it is written by (abbreviations, old names), so an old plan
    resolves. ``successor``: the agency that took over its poverty-reduction work (the 2025 restructuring:
    Sở Lao động - Thương binh và Xã hội → Sở Nông nghiệp và Môi trường), from ``valid_to`` + 1 day.
    """

    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    kind = models.CharField(_("loại cơ quan"), max_length=64, blank=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế nhiệm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering: ClassVar[list[str]] = ["unit", "name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["unit", "name"], name="planning_agency_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyMember(models.Model):
    """A user working for an agency: sees and reports on that agency's tasks."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agencies")

    class Meta:
        verbose_name = _("cán bộ của cơ quan")
        verbose_name_plural = _("cán bộ của cơ quan")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["agency", "user"], name="planning_agency_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"


class Plan(models.Model):
    """A plan (kế hoạch) of a unit — a 2025 province or commune, or an older district — for a period,
    implementing a parent plan (a commune plan implements a province plan, which implements a national
    directive: ``parent``, or ``parent_reference`` when the parent is not in the system)."""

    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    title = models.CharField(_("tên kế hoạch"), max_length=500)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    legal_basis = models.TextField(_("căn cứ"), blank=True)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện kế hoạch"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    parent_reference = models.CharField(_("văn bản cấp trên"), max_length=500, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    #: The plan's own total of its funding (tổng nguồn vốn), as written: the lines must add up to it.
    funding_total = models.DecimalField(
        _("tổng nguồn vốn theo kế hoạch (triệu đồng)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_text = models.TextField(_("văn bản nguồn"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering: ClassVar[list[str]] = ["-period_start", "title"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="planning_plan_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class TargetKind(models.TextChoices):
    """What a target (chỉ tiêu) measures, and in which unit."""

    POOR_RATE_REDUCTION = "poor_rate_reduction", _("Giảm tỷ lệ hộ nghèo (điểm %)")
    POOR_HOUSEHOLDS_REDUCTION = "poor_households_reduction", _("Giảm số hộ nghèo (hộ)")
    END_POOR_RATE = "end_poor_rate", _("Tỷ lệ hộ nghèo cuối năm (%)")
    NEAR_POOR_RATE_REDUCTION = "near_poor_rate_reduction", _("Giảm tỷ lệ hộ cận nghèo (điểm %)")
    END_NEAR_POOR_RATE = "end_near_poor_rate", _("Tỷ lệ hộ cận nghèo cuối năm (%)")
    COVERAGE = "coverage", _("Tỷ lệ bao phủ hỗ trợ (%)")
    OTHER = "other", _("Chỉ tiêu khác")


class Target(models.Model):
    """A target of a plan for a unit and year (``year`` null: every year of the plan's period).
    ``value`` .. ``value_max``: a range ("1–1,5 điểm %/năm"), or one value. ``parent``: the target it was
    split from (cascade), with ``share_method``."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    kind = models.CharField(_("loại chỉ tiêu"), max_length=32, choices=TargetKind.choices)
    value = models.DecimalField(_("giá trị"), max_digits=14, decimal_places=2)
    value_max = models.DecimalField(
        _("giá trị tối đa"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    subject = models.CharField(_("đối tượng bao phủ"), max_length=255, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chỉ tiêu cấp trên"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    share_method = models.CharField(_("cách phân bổ"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering: ClassVar[list[str]] = ["plan", "year", "unit", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"


class TimeframeKind(models.TextChoices):
    CONTINUOUS = "continuous", _("Thường xuyên")
    ANNUAL = "annual", _("Hằng năm")
    DATED = "dated", _("Có thời hạn")
    PERIODIC = "periodic", _("Định kỳ")
    UNSPECIFIED = "unspecified", _("Chưa rõ")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


class Task(models.Model):
    """A task (nhiệm vụ) of a plan: its text, lead and coordinating agencies and timeframe.
    ``lead_text`` / ``coordinating_text``: the agencies as the plan writes them, kept beside the resolved
    ones (a name the agency list does not know stays readable)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    section = models.CharField(_("mục"), max_length=255, blank=True)
    text = models.TextField(_("nội dung"))
    lead_agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan chủ trì"), related_name="led_tasks", blank=True
    )
    coordinating_agencies = models.ManyToManyField(
        Agency, verbose_name=_("cơ quan phối hợp"), related_name="coordinated_tasks", blank=True
    )
    lead_text = models.TextField(_("cơ quan chủ trì (theo văn bản)"), blank=True)
    coordinating_text = models.TextField(_("cơ quan phối hợp (theo văn bản)"), blank=True)
    timeframe_kind = models.CharField(_("thời gian thực hiện"), max_length=16, choices=TimeframeKind.choices)
    timeframe_text = models.CharField(_("thời gian (theo văn bản)"), max_length=255, blank=True)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("ngày"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    every_months = models.PositiveSmallIntegerField(_("định kỳ (tháng)"), null=True, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering: ClassVar[list[str]] = ["plan", "position", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class TaskReport(models.Model):
    """A progress report (báo cáo tiến độ) an agency submits on a task, for a period, with an attachment."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="task_reports")
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    period_label = models.CharField(_("kỳ báo cáo"), max_length=64)
    period_end = models.DateField(_("đến ngày"))
    progress = models.TextField(_("kết quả thực hiện"))
    status = models.CharField(_("trạng thái nhiệm vụ"), max_length=16, choices=TaskStatus.choices)
    attachment = models.FileField(_("tệp đính kèm"), upload_to="planning/reports/%Y/", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")
        ordering: ClassVar[list[str]] = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.agency} — {self.period_label}"


class DeadlineKind(models.TextChoices):
    ANNUAL = "annual", _("Hằng năm")
    PERIODIC = "periodic", _("Định kỳ")
    DATED = "dated", _("Một lần")


class ReportingDeadline(models.Model):
    """A reporting deadline of a plan ("trước ngày 05 tháng 11 hằng năm", "định kỳ 6 tháng"): the
    periodic report requests and who has not reported follow from it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="deadlines")
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    text = models.TextField(_("nội dung"))
    kind = models.CharField(_("loại"), max_length=16, choices=DeadlineKind.choices)
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("ngày"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    every_months = models.PositiveSmallIntegerField(_("định kỳ (tháng)"), null=True, blank=True)
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)

    class Meta:
        verbose_name = _("thời hạn báo cáo")
        verbose_name_plural = _("thời hạn báo cáo")

    def __str__(self) -> str:
        return self.text[:80]


class FundingSource(models.TextChoices):
    """Funding sources of the plans (domain notes §4)."""

    CENTRAL = "central", _("Ngân sách trung ương")
    LOCAL = "local", _("Ngân sách địa phương")
    ODA_NGO = "oda_ngo", _("Vốn ODA, viện trợ phi chính phủ")
    COMMUNITY = "community", _("Huy động cộng đồng, doanh nghiệp")
    CREDIT = "credit", _("Vốn tín dụng Ngân hàng Chính sách xã hội")
    OTHER = "other", _("Nguồn khác")


class FundingLine(models.Model):
    """A funding line (nguồn vốn) of a plan: source, project (component project of the national target
    programme, or a name), unit and year, planned / allocated / disbursed in million VND."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="funding")
    unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    source = models.CharField(_("nguồn vốn"), max_length=16, choices=FundingSource.choices)
    project = models.CharField(_("dự án"), max_length=255, blank=True)
    label = models.CharField(_("nội dung"), max_length=500, blank=True)
    planned = models.DecimalField(_("kế hoạch (triệu đồng)"), max_digits=16, decimal_places=3)
    allocated = models.DecimalField(
        _("đã phân bổ (triệu đồng)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    disbursed = models.DecimalField(
        _("đã giải ngân (triệu đồng)"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    source_line = models.PositiveIntegerField(_("dòng trong văn bản"), null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("nguồn vốn")
        verbose_name_plural = _("nguồn vốn")
        ordering: ClassVar[list[str]] = ["plan", "year", "source", "project"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.planned}"
