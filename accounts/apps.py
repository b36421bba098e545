from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konten und Organisationen")

    def ready(self):
        from . import security  # noqa: F401  (connects the security log's signal receivers)
