from django.core.management.base import BaseCommand

from privacy.retention import apply_retention


class Command(BaseCommand):
    help = "Anonymise closed cases after the retention period and delete long untouched drafts."

    def handle(self, *args, **options):
        run = apply_retention()
        self.stdout.write(
            f"{run.drafts_warned} drafts warned, {run.drafts_deleted} drafts deleted, "
            f"{run.cases_anonymised} cases anonymised (run {run.pk})."
        )
