"""The whole journey of an association through the test client, from the check to the receipt."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import Notification, NotificationStatus
from accounts.tasks import resend_pending_notifications
from applications.models import Application, ApplicationEvent, ApplicationStatus
from handlungsfelder.models import Handlungsfeld
from tests.application_helpers import (
    PDF_BYTES,
    complete_draft,
    complete_organisation,
    member_of,
    passing_answers,
    project_start,
    sample_programme,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def test_an_association_applies_step_by_step_and_gets_a_reference_and_one_receipt(
    client, django_capture_on_commit_callbacks
):
    programme = sample_programme()
    organisation = complete_organisation()
    user = member_of(organisation)
    colleague = member_of(organisation)
    login(client, user)

    page = client.get(reverse("applications:programmes"))
    assert page.status_code == 200
    assert "Förderung positiver Integration" in page.content.decode()
    assert "60.000,00" in page.content.decode()

    answers = {"organisation": organisation.pk, **passing_answers(programme)}
    response = client.post(reverse("applications:eligibility", args=[programme.pk]), answers)
    application = Application.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert response.url == reverse("applications:step_project", args=[application.pk])

    start = project_start(programme)
    response = client.post(
        reverse("applications:step_project", args=[application.pk]),
        {
            "title": "Sprachcafé am Dom",
            "summary": "Wöchentliches Sprachcafé",
            "description": "Jeden Mittwoch wird Deutsch gesprochen.",
            "handlungsfelder": [Handlungsfeld.objects.get(slug="sprache").pk],
            "target_groups": "Neuzugewanderte",
            "expected_participants": "30",
            "places": "Schleswig",
            "start_date": start.strftime("%d.%m.%Y"),
            "end_date": (start + timedelta(days=60)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert response.url == reverse("applications:step_costs", args=[application.pk])

    response = client.post(
        reverse("applications:step_costs", args=[application.pk]),
        {
            "category": _category("fees"),
            "description": "Honorar Sprachtrainerin",
            "quantity": "2",
            "unit_price": "1.000,00",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("applications:step_costs", args=[application.pk])).content.decode()
    assert "2.000,00" in page

    page = client.get(reverse("applications:step_financing", args=[application.pk]))
    assert "nicht ausgeglichen" in page.content.decode()
    response = client.post(
        reverse("applications:step_financing", args=[application.pk]),
        {
            "action": "plan",
            "plan-own_funds": "140,00",
            "plan-volunteer_hours": "4",
            "plan-requested_amount": "1.800,00",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:step_attachments", args=[application.pk])

    response = client.post(
        reverse("applications:step_attachments", args=[application.pk]),
        {"file": SimpleUploadedFile("Kostenvoranschlag.pdf", PDF_BYTES), "description": "KV"},
    )
    assert response.status_code == 302
    assert application.attachments.get().original_name == "Kostenvoranschlag.pdf"

    declarations = programme.guideline.criteria.filter(kind="declaration")
    page = client.get(reverse("applications:step_declarations", args=[application.pk]))
    for criterion in declarations:
        assert criterion.text_de in page.content.decode()
    response = client.post(
        reverse("applications:step_declarations", args=[application.pk]),
        {criterion.code: "on" for criterion in declarations},
    )
    assert response.url == reverse("applications:summary", args=[application.pk])

    summary = client.get(reverse("applications:summary", args=[application.pk])).content.decode()
    assert "Antrag verbindlich absenden" in summary
    for step in ["projekt", "kosten", "finanzierung", "anlagen", "erklaerungen"]:
        assert f"/antraege/{application.pk}/{step}/" in summary

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference.startswith("KITZ-")
    assert len(application.reference) == len("KITZ-2026-0001")
    assert application.guideline_id == programme.guideline_id
    assert list(application.events.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "submitted"),
    ]

    assert sorted(message.to[0] for message in mail.outbox) == sorted([user.email, colleague.email])
    assert all(application.reference in message.subject for message in mail.outbox)
    assert all(application.reference in message.body for message in mail.outbox)
    assert Notification.objects.filter(status=NotificationStatus.SENT).count() == 2

    # The beat job finds nothing pending, so nobody gets the receipt twice.
    resend_pending_notifications(older_than_seconds=0)
    assert len(mail.outbox) == 2

    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert application.reference in dashboard
    assert "Eingegangen – wartet auf die Prüfung" in dashboard

    pdf = client.get(reverse("applications:pdf", args=[application.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert application.reference in pdf["Content-Disposition"]


def _category(code):
    from applications.models import CostCategory

    return CostCategory.objects.get(code=code).pk


def test_the_application_pdf_names_the_project_and_the_reference(client):
    import io

    from pypdf import PdfReader

    from applications import services

    application = complete_draft()
    user = application.organisation.memberships.first().user
    application = services.submit_application(actor=user, application=application)
    login(client, user)
    response = client.get(reverse("applications:pdf", args=[application.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert application.reference in text.replace("\n", "")
    assert "Sprachcafé am Dom" in text
    assert "2.000,00" in text


def test_a_draft_is_resumed_where_it_was_left_on_another_device(client):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    login(client, user)
    page = client.get(reverse("applications:step_project", args=[application.pk])).content.decode()
    assert 'value="Sprachcafé am Dom"' in page


def test_withdrawing_asks_for_confirmation_and_records_the_reason(client):
    from applications import services

    application = complete_draft()
    user = application.organisation.memberships.first().user
    services.submit_application(actor=user, application=application)
    login(client, user)
    url = reverse("applications:withdraw", args=[application.pk])
    response = client.post(url, {"reason": "Projekt fällt aus"})
    assert response.status_code == 200
    assert "Bitte bestätigen Sie" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    response = client.post(url, {"reason": "Projekt fällt aus", "confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    event = ApplicationEvent.objects.filter(application=application).last()
    assert (event.from_status, event.to_status, event.note) == (
        "submitted",
        "withdrawn",
        "Projekt fällt aus",
    )
    page = client.get(reverse("applications:dashboard")).content.decode()
    assert "Von Ihnen zurückgezogen" in page


def test_a_draft_can_be_deleted_after_confirmation(client):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    login(client, user)
    url = reverse("applications:delete", args=[application.pk])
    assert "Endgültig löschen" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not Application.objects.filter(pk=application.pk).exists()


def test_a_submitted_application_cannot_be_deleted_or_edited(client):
    from applications import services

    application = complete_draft()
    user = application.organisation.memberships.first().user
    services.submit_application(actor=user, application=application)
    login(client, user)
    assert client.post(reverse("applications:delete", args=[application.pk])).status_code == 302
    assert Application.objects.filter(pk=application.pk).exists()
    response = client.post(
        reverse("applications:step_project", args=[application.pk]), {"title": "Neu"}
    )
    assert response.url == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.title == "Sprachcafé am Dom"


def test_copying_an_earlier_application_starts_a_new_draft_with_its_plan(client):
    from applications import services

    application = complete_draft()
    user = application.organisation.memberships.first().user
    services.submit_application(actor=user, application=application)
    services.withdraw_application(actor=user, application=application)
    login(client, user)
    response = client.post(reverse("applications:copy", args=[application.pk]))
    copy = Application.objects.exclude(pk=application.pk).get()
    assert response.url == reverse("applications:step_project", args=[copy.pk])
    assert copy.status == ApplicationStatus.DRAFT
    assert copy.reference is None
    assert copy.title == application.title
    assert copy.cost_items.count() == 1
    assert copy.attachments.count() == 0


def test_dashboard_lists_every_application_of_the_organisations_in_fixed_queries(
    client, django_assert_max_num_queries
):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    for _index in range(5):
        complete_draft(user=user, organisation=application.organisation)
    login(client, user)
    # One query per list the dashboard prefetches, however many applications there are.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("applications:dashboard"))
    assert response.content.decode().count("Weiter bearbeiten") == 6


def test_programme_list_shows_only_open_programmes_in_fixed_queries(
    client, django_assert_max_num_queries
):
    programme = sample_programme()
    organisation = complete_organisation()
    user = member_of(organisation)
    login(client, user)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("applications:programmes")).content.decode()
    assert programme.title in page
    programme.closes_on = programme.opens_on
    programme.opens_on = programme.opens_on.replace(year=programme.opens_on.year - 1)
    programme.closes_on = programme.opens_on
    programme.save()
    page = client.get(reverse("applications:programmes")).content.decode()
    assert "Zurzeit ist keine Antragsfrist offen" in page


def test_someone_without_organisation_is_sent_to_create_one_first(client):
    from tests.factories import UserFactory

    user = UserFactory()
    login(client, user)
    response = client.get(reverse("applications:programmes"))
    assert response.url == reverse("accounts:organisation_create")


def test_the_wizard_renders_in_english(client):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    login(client, user)
    try:
        for name in ["step_project", "step_costs", "step_financing", "step_attachments"]:
            with translation.override("en"):
                url = reverse(f"applications:{name}", args=[application.pk])
            assert url.startswith("/en/")
            response = client.get(url)
            assert response.status_code == 200
            assert 'lang="en"' in response.content.decode()
            assert "kern-task-list" in response.content.decode()
    finally:
        # The request activated English in this thread; later tests expect German.
        translation.activate("de")
