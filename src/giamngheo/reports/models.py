"""Stored figures of approved review rounds (số liệu tổng hợp đã lưu).

A province of 1.5 million households cannot be counted household by household on every dashboard
page, so each approved periodic round keeps its figures: one row for the whole commune and one per
village (and one for the households without a village), each holding the additive counts of
:func:`giamngheo.reports.aggregation.count_figures` — households and classes with their subgroups,
deprivations and causes of the poor and near-poor, the Alkire-Foster sums, the transitions against the
commune's previous approved round. A province's figures are the sums of its communes', a commune's the
sums of its villages', and every rate is computed from those sums by the one aggregation path.

The figures are a snapshot of the approval (the registry as it was then): later moves between villages
or new households do not change a report of an approved year. They are written by
:mod:`giamngheo.reports.services` when a round is approved (``review.signals.round_approved``, in the
approval's transaction), and rebuilt with ``manage.py report_figures``. Models stay thin.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureLevel(models.TextChoices):
    COMMUNE = "commune", _("Cả xã")
    VILLAGE = "village", _("Thôn, tổ dân phố")


class RoundFigures(models.Model):
    """The figures of one approved round for the whole commune (``level=commune``) or one village
    (``level=village``; ``village`` null: the commune's households without a village)."""

    review_round = models.ForeignKey(
        "review.ReviewRound", verbose_name=_("đợt rà soát"), on_delete=models.CASCADE, related_name="figures"
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    level = models.CharField(_("cấp"), max_length=8, choices=FigureLevel.choices)
    village = models.ForeignKey(
        "geo.Village",
        verbose_name=_("thôn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    #: The village's pre-2025 commune (or the commune's only predecessor), for district forms.
    former_commune = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("xã cũ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    standard_id = models.CharField(_("chuẩn nghèo"), max_length=64, blank=True)
    #: The year of the previous approved round the ``tr.*`` counts compare with (null: none).
    previous_year = models.PositiveSmallIntegerField(_("năm đợt trước"), null=True, blank=True)
    figures = models.JSONField(_("số liệu"))
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("số liệu tổng hợp của đợt rà soát")
        verbose_name_plural = _("số liệu tổng hợp của đợt rà soát")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=["province_code", "year", "level"], name="reports_fig_province_year"),
            models.Index(fields=["review_round", "level"], name="reports_fig_round_level"),
        ]

    def __str__(self) -> str:
        return f"{self.review_round_id}/{self.level}/{self.village_id or '-'}"
