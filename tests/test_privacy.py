import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from applications.models import Application, ApplicationEvent, Attachment, CaseMessage
from applications.services import add_attachment
from privacy.models import AnonymisedCase, RetentionRun
from privacy.retention import apply_retention
from privacy.tasks import apply_retention_periods
from tests.application_helpers import PDF_BYTES, complete_draft
from tests.factories import MembershipFactory, administrator
from tests.review_helpers import applicant_of, submitted_application

pytestmark = pytest.mark.django_db


def download(client, user):
    client.force_login(user)
    response = client.get(reverse("privacy:my_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_person_downloads_their_data_with_their_organisations_files(client):
    draft = complete_draft()
    member = applicant_of(draft)
    add_attachment(
        actor=member,
        application=draft,
        upload=SimpleUploadedFile("angebot.pdf", PDF_BYTES),
        content_type="application/pdf",
    )
    bundle = download(client, member)
    data = json.loads(bundle.read("meine-daten.json"))
    assert data["person"]["fields"]["email"] == member.email
    assert "password" not in data["person"]["fields"]
    assert [row["fields"]["title"] for row in data["applications"]] == [draft.title]
    assert data["organisations"][0]["fields"]["name"] == draft.organisation.name
    assert "accounts.membership" in data["about_the_person"]
    files = [name for name in bundle.namelist() if name.endswith("angebot.pdf")]
    assert len(files) == 1
    assert bundle.read(files[0]) == PDF_BYTES


def test_download_holds_nothing_of_other_organisations(client):
    other = complete_draft()
    stranger = MembershipFactory().user
    bundle = download(client, stranger)
    data = json.loads(bundle.read("meine-daten.json"))
    assert data["applications"] == []
    assert other.title not in bundle.read("meine-daten.json").decode()


def age(application, days):
    Application.objects.filter(pk=application.pk).update(
        updated_at=timezone.now() - timedelta(days=days)
    )


def test_untouched_draft_is_announced_a_month_before_and_deleted_after_a_year():
    draft = complete_draft()
    member = applicant_of(draft)
    age(draft, 340)
    run = apply_retention()
    assert run.drafts_warned == 1 and run.drafts_deleted == 0
    warning = Notification.objects.get(template="emails/privacy/draft_deletion_warning")
    assert warning.recipient == member
    assert apply_retention().drafts_warned == 0  # warned once, not every night
    # A year untouched and the warning a month old: the draft goes.
    age(draft, 366)
    draft.deletion_warning.warned_at = timezone.now() - timedelta(days=31)
    draft.deletion_warning.save()
    run = apply_retention()
    assert run.drafts_deleted == 1
    assert not Application.objects.filter(pk=draft.pk).exists()


def test_draft_is_never_deleted_without_a_warning_a_month_before():
    draft = complete_draft()
    age(draft, 400)
    run = apply_retention()
    assert run.drafts_warned == 1
    assert run.drafts_deleted == 0
    assert Application.objects.filter(pk=draft.pk).exists()


def test_draft_touched_after_the_warning_is_kept_and_warned_again_later():
    draft = complete_draft()
    age(draft, 340)
    apply_retention()
    draft.deletion_warning.warned_at = timezone.now() - timedelta(days=40)
    draft.deletion_warning.save()
    age(draft, 10)  # edited after the warning
    run = apply_retention()
    assert run.drafts_deleted == 0 and run.drafts_warned == 0
    assert Application.objects.filter(pk=draft.pk).exists()


def close_long_ago(application, years):
    Application.objects.filter(pk=application.pk).update(status="withdrawn")
    ApplicationEvent.objects.filter(application=application).update(
        created_at=timezone.now() - timedelta(days=365 * years + 5)
    )


@pytest.mark.django_db(transaction=True)
def test_closed_case_is_anonymised_after_the_retention_period_and_figures_stay():
    application = submitted_application()
    member = applicant_of(application)
    attachment = Attachment.objects.create(
        application=application,
        file=SimpleUploadedFile("belege.pdf", PDF_BYTES),
        original_name="belege.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    storage, stored_name = attachment.file.storage, attachment.file.name
    CaseMessage.objects.create(
        application=application, author=member, from_kitz=False, text="Hallo"
    )
    close_long_ago(application, 11)
    recent = submitted_application()
    close_long_ago(recent, 3)
    run = apply_retention()
    assert run.cases_anonymised == 1
    application.refresh_from_db()
    assert application.title == "–"
    assert application.description == ""
    assert application.requested_amount > 0  # figures for the statistics stay
    assert not application.messages.exists()
    assert not application.attachments.exists()
    assert not storage.exists(stored_name)
    assert AnonymisedCase.objects.filter(application=application).exists()
    recent.refresh_from_db()
    assert recent.title != "–"
    assert apply_retention().cases_anonymised == 0  # safe to run twice


def test_retention_period_is_a_setting(settings):
    settings.PORTAL_RETENTION_YEARS = 2
    application = submitted_application()
    close_long_ago(application, 3)
    assert apply_retention().cases_anonymised == 1


def test_command_and_beat_task_log_every_run():
    call_command("apply_retention", stdout=io.StringIO())
    apply_retention_periods.delay()
    runs = list(RetentionRun.objects.all())
    assert len(runs) == 2
    assert all(run.finished_at for run in runs)


def test_administration_sees_every_run_in_fixed_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        apply_retention()
    client.force_login(administrator())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("privacy:retention_runs"))
    assert response.content.decode().count('<tr class="kern-table__row">') == 1 + 3
    assert "10 Jahre" in response.content.decode()


def test_download_holds_the_letters_payments_hearing_and_report_files_of_a_granted_case(client):
    from applications import usage_reports
    from tests.revocation_helpers import paid_case, start_hearing

    case = paid_case()
    usage_reports.add_usage_attachment(
        actor=case.member,
        application=case.application,
        upload=SimpleUploadedFile("flyer.pdf", PDF_BYTES),
        content_type="application/pdf",
    )
    start_hearing(case)
    bundle = download(client, case.member)
    data = json.loads(bundle.read("meine-daten.json"))
    assert [row["fields"]["status"] for row in data["payment_requests"]] == ["paid"]
    assert [row["fields"]["kind"] for row in data["letters"]] == ["grant"]
    assert len(data["revocation_procedures"]) == 1
    assert len(data["usage_report_attachments"]) == 1
    reference = case.application.reference
    names = bundle.namelist()
    assert any(name.endswith("flyer.pdf") for name in names)
    assert bundle.read(next(n for n in names if n.endswith("flyer.pdf"))) == PDF_BYTES
    letters = [name for name in names if name.startswith(f"antraege/{reference}/bescheide/")]
    assert len(letters) == 2  # the Zuwendungsbescheid and the Anhörungsschreiben
    assert all(bundle.read(name).startswith(b"%PDF") for name in letters)
