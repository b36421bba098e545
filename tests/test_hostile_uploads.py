"""The corpus in tests/hostile_uploads/: every file is refused at the field, nothing is stored."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from applications.models import Attachment
from tests.application_helpers import complete_draft
from tests.factories import PASSWORD

CORPUS = Path(__file__).parent / "hostile_uploads"
HOSTILE = sorted(path.name for path in CORPUS.iterdir())

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_client(client):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    client.login(email=user.email, password=PASSWORD)
    client.application = application
    return client


def upload(client, name, content):
    return client.post(
        reverse("applications:step_attachments", args=[client.application.pk]),
        {"file": SimpleUploadedFile(name, content), "description": ""},
    )


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def test_the_corpus_is_there():
    assert len(HOSTILE) >= 10


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_at_the_field_and_nothing_is_stored(draft_client, settings, name):
    response = upload(draft_client, name, (CORPUS / name).read_bytes())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_file-error"' in html
    assert "data-error-summary" in html
    assert not Attachment.objects.exists()
    assert stored_files(settings) == []


def test_an_ordinary_pdf_made_by_a_writer_is_accepted(draft_client):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    response = upload(draft_client, "Kostenvoranschlag.pdf", buffer.getvalue())
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "application/pdf"


def test_organisation_proof_refuses_a_pdf_with_javascript(client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:organisation_create"),
        {
            "name": "Verein mit Skript",
            "kind": "association",
            "proof": SimpleUploadedFile("satzung.pdf", (CORPUS / "javascript.pdf").read_bytes()),
        },
    )
    assert response.status_code == 200
    assert 'id="id_proof-error"' in response.content.decode()
    assert not user.organisations.exists()


def test_oversized_request_is_refused_before_it_is_read(draft_client, settings):
    settings.PORTAL_MAX_REQUEST_SIZE = 1024
    response = upload(draft_client, "gross.pdf", b"%PDF-1.4\n" + b"0" * 4096)
    assert response.status_code == 413
    assert "Zu große Datei" in response.content.decode()
    assert not Attachment.objects.exists()
