"""Administrative units (đơn vị hành chính), villages and the old → new commune mapping."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class Generation(models.TextChoices):
    """Generation of the administrative map (thế hệ đơn vị hành chính).

    ``2025``: two tiers (province → commune) since 1 July 2025. ``pre-2025``: three tiers
    (province → district → commune) before that date; historical data keeps these units.
    """

    Y2025 = "2025", _("Hai cấp (từ 01/07/2025)")
    PRE_2025 = "pre-2025", _("Ba cấp (trước 01/07/2025)")


class Level(models.TextChoices):
    """Level of a unit (cấp hành chính)."""

    PROVINCE = "province", _("Cấp tỉnh")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")


class UnitType(models.TextChoices):
    """Type of a unit (loại đơn vị hành chính), as in the legal name of the unit."""

    # Province level (both generations)
    PROVINCE = "province", _("Tỉnh")
    CENTRAL_CITY = "central_city", _("Thành phố trung ương")
    # District level (pre-2025 only)
    URBAN_DISTRICT = "urban_district", _("Quận")
    RURAL_DISTRICT = "rural_district", _("Huyện")
    TOWN = "town", _("Thị xã")
    PROVINCIAL_CITY = "provincial_city", _("Thành phố thuộc tỉnh")
    # Commune level
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")
    TOWNSHIP = "township", _("Thị trấn")  # pre-2025 only


class Area(models.TextChoices):
    """Urban or rural area (khu vực thành thị / nông thôn); decides which poverty line applies."""

    URBAN = "urban", _("Thành thị")
    RURAL = "rural", _("Nông thôn")
    UNSET = "", _("Chưa xác định")


# Default area by unit type. A special zone (đặc khu) has none: it must be set per unit.
DEFAULT_AREA_BY_TYPE: dict[str, str] = {
    UnitType.WARD: Area.URBAN,
    UnitType.TOWNSHIP: Area.URBAN,
    UnitType.COMMUNE: Area.RURAL,
}


class GeoAuditAction(models.TextChoices):
    """Audit actions of the ``geo`` context (stored in ``accounts.AuditEvent.action``)."""

    UNITS_LOADED = "units.loaded", _("Nạp đơn vị hành chính 2025")
    UNITS_IMPORTED = "units.imported", _("Nhập đơn vị hành chính từ CSV")
    UNIT_MAPPINGS_IMPORTED = "unit_mappings.imported", _("Nhập bảng chuyển đổi xã cũ → mới")
    UNITS_PRE2025_LOADED = "units_pre2025.loaded", _("Nạp đơn vị hành chính trước 2025")
    UNIT_MAPPINGS_LOADED = "unit_mappings.loaded", _("Nạp bảng chuyển đổi xã cũ → mới")
    VILLAGE_CREATED = "village.created", _("Tạo thôn")
    VILLAGE_UPDATED = "village.updated", _("Sửa thôn")
    VILLAGE_CLOSED = "village.closed", _("Đóng thôn")


class AdminUnit(models.Model):
    """Administrative unit (đơn vị hành chính): a province, a district (pre-2025) or a commune.

    ``code`` is the GSO code as text (``"01"`` for a province, ``"001"`` for a district, ``"00004"``
    for a commune). Units are versioned: ``generation`` says which map the unit belongs to and
    ``valid_from``/``valid_to`` when it existed (``valid_to`` empty = still valid).
    ``province_code`` is repeated on every row (the distribution key, see the architecture notes).
    """

    code = models.CharField(_("mã"), max_length=10)
    name = models.CharField(_("tên"), max_length=150)
    level = models.CharField(_("cấp"), max_length=16, choices=Level.choices)
    unit_type = models.CharField(_("loại"), max_length=32, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    generation = models.CharField(_("thế hệ"), max_length=16, choices=Generation.choices)
    default_area = models.CharField(
        _("khu vực mặc định"), max_length=8, choices=Area.choices, blank=True, default=Area.UNSET
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering: ClassVar[list[str]] = ["generation", "level", "code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["generation", "level", "code"], name="geo_unit_unique_code"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["generation", "province_code", "level"], name="geo_unit_province_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class VillageKind(models.TextChoices):
    """Kind of village (loại thôn, tổ dân phố)."""

    THON = "thon", _("Thôn")
    BAN = "ban", _("Bản")
    TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
    AP = "ap", _("Ấp")
    BUON = "buon", _("Buôn")
    LANG = "lang", _("Làng")
    PLEI = "plei", _("Plei")
    SOC = "soc", _("Sóc")
    KHOM = "khom", _("Khóm")
    KHU_PHO = "khu_pho", _("Khu phố")
    OTHER = "other", _("Khác")


class Village(models.Model):
    """Village or residential group (thôn, bản, tổ dân phố …) inside a commune."""

    commune = models.ForeignKey(
        AdminUnit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="villages"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên"), max_length=150)
    kind = models.CharField(_("loại"), max_length=16, choices=VillageKind.choices)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    #: The pre-2025 commune the village belonged to before 1 July 2025 (xã cũ), when known: what the
    #: district-level report forms of historical rounds group by (a merged commune's villages came from
    #: several old communes, possibly of several districts).
    former_commune = models.ForeignKey(
        AdminUnit,
        verbose_name=_("xã cũ (trước 01/07/2025)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="former_villages",
        limit_choices_to={"generation": Generation.PRE_2025, "level": Level.COMMUNE},
    )

    class Meta:
        verbose_name = _("thôn, tổ dân phố")
        verbose_name_plural = _("thôn, tổ dân phố")
        ordering: ClassVar[list[str]] = ["commune", "code"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["commune", "code"], name="geo_village_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitMapping(models.Model):
    """Old → new commune mapping (chuyển đổi xã cũ sang xã mới) after the 2025 reorganisation.

    One old commune may map to several new ones (split) and several old ones to one new (merge).
    ``province_code`` is the new commune's province. ``is_default`` marks, for a split commune, the
    new commune its source names as the default successor (the only successor of an unsplit commune
    is the default too); CSV imports leave it unset. ``old_unit`` is a pre-2025 commune, or one of the
    five island districts that had no communes (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo),
    which became special zones (đặc khu).
    """

    old_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("xã cũ"), on_delete=models.PROTECT, related_name="mappings_to_new"
    )
    new_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("xã mới"), on_delete=models.PROTECT, related_name="mappings_from_old"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    source = models.CharField(_("nguồn"), max_length=255)
    is_default = models.BooleanField(_("xã mới mặc định"), default=False)

    class Meta:
        verbose_name = _("chuyển đổi xã cũ → mới")
        verbose_name_plural = _("chuyển đổi xã cũ → mới")
        ordering: ClassVar[list[str]] = ["old_unit", "new_unit"]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="geo_mapping_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit_id} → {self.new_unit_id}"
