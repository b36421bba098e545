"""Back up the portal: a pg_dump of the database and a tar archive of the private uploads."""

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def postgres_environment(database):
    """Connection settings of a Django database as libpq environment variables."""
    env = dict(os.environ)
    mapping = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for key, variable in mapping.items():
        if database.get(key):
            env[variable] = str(database[key])
    return env


def postgres_tool(name):
    path = shutil.which(name)
    if path is None:
        raise CommandError(f"{name} is not installed (Debian package postgresql-client).")
    return path


class Command(BaseCommand):
    help = "Write database.dump (pg_dump, custom format) and media.tar.gz into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Folder for the backup files")

    def handle(self, *args, output, **options):
        database = settings.DATABASES["default"]
        if database["ENGINE"] != "django.db.backends.postgresql":
            raise CommandError("Backups are made of PostgreSQL databases (set DATABASE_URL).")
        target = Path(output)
        target.mkdir(parents=True, exist_ok=True)
        dump = target / "database.dump"
        # The arguments come from the settings and the operator, not from web requests.
        subprocess.run(  # noqa: S603
            [
                postgres_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                f"--file={dump}",
                database["NAME"],
            ],
            check=True,
            env=postgres_environment(database),
        )
        media = Path(settings.MEDIA_ROOT)
        with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
            if media.exists():
                archive.add(media, arcname="media")
        self.stdout.write(f"Backup written to {target} at {timezone.now():%d.%m.%Y %H:%M}")
