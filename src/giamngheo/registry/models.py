"""Households (hộ gia đình), their members (nhân khẩu) and household events (sự kiện hộ).

Models stay thin: every write goes through ``registry.services``; visibility is decided in
``registry.selectors``. Every table carries ``province_code`` (the distribution key).
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from giamngheo.geo.models import AdminUnit, Generation, Level, Village
from giamngheo.registry.citizen_id import citizen_id_mismatch, validate_citizen_id_format
from giamngheo.registry.ethnicity import Ethnicity


class RegistryAuditAction(models.TextChoices):
    """Audit actions of the ``registry`` context (stored in ``accounts.AuditEvent.action``)."""

    HOUSEHOLD_CREATED = "household.created", _("Tạo hộ")
    HOUSEHOLD_UPDATED = "household.updated", _("Sửa thông tin hộ")
    MEMBER_ADDED = "member.added", _("Thêm nhân khẩu")
    MEMBER_UPDATED = "member.updated", _("Sửa thông tin nhân khẩu")
    MEMBER_MOVED = "member.moved", _("Chuyển nhân khẩu sang hộ khác")
    MEMBER_DIED = "member.died", _("Ghi nhận nhân khẩu qua đời")
    MEMBER_MIGRATED = "member.migrated", _("Ghi nhận nhân khẩu di cư")
    HOUSEHOLD_HEAD_SET = "household.head_set", _("Đổi chủ hộ")
    HOUSEHOLD_SPLIT = "household.split", _("Tách hộ")
    HOUSEHOLD_MERGED = "household.merged", _("Nhập hộ")
    HOUSEHOLD_MOVED_OUT = "household.moved_out", _("Ghi nhận hộ chuyển đi")


class HouseholdArea(models.TextChoices):
    """Urban or rural (thành thị / nông thôn); decides which poverty line applies."""

    URBAN = "urban", _("Thành thị")
    RURAL = "rural", _("Nông thôn")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Đang sinh sống")
    MERGED = "merged", _("Đã nhập vào hộ khác")
    DISSOLVED = "dissolved", _("Đã giải thể")
    MOVED_OUT = "moved_out", _("Đã chuyển đi")


class Sex(models.TextChoices):
    """Same values as the engine's member fact ``sex`` (``standards.facts.SEX_VALUES``)."""

    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class MemberStatus(models.TextChoices):
    PRESENT = "present", _("Đang ở trong hộ")
    MOVED_OUT = "moved_out", _("Đã chuyển đi")
    DECEASED = "deceased", _("Đã mất")


class EventKind(models.TextChoices):
    CREATED = "created", _("Lập hộ")
    UPDATED = "updated", _("Sửa thông tin hộ")
    MEMBER_ADDED = "member_added", _("Thêm nhân khẩu")
    MEMBER_MOVED = "member_moved", _("Chuyển nhân khẩu")
    SPLIT = "split", _("Tách hộ")
    MERGED = "merged", _("Nhập hộ")
    MEMBER_DIED = "member_died", _("Nhân khẩu qua đời")
    MEMBER_MIGRATED = "member_migrated", _("Nhân khẩu di cư")
    HEAD_CHANGED = "head_changed", _("Đổi chủ hộ")
    MOVED_OUT = "moved_out", _("Hộ chuyển đi")
    MEMBER_UPDATED = "member_updated", _("Sửa thông tin nhân khẩu")


