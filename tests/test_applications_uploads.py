"""Attachments: type by content, size limits, harmless names, private storage."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import services
from applications.forms import AttachmentForm
from applications.models import Attachment
from kitz_portal.uploads import clean_file_name
from tests.application_helpers import (
    DOCX_BYTES,
    EXE_BYTES,
    FAKE_DOCX_BYTES,
    JPEG_BYTES,
    ODS_BYTES,
    ODT_BYTES,
    PDF_BYTES,
    PLAIN_ZIP_BYTES,
    PNG_BYTES,
    XLSX_BYTES,
    complete_draft,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def draft_client(client):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    client.login(email=user.email, password=PASSWORD)
    client.application = application
    client.user = user
    return client


def _upload(client, name, content):
    return client.post(
        reverse("applications:step_attachments", args=[client.application.pk]),
        {"file": SimpleUploadedFile(name, content), "description": ""},
    )


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("antrag.pdf", PDF_BYTES, "application/pdf"),
        ("foto.jpg", JPEG_BYTES, "image/jpeg"),
        ("plakat.png", PNG_BYTES, "image/png"),
        (
            "konzept.docx",
            DOCX_BYTES,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "kosten.xlsx",
            XLSX_BYTES,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("konzept.odt", ODT_BYTES, "application/vnd.oasis.opendocument.text"),
        ("kosten.ods", ODS_BYTES, "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_allowed_documents_are_stored_with_their_sniffed_type(
    draft_client, settings, name, content, content_type
):
    response = _upload(draft_client, name, content)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert name not in attachment.file.name
    assert attachment.file.name.startswith("private/")
    assert len(_stored_files(settings)) == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("programm.pdf", EXE_BYTES, "Dateityp ist nicht erlaubt"),
        ("archiv.docx", PLAIN_ZIP_BYTES, "Dateityp ist nicht erlaubt"),
        ("falsch.docx", FAKE_DOCX_BYTES, "Dateityp ist nicht erlaubt"),
        ("seite.pdf", b"<html><script>alert(1)</script></html>", "Dateityp ist nicht erlaubt"),
        ("leer.pdf", b"", "leer"),
        ("gross.pdf", PDF_BYTES + b"0" * (10 * MB), "zu groß"),
    ],
)
def test_bad_uploads_are_refused_at_the_field_and_nothing_is_stored(
    draft_client, settings, name, content, message
):
    response = _upload(draft_client, name, content)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert any(message in error for error in errors), errors
    assert 'id="id_file-error"' in response.content.decode()
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


@pytest.mark.parametrize(
    "name",
    [
        "a/b.pdf",
        "a\\b.pdf",
        "..",
        "bad\x07name.pdf",
        "tab\tname.pdf",
        "nl\nname.pdf",
        "rtl\u202ename.pdf",
    ],
)
def test_file_names_with_separators_or_control_characters_are_refused(name):
    with pytest.raises(ValidationError):
        clean_file_name(name)


def test_path_components_never_reach_the_stored_name(draft_client):
    # Django drops the directories before our check; the stored name is random anyway.
    assert _upload(draft_client, "..\\..\\boot.pdf", PDF_BYTES).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "boot.pdf"
    assert ".." not in attachment.file.name


def test_control_characters_never_reach_the_stored_name(draft_client):
    response = _upload(draft_client, "bo\x07ot.pdf", PDF_BYTES)
    names = list(Attachment.objects.values_list("original_name", flat=True))
    assert response.status_code in (200, 302)
    assert all(name.isprintable() for name in names)


def test_control_characters_in_a_name_are_refused_by_the_form():
    upload = SimpleUploadedFile("x.pdf", PDF_BYTES)
    upload.name = "rechnung\x00.pdf"
    form = AttachmentForm(data={}, files={"file": upload})
    assert not form.is_valid()
    assert "Steuerzeichen" in form.errors["file"][0]


def test_all_attachments_together_stay_within_thirty_megabytes(draft_client, settings):
    nine = PDF_BYTES + b"0" * (9 * MB)
    for index in range(3):
        assert _upload(draft_client, f"teil{index}.pdf", nine).status_code == 302
    response = _upload(draft_client, "teil4.pdf", nine)
    assert response.status_code == 200
    assert "30 MB" in response.context["form"].errors["file"][0]
    assert Attachment.objects.count() == 3
    assert len(_stored_files(settings)) == 3


def test_a_download_is_forced_with_nosniff_and_the_original_name(draft_client):
    _upload(draft_client, "Kostenplan März.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    response = draft_client.get(
        reverse(
            "applications:download_attachment",
            args=[draft_client.application.pk, attachment.pk],
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_removing_an_attachment_removes_the_file(
    draft_client, settings, django_capture_on_commit_callbacks
):
    _upload(draft_client, "weg.pdf", PDF_BYTES)
    attachment = Attachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = draft_client.post(
            reverse(
                "applications:delete_attachment",
                args=[draft_client.application.pk, attachment.pk],
            )
        )
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_attachments_cannot_be_added_after_submission(draft_client):
    services.submit_application(actor=draft_client.user, application=draft_client.application)
    response = _upload(draft_client, "spaet.pdf", PDF_BYTES)
    assert response.status_code == 302
    assert not Attachment.objects.exists()
