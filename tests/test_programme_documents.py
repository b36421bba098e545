"""Per programme: required attachments checked at submit, and the Leitfaden PDF to download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from applications import admin_services, services
from applications.models import ApplicationStatus, Attachment, AttachmentKind, FundingProgramme
from kitz_portal.errors import PortalError
from tests.application_helpers import EXE_BYTES, PDF_BYTES, PNG_BYTES, complete_draft
from tests.factories import PASSWORD, UserFactory, administrator, applicant

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _edit_url(programme):
    return reverse("administration:programme_edit", kwargs={"pk": programme.pk})


def _programme_data(client, programme, **overrides):
    form = client.get(_edit_url(programme)).context["form"]
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None
        and value is not False
        and key not in ("eligible_cost_categories", "required_attachment_kinds")
    }
    data.update(
        {
            "opens_on": programme.opens_on.isoformat(),
            "closes_on": programme.closes_on.isoformat(),
            "min_grant": "250,00",
            "max_grant": "5.000,00",
            "volunteer_hourly_rate": "15,00",
            "max_investment_per_item": "800,00",
            "eligible_cost_categories": [c.pk for c in programme.eligible_cost_categories.all()],
            "is_published": "on",
        }
    )
    data.update(overrides)
    return data


def _require(programme, *codes):
    programme.required_attachment_kinds.set(AttachmentKind.objects.filter(code__in=codes))


# Required attachments -------------------------------------------------------------------


def test_administration_chooses_the_required_attachments_on_the_programme_page(client):
    draft = complete_draft()
    programme = draft.programme
    client.force_login(administrator())
    statutes = AttachmentKind.objects.get(code="statutes")
    estimate = AttachmentKind.objects.get(code="cost_estimate")
    response = client.post(
        _edit_url(programme),
        _programme_data(client, programme, required_attachment_kinds=[statutes.pk, estimate.pk]),
    )
    assert response.status_code == 302
    assert set(programme.required_attachment_kinds.all()) == {statutes, estimate}


def test_administration_adds_a_new_attachment_kind(client):
    programme = complete_draft().programme
    client.force_login(administrator())
    response = client.post(
        _edit_url(programme),
        {"action": "attachment_kind", "kind-name_de": "Jahresabschluss", "kind-name_en": ""},
    )
    assert response.status_code == 302
    kind = AttachmentKind.objects.get(name_de="Jahresabschluss")
    page = client.get(_edit_url(programme)).content.decode()
    assert f'value="{kind.pk}"' in page


@pytest.mark.parametrize("name", ["", "Satzung", "  satzung "])
def test_an_empty_or_existing_kind_is_refused_at_the_field(client, name):
    programme = complete_draft().programme
    count = AttachmentKind.objects.count()
    client.force_login(administrator())
    response = client.post(
        _edit_url(programme), {"action": "attachment_kind", "kind-name_de": name}
    )
    assert response.status_code == 200
    assert response.context["kind_form"].errors["name_de"]
    assert 'id="id_kind-name_de-error"' in response.content.decode()
    assert AttachmentKind.objects.count() == count


def test_copying_a_programme_keeps_its_required_attachments():
    programme = complete_draft().programme
    _require(programme, "statutes")
    copy = admin_services.copy_programme(
        actor=administrator(),
        source=programme,
        title="Neu",
        budget_year=programme.budget_year + 1,
        opens_on=programme.opens_on,
        closes_on=programme.closes_on,
        budget=programme.budget,
    )
    assert list(copy.required_attachment_kinds.values_list("code", flat=True)) == ["statutes"]


@pytest.fixture
def draft_client(client):
    application = complete_draft()
    _require(application.programme, "statutes", "cost_estimate")
    user = application.organisation.memberships.first().user
    client.login(email=user.email, password=PASSWORD)
    client.application = application
    client.user = user
    return client


def _attachments_url(application):
    return reverse("applications:step_attachments", kwargs={"pk": application.pk})


def _upload(client, kind=None, content=PDF_BYTES, name="satzung.pdf"):
    data = {"file": SimpleUploadedFile(name, content), "description": ""}
    if kind is not None:
        data["kind"] = kind
    return client.post(_attachments_url(client.application), data)


def test_attachment_step_shows_the_required_attachments_as_a_checklist(draft_client):
    page = draft_client.get(_attachments_url(draft_client.application)).content.decode()
    assert 'data-testid="required-attachments"' in page
    assert "Satzung</strong>: fehlt noch" in page
    assert "Kostenvoranschlag</strong>: fehlt noch" in page
    _upload(draft_client, kind=AttachmentKind.objects.get(code="statutes").pk)
    page = draft_client.get(_attachments_url(draft_client.application)).content.decode()
    assert "Satzung</strong>: vorhanden (satzung.pdf)" in page
    assert "Kostenvoranschlag</strong>: fehlt noch" in page


def test_submit_is_refused_at_the_attachment_step_naming_what_is_missing(draft_client):
    application = draft_client.application
    _upload(draft_client, kind=AttachmentKind.objects.get(code="statutes").pk)
    _upload(draft_client, name="sonstiges.pdf")  # without a kind it counts for nothing
    response = draft_client.post(reverse("applications:submit", kwargs={"pk": application.pk}))
    assert response.status_code == 302
    assert response.url == _attachments_url(application)
    page = draft_client.get(response.url).content.decode()
    assert "Es fehlen noch Pflichtanlagen: Kostenvoranschlag." in page
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference is None


def test_with_every_required_attachment_the_application_can_be_submitted(draft_client):
    application = draft_client.application
    _upload(draft_client, kind=AttachmentKind.objects.get(code="statutes").pk)
    _upload(draft_client, kind=AttachmentKind.objects.get(code="cost_estimate").pk, name="kv.pdf")
    response = draft_client.post(reverse("applications:submit", kwargs={"pk": application.pk}))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert set(application.attachments.values_list("kind__code", flat=True)) == {
        "statutes",
        "cost_estimate",
    }


def test_service_refuses_submit_with_the_attachment_section():
    application = complete_draft()
    _require(application.programme, "tax_exemption")
    member = application.organisation.memberships.first().user
    with pytest.raises(PortalError) as error:
        services.submit_application(actor=member, application=application)
    assert error.value.field == "attachments"
    assert "Freistellungsbescheid" in str(error.value.message)


def test_an_unknown_kind_is_refused_at_the_field_and_nothing_is_stored(draft_client, settings):
    response = _upload(draft_client, kind=999999)
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert 'id="id_kind-error"' in response.content.decode()
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_the_kind_is_shown_with_the_attachment_to_the_kitz(draft_client):
    _upload(draft_client, kind=AttachmentKind.objects.get(code="statutes").pk)
    page = draft_client.get(
        reverse("applications:summary", kwargs={"pk": draft_client.application.pk})
    ).content.decode()
    assert "satzung.pdf" in page and "Satzung" in page


# Leitfaden PDF --------------------------------------------------------------------------


def _upload_document(client, programme, content=PDF_BYTES, name="leitfaden.pdf"):
    return client.post(
        _edit_url(programme),
        {"action": "document", "document-document": SimpleUploadedFile(name, content)},
    )


@pytest.fixture
def programme():
    return complete_draft().programme


def test_administration_uploads_the_leitfaden_and_everyone_can_download_it(client, programme):
    client.force_login(administrator())
    response = _upload_document(client, programme)
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.guideline_document_size == len(PDF_BYTES)
    assert programme.guideline_document.name.startswith("private/")
    client.logout()
    response = client.get(reverse("applications:guideline_document", kwargs={"pk": programme.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("leitfaden.pdf", PNG_BYTES, "keine PDF-Datei"),
        ("leitfaden.pdf", EXE_BYTES, "Dateityp ist nicht erlaubt"),
        ("leitfaden.pdf", b"", "leer"),
        ("leitfaden.pdf", PDF_BYTES + b"0" * (10 * MB), "zu groß"),
        ("leitfaden.pdf", b"%PDF-1.4\n/JavaScript (app.alert(1))\n%%EOF", "JavaScript"),
    ],
)
def test_a_bad_leitfaden_is_refused_at_the_field_and_nothing_is_saved(
    client, settings, programme, name, content, message
):
    client.force_login(administrator())
    response = _upload_document(client, programme, content=content, name=name)
    assert response.status_code == 200
    errors = response.context["document_form"].errors["document"]
    assert any(message in error for error in errors), errors
    assert 'id="id_document-document-error"' in response.content.decode()
    programme.refresh_from_db()
    assert not programme.guideline_document
    assert _stored_files(settings) == []


def test_a_new_leitfaden_replaces_the_old_file(
    client, settings, programme, django_capture_on_commit_callbacks
):
    client.force_login(administrator())
    with django_capture_on_commit_callbacks(execute=True):
        _upload_document(client, programme)
    with django_capture_on_commit_callbacks(execute=True):
        _upload_document(client, programme, content=PDF_BYTES + b"% zweite Fassung\n")
    assert len(_stored_files(settings)) == 1
    response = client.get(reverse("applications:guideline_document", kwargs={"pk": programme.pk}))
    assert b"zweite Fassung" in b"".join(response.streaming_content)


def test_a_removed_leitfaden_is_gone(
    client, settings, programme, django_capture_on_commit_callbacks
):
    client.force_login(administrator())
    _upload_document(client, programme)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_edit_url(programme), {"action": "remove_document"})
    assert response.status_code == 302
    assert _stored_files(settings) == []
    url = reverse("applications:guideline_document", kwargs={"pk": programme.pk})
    assert client.get(url).status_code == 404


def test_the_leitfaden_of_an_unpublished_programme_is_not_served(client, programme):
    admin_services.replace_guideline_document(
        actor=administrator(),
        programme=programme,
        upload=SimpleUploadedFile("leitfaden.pdf", PDF_BYTES),
    )
    FundingProgramme.objects.filter(pk=programme.pk).update(is_published=False)
    url = reverse("applications:guideline_document", kwargs={"pk": programme.pk})
    client.force_login(administrator())
    assert client.get(url).status_code == 404


def test_a_programme_without_a_leitfaden_answers_404(client, programme):
    url = reverse("applications:guideline_document", kwargs={"pk": programme.pk})
    assert client.get(url).status_code == 404


VISITORS = {
    "anonymous": lambda: None,
    "member": applicant,
    "case_handler": lambda: UserFactory(roles=[Role.CASE_HANDLER]),
    "signing_authority": lambda: UserFactory(roles=[Role.SIGNING_AUTHORITY]),
    "administrator": administrator,
}


@pytest.mark.parametrize("visitor", sorted(VISITORS))
def test_the_leitfaden_is_public_for_every_visitor(client, programme, visitor):
    """The permission row of ``applications:guideline_document``: public when published."""
    admin_services.replace_guideline_document(
        actor=administrator(),
        programme=programme,
        upload=SimpleUploadedFile("leitfaden.pdf", PDF_BYTES),
    )
    person = VISITORS[visitor]()
    if person is not None:
        client.force_login(person)
    url = reverse("applications:guideline_document", kwargs={"pk": programme.pk})
    assert client.get(url).status_code == 200
    funding = client.get(reverse("funding_info")).content.decode()
    assert "Leitfaden herunterladen (PDF" in funding
    assert url in funding


def test_wizard_start_offers_the_leitfaden_with_its_size(client, programme):
    admin_services.replace_guideline_document(
        actor=administrator(),
        programme=programme,
        upload=SimpleUploadedFile("leitfaden.pdf", PDF_BYTES),
    )
    client.force_login(applicant())
    for name, kwargs in (
        ("applications:programmes", None),
        ("applications:eligibility", {"programme_id": programme.pk}),
    ):
        page = client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert 'data-testid="guideline-download"' in page
        assert "Leitfaden herunterladen (PDF, 45\xa0Bytes)" in page


@pytest.mark.parametrize("role", [None, Role.CASE_HANDLER, Role.SIGNING_AUTHORITY])
def test_only_the_administration_may_upload_a_leitfaden(client, settings, programme, role):
    client.force_login(UserFactory(roles=[role] if role else []))
    response = _upload_document(client, programme)
    assert response.status_code == 403
    with pytest.raises(PortalError):
        admin_services.replace_guideline_document(
            actor=UserFactory(roles=[role] if role else []),
            programme=programme,
            upload=SimpleUploadedFile("leitfaden.pdf", PDF_BYTES),
        )
    programme.refresh_from_db()
    assert not programme.guideline_document
    assert _stored_files(settings) == []
