from django.apps import AppConfig


class KitzPortalConfig(AppConfig):
    name = "kitz_portal"
    verbose_name = "KITZ-Portal"