class Household(models.Model):
    """Household (hộ gia đình) in the registry (sổ hộ) of a 2025 commune.

    ``code`` is unique within the commune. ``area`` defaults to the commune's ``default_area`` and may
    be overridden. ``version`` is incremented by every change (optimistic locking: a form sends back
    the version it was built from, see ``services.household_update``).
    """

    code = models.CharField(_("mã hộ"), max_length=32)
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="households"
    )
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    area = models.CharField(_("khu vực"), max_length=8, choices=HouseholdArea.choices)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    ethnic_minority = models.BooleanField(_("hộ dân tộc thiểu số"), default=False)
    meritorious_family = models.BooleanField(_("hộ người có công"), default=False)
    social_protection = models.BooleanField(_("hộ bảo trợ xã hội"), default=False)
    no_labour_capacity = models.BooleanField(_("hộ không có khả năng lao động"), default=False)
    head = models.ForeignKey(
        "registry.Member",
        verbose_name=_("chủ hộ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")
        ordering: ClassVar[list[str]] = ["commune", "code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["commune", "code"], name="registry_household_unique_code"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["province_code", "commune", "village"], name="registry_hh_territory_idx"),
            # Search by household code (case-insensitive: ``code__iexact`` is ``UPPER(code) = UPPER(…)``
            # on PostgreSQL) for a viewer who sees the whole country.
            models.Index(Upper("code"), name="registry_hh_code_upper_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        errors: dict[str, str] = {}
        commune = self.commune if self.commune_id else None
        if commune is not None:
            if commune.level != Level.COMMUNE or commune.generation != Generation.Y2025:
                errors["commune"] = gettext("Hộ phải thuộc một xã, phường hoặc đặc khu của bản đồ 2025.")
            if self.province_code != commune.province_code:
                errors["province_code"] = gettext("Mã tỉnh của hộ phải là mã tỉnh của xã.")
            if (
                self.village_id is not None
                and self.village is not None
                and self.village.commune_id != commune.pk
            ):
                errors["village"] = gettext("{name} không thuộc {commune}.").format(
                    name=self.village.name, commune=commune.name
                )
        if self.head_id is not None and self.head is not None and self.head.household_id != self.pk:
            errors["head"] = gettext("Chủ hộ phải là nhân khẩu của hộ.")
        if errors:
            raise ValidationError(errors)

    @property
    def territory(self) -> AdminUnit | Village:
        """The village if the household has one, else the commune (what permissions are checked on)."""
        return self.village if self.village is not None else self.commune


class Member(models.Model):
    """Member (nhân khẩu) of a household.

    ``full_name_search`` is ``full_name`` folded for search (lower case, no diacritics, đ → d), set by
    the services. ``citizen_id`` (số định danh cá nhân) is checked against
    Circular 59/2021/TT-BCA, article 7 (see ``registry.citizen_id``); it is indexed, not unique:
    duplicates are reported by ``selectors.citizen_id_duplicates``, not refused by the database.
    """

    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="members"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    full_name_search = models.CharField(
        _("họ và tên (tìm kiếm)"), max_length=150, db_index=True, editable=False
    )
    sex = models.CharField(_("giới tính"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=Ethnicity.choices, blank=True)
    # NULL, not "", when unknown: "no number" must never look like a shared (duplicate) number.
    citizen_id = models.CharField(  # noqa: DJ001
        _("số định danh cá nhân"),
        max_length=12,
        null=True,
        blank=True,
        db_index=True,
        validators=[validate_citizen_id_format],
    )
    relation_to_head = models.CharField(_("quan hệ với chủ hộ"), max_length=64, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=MemberStatus.choices, default=MemberStatus.PRESENT
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("nhân khẩu")
        verbose_name_plural = _("nhân khẩu")
        ordering: ClassVar[list[str]] = ["household", "id"]
        indexes: ClassVar[list[models.Index]] = [
            # the members living in a household, counted from the index alone (support coverage)
            models.Index(
                fields=["household"],
                condition=models.Q(status=MemberStatus.PRESENT),
                name="registry_member_present",
            ),
            # the few members no longer living in their household (support coverage of member policies)
            models.Index(
                fields=["id"],
                condition=~models.Q(status=MemberStatus.PRESENT),
                name="registry_member_absent",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.citizen_id:
            try:
                validate_citizen_id_format(self.citizen_id)
            except ValidationError:
                return  # reported by the field validator
            reason = citizen_id_mismatch(self.citizen_id, sex=self.sex, date_of_birth=self.date_of_birth)
            if reason is not None:
                raise ValidationError({"citizen_id": reason})


class HouseholdEvent(models.Model):
    """Household event (sự kiện hộ): what happened to a household, appended and never deleted."""

    kind = models.CharField(_("loại"), max_length=32, choices=EventKind.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("hộ"), on_delete=models.PROTECT, related_name="events"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    member = models.ForeignKey(
        Member,
        verbose_name=_("nhân khẩu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    other_household = models.ForeignKey(
        Household,
        verbose_name=_("hộ liên quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    date = models.DateField(_("ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("sự kiện hộ")
        verbose_name_plural = _("sự kiện hộ")
        ordering: ClassVar[list[str]] = ["household", "date", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.household_id}"
