from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "giamngheo.reports"
    label = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        from giamngheo.review.signals import round_approved

        round_approved.connect(_store_figures, dispatch_uid="reports.store_figures")


def _store_figures(sender: Any, review_round: Any, **kwargs: Any) -> None:
    from giamngheo.reports.services import round_figures_after_approval

    round_figures_after_approval(review_round)
