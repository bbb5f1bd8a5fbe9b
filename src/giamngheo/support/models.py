"""Support delivered (hỗ trợ đã thực hiện): the policy catalogue, support records with their eligibility
checked against the approved review results, the helpers assigned to poor households (cán bộ, đơn vị giúp
đỡ) and their visits, and jobs matching (người tìm việc, việc làm, giới thiệu việc làm).

Every table carries ``province_code`` (the distribution key). Models stay thin: writes go through
``support.services`` (validated, in a transaction, audited), reads through ``support.selectors``
(territory-scoped). Eligibility is never typed in: it is computed from the household's class in the
approved review round in force on the date of the support (``support.eligibility``), and stored with the
record as a snapshot with its provenance (the round).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupportAuditAction(models.TextChoices):
    """Audit actions of the ``support`` context (stored in ``accounts.AuditEvent.action``)."""

    POLICY_SAVED = "policy.saved", _("Lưu chính sách hỗ trợ")
    SUPPORT_RECORDED = "support.recorded", _("Ghi nhận hỗ trợ")
    SUPPORT_BATCH_IMPORTED = "support.batch_imported", _("Nhập danh sách hỗ trợ từ Excel")
    SUPPORT_OVERRIDDEN = "support.overridden", _("Cho phép hỗ trợ ngoài điều kiện (có lý do)")
    SUPPORT_CANCELLED = "support.cancelled", _("Huỷ bản ghi hỗ trợ")
    HELPER_ASSIGNED = "helper.assigned", _("Phân công người giúp đỡ")
    HELPER_ENDED = "helper.ended", _("Kết thúc giúp đỡ")
    HELPER_VISIT_RECORDED = "helper.visit_recorded", _("Ghi nhận thăm hộ")
    JOB_SEEKER_SAVED = "job_seeker.saved", _("Lưu người tìm việc")
    JOB_OPENING_SAVED = "job_opening.saved", _("Lưu việc làm")
    PLACEMENT_RECORDED = "placement.recorded", _("Ghi nhận giới thiệu việc làm thành công")


class Beneficiary(models.TextChoices):
    HOUSEHOLD = "household", _("Hộ gia đình")
    MEMBER = "member", _("Thành viên")


class SupportPeriod(models.TextChoices):
    """How often the same policy may be given to the same beneficiary (a second record in the same
    period is a duplicate)."""

    ONCE = "once", _("Một lần")
    YEARLY = "yearly", _("Mỗi năm một lần")
    MONTHLY = "monthly", _("Mỗi tháng một lần")
    ANY = "any", _("Không giới hạn")


class CoverageBasis(models.TextChoices):
    """What the coverage of a policy is measured against."""

    MEMBERS = "members", _("Mọi thành viên của hộ thuộc diện (ví dụ thẻ BHYT)")
    HOUSEHOLDS = "households", _("Hộ thuộc diện")
    HOUSEHOLDS_WITH_NEED = "households_with_need", _("Hộ thuộc diện có nhu cầu")


class Policy(models.Model):
    """A support policy (chính sách hỗ trợ) of the catalogue: national (``unit`` null) or a unit's own.

    ``eligible``: who may receive it — a list of ``poor``, ``near_poor``, ``newly_escaped`` (escaped
    within ``escaped_within_years`` years of the approval), ``middle_living`` (the middle-living farm
    households of the standard) — combined with ``ethnic_minority_only`` and ``area`` ("" any, ``urban``,
    ``rural``). ``need``: the review's support-need id (``review/data/procedure-24-2021.toml``) this
    policy answers, for the gaps. Legal basis cited per policy (``legal_basis``, ``citation_status``).
    """

    code = models.SlugField(_("mã chính sách"), max_length=64)
    name = models.CharField(_("tên chính sách"), max_length=255)
    legal_basis = models.TextField(_("căn cứ pháp lý"))
    citation_status = models.CharField(_("mức xác minh"), max_length=16, default="best_reading")
    agency = models.ForeignKey(
        "planning.Agency",
        verbose_name=_("cơ quan phụ trách"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency_text = models.CharField(_("cơ quan phụ trách (tên)"), max_length=255, blank=True)
    unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, blank=True, db_index=True)
    beneficiary = models.CharField(_("đối tượng nhận"), max_length=16, choices=Beneficiary.choices)
    eligible = models.JSONField(_("diện được hưởng"), default=list)
    escaped_within_years = models.PositiveSmallIntegerField(
        _("mới thoát nghèo trong (năm)"), null=True, blank=True
    )
    ethnic_minority_only = models.BooleanField(_("chỉ hộ dân tộc thiểu số"), default=False)
    area = models.CharField(_("khu vực"), max_length=8, blank=True)
    need = models.CharField(_("nhu cầu hỗ trợ tương ứng"), max_length=32, blank=True)
    coverage_basis = models.CharField(_("cách tính độ bao phủ"), max_length=24, choices=CoverageBasis.choices)
    period = models.CharField(_("tần suất"), max_length=8, choices=SupportPeriod.choices)
    unit_label = models.CharField(_("đơn vị tính"), max_length=32, default="lần")
    default_amount = models.DecimalField(
        _("mức hỗ trợ"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("chính sách hỗ trợ")
        verbose_name_plural = _("chính sách hỗ trợ")
        ordering: ClassVar[list[str]] = ["name"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["code"], name="support_policy_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class SupportBatch(models.Model):
    """An Excel upload of support records (saved whole or not at all)."""

    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    file_name = models.CharField(_("tệp"), max_length=255)
    rows = models.PositiveIntegerField(_("số dòng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lô nhập hỗ trợ")
        verbose_name_plural = _("lô nhập hỗ trợ")

    def __str__(self) -> str:
        return self.file_name


class SupportRecord(models.Model):
    """Support given (hỗ trợ đã thực hiện) to a household or one of its members.

    ``klass`` / ``review_round``: the household's class in the approved round in force on ``given_on``
    and that round (null: no approved round then); ``eligible``: the policy's rule on that class, as
    computed when recorded. ``period_key``: the duplicate period (``2026``, ``2026-03``, ``once``).
    An ineligible or duplicate record exists only with ``override_reason`` (a supervisor's written
    reason, audited). ``cancelled_at``: withdrawn (kept, not counted)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("chính sách"), on_delete=models.PROTECT, related_name="records"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="support_records"
    )
    member = models.ForeignKey(
        "registry.Member",
        verbose_name=_("thành viên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_records",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    given_on = models.DateField(_("ngày hỗ trợ"))
    period_key = models.CharField(_("kỳ"), max_length=16)
    quantity = models.DecimalField(_("số lượng"), max_digits=14, decimal_places=2, default=1)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=16, decimal_places=0, null=True, blank=True)
    reference = models.CharField(_("số chứng từ"), max_length=64, blank=True)
    agency = models.ForeignKey(
        "planning.Agency",
        verbose_name=_("cơ quan thực hiện"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_round = models.ForeignKey(
        "review.ReviewRound",
        verbose_name=_("đợt rà soát căn cứ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    klass = models.CharField(_("diện của hộ khi hỗ trợ"), max_length=16, blank=True)
    eligible = models.BooleanField(_("đúng đối tượng"))
    override_reason = models.TextField(_("lý do cho phép"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    batch = models.ForeignKey(
        SupportBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="records"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("huỷ lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hỗ trợ đã thực hiện")
        verbose_name_plural = _("hỗ trợ đã thực hiện")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["province_code", "policy", "given_on"], name="support_rec_province_policy"),
            models.Index(fields=["commune", "policy"], name="support_rec_commune_policy"),
            models.Index(fields=["household", "policy", "period_key"], name="support_rec_duplicate"),
            # the coverage of a province or commune (``coverage_selectors``): the year's records of its
            # communes, read from the index alone
            models.Index(
                fields=["commune", "given_on"],
                include=["province_code", "policy", "household", "member", "village", "eligible"],
                condition=models.Q(cancelled_at__isnull=True),
                name="support_rec_commune_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id}/{self.household_id}/{self.given_on}"


class CoverageRound(models.Model):
    """An approved periodic review round whose coverage rows (:class:`CoverageHousehold`) are stored —
    kept even when the round has none, so that a round is stored once (``services.coverage``)."""

    review_round = models.OneToOneField(
        "review.ReviewRound",
        verbose_name=_("đợt rà soát"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    households = models.PositiveIntegerField(_("số hộ đã lưu"))
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("đợt rà soát đã lưu số liệu bao phủ")
        verbose_name_plural = _("đợt rà soát đã lưu số liệu bao phủ")

    def __str__(self) -> str:
        return f"{self.review_round_id}/{self.year}"


class CoverageHousehold(models.Model):
    """A household of an approved periodic review round as the coverage of the support policies reads it
    (số liệu lưu sẵn để tính độ bao phủ), what cannot change once the round is approved: its class in the
    round (``""``: no result), its village as listed, the support needs it stated and ``poor_before``,
    the latest earlier year in which it was poor or near-poor in an approved periodic round (null: never).
    Only the households some figure may count (``services.coverage``); derived data, rebuilt at will."""

    review_round = models.ForeignKey(
        "review.ReviewRound",
        verbose_name=_("đợt rà soát"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique constraint's index starts with it
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    klass = models.CharField(_("phân loại"), max_length=16, blank=True)
    poor_before = models.PositiveSmallIntegerField(_("năm nghèo, cận nghèo gần nhất trước đó"), null=True)
    needs = models.JSONField(_("nhu cầu hỗ trợ"), default=list)

    class Meta:
        verbose_name = _("hộ trong số liệu bao phủ")
        verbose_name_plural = _("hộ trong số liệu bao phủ")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["review_round", "household"], name="support_cov_round_household"),
        ]

    def __str__(self) -> str:
        return f"{self.review_round_id}/{self.household_id}/{self.klass}"


class HelperKind(models.TextChoices):
    PERSON = "person", _("Cá nhân (cán bộ, đảng viên)")
    ORGANISATION = "organisation", _("Cơ quan, đơn vị, doanh nghiệp")


class HelperAssignment(models.Model):
    """A helper (người, đơn vị giúp đỡ) of a poor household; one active (``ended_on`` null) at a time."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="helpers"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=HelperKind.choices)
    name = models.CharField(_("người, đơn vị giúp đỡ"), max_length=255)
    position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True)
    agency = models.ForeignKey(
        "planning.Agency",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("người giúp đỡ hộ nghèo")
        verbose_name_plural = _("người giúp đỡ hộ nghèo")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["household"],
                condition=models.Q(ended_on__isnull=True),
                name="support_one_active_helper",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class HelperVisit(models.Model):
    """A helper's visit to the household (thăm hộ) and what was done or agreed."""

    assignment = models.ForeignKey(HelperAssignment, on_delete=models.CASCADE, related_name="visits")
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    visited_on = models.DateField(_("ngày thăm"))
    note = models.TextField(_("nội dung"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần thăm hộ")
        verbose_name_plural = _("lần thăm hộ")
        ordering: ClassVar[list[str]] = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment_id}/{self.visited_on}"


class SeekerStatus(models.TextChoices):
    SEEKING = "seeking", _("Đang tìm việc")
    PLACED = "placed", _("Đã có việc")
    WITHDRAWN = "withdrawn", _("Không còn nhu cầu")


class JobSeeker(models.Model):
    """A job seeker (người tìm việc) from a poor or near-poor household. ``search_text``: name, skills,
    training and wishes folded (no diacritics) for search; ``skills``: normalised skill words."""

    member = models.ForeignKey(
        "registry.Member", verbose_name=_("người lao động"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="+"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    skills = models.JSONField(_("kỹ năng"), default=list, blank=True)
    training = models.CharField(_("trình độ, đào tạo"), max_length=255, blank=True)
    wishes = models.TextField(_("nguyện vọng"), blank=True)
    wants_abroad = models.BooleanField(_("muốn đi làm việc ở nước ngoài"), default=False)
    desired_wage = models.DecimalField(
        _("mức lương mong muốn (đồng/tháng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=SeekerStatus.choices, default=SeekerStatus.SEEKING
    )
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("người tìm việc")
        verbose_name_plural = _("người tìm việc")

    def __str__(self) -> str:
        return str(self.member_id)


class OpeningStatus(models.TextChoices):
    OPEN = "open", _("Đang tuyển")
    CLOSED = "closed", _("Đã đóng")


class JobOpening(models.Model):
    """A job opening (việc làm), at home or abroad (xuất khẩu lao động)."""

    province_code = models.CharField(_("mã tỉnh nơi đăng"), max_length=2, db_index=True)
    employer = models.CharField(_("đơn vị tuyển dụng"), max_length=255)
    title = models.CharField(_("vị trí"), max_length=255)
    place = models.CharField(_("nơi làm việc"), max_length=255)
    commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("xã nơi làm việc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    abroad = models.BooleanField(_("làm việc ở nước ngoài"), default=False)
    country = models.CharField(_("nước"), max_length=64, blank=True)
    skills = models.JSONField(_("kỹ năng cần"), default=list, blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    wage_min = models.DecimalField(
        _("lương từ (đồng/tháng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    wage_max = models.DecimalField(
        _("lương đến (đồng/tháng)"), max_digits=14, decimal_places=0, null=True, blank=True
    )
    positions = models.PositiveIntegerField(_("số lượng cần tuyển"))
    deadline = models.DateField(_("hạn nộp hồ sơ"), null=True, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=OpeningStatus.choices, default=OpeningStatus.OPEN
    )
    search_text = models.TextField(_("văn bản tìm kiếm"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("việc làm cần tuyển")
        verbose_name_plural = _("việc làm cần tuyển")

    def __str__(self) -> str:
        return f"{self.title} — {self.employer}"


class Placement(models.Model):
    """A job seeker placed in an opening (giới thiệu việc làm thành công)."""

    seeker = models.ForeignKey(JobSeeker, on_delete=models.PROTECT, related_name="placements")
    opening = models.ForeignKey(JobOpening, on_delete=models.PROTECT, related_name="placements")
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã của người lao động"), on_delete=models.PROTECT, related_name="+"
    )
    placed_on = models.DateField(_("ngày nhận việc"))
    note = models.TextField(_("ghi chú"), blank=True)
    extra = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("giới thiệu việc làm thành công")
        verbose_name_plural = _("giới thiệu việc làm thành công")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["seeker", "opening"], name="support_placement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} → {self.opening_id}"
