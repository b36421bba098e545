"""A request that fails half-way inside a service leaves no partial rows behind."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from applications import services
from applications.models import Application, ApplicationEvent, ApplicationStatus, ReferenceCounter
from tests.application_helpers import complete_draft
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_submission_failing_after_the_reference_leaves_the_draft_untouched(client, monkeypatch):
    application = complete_draft()
    user = application.organisation.memberships.first().user
    counters = list(ReferenceCounter.objects.values_list("year", "last_number"))
    events = ApplicationEvent.objects.count()

    def broken_notification(*args, **kwargs):
        raise RuntimeError("mail template broken")

    monkeypatch.setattr(services, "_notify_members", broken_notification)
    client.raise_request_exception = False
    client.login(email=user.email, password=PASSWORD)
    response = client.post(reverse("applications:submit", args=[application.pk]))

    assert response.status_code == 500
    assert "Technischer Fehler" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference is None
    assert application.submitted_at is None
    assert list(ReferenceCounter.objects.values_list("year", "last_number")) == counters
    assert ApplicationEvent.objects.count() == events
    assert not Notification.objects.exists()


def test_the_next_submission_gets_the_number_the_failed_one_did_not_use(client, monkeypatch):
    first = complete_draft()
    user = first.organisation.memberships.first().user
    monkeypatch.setattr(services, "_notify_members", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.submit_application(actor=user, application=first)
    monkeypatch.undo()
    submitted = services.submit_application(
        actor=user, application=Application.objects.get(pk=first.pk)
    )
    assert submitted.reference.endswith("-0001")
