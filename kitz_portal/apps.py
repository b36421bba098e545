from django.apps import AppConfig

# What the cached public pages show: the Handlungsfelder with their networks and funded
# projects, the programmes and the organisations named there.
PUBLIC_CONTENT_MODELS = [
    "handlungsfelder.Handlungsfeld",
    "applications.FundingProgramme",
    "applications.Application",
    "accounts.Organisation",
    "networks.Network",
]


class KitzPortalConfig(AppConfig):
    name = "kitz_portal"
    verbose_name = "KITZ-Portal"

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .public_cache import bump_version

        for label in PUBLIC_CONTENT_MODELS:
            model = apps.get_model(label)
            post_save.connect(bump_version, sender=model, dispatch_uid=f"public-pages-{label}")
            post_delete.connect(bump_version, sender=model, dispatch_uid=f"public-pages-{label}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    bump_version,
                    sender=field.remote_field.through,
                    dispatch_uid=f"public-pages-{label}-{field.name}",
                )
