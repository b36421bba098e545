"""Every message of the portal is translated; German is the source language.

German and English are complete everywhere. The applicant-only languages (Arabic, Ukrainian,
Russian, Turkish, Farsi, Dari) must be complete for every message of the applicant-side sources
listed in APPLICANT_SOURCES; staff pages are shown in German in those languages.
"""

import re
import subprocess
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

# What applicants see, translated into every applicant language. Add a file here when it is
# translated; the test then keeps it complete.
APPLICANT_SOURCES = [
    "kitz_portal/settings.py",
    "kitz_portal/views.py",
    "templates/base.html",
    "templates/includes/language_switch.html",
    "templates/includes/messages.html",
    "templates/includes/pagination.html",
    "templates/pages/home.html",
    "templates/pages/about.html",
    "templates/pages/funding_info.html",
    "templates/pages/imprint.html",
    "templates/pages/privacy.html",
    "templates/pages/accessibility.html",
    "templates/pages/easy_language.html",
    "templates/handlungsfelder/detail.html",
    "handlungsfelder/models.py",
    "templates/account/login.html",
    "templates/account/signup.html",
    "templates/account/password_reset.html",
    "templates/account/email/base_message.txt",
    "templates/letters/_letter_list.html",
    "templates/errors/403.html",
    "templates/errors/404.html",
    "templates/errors/500.html",
    "templates/accounts/home.html",
    "templates/applications/dashboard.html",
    "templates/emails/application_received_subject.txt",
    "templates/emails/application_received_message.txt",
    "templates/emails/application_received_message.html",
    "templates/emails/application_withdrawn_subject.txt",
    "templates/emails/application_withdrawn_message.txt",
    "templates/emails/application_withdrawn_message.html",
    "templates/emails/organisation_invitation_subject.txt",
    "templates/emails/organisation_invitation_message.txt",
    "templates/emails/organisation_invitation_message.html",
    # The application wizard and the organisation pages.
    *[
        f"templates/applications/{name}.html"
        for name in [
            "_applicant_messages",
            "_application_body",
            "_case_messages",
            "_financing_summary",
            "_steps",
            "_wizard_head",
            "answer",
            "confirm_delete",
            "detail",
            "eligibility",
            "handlungsfeld_projects",
            "not_eligible",
            "programmes",
            "step_attachments",
            "step_costs",
            "step_declarations",
            "step_financing",
            "step_project",
            "summary",
            "withdraw",
        ]
    ],
    "templates/accounts/organisation_detail.html",
    "templates/accounts/organisation_form.html",
    "templates/accounts/organisation_invite.html",
    "templates/accounts/accept_invitation.html",
    "accounts/forms.py",
    "accounts/validators.py",
    "applications/forms.py",
    "applications/wizard.py",
    "kitz_portal/money.py",
    # Field labels, choices and messages applicants meet on those pages.
    "accounts/models.py",
    "accounts/services.py",
    "accounts/views.py",
    "applications/models.py",
    "applications/letter_models.py",
    "applications/letters.py",
    "applications/letter_views.py",
    "applications/rules.py",
    "applications/services.py",
    "applications/views.py",
]

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


def messages_in(source):
    """The msgids of one source file, extracted the way makemessages does it."""
    path = BASE_DIR / source
    code = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        code = templatize(code, origin=str(path))
    result = subprocess.run(
        ["xgettext", "--language=Python", "--from-code=UTF-8", *XGETTEXT_KEYWORDS, "-o", "-", "-"],
        input=code,
        capture_output=True,
        text=True,
        check=True,
    )
    if not result.stdout:
        return set()
    return {(entry.msgctxt, entry.msgid) for entry in polib.pofile(result.stdout) if entry.msgid}


@cache
def applicant_messages():
    found = set()
    for source in APPLICANT_SOURCES:
        found |= messages_in(source)
    return frozenset(found)


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_every_message_is_translated(language):
    entries = catalogue(language)
    missing = [entry.msgid for entry in entries.untranslated_entries()]
    fuzzy = [entry.msgid for entry in entries.fuzzy_entries()]
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:20]}"


def test_applicant_sources_have_messages():
    assert len(applicant_messages()) > 90
    assert (None, "Zum Inhalt springen") in applicant_messages()


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_every_applicant_message_is_translated(language):
    entries = catalogue(language)
    translated = {
        (entry.msgctxt, entry.msgid)
        for entry in entries
        if entry.translated() and "fuzzy" not in entry.flags
    }
    missing = sorted(msgid for _ctx, msgid in applicant_messages() - translated)
    assert not missing, f"{len(missing)} untranslated in {language}: {missing[:20]}"


@pytest.mark.parametrize("language", COMPLETE_LANGUAGES + APPLICANT_LANGUAGES)
def test_placeholders_survive_translation(language):
    for entry in catalogue(language).translated_entries():
        if entry.msgid_plural:
            continue
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        assert sorted(PLACEHOLDER.findall(entry.msgstr)) == expected, entry.msgid
