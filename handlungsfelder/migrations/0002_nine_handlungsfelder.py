"""Every installation starts with the KITZ's nine Handlungsfelder, in their order."""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "handlungsfelder.json"


def create_handlungsfelder(apps, schema_editor):
    Handlungsfeld = apps.get_model("handlungsfelder", "Handlungsfeld")
    for row in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = dict(row["fields"])
        slug = fields.pop("slug")
        Handlungsfeld.objects.get_or_create(slug=slug, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("handlungsfelder", "0001_initial")]

    operations = [migrations.RunPython(create_handlungsfelder, migrations.RunPython.noop)]
