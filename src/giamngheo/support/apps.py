from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "giamngheo.support"
    label = "support"
    verbose_name = _("Hỗ trợ hộ nghèo, hộ cận nghèo")
