from django.core.management.base import BaseCommand

from applications.sample import install_sample_programme


class Command(BaseCommand):
    help = "Install the sample funding programme and Leitfaden (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None)

    def handle(self, *args, year=None, **options):
        programme = install_sample_programme(year=year)
        self.stdout.write(self.style.SUCCESS(f"Sample programme ready: {programme}"))
