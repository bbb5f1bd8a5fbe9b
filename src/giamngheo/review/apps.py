from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "giamngheo.review"
    label = "review"
    verbose_name = _("Rà soát hộ nghèo, hộ cận nghèo")
