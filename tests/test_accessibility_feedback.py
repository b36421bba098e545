"""The Erklärung zur Barrierefreiheit: its legally required parts and its feedback form, whose
messages reach the KITZ through the outbox and are listed for the staff."""

import pytest
from django.core import mail

from accounts.models import AccessibilityFeedback, Notification
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/barrierefreiheit/"
LIST_URL = "/barrierefreiheit/rueckmeldungen/"


def send(client, django_capture_on_commit_callbacks, url=URL, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data, follow=True)


def test_statement_has_every_legally_required_part(client):
    html = client.get(URL).content.decode()
    assert html.count("<h1") == 1
    assert "teilweise vereinbar" in html
    assert 'data-testid="known-gaps"' in html
    assert "Diese Erklärung wurde am 25.11.2026 erstellt" in html
    assert '<form method="post"' in html and 'name="message"' in html
    assert "Schlichtungsstelle nach § 9 LBGG" in html
    assert "Landesbeauftragten für Menschen mit Behinderung" in html
    assert "Karolinenweg 1" in html and "mailto:schlichtung@landtag.ltsh.de" in html


def test_feedback_is_stored_sent_to_the_kitz_and_confirmed(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_ACCESSIBILITY_FEEDBACK_EMAIL = "barrierefreiheit@kreis-sl-fl.example"
    response = send(
        client,
        django_capture_on_commit_callbacks,
        name="Jana Lorenzen",
        email="jana@example.org",
        page_url="/antraege/beantragen/",
        message="Der Kostenplan lässt sich mit dem Screenreader nicht bedienen.",
    )
    assert "Ihre Rückmeldung ist beim KITZ eingegangen" in response.content.decode()

    feedback = AccessibilityFeedback.objects.get()
    assert feedback.page_url == "/antraege/beantragen/"
    assert feedback.language == "de"
    to_kitz = [m for m in mail.outbox if m.to == ["barrierefreiheit@kreis-sl-fl.example"]]
    assert len(to_kitz) == 1
    assert "Rückmeldung zur Barrierefreiheit" in to_kitz[0].subject
    assert "Screenreader nicht bedienen" in to_kitz[0].body
    assert "jana@example.org" in to_kitz[0].body
    confirmation = [m for m in mail.outbox if m.to == ["jana@example.org"]]
    assert len(confirmation) == 1
    assert "Guten Tag Jana Lorenzen" in confirmation[0].body
    assert "Schlichtungsstelle" in confirmation[0].body


def test_anonymous_feedback_goes_to_the_administrators_without_a_configured_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_ACCESSIBILITY_FEEDBACK_EMAIL = ""
    admin = factories.administrator(email="admin@kreis-sl-fl.example")
    factories.case_handler(email="sb@kreis-sl-fl.example")
    send(client, django_capture_on_commit_callbacks, message="Kontrast der Fußzeile zu gering.")

    assert AccessibilityFeedback.objects.get().email == ""
    notifications = Notification.objects.filter(template__contains="accessibility_feedback")
    assert [(n.to_email, n.recipient) for n in notifications] == [(admin.email, admin)]
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_feedback_in_english_is_confirmed_in_english(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_ACCESSIBILITY_FEEDBACK_EMAIL = "kitz@kreis-sl-fl.example"
    response = send(
        client,
        django_capture_on_commit_callbacks,
        url="/en" + URL,
        email="sam@example.org",
        message="The menu cannot be opened with the keyboard.",
    )
    assert response.redirect_chain[-1][0] == "/en" + URL
    assert AccessibilityFeedback.objects.get().language == "en"
    assert Notification.objects.get(to_email="sam@example.org").language == "en"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"message": ""}, "message", "Bitte beschreiben Sie die Barriere."),
        ({"message": "   "}, "message", "Bitte beschreiben Sie die Barriere."),
        (
            {"message": "Text", "email": "keine-adresse"},
            "email",
            "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
        ),
        ({"message": "x" * 5001}, "message", "höchstens 5000 Zeichen"),
    ],
)
def test_bad_feedback_is_explained_at_the_field_and_nothing_is_stored(
    client, django_capture_on_commit_callbacks, data, field, message
):
    response = send(client, django_capture_on_commit_callbacks, **data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert "data-error-summary" in html and f'href="#id_{field}"' in html
    assert not AccessibilityFeedback.objects.exists()
    assert not Notification.objects.exists()
    assert not mail.outbox


def test_feedback_form_is_rate_limited(client, settings, django_capture_on_commit_callbacks):
    limits = {**settings.ACCOUNT_RATE_LIMITS, "accessibility_feedback": "2/m/ip"}
    settings.ACCOUNT_RATE_LIMITS = limits
    for number in range(2):
        send(client, django_capture_on_commit_callbacks, message=f"Meldung {number}")
    response = send(client, django_capture_on_commit_callbacks, message="Meldung 3")
    assert "viele Rückmeldungen" in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 2


def test_page_url_is_prefilled_from_the_link(client):
    response = client.get(URL + "?seite=/antraege/")
    assert response.context["form"]["page_url"].value() == "/antraege/"


def test_staff_read_the_feedback_newest_first(client, django_assert_max_num_queries):
    AccessibilityFeedback.objects.create(message="Ältere Meldung", email="a@example.org")
    AccessibilityFeedback.objects.create(message="Neuere Meldung", name="Ben")
    client.force_login(factories.case_handler())
    with django_assert_max_num_queries(8):
        html = client.get(LIST_URL).content.decode()
    assert html.index("Neuere Meldung") < html.index("Ältere Meldung")
    assert "mailto:a@example.org" in html


def test_applicants_cannot_read_the_feedback(client):
    client.force_login(factories.applicant())
    assert client.get(LIST_URL).status_code == 403


def test_superusers_find_the_feedback_in_the_django_admin(client):
    AccessibilityFeedback.objects.create(message="Meldung für die Systemverwaltung")
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/django-admin/accounts/accessibilityfeedback/")
    assert response.status_code == 200


def test_every_page_links_to_the_feedback_form_with_its_own_address(client):
    html = client.get("/foerderung/").content.decode()
    assert 'href="/barrierefreiheit/?seite=/foerderung/#rueckmeldung"' in html
