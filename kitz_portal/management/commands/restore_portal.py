"""Restore a backup made by backup_portal into an empty database and media folder."""

import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .backup_portal import postgres_environment, postgres_tool


class Command(BaseCommand):
    help = "Restore database.dump and media.tar.gz from a backup folder."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="Folder written by backup_portal")
        parser.add_argument(
            "--database", help="Name of the (empty) target database; default: the configured one"
        )
        parser.add_argument("--media-root", help="Target folder for uploads; default: MEDIA_ROOT")

    def handle(self, *args, input, database=None, media_root=None, **options):
        source = Path(input)
        config = settings.DATABASES["default"]
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Restores go into PostgreSQL (set DATABASE_URL).")
        # The arguments come from the settings and the operator, not from web requests.
        subprocess.run(  # noqa: S603
            [
                postgres_tool("pg_restore"),
                "--no-owner",
                "--exit-on-error",
                f"--dbname={database or config['NAME']}",
                str(source / "database.dump"),
            ],
            check=True,
            env=postgres_environment(config),
        )
        media_target = Path(media_root or settings.MEDIA_ROOT)
        media_target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
            for member in archive.getmembers():
                if not member.name.startswith("media"):
                    continue
                member.name = member.name.removeprefix("media").lstrip("/") or "."
                archive.extract(member, media_target, filter="data")
        self.stdout.write(f"Restored {source} into {database or config['NAME']}")
