from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Förderanträge")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the receivers of other apps' signals)
