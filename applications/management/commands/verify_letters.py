"""Recompute the SHA-256 of every stored Bescheid and report what no longer matches."""

import hashlib

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from applications.letter_models import DecisionLetter

LETTER_DIRECTORY = "private/letters"


def file_sha256(field_file):
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class Command(BaseCommand):
    help = "Prüft die SHA-256-Prüfsumme jedes gespeicherten Bescheids (Exit-Code 1 bei Fehlern)."

    def handle(self, *args, **options):
        problems = 0
        checked = 0
        letters = DecisionLetter.objects.select_related("application").order_by("pk")
        for letter in letters.iterator():
            checked += 1
            label = f"Bescheid {letter.pk} ({letter.get_kind_display()} {letter.application})"
            try:
                actual = file_sha256(letter.file)
            except FileNotFoundError:
                problems += 1
                self.stderr.write(f"FEHLT: {label}: Datei {letter.file.name} nicht gefunden")
                continue
            if actual != letter.sha256:
                problems += 1
                self.stderr.write(
                    f"ABWEICHUNG: {label}: gespeichert {letter.sha256}, Datei {actual}"
                )
        self._report_orphans()
        self.stdout.write(f"{checked} Bescheide geprüft, {problems} mit Fehlern.")
        if problems:
            raise CommandError(f"{problems} Bescheide weichen ab oder fehlen.")

    def _report_orphans(self):
        """Files without a letter row are left by rolled-back decisions; they are not records."""
        try:
            _directories, files = default_storage.listdir(LETTER_DIRECTORY)
        except FileNotFoundError:
            return
        known = {
            name.rsplit("/", 1)[-1]
            for name in DecisionLetter.objects.values_list("file", flat=True)
        }
        for name in sorted(set(files) - known):
            self.stdout.write(f"OHNE BESCHEID: {LETTER_DIRECTORY}/{name} (kann gelöscht werden)")
