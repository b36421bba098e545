"""Attachments of the Verwendungsnachweis: checked like the application's, private, for staff."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from applications import usage_reports
from applications.models import UsageAttachment
from tests.post_helpers import approved_case
from tests.test_usage_reports import submitted

CORPUS = Path(__file__).parent / "hostile_uploads"
HOSTILE = sorted(path.name for path in CORPUS.iterdir())

pytestmark = pytest.mark.django_db


def blank_pdf():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def stored_files(settings):
    """Stored uploads; the Bescheid PDFs of the case live under letters/ and do not count."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [
        p for p in root.rglob("*") if p.is_file() and "letters" not in p.relative_to(root).parts
    ]


def upload(client, case, name, content, description=""):
    return client.post(
        reverse("applications:upload_usage_attachment", kwargs={"pk": case.application.pk}),
        {
            "attachment-file": SimpleUploadedFile(name, content),
            "attachment-description": description,
        },
    )


@pytest.fixture
def case(client):
    case = approved_case()
    client.force_login(case.member)
    return case


def test_the_applicant_uploads_a_flyer_and_the_staff_see_and_download_it(client, case):
    response = upload(client, case, "Flyer Sprachcafé.pdf", blank_pdf(), "Flyer mit Kreislogo")
    assert response.status_code == 302
    attachment = UsageAttachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.report.application == case.application
    page = client.get(reverse("applications:usage_report", kwargs={"pk": case.application.pk}))
    assert "Flyer Sprachcafé.pdf" in page.text and "Flyer mit Kreislogo" in page.text

    download_url = reverse(
        "applications:download_usage_attachment",
        kwargs={"pk": case.application.pk, "attachment_id": attachment.pk},
    )
    own = client.get(download_url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content).startswith(b"%PDF-")
    assert own["Cache-Control"] == "private, no-store"

    submitted(case)
    client.force_login(case.handler)
    case_page = client.get(reverse("applications:staff_case", kwargs={"pk": case.application.pk}))
    assert "Anlagen zum Verwendungsnachweis" in case_page.text
    assert download_url in case_page.text
    assert client.get(download_url).status_code == 200


def test_another_organisation_cannot_download_the_attachment(client, case):
    upload(client, case, "Teilnahmeliste.pdf", blank_pdf())
    attachment = UsageAttachment.objects.get()
    client.force_login(approved_case().member)
    response = client.get(
        reverse(
            "applications:download_usage_attachment",
            kwargs={"pk": case.application.pk, "attachment_id": attachment.pk},
        )
    )
    assert response.status_code == 404


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_file_is_refused_at_the_field_and_nothing_is_stored(client, case, settings, name):
    response = upload(client, case, name, (CORPUS / name).read_bytes())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_attachment-file-error"' in html
    assert "data-error-summary" in html
    assert not UsageAttachment.objects.exists()
    assert stored_files(settings) == []


def test_an_empty_or_too_large_file_gets_a_message_at_the_field(client, case, settings):
    empty = upload(client, case, "leer.pdf", b"")
    assert "Die Datei ist leer." in empty.context["attachment_form"].errors["file"]
    large = upload(client, case, "gross.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1))
    assert "höchstens 10 MB" in large.context["attachment_form"].errors["file"][0]
    assert not UsageAttachment.objects.exists()
    assert stored_files(settings) == []


def test_the_total_size_is_limited_and_the_message_stands_at_the_field(
    client, case, settings, monkeypatch
):
    monkeypatch.setattr(usage_reports, "MAX_TOTAL_ATTACHMENT_SIZE", len(blank_pdf()) * 3 // 2)
    assert upload(client, case, "eins.pdf", blank_pdf()).status_code == 302
    response = upload(client, case, "zwei.pdf", blank_pdf())
    assert response.status_code == 200
    assert "Alle Anlagen zusammen" in response.context["attachment_form"].errors["file"][0]
    assert UsageAttachment.objects.count() == 1
    assert len(stored_files(settings)) == 1


def test_after_submission_no_attachment_is_added_or_removed(client, case):
    upload(client, case, "Foto.pdf", blank_pdf())
    attachment = UsageAttachment.objects.get()
    submitted(case)
    refused = upload(client, case, "Nachtrag.pdf", blank_pdf())
    assert refused.status_code == 302
    page = client.get(refused.url)
    assert "Der Verwendungsnachweis ist bereits eingereicht." in page.content.decode()
    client.post(
        reverse(
            "applications:delete_usage_attachment",
            kwargs={"pk": case.application.pk, "attachment_id": attachment.pk},
        )
    )
    assert list(UsageAttachment.objects.all()) == [attachment]


def test_the_applicant_removes_an_attachment_while_the_report_is_open(
    client, case, settings, django_capture_on_commit_callbacks
):
    upload(client, case, "Foto.pdf", blank_pdf())
    attachment = UsageAttachment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "applications:delete_usage_attachment",
                kwargs={"pk": case.application.pk, "attachment_id": attachment.pk},
            )
        )
    assert response.status_code == 302
    assert not UsageAttachment.objects.exists()
    assert stored_files(settings) == []


def test_anonymising_a_closed_case_removes_the_attachments_and_check_remarks(
    client, case, settings, django_capture_on_commit_callbacks
):
    from privacy.retention import anonymise_case
    from tests.post_helpers import checklist_all_met

    upload(client, case, "Teilnahmeliste.pdf", blank_pdf())
    submitted(case)
    answers = {**checklist_all_met(), "target_groups": ("met", "35 Personen laut Liste")}
    usage_reports.check_usage_report(
        actor=case.handler, application=case.application, answers=answers
    )
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_case(case.application)
    assert not UsageAttachment.objects.exists()
    assert stored_files(settings) == []
    assert not case.application.usage_report.check_answers.exclude(remark="").exists()
