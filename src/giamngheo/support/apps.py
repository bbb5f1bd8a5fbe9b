from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "giamngheo.support"
    label = "support"
    verbose_name = _("Hỗ trợ hộ nghèo, hộ cận nghèo")

    def ready(self) -> None:
        from giamngheo.review.signals import round_approved

        round_approved.connect(_store_coverage, dispatch_uid="support.store_coverage")


def _store_coverage(sender: Any, review_round: Any, **kwargs: Any) -> None:
    from giamngheo.support.services.coverage import coverage_after_approval

    coverage_after_approval(review_round)
