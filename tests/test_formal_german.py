"""The German pages address people formally ("Sie"), also where django-allauth renders the text.

django-allauth's own German catalogue partly uses "du"; locale_overrides/de/ replaces those
messages. These tests need compiled catalogues (make setup / compilemessages).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import allauth
import polib
import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

INFORMAL = re.compile(r"\b(du|dich|dir|dein\w*|Du|Dich|Dir|Dein\w*)\b")

ALLAUTH_DIR = Path(allauth.__file__).parent
OVERRIDES = Path(settings.BASE_DIR) / "locale_overrides" / "de" / "LC_MESSAGES" / "django.po"

# Attributes whose values are read out or shown to people.
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "value"}


class MainText(HTMLParser):
    """Collects the text (and visible attribute values) inside <main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
        if self.depth and ("type", "hidden") not in attrs:
            self.parts.extend(
                value for name, value in attrs if name in VISIBLE_ATTRIBUTES and value
            )

    def handle_endtag(self, tag):
        if tag == "main" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def main_text(html):
    parser = MainText()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_address_people_formally(client, url_name):
    with translation.override("de"):
        url = reverse(url_name)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de"' in html
    text = main_text(html)
    assert text, "no <main> element"
    assert "Passwort" in text or "E-Mail" in text, text
    informal = INFORMAL.findall(text)
    assert not informal, f"informal address {informal} in: {text}"


@pytest.mark.django_db
def test_password_reset_page_uses_the_formal_override(client):
    response = client.get(reverse("account_reset_password"), HTTP_ACCEPT_LANGUAGE="de")
    assert "Geben Sie die E-Mail-Adresse Ihres Kontos ein" in main_text(response.content.decode())


@pytest.mark.parametrize(
    "template_name",
    sorted(
        path.name
        for path in (ALLAUTH_DIR / "templates" / "account" / "email").glob("*.txt")
        if path.name not in {"base_message.txt", "base_notification.txt"}
    ),
)
def test_account_emails_address_people_formally(template_name):
    context = {
        "user": "Erika Mustermann",
        "user_display": "Erika Mustermann",
        "username": "erika",
        "email": "erika@example.org",
        "from_email": "alt@example.org",
        "to_email": "neu@example.org",
        "deleted_email": "alt@example.org",
        "activate_url": "https://example.org/konto/confirm-email/abc/",
        "password_reset_url": "https://example.org/konto/password/reset/",
        "signup_url": "https://example.org/konto/signup/",
        "code": "ABC123",
        "ip": "192.0.2.1",
        "user_agent": "Firefox",
        "timestamp": "25.11.2026 20:00",
        "current_site": {"name": "KITZ-Portal", "domain": "example.org"},
    }
    with translation.override("de"):
        text = render_to_string(f"account/email/{template_name}", context)
    assert text.strip()
    informal = INFORMAL.findall(text)
    assert not informal, f"informal address {informal} in: {text}"


def test_overrides_are_formal_and_keep_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")
    catalogue = polib.pofile(str(OVERRIDES))
    assert catalogue.metadata["Language"] == "de"
    assert catalogue.percent_translated() == 100
    for entry in catalogue:
        assert not INFORMAL.search(entry.msgstr), entry.msgstr
        assert sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(entry.msgstr))


def test_allauth_messages_in_german_are_formal():
    """Every message of allauth's German catalogue, as Django resolves it, is formal."""
    source = ALLAUTH_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
    informal = []
    with translation.override("de"):
        for entry in polib.pofile(str(source)):
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                texts = [
                    translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, n)
                    if entry.msgctxt
                    else translation.ngettext(entry.msgid, entry.msgid_plural, n)
                    for n in (1, 2)
                ]
            elif entry.msgctxt:
                texts = [translation.pgettext(entry.msgctxt, entry.msgid)]
            else:
                texts = [translation.gettext(entry.msgid)]
            informal.extend(text for text in texts if INFORMAL.search(text))
    assert not informal, informal
