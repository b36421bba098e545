"""Who sees what: other organisations' applications, drafts and attachments answer 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.models import Application, Attachment, CostItem, FinancingItem, FinancingKind
from tests.application_helpers import PDF_BYTES, complete_draft, complete_organisation, member_of
from tests.factories import PASSWORD, case_handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign_application():
    """A draft of another organisation with a cost item, third-party funds and an attachment."""
    application = complete_draft()
    user = application.organisation.memberships.first().user
    services.add_third_party_funds(
        actor=user,
        application=application,
        kind=FinancingKind.THIRD_PARTY_APPLIED,
        source="Stiftung",
        amount=100,
    )
    services.save_financing(
        actor=user,
        application=application,
        own_funds=200,
        volunteer_hours=0,
        requested_amount=1700,
    )
    services.add_attachment(
        actor=user,
        application=application,
        upload=SimpleUploadedFile("geheim.pdf", PDF_BYTES),
        content_type="application/pdf",
    )
    return application


def application_urls(application):
    pk = application.pk
    item = CostItem.objects.filter(application=application).first()
    funds = FinancingItem.objects.filter(application=application).first()
    attachment = Attachment.objects.filter(application=application).first()
    names = [
        "detail",
        "step_project",
        "step_costs",
        "step_financing",
        "step_attachments",
        "step_declarations",
        "summary",
        "submit",
        "withdraw",
        "delete",
        "copy",
        "pdf",
    ]
    urls = [reverse(f"applications:{name}", args=[pk]) for name in names]
    urls.append(reverse("applications:delete_cost_item", args=[pk, item.pk]))
    urls.append(reverse("applications:delete_financing_item", args=[pk, funds.pk]))
    urls.append(reverse("applications:download_attachment", args=[pk, attachment.pk]))
    urls.append(reverse("applications:delete_attachment", args=[pk, attachment.pk]))
    return urls


def test_a_non_member_gets_404_on_every_url_of_another_organisations_draft(
    client, foreign_application
):
    outsider = member_of(complete_organisation())
    client.login(email=outsider.email, password=PASSWORD)
    for url in application_urls(foreign_application):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"confirm": "on"}).status_code == 404, url
    foreign_application.refresh_from_db()
    assert foreign_application.is_draft
    assert foreign_application.cost_items.count() == 1
    assert foreign_application.financing_items.count() == 1
    assert foreign_application.attachments.count() == 1
    assert Application.objects.count() == 1


def test_a_non_member_gets_404_on_every_url_of_a_submitted_application(client, foreign_application):
    user = foreign_application.organisation.memberships.first().user
    services.submit_application(actor=user, application=foreign_application)
    outsider = member_of(complete_organisation())
    client.login(email=outsider.email, password=PASSWORD)
    for url in application_urls(foreign_application):
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"confirm": "on"}).status_code == 404, url
    foreign_application.refresh_from_db()
    assert foreign_application.status == "submitted"


def test_anonymous_visitors_are_sent_to_the_login(client, foreign_application):
    for url in application_urls(foreign_application):
        response = client.get(url)
        assert response.status_code in (302, 405), url
        if response.status_code == 302:
            assert "/konto/login/" in response.url


def test_items_of_another_application_cannot_be_removed_through_ones_own(
    client, foreign_application
):
    own = complete_draft()
    user = own.organisation.memberships.first().user
    client.login(email=user.email, password=PASSWORD)
    item = foreign_application.cost_items.get()
    attachment = foreign_application.attachments.get()
    funds = foreign_application.financing_items.get()
    for url in [
        reverse("applications:delete_cost_item", args=[own.pk, item.pk]),
        reverse("applications:delete_attachment", args=[own.pk, attachment.pk]),
        reverse("applications:delete_financing_item", args=[own.pk, funds.pk]),
        reverse("applications:download_attachment", args=[own.pk, attachment.pk]),
    ]:
        assert client.post(url).status_code in (404, 405)
        assert client.get(url).status_code in (404, 405)
    assert CostItem.objects.filter(pk=item.pk).exists()
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    assert FinancingItem.objects.filter(pk=funds.pk).exists()


def test_kitz_staff_never_see_drafts_but_may_read_submitted_files(client, foreign_application):
    staff = case_handler()
    client.login(email=staff.email, password=PASSWORD)
    attachment = foreign_application.attachments.get()
    download = reverse(
        "applications:download_attachment", args=[foreign_application.pk, attachment.pk]
    )
    pdf = reverse("applications:pdf", args=[foreign_application.pk])
    assert client.get(download).status_code == 404
    assert client.get(pdf).status_code == 404
    user = foreign_application.organisation.memberships.first().user
    services.submit_application(actor=user, application=foreign_application)
    assert client.get(download).status_code == 200
    assert client.get(pdf).status_code == 200
    # Editing stays with the organisation.
    assert (
        client.get(reverse("applications:step_project", args=[foreign_application.pk])).status_code
        == 404
    )


def test_every_member_of_the_organisation_sees_its_applications(client, foreign_application):
    colleague = member_of(foreign_application.organisation)
    client.login(email=colleague.email, password=PASSWORD)
    page = client.get(reverse("applications:dashboard")).content.decode()
    assert foreign_application.title in page
    assert (
        client.get(reverse("applications:detail", args=[foreign_application.pk])).status_code == 200
    )


def test_the_dashboard_shows_nothing_of_other_organisations(client, foreign_application):
    outsider = member_of(complete_organisation())
    client.login(email=outsider.email, password=PASSWORD)
    page = client.get(reverse("applications:dashboard")).content.decode()
    assert foreign_application.title not in page
