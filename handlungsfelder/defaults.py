"""The KITZ's nine Handlungsfelder as shipped in fixtures/handlungsfelder.json."""

import json

from django.conf import settings

from .models import Handlungsfeld


def default_rows():
    path = settings.BASE_DIR / "fixtures" / "handlungsfelder.json"
    return [row["fields"] for row in json.loads(path.read_text(encoding="utf-8"))]


def ensure_default_handlungsfelder():
    """Create missing default fields; existing ones keep what administrators changed."""
    for fields in default_rows():
        fields = dict(fields)
        Handlungsfeld.objects.get_or_create(slug=fields.pop("slug"), defaults=fields)
