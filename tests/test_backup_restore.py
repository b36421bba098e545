"""A backup restored into a fresh database holds the same rows, sequences and files."""

import hashlib

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

RESTORE_DATABASE = "kitz_portal_restore_check"


def admin_connection():
    config = settings.DATABASES["default"]
    return psycopg.connect(
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


def table_fingerprints(cursor, tables):
    """Row count and a digest of every row of every table."""
    result = {}
    for table in tables:
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
            f'FROM "{table}" t'
        )
        result[table] = cursor.fetchone()
    return result


def file_digests(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_keep_rows_sequences_and_files(requires_postgresql, settings, tmp_path):
    settings.DEBUG = True
    call_command("seed_demo")
    upload = settings.MEDIA_ROOT / "private" / "beleg.pdf"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_bytes(b"%PDF-1.7 test upload")

    call_command("backup_portal", output=str(tmp_path / "backup"))

    with admin_connection() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DATABASE}"')
        admin.execute(f'CREATE DATABASE "{RESTORE_DATABASE}"')
    try:
        restored_media = tmp_path / "restored-media"
        call_command(
            "restore_portal",
            input=str(tmp_path / "backup"),
            database=RESTORE_DATABASE,
            media_root=str(restored_media),
        )
        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            original = table_fingerprints(cursor, tables)
        config = settings.DATABASES["default"]
        with (
            psycopg.connect(
                host=config.get("HOST") or None,
                port=config.get("PORT") or None,
                user=config.get("USER") or None,
                password=config.get("PASSWORD") or None,
                dbname=RESTORE_DATABASE,
            ) as restored,
            restored.cursor() as cursor,
        ):
            assert table_fingerprints(cursor, tables) == original
            cursor.execute("SELECT last_value FROM accounts_user_id_seq")
            restored_sequence = cursor.fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute("SELECT last_value FROM accounts_user_id_seq")
            assert restored_sequence == cursor.fetchone()[0]
        assert file_digests(restored_media) == file_digests(settings.MEDIA_ROOT)
        assert original["accounts_user"][0] == 5
        # The demo data holds Aktenzeichen counters and issued letters with their SHA-256.
        assert original["applications_referencecounter"][0] >= 1
        assert original["applications_decisionletter"][0] >= 2
    finally:
        with admin_connection() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{RESTORE_DATABASE}"')
