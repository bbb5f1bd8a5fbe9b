"""Review rounds (đợt rà soát) and what each step records: the list, Phiếu A, Phiếu B, results, village
meetings, posting and complaints.

Models stay thin: every write goes through ``review.services``; visibility is decided in
``review.selectors``. Every table carries ``province_code`` (the distribution key). Surveys store facts,
never verdicts: the class is computed by ``giamngheo.standards`` and stored, with its provenance, in
``Result`` rows that are appended, never overwritten.
"""

from __future__ import annotations

import datetime
from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class ReviewAuditAction(models.TextChoices):
    """Audit actions of the ``review`` context (stored in ``accounts.AuditEvent.action``)."""

    ROUND_CREATED = "review_round.created", _("Tạo đợt rà soát")
    APPLICATION_RECORDED = "review_application.recorded", _("Ghi nhận giấy đề nghị rà soát")
    PHIEU_A_RECORDED = "review_phieu_a.recorded", _("Ghi Phiếu A")
    SURVEY_SAVED = "review_survey.saved", _("Ghi Phiếu B")
    SURVEY_BATCH_SAVED = "review_survey.batch_saved", _("Ghi Phiếu B theo lô")
    CAUSES_RECORDED = "review_causes.recorded", _("Ghi nguyên nhân nghèo, nhu cầu hỗ trợ")
    ROUND_CLASSIFIED = "review_round.classified", _("Phân loại hộ")
    MEETING_RECORDED = "review_meeting.recorded", _("Ghi biên bản họp thôn")
    POSTING_STARTED = "review_posting.started", _("Niêm yết công khai")
    COMPLAINT_RECORDED = "review_complaint.recorded", _("Ghi nhận khiếu nại")
    COMPLAINT_SUBMITTED_ONLINE = "review_complaint.submitted_online", _("Nhận phản ánh, khiếu nại trực tuyến")
    COMPLAINT_RESOLVED = "review_complaint.resolved", _("Giải quyết khiếu nại")
    ROUND_APPROVED = "review_round.approved", _("Phê duyệt kết quả rà soát")
    ROUND_REPORTED = "review_round.reported", _("Báo cáo kết quả rà soát")


class RoundKind(models.TextChoices):
    PERIODIC = "periodic", _("Định kỳ")
    ONGOING = "ongoing", _("Thường xuyên")


class RoundStatus(models.TextChoices):
    """The steps of Decision 24/2021/QĐ-TTg art. 4, in order."""

    LISTING = "listing", _("Lập danh sách hộ")
    SURVEYING = "surveying", _("Thu thập thông tin hộ")
    CLASSIFIED = "classified", _("Đã phân loại")
    MEETING = "meeting", _("Đã họp thôn")
    POSTING = "posting", _("Đang niêm yết")
    APPROVED = "approved", _("Đã phê duyệt")
    REPORTED = "reported", _("Đã báo cáo")


STATUS_ORDER: tuple[str, ...] = tuple(RoundStatus.values)
APPROVED_STATUSES: tuple[str, ...] = (RoundStatus.APPROVED, RoundStatus.REPORTED)


class ListReason(models.TextChoices):
    CURRENT_LIST = "current_list", _("Đang trong danh sách hộ nghèo, hộ cận nghèo")
    APPLIED = "applied", _("Có giấy đề nghị rà soát")
    OTHER = "other", _("Khác")


class ApplicationKind(models.TextChoices):
    """What the household asked for in its application (giấy đề nghị)."""

    REVIEW = "review", _("Đề nghị rà soát")
    ESCAPE = "escape", _("Đề nghị công nhận thoát nghèo, thoát cận nghèo")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    RESURVEYED = "resurveyed", _("Đang phúc tra")
    RESOLVED = "resolved", _("Đã giải quyết")
    REJECTED = "rejected", _("Không chấp nhận")


