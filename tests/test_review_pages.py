"""The staff pages and the applicant's side of a case, per URL and role."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Notification, NotificationStatus
from applications import services
from applications.models import (
    ApplicationStatus,
    CaseMessage,
    Decision,
    InformationRequest,
    InternalNote,
    Review,
)
from applications.tasks import remind_information_requests
from tests.application_helpers import EXE_BYTES, PDF_BYTES, complete_draft
from tests.factories import PASSWORD, administrator, applicant, case_handler, signing_authority
from tests.review_helpers import (
    applicant_of,
    recommended_application,
    review_criteria,
    save_full_review,
    submitted_application,
)

pytestmark = pytest.mark.django_db


def login(client, user):
    client.login(email=user.email, password=PASSWORD)
    return user


def staff_case_urls(pk):
    names = [
        "staff_case",
        "staff_assign",
        "staff_note",
        "staff_message",
        "staff_request_info",
        "staff_review",
        "staff_propose",
        "staff_decide",
    ]
    return [reverse(f"applications:{name}", args=[pk]) for name in names]


STAFF_PAGES = ["applications:staff_queue", "applications:staff_budget"]


def test_anonymous_visitors_are_sent_to_the_login_everywhere(client):
    application = submitted_application()
    urls = staff_case_urls(application.pk) + [reverse(name) for name in STAFF_PAGES]
    urls += [
        reverse("applications:staff_outbox"),
        reverse("applications:answer", args=[application.pk]),
    ]
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:  # a button's URL: only POST is allowed
            response = client.post(url)
        assert response.status_code == 302 and "/konto/login/" in response.url, url


def test_applicants_and_administrators_get_403_on_staff_pages(client):
    application = submitted_application()
    for person in (applicant_of(application), applicant(), administrator()):
        login(client, person)
        for url in staff_case_urls(application.pk) + [reverse(name) for name in STAFF_PAGES]:
            assert client.get(url).status_code in (403, 405), url
            assert client.post(url, {"text": "x"}).status_code == 403, url
    assert not InternalNote.objects.exists() and not CaseMessage.objects.exists()


def test_staff_get_404_for_drafts_and_403_for_their_own_organisations_cases(client):
    handler = login(client, signing_authority())
    draft = complete_draft()
    for url in staff_case_urls(draft.pk):
        assert client.get(url).status_code in (404, 405), url
    own = submitted_application()
    Membership.objects.create(user=handler, organisation=own.organisation)
    for url in staff_case_urls(own.pk):
        assert client.get(url).status_code in (403, 405), url
        assert client.post(url, {"text": "x"}).status_code == 403, url
    own.refresh_from_db()
    assert own.status == ApplicationStatus.SUBMITTED and not InternalNote.objects.exists()


def test_a_case_handler_without_signing_authority_cannot_open_the_decision(client):
    application = recommended_application(case_handler())
    login(client, case_handler())
    assert client.get(reverse("applications:staff_decide", args=[application.pk])).status_code == (
        403
    )
    page = client.get(reverse("applications:staff_case", args=[application.pk]))
    assert reverse("applications:staff_decide", args=[application.pk]) not in page.content.decode()


def test_the_case_page_shows_application_history_notes_and_messages(
    client, django_assert_max_num_queries
):
    handler = case_handler()
    earlier = submitted_application()
    organisation = earlier.organisation
    services.withdraw_application(actor=applicant_of(earlier), application=earlier)
    application = submitted_application(organisation=organisation, user=applicant_of(earlier))
    services.assign_application(actor=handler, application=application, assignee=handler)
    services.add_internal_note(actor=handler, application=application, text="Bekannter Verein")
    services.send_case_message(actor=handler, application=application, text="Guten Tag!")
    login(client, handler)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("applications:staff_case", args=[application.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1") == 1
    assert application.reference in content and "Sprachcafé am Dom" in content
    assert earlier.reference in content and "zurückgezogen" in content
    assert "Bekannter Verein" in content and "Guten Tag!" in content
    assert "in Prüfung" in content


def test_the_applicant_sees_messages_but_never_internal_notes(client):
    handler = case_handler()
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    services.add_internal_note(actor=handler, application=application, text="Nur intern XYZ")
    services.send_case_message(actor=handler, application=application, text="Bitte melden")
    login(client, applicant_of(application))
    content = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Bitte melden" in content
    assert "Nur intern XYZ" not in content

    response = client.post(
        reverse("applications:applicant_message", args=[application.pk]), {"text": "Gern"}
    )
    assert response.status_code == 302
    assert CaseMessage.objects.filter(from_kitz=False, text="Gern").exists()


def test_assigning_through_the_case_page(client):
    lead = login(client, signing_authority())
    handler = case_handler()
    application = submitted_application()
    response = client.post(
        reverse("applications:staff_assign", args=[application.pk]), {"assignee": handler.pk}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.assigned_to == handler and application.status == "in_review"
    assert application.events.last().actor == lead


def test_an_invalid_note_or_message_shows_the_error_and_saves_nothing(client):
    handler = login(client, case_handler())
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    for name in ("staff_note", "staff_message"):
        response = client.post(reverse(f"applications:{name}", args=[application.pk]), {"text": ""})
        assert response.status_code == 200
        assert "Dieses Feld ist zwingend erforderlich" in response.content.decode()
    assert not InternalNote.objects.exists() and not CaseMessage.objects.exists()


def test_request_information_form_checks_the_due_date(client):
    handler = login(client, case_handler())
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    url = reverse("applications:staff_request_info", args=[application.pk])
    yesterday = (timezone.localdate() - timedelta(days=1)).strftime("%d.%m.%Y")
    response = client.post(url, {"message": "Frage", "due_on": yesterday})
    assert response.status_code == 200
    assert "Die Frist muss in der Zukunft liegen." in response.content.decode()
    assert not InformationRequest.objects.exists()
    due = (timezone.localdate() + timedelta(days=10)).strftime("%d.%m.%Y")
    assert client.post(url, {"message": "Frage", "due_on": due}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED


def _open_question(handler=None):
    handler = handler or case_handler()
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    services.request_information(
        actor=handler,
        application=application,
        message="Bitte Raumzusage nachreichen.",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    return application


def test_the_applicant_answers_with_a_file_on_the_answer_page(client):
    application = _open_question()
    member = login(client, applicant_of(application))
    dashboard = client.get(reverse("applications:dashboard")).content.decode()
    assert reverse("applications:answer", args=[application.pk]) in dashboard
    url = reverse("applications:answer", args=[application.pk])
    assert "Bitte Raumzusage nachreichen." in client.get(url).content.decode()
    response = client.post(
        url,
        {"answer": "Zusage anbei.", "files": [SimpleUploadedFile("zusage.pdf", PDF_BYTES)]},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    assert application.attachments.filter(original_name="zusage.pdf", uploaded_by=member).exists()
    response = client.get(url)
    assert response.status_code == 302  # nothing left to answer


def test_a_bad_file_in_the_answer_is_refused_at_the_field_and_nothing_is_saved(client):
    application = _open_question()
    login(client, applicant_of(application))
    response = client.post(
        reverse("applications:answer", args=[application.pk]),
        {"answer": "Anbei", "files": [SimpleUploadedFile("virus.pdf", EXE_BYTES)]},
    )
    assert response.status_code == 200
    assert "kern-error" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert InformationRequest.objects.get().answered_at is None
    assert not application.attachments.filter(original_name="virus.pdf").exists()


def test_another_organisation_gets_404_on_the_applicant_urls(client):
    application = _open_question()
    login(client, applicant())
    assert client.get(reverse("applications:answer", args=[application.pk])).status_code == 404
    assert (
        client.post(
            reverse("applications:applicant_message", args=[application.pk]), {"text": "x"}
        ).status_code
        == 404
    )


def test_review_proposal_and_decision_through_the_pages(client):
    handler = login(client, case_handler())
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    item = application.cost_items.get()
    data = {
        "is_complete": "on",
        "is_in_time": "on",
        "is_eligible_applicant": "on",
        "financing_type": "deficit",
        f"cost_{item.pk}": "reduced",
        f"cost_{item.pk}_amount": "1.500,00",
        f"cost_{item.pk}_reason": "Honorar über Satz",
    }
    for criterion in review_criteria(application):
        data[f"criterion_{criterion.pk}"] = "met"
    review_url = reverse("applications:staff_review", args=[application.pk])
    assert client.get(review_url).status_code == 200
    incomplete = {k: v for k, v in data.items() if not k.startswith("criterion_")}
    response = client.post(review_url, incomplete)
    assert response.status_code == 200
    assert "Bitte bewerten Sie diesen Prüfpunkt." in response.content.decode()
    assert not Review.objects.exists()

    response = client.post(review_url, data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.eligible_total == Decimal("1500.00")
    assert review.computed_grant == Decimal("1300.00")

    propose_url = reverse("applications:staff_propose", args=[application.pk])
    page = client.get(propose_url).content.decode()
    assert "1.300,00" in page
    start = application.start_date
    response = client.post(
        propose_url,
        {
            "proposal": "approve",
            "amount": "1.400,00",
            "period_start": start.strftime("%d.%m.%Y"),
            "period_end": (start + timedelta(days=60)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 200
    assert "errechnete Förderung von 1.300,00" in response.content.decode()
    response = client.post(
        propose_url,
        {
            "proposal": "approve",
            "amount": "1.300,00",
            "period_start": start.strftime("%d.%m.%Y"),
            "period_end": (start + timedelta(days=60)).strftime("%d.%m.%Y"),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED

    decide_url = reverse("applications:staff_decide", args=[application.pk])
    # The reviewer holds signing authority too, but may not sign this case.
    handler.role_assignments.create(role="signing_authority")
    response = client.post(decide_url, {"action": "approve"})
    assert response.status_code == 200
    assert "Vier-Augen-Prinzip" in response.content.decode()
    assert not Decision.objects.exists()

    login(client, signing_authority())
    response = client.post(decide_url, {"action": "approve"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert application.granted_amount == Decimal("1300.00")


def test_reminders_go_out_once_before_and_once_after_the_due_date(
    settings, django_capture_on_commit_callbacks
):
    application = _open_question()
    request = InformationRequest.objects.get(application=application)
    member = applicant_of(application)
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        assert remind_information_requests() == {"reminded": 0, "overdue": 0}
        InformationRequest.objects.filter(pk=request.pk).update(due_on=today + timedelta(days=2))
        assert remind_information_requests() == {"reminded": 1, "overdue": 0}
        assert remind_information_requests() == {"reminded": 0, "overdue": 0}
        InformationRequest.objects.filter(pk=request.pk).update(due_on=today - timedelta(days=1))
        assert remind_information_requests() == {"reminded": 0, "overdue": 1}
        assert remind_information_requests() == {"reminded": 0, "overdue": 0}
    templates = list(
        Notification.objects.filter(to_email=member.email).values_list("template", flat=True)
    )
    assert templates.count("emails/applications/information_reminder") == 1
    assert templates.count("emails/applications/information_overdue") == 1
    application.refresh_from_db()
    handler = application.assigned_to
    assert (
        Notification.objects.filter(
            to_email=handler.email, template="emails/applications/information_overdue_staff"
        ).count()
        == 1
    )
    assert any(application.reference in message.subject for message in mail.outbox)
    assert "remind-information-requests" in settings.CELERY_BEAT_SCHEDULE


def test_answered_questions_get_no_reminder():
    application = _open_question()
    services.answer_information_request(
        actor=applicant_of(application), application=application, answer="Erledigt"
    )
    InformationRequest.objects.update(due_on=timezone.localdate() - timedelta(days=1))
    assert remind_information_requests() == {"reminded": 0, "overdue": 0}


def test_the_outbox_page_lists_failed_messages_and_sends_them_again(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    failed = Notification.objects.create(
        to_email="verein@example.org",
        template="emails/applications/case_message",
        context={"reference": "KITZ-2099-0001", "title": "Test", "application_id": 1},
        status=NotificationStatus.FAILED,
        attempts=10,
        last_error="SMTP down",
    )
    Notification.objects.create(
        to_email="sent@example.org", template="emails/x", status=NotificationStatus.SENT
    )
    login(client, case_handler())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("applications:staff_outbox"))
    content = response.content.decode()
    assert "verein@example.org" in content and "SMTP down" in content
    assert "sent@example.org" not in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:staff_resend_notification", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == NotificationStatus.SENT
    assert mail.outbox[-1].to == ["verein@example.org"]


def test_only_staff_and_administrators_see_the_outbox(client):
    url = reverse("applications:staff_outbox")
    login(client, applicant())
    assert client.get(url).status_code == 403
    login(client, administrator())
    assert client.get(url).status_code == 200


def test_the_notification_mails_render_in_german_with_the_reference(
    django_capture_on_commit_callbacks,
):
    handler = case_handler()
    application = recommended_application(handler)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(
            actor=signing_authority(), application=application, action="approve"
        )
    subjects = [message.subject for message in mail.outbox]
    assert any("Entscheidung über Ihren Antrag " + application.reference in s for s in subjects)
    body = next(m for m in mail.outbox if "Entscheidung" in m.subject)
    assert f"/antraege/{application.pk}/" in body.body
    assert body.alternatives and "<html" in body.alternatives[0][0]


def test_save_full_review_helper_matches_the_criteria():
    handler = case_handler()
    application = submitted_application()
    services.assign_application(actor=handler, application=application, assignee=handler)
    review = save_full_review(handler, application)
    assert review.items.count() == len(review_criteria(application))


def test_the_applicant_never_sees_review_proposal_or_decision_remarks(client):
    handler = case_handler()
    application = recommended_application(handler)
    services.decide_application(
        actor=signing_authority(),
        application=application,
        action="return",
        note="Intern: Eigenanteil nochmal rechnen",
    )
    login(client, applicant_of(application))
    content = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Intern: Eigenanteil" not in content
    assert "Prüfvermerk gespeichert" not in content
    assert "Vorschlag: Bewilligung" not in content
    assert "Zuständig:" not in content
    login(client, case_handler())
    staff_page = client.get(reverse("applications:staff_case", args=[application.pk]))
    assert "Intern: Eigenanteil" in staff_page.content.decode()


def test_the_staff_pages_render_in_english_too(client):
    application = recommended_application(case_handler())
    login(client, signing_authority())
    for url in [
        "/en/antraege/kitz/eingang/",
        f"/en/antraege/kitz/{application.pk}/",
        f"/en/antraege/kitz/{application.pk}/entscheidung/",
        "/en/antraege/kitz/budget/",
        "/en/antraege/kitz/benachrichtigungen/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en"' in response.content.decode(), url
