"""Every message of the portal is translated; German is the source language.

German and English are complete everywhere. The applicant languages (Arabic, Ukrainian, Russian,
Turkish, Farsi, Dari) must be complete for every message of the applicant side: every source file
that makemessages reads, except the staff-only ones in STAFF_ONLY_SOURCES. Staff pages are shown
in German in those languages (kitz_portal.middleware), so only they may lag behind.
"""

import re
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

BASE_DIR = Path(settings.BASE_DIR)
COMPLETE_LANGUAGES = [code for code in settings.STAFF_LANGUAGES if code != "de"]
APPLICANT_LANGUAGES = [
    code for code, _name in settings.LANGUAGES if code not in settings.STAFF_LANGUAGES
]

# Sources only staff and administrators ever see (paths or folders, relative to BASE_DIR).
STAFF_ONLY_SOURCES = [
    "templates/applications/staff/",
    "templates/accounts/staff_home.html",
    "templates/accounts/security_log.html",
    "templates/handlungsfelder/manage_list.html",
    "templates/handlungsfelder/form.html",
    "templates/handlungsfelder/confirm_delete.html",
    "templates/emails/applications/amendment_requested_",
    "templates/emails/applications/amendment_returned_",
    "templates/emails/applications/case_assigned_",
    "templates/emails/accessibility_feedback_received_",
    "templates/pages/accessibility_feedback_list.html",
    "templates/emails/applications/case_message_to_kitz_",
    "templates/emails/applications/case_returned_",
    "templates/emails/applications/information_answered_",
    "templates/emails/applications/information_overdue_staff_",
    "templates/emails/applications/revocation_answered_",
    "templates/applications/revocation/start.html",
    "templates/applications/revocation/propose.html",
    "templates/applications/revocation/decide.html",
    "templates/applications/revocation/repayments.html",
    "templates/applications/revocation/_staff_case.html",
    "accounts/middleware.py",
    "applications/filters.py",
    "accounts/organisation_merge.py",
    "templates/administration/organisation_merge.html",
]
# What makemessages reads (the Makefile's --ignore list, plus tests and migrations).
SKIPPED_FOLDERS = {".venv", "node_modules", "staticfiles", "test-artifacts", "tests", "migrations"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")
# The keywords of Django's makemessages, so the same messages are found.
XGETTEXT_KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]


def catalogue(language):
    path = BASE_DIR / "locale" / to_locale(language) / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path))


def is_staff_only(relative_path):
    return any(relative_path.startswith(prefix) for prefix in STAFF_ONLY_SOURCES)


def applicant_sources():
    for path in sorted(BASE_DIR.rglob("*")):
        relative = path.relative_to(BASE_DIR)
        if path.suffix not in SOURCE_SUFFIXES or not path.is_file():
            continue
        if SKIPPED_FOLDERS.intersection(relative.parts) or relative.parts[0].startswith("."):
            continue
        if not is_staff_only(relative.as_posix()):
            yield path


@cache
def applicant_messages():
    """(context, msgid) of every applicant-side message, extracted the way makemessages does."""
    with tempfile.TemporaryDirectory() as folder:
        names = []
        for index, path in enumerate(applicant_sources()):
            code = path.read_text(encoding="utf-8")
            if path.suffix != ".py":
                code = templatize(code, origin=str(path))
            name = Path(folder) / f"{index}.py"
            name.write_text(code, encoding="utf-8")
            names.append(str(name))
        result = subprocess.run(
            [
                "xgettext",
                "--language=Python",
                "--from-code=UTF-8",
                *XGETTEXT_KEYWORDS,
                "-o",
                "-",
                *names,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    return frozenset(
        (entry.msgctxt, entry.msgid) for entry in polib.pofile(result.stdout) if entry.msgid
    )


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_every_message_is_translated(language):
    entries = catalogue(language)
    missing = [entry.msgid for entry in entries.untranslated_entries()]
    fuzzy = [entry.msgid for entry in entries.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"


def test_the_applicant_side_is_found():
    messages = applicant_messages()
    for msgid in [
        "Zum Inhalt springen",
        "Antrag: Kostenplan",
        "Eingangsbestätigung: Ihr Antrag %(reference)s",
        "Bitte prüfen Sie Ihre Angaben",
    ]:
        assert (None, msgid) in messages
    # Staff-only pages are not part of it.
    assert (None, "Eingegangene Anträge") not in messages


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_every_applicant_message_is_translated(language):
    entries = catalogue(language)
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in entries
        if entry.translated() and "fuzzy" not in entry.flags
    }
    missing = sorted(msgid for _context, msgid in applicant_messages() - translated)
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES + APPLICANT_LANGUAGES)
def test_placeholders_survive_translation(language):
    for entry in catalogue(language).translated_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural:
            for text in entry.msgstr_plural.values():
                assert set(PLACEHOLDER.findall(text)) <= set(expected), entry.msgid
        else:
            assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid


# A capitalised polite pronoun after another word ("для Вас"): the catalogues use the lower-case
# form inside a sentence throughout, as Ukrainian and Russian web forms do.
MID_SENTENCE_CAPITAL_PRONOUN = re.compile(r"(?<=[\w,;:–—-] )(Ви|Вы|Вас|Вам|Ваш\w*|Вами)(?!\w)")


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_polite_address_is_written_one_way(language):
    mixed = [
        entry.msgid
        for entry in catalogue(language).translated_entries()
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if MID_SENTENCE_CAPITAL_PRONOUN.search(text)
    ]
    assert not mixed, f"capitalised pronoun inside a sentence in {language}: {mixed[:5]}"