OPEN_COMPLAINT_STATUSES: tuple[str, ...] = (ComplaintStatus.RECEIVED, ComplaintStatus.RESURVEYED)


class ComplaintChannel(models.TextChoices):
    """How a complaint reached the commune: recorded by an officer, or sent by a citizen on the public
    pages (``/cong-khai/``)."""

    OFFICER = "officer", _("Cán bộ ghi nhận")
    ONLINE = "online", _("Gửi trực tuyến")


class ComplaintKind(models.TextChoices):
    """A complaint (khiếu nại) about a result, or feedback (phản ánh, kiến nghị) on the posted list."""

    COMPLAINT = "complaint", _("Khiếu nại")
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị")


class ReviewRound(models.Model):
    """Review round (đợt rà soát) of one 2025 commune: periodic (định kỳ, once a year, 1 Sep – 14 Dec)
    or ongoing (thường xuyên, monthly from the 15th), Decision 24/2021/QĐ-TTg art. 3-5.

    ``reference_date`` picks the standard (``standards.standard_for``) and the members' ages; the
    standard's id and version are stored when the round is classified. ``version`` is bumped by every
    step (optimistic locking). One periodic round per commune and year.
    """

    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="review_rounds"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    kind = models.CharField(_("loại rà soát"), max_length=16, choices=RoundKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    reference_date = models.DateField(_("ngày rà soát"))
    status = models.CharField(
        _("bước"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.LISTING
    )
    standard_id = models.CharField(_("chuẩn nghèo"), max_length=64, blank=True)
    standard_version = models.PositiveIntegerField(_("phiên bản chuẩn"), null=True, blank=True)
    basis = models.CharField(
        _("cách xác định thu nhập"),
        max_length=8,
        choices=[("income", _("Thu nhập")), ("score", _("Điểm (Phiếu B)"))],
        default="income",
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    classified_at = models.DateTimeField(_("phân loại lúc"), null=True, blank=True)
    classified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phân loại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meetings_done_at = models.DateTimeField(_("họp thôn xong lúc"), null=True, blank=True)
    posting_started_at = models.DateTimeField(_("niêm yết lúc"), null=True, blank=True)
    posting_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người niêm yết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đợt rà soát")
        verbose_name_plural = _("đợt rà soát")
        ordering: ClassVar[list[str]] = ["commune", "-reference_date", "-id"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["commune", "year"],
                condition=models.Q(kind="periodic"),
                name="review_round_one_periodic_per_year",
            ),
            models.UniqueConstraint(
                fields=["commune", "year", "month"],
                condition=models.Q(kind="ongoing"),
                name="review_round_one_ongoing_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.kind} {self.year}"

    @property
    def is_approved(self) -> bool:
        return self.status in APPROVED_STATUSES


class RoundHousehold(models.Model):
    """Household on a round's list (hộ trong danh sách rà soát, Phụ lục I), with why it is listed, its
    Phiếu A answers (nhận dạng nhanh, for applicants), causes of poverty (nguyên nhân nghèo) and support
    needs (nhu cầu hỗ trợ). ``village`` is the household's village when it was listed."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("đợt rà soát"), on_delete=models.PROTECT, related_name="households"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="review_entries"
    )
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    reason = models.CharField(_("lý do đưa vào danh sách"), max_length=16, choices=ListReason.choices)
    application_kind = models.CharField(
        _("nội dung đề nghị"), max_length=16, choices=ApplicationKind.choices, blank=True
    )
    applied_on = models.DateField(_("ngày nộp đề nghị"), null=True, blank=True)
    phieu_a_answers = models.JSONField(_("trả lời Phiếu A"), null=True, blank=True)
    phieu_a_passed = models.BooleanField(_("qua nhận dạng nhanh"), null=True, blank=True)
    phieu_a_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi Phiếu A"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    causes = models.JSONField(_("nguyên nhân nghèo"), default=list, blank=True)
    support_needs = models.JSONField(_("nhu cầu hỗ trợ"), default=list, blank=True)
    reopened = models.BooleanField(_("đang phúc tra"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("hộ trong danh sách rà soát")
        verbose_name_plural = _("hộ trong danh sách rà soát")
        ordering: ClassVar[list[str]] = ["round", "household__code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["round", "household"], name="review_round_household_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.household_id}"

    @property
    def needs_survey(self) -> bool:
        """Listed poor/near-poor households and applicants that passed Phiếu A get a Phiếu B (the same rule
        as :func:`needs_survey_q` for queries)."""
        return self.reason != ListReason.APPLIED or self.phieu_a_passed is True


def needs_survey_q() -> models.Q:
    """``RoundHousehold.needs_survey`` as a query condition: not an applicant, or passed Phiếu A."""
    return ~models.Q(reason=ListReason.APPLIED) | models.Q(phieu_a_passed=True)


class Survey(models.Model):
    """Household information form (Phiếu B, Phụ lục III of Circular 07/2021/TT-BLĐTBXH): facts only.

    ``household_facts``: the household facts of ``standards.facts.HOUSEHOLD_FACTS`` (without
    ``household_id``). ``member_facts``: one dict per member, with ``member_id`` (the registry member)
    and the member facts; ``age`` and ``sex`` are taken from the registry member unless entered.
    """

    round_household = models.OneToOneField(
        RoundHousehold, verbose_name=_("hộ rà soát"), on_delete=models.PROTECT, related_name="survey"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    household_facts = models.JSONField(_("thông tin hộ"), default=dict, encoder=DjangoJSONEncoder)
    member_facts = models.JSONField(_("thông tin thành viên"), default=list, encoder=DjangoJSONEncoder)
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rà soát viên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    surveyed_on = models.DateField(_("ngày rà soát"))
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("phiếu B")
        verbose_name_plural = _("phiếu B")

    def __str__(self) -> str:
        return f"Phiếu B {self.round_household_id}"


class Result(models.Model):
    """Classification result (kết quả phân loại) of a household in a round, as ``standards.evaluate``
    produced it, with its provenance. A new classification appends rows and marks the older ones
    ``superseded``; rows are never changed otherwise."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("đợt rà soát"), on_delete=models.PROTECT, related_name="results"
    )
    round_household = models.ForeignKey(
        RoundHousehold, verbose_name=_("hộ rà soát"), on_delete=models.PROTECT, related_name="results"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="review_results"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    klass = models.CharField(_("phân loại"), max_length=16)
    area = models.CharField(_("khu vực"), max_length=8)
    members = models.PositiveSmallIntegerField(_("số nhân khẩu"))
    basis = models.CharField(_("cách xác định thu nhập"), max_length=8)
    income_per_person = models.FloatField(_("thu nhập bình quân đầu người/tháng"), null=True, blank=True)
    income_score = models.FloatField(_("điểm A"), null=True, blank=True)
    line = models.FloatField(_("chuẩn áp dụng"))
    deprived = models.JSONField(_("chỉ số thiếu hụt"), default=list)
    unknown = models.JSONField(_("chỉ số chưa xác định"), default=list)
    deprivation_count = models.PositiveSmallIntegerField(_("số chỉ số thiếu hụt"))
    missing = models.JSONField(_("dữ kiện còn thiếu"), default=list)
    standard_id = models.CharField(_("chuẩn nghèo"), max_length=64)
    standard_version = models.PositiveIntegerField(_("phiên bản chuẩn"))
    computed_at = models.DateTimeField(_("tính lúc"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tính"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded = models.BooleanField(_("đã thay thế"), default=False)
    superseded_at = models.DateTimeField(_("thay thế lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("kết quả phân loại")
        verbose_name_plural = _("kết quả phân loại")
        ordering: ClassVar[list[str]] = ["round", "household", "-computed_at", "-id"]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["round", "superseded", "klass"], name="review_result_current_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id}: {self.klass}"


class VillageMeeting(models.Model):
    """Village meeting (họp thôn, Decision 24/2021 art. 4 cl. 3): the results pass with the agreement of
    at least the procedure's share of the attendees (``procedure.meeting``). ``village`` is empty for
    the households of the round that have no village."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("đợt rà soát"), on_delete=models.PROTECT, related_name="meetings"
    )
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    held_on = models.DateField(_("ngày họp"))
    chair = models.CharField(_("chủ trì"), max_length=150)
    attendees = models.PositiveIntegerField(_("số người tham dự"))
    agreeing = models.PositiveIntegerField(_("số người đồng ý"))
    minutes = models.TextField(_("biên bản"), blank=True)
    passed = models.BooleanField(_("thông qua"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("họp thôn")
        verbose_name_plural = _("họp thôn")
        ordering: ClassVar[list[str]] = ["round", "village", "-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.village_id} {self.held_on}"


class Posting(models.Model):
    """Public posting (niêm yết công khai, art. 4 cl. 4): from ``start_date`` to ``end_date`` (the
    procedure's number of days), at ``places``."""

    round = models.OneToOneField(
        ReviewRound, verbose_name=_("đợt rà soát"), on_delete=models.PROTECT, related_name="posting"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    places = models.TextField(_("địa điểm niêm yết"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người niêm yết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("niêm yết")
        verbose_name_plural = _("niêm yết")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.start_date} – {self.end_date}"


class Complaint(models.Model):
    """Complaint (khiếu nại) about a round's results, received during the posting; a re-survey
    (phúc tra) reopens the household's Phiếu B and its classification."""

    round = models.ForeignKey(
        ReviewRound, verbose_name=_("đợt rà soát"), on_delete=models.PROTECT, related_name="complaints"
    )
    round_household = models.ForeignKey(
        RoundHousehold,
        verbose_name=_("hộ bị khiếu nại"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    complainant = models.CharField(_("người khiếu nại"), max_length=150)
    received_on = models.DateField(_("ngày nhận"))
    content = models.TextField(_("nội dung"))
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ComplaintStatus.choices, default=ComplaintStatus.RECEIVED
    )
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giải quyết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_on = models.DateField(_("ngày giải quyết"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)
    # Sent online (``review.services.public.complaint_submit_public``): the citizen follows it with
    # ``tracking_code`` (random, unguessable; empty for complaints recorded by an officer). ``contact``
    # is shown to the commune's officers only, never on a public page.
    tracking_code = models.CharField(
        _("mã tra cứu"), max_length=20, unique=True, null=True, blank=True, default=None
    )
    channel = models.CharField(
        _("hình thức tiếp nhận"),
        max_length=16,
        choices=ComplaintChannel.choices,
        default=ComplaintChannel.OFFICER,
    )
    contact = models.CharField(_("điện thoại hoặc email liên hệ"), max_length=150, blank=True)
    kind = models.CharField(
        _("loại"), max_length=16, choices=ComplaintKind.choices, default=ComplaintKind.COMPLAINT
    )
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("khiếu nại")
        verbose_name_plural = _("khiếu nại")
        ordering: ClassVar[list[str]] = ["round", "-received_on", "-id"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.complainant}"

    @cached_property
    def answer_due(self) -> datetime.date | None:
        """The last day for the commune's answer (``review.services.public.answer_due``, from the
        procedure's complaint window); ``None`` while the round has no posting. One query."""
        from giamngheo.review.services.public import answer_due_for_round  # the rule's one home

        return answer_due_for_round(self.round_id)

    @property
    def answer_overdue(self) -> bool:
        """Still open (received or re-surveyed) after the day its answer was due."""
        due = self.answer_due
        return due is not None and self.status in OPEN_COMPLAINT_STATUSES and timezone.localdate() > due
