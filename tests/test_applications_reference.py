"""The Aktenzeichen: unique and gap-free per year, even when many submit at the same moment."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from applications import services
from applications.models import Application, ApplicationEvent, ReferenceCounter
from kitz_portal.errors import PortalError
from tests.application_helpers import complete_draft, sample_programme


@pytest.fixture(scope="module", autouse=True)
def restore_handlungsfelder(django_db_setup, django_db_blocker):
    """Transactional tests flush every table; put back the rows the data migration made."""
    yield
    from handlungsfelder.defaults import ensure_default_handlungsfelder

    with django_db_blocker.unblock():
        # Idempotent by slug: rows recreated by another transactional test do not collide.
        ensure_default_handlungsfelder()


def _submit_all_at_once(jobs):
    """Run (user, application) submissions in threads that start together."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(user, application):
        try:
            barrier.wait(timeout=10)
            submitted = services.submit_application(actor=user, application=application)
            results.append(submitted.reference)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


@pytest.mark.django_db(transaction=True)
def test_many_organisations_submitting_at_once_get_unique_gap_free_references(
    requires_postgresql,
):
    programme = sample_programme()
    drafts = [complete_draft(programme=programme) for _index in range(10)]
    jobs = [(draft.organisation.memberships.first().user, draft) for draft in drafts]

    references, errors = _submit_all_at_once(jobs)

    year = timezone.localdate().year
    assert errors == []
    assert sorted(references) == [f"KITZ-{year}-{number:04d}" for number in range(1, 11)]
    assert ReferenceCounter.objects.get(year=year).last_number == 10
    assert Application.objects.filter(status="submitted").count() == 10


@pytest.mark.django_db(transaction=True)
def test_a_second_tab_submitting_the_same_draft_creates_one_application(requires_postgresql):
    draft = complete_draft()
    user = draft.organisation.memberships.first().user

    references, errors = _submit_all_at_once([(user, draft), (user, draft), (user, draft)])

    assert len(references) == 1
    assert len(errors) == 2
    year = timezone.localdate().year
    assert ReferenceCounter.objects.get(year=year).last_number == 1
    assert ApplicationEvent.objects.filter(application=draft, to_status="submitted").count() == 1


@pytest.mark.django_db(transaction=True)
def test_one_organisation_submitting_two_drafts_at_once_gets_only_one_pending(
    requires_postgresql,
):
    first = complete_draft()
    user = first.organisation.memberships.first().user
    second = complete_draft(user=user, organisation=first.organisation)

    references, errors = _submit_all_at_once([(user, first), (user, second)])

    assert len(references) == 1
    assert len(errors) == 1
    assert "nur ein offener Antrag" in str(errors[0])
    year = timezone.localdate().year
    assert ReferenceCounter.objects.get(year=year).last_number == 1


@pytest.mark.django_db
def test_a_refused_submission_uses_no_number():
    first = complete_draft()
    user = first.organisation.memberships.first().user
    broken = complete_draft(user=user, organisation=first.organisation)
    Application.objects.filter(pk=broken.pk).update(requested_amount=1)
    with pytest.raises(PortalError):
        services.submit_application(actor=user, application=broken)
    submitted = services.submit_application(actor=user, application=first)
    assert submitted.reference.endswith("-0001")
