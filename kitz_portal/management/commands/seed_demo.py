from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Each app may offer a ``demo.seed(demo)`` that adds its part; later apps build on earlier ones.
DEMO_APPS = ["handlungsfelder", "accounts", "applications", "networks"]


class Command(BaseCommand):
    help = "Load the demo data set (idempotent). Refused when DJANGO_DEBUG is off."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password and only runs with "
                "DJANGO_DEBUG=1."
            )
        demo = {}
        with transaction.atomic():
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app}.demo":
                        raise
                    continue
                module.seed(demo)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Password of every demo account: {settings.PORTAL_DEMO_PASSWORD}"
            )
        )
