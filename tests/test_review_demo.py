"""The demo data shows every step of review and decision."""

import pytest
from django.core.management import call_command

from applications.models import Application, ApplicationStatus, Decision

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_cases_in_every_review_step_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    statuses = list(Application.objects.values_list("status", flat=True))
    for status in [
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.INFO_REQUESTED,
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.APPROVED,
        ApplicationStatus.REJECTED,
    ]:
        assert statuses.count(status) == 1, status
    approved = Decision.objects.get(outcome="approved")
    assert approved.decided_by.email == "leitung@example.org"
    assert approved.reviewed_by.email == "sachbearbeitung@example.org"
