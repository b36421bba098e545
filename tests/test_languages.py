"""Applicants use the portal in Arabic, Ukrainian, Russian, Turkish, Farsi or Dari."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.notifications import queue_notification
from tests.factories import PASSWORD, applicant, case_handler

APPLICANT_LANGUAGES = ["ar", "uk", "ru", "tr", "fa", "fa-af"]
RTL = {"ar", "fa", "fa-af"}


@pytest.mark.django_db
@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_start_page_speaks_the_chosen_language_and_direction(client, language):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    html = response.content.decode()
    direction = "rtl" if language in RTL else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in html
    with translation.override(language):
        skip_link = translation.gettext("Zum Inhalt springen")
    assert skip_link != "Zum Inhalt springen"
    assert skip_link in html
    assert "Zum Inhalt springen" not in html


@pytest.mark.django_db
def test_dari_has_its_own_name_and_catalogue(client):
    response = client.get("/fa-af/")
    html = response.content.decode()
    assert 'lang="fa-af"' in html
    assert "دری" in html
    assert response.headers["Content-Language"] == "fa-af"
    with translation.override("fa-af"):
        assert translation.gettext("Kreis Schleswig-Flensburg") == "ولسوالی شلسویگ-فلنسبورگ"
        assert translation.get_language_bidi()


@pytest.mark.django_db
@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_language_switch_offers_every_language(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/foerderung/"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/{language}/foerderung/"
    html = client.get("/").content.decode()
    for code in ["de", "en", *APPLICANT_LANGUAGES]:
        assert f'lang="{code}"' in html
    assert "دری" in html


@pytest.mark.django_db
def test_staff_pages_are_german_when_an_applicant_language_is_chosen(client):
    client.force_login(case_handler())
    response = client.get("/ar/mein-bereich/kitz/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de" dir="ltr">' in html
    assert "Zum Inhalt springen" in html


@pytest.mark.django_db
def test_staff_pages_stay_english_in_english(client):
    client.force_login(case_handler())
    html = client.get("/en/mein-bereich/kitz/").content.decode()
    assert '<html lang="en" dir="ltr">' in html


@pytest.mark.django_db
def test_applicant_pages_are_not_forced_to_german(client):
    client.force_login(applicant())
    html = client.get("/ar/mein-bereich/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.django_db
def test_staff_reach_the_second_factor_setup_in_any_language(client, settings):
    settings.PORTAL_STAFF_MFA_REQUIRED = True
    user = case_handler()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    with translation.override("ar"):
        setup_url = reverse("mfa_activate_totp")
    assert setup_url.startswith("/ar/konto/")
    response = client.get(setup_url, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/ar/konto/")


@pytest.mark.django_db
def test_a_signed_in_persons_language_choice_is_kept_and_used_for_their_emails(
    client, django_capture_on_commit_callbacks
):
    user = applicant()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "ar", "next": "/mein-bereich/"})
    user.refresh_from_db()
    assert user.language == "ar"
    with django_capture_on_commit_callbacks(execute=True):
        queue_notification(
            template="emails/application_received",
            to_email=user.email,
            recipient=user,
            context={
                "reference": "KITZ-2026-0007",
                "title": "Sprachcafé",
                "organisation": "Verein",
                "programme": "Integration",
                "submitted_on": "01.03.2026",
                "application_id": 7,
            },
        )
    assert len(mail.outbox) == 1
    with translation.override("ar"):
        expected = translation.gettext("Eingangsbestätigung: Ihr Antrag %(reference)s") % {
            "reference": "KITZ-2026-0007"
        }
    assert expected != "Eingangsbestätigung: Ihr Antrag KITZ-2026-0007"
    assert expected in mail.outbox[0].subject


@pytest.mark.django_db
def test_anonymous_language_choice_changes_no_account(client):
    user = applicant()
    client.post("/i18n/setlang/", {"language": "tr", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_letters_are_explained_in_the_persons_language(language):
    paragraph = (
        "Bescheide sind immer auf Deutsch, denn Deutsch ist die Amtssprache der "
        "Kreisverwaltung. Der Bescheid gilt als bekannt gegeben, sobald Sie ihn hier abrufen. "
        "Wenn Sie Fragen zum Inhalt haben, wenden Sie sich an die im Bescheid genannte "
        "Ansprechperson."
    )
    with translation.override(language):
        assert translation.gettext(paragraph) != paragraph


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_dates_are_typed_and_shown_as_in_german(language):
    from datetime import date

    from django import forms
    from django.template import Context, Template

    with translation.override(language):
        assert forms.DateField().clean("01.03.2027") == date(2027, 3, 1)
        shown = Template("{{ day|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"day": date(2027, 3, 1)})
        )
    assert shown == "01.03.2027"


@pytest.mark.parametrize("language", APPLICANT_LANGUAGES)
def test_amounts_read_back_what_the_portal_shows(language):
    from decimal import Decimal

    from kitz_portal.money import format_amount, parse_amount

    with translation.override(language):
        assert parse_amount(format_amount(Decimal("60000.50"))) == Decimal("60000.50")
