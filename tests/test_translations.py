"""Every message of the portal is translated; German is the source language."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

TRANSLATED_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "de"]


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_every_message_is_translated(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"


@pytest.mark.parametrize("language", TRANSLATED_LANGUAGES)
def test_placeholders_survive_translation(language):
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    for entry in polib.pofile(str(path)).translated_entries():
        for placeholder in ["%(name)s", "{{ name }}", "%s"]:
            if placeholder in entry.msgid:
                assert placeholder in entry.msgstr, entry.msgid
