"""Budget: approvals commit money, an overdraw is refused, two racing approvals never both win."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse

from applications import services
from applications.models import ApplicationStatus, Decision, FundingProgramme
from kitz_portal.errors import PortalError
from tests.application_helpers import sample_programme
from tests.factories import PASSWORD, applicant, case_handler, signing_authority
from tests.review_helpers import recommended_application


def set_budget(programme, amount):
    FundingProgramme.objects.filter(pk=programme.pk).update(budget=amount)


@pytest.mark.django_db
def test_an_approval_that_would_overdraw_the_budget_is_refused_with_the_numbers():
    programme = sample_programme()
    set_budget(programme, Decimal("1000.00"))
    application = recommended_application(case_handler(), programme=programme)
    with pytest.raises(PortalError) as error:
        services.decide_application(
            actor=signing_authority(), application=application, action="approve"
        )
    assert "1.000,00" in str(error.value.message) and "1.800,00" in str(error.value.message)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_a_rejection_needs_no_budget():
    programme = sample_programme()
    set_budget(programme, Decimal("0.00"))
    application = recommended_application(case_handler(), approve=False, programme=programme)
    services.decide_application(actor=signing_authority(), application=application, action="reject")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED


@pytest.mark.django_db
def test_the_overdraw_message_is_shown_on_the_decision_page(client):
    programme = sample_programme()
    set_budget(programme, Decimal("500.00"))
    application = recommended_application(case_handler(), programme=programme)
    lead = signing_authority()
    client.login(email=lead.email, password=PASSWORD)
    response = client.post(
        reverse("applications:staff_decide", args=[application.pk]), {"action": "approve"}
    )
    assert response.status_code == 200
    assert "reicht nicht" in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RECOMMENDED


@pytest.mark.django_db
def test_the_budget_page_shows_planned_committed_and_remaining(
    client, django_assert_max_num_queries
):
    programme = sample_programme()
    set_budget(programme, Decimal("10000.00"))
    application = recommended_application(case_handler(), programme=programme)
    services.decide_application(
        actor=signing_authority(), application=application, action="approve"
    )
    handler = case_handler()
    client.login(email=handler.email, password=PASSWORD)
    # Paid, returned (repayments) and released grants: one query each, whatever the data.
    with django_assert_max_num_queries(13):
        response = client.get(reverse("applications:staff_budget"))
    assert response.status_code == 200
    row = next(r for r in response.context["programmes"] if r["programme"] == programme)
    assert row["planned"] == Decimal("10000.00")
    assert row["committed"] == Decimal("1800.00")
    assert row["paid"] == row["returned"] == Decimal("0")
    assert row["remaining"] == Decimal("8200.00")
    fields = {r["handlungsfeld"].slug: r for r in response.context["handlungsfelder"]}
    assert fields["sprache"]["committed"] == Decimal("1800.00")
    assert fields["wohnen"]["committed"] == Decimal("0")
    content = response.content.decode()
    assert "8.200,00" in content and "1.800,00" in content


@pytest.mark.django_db
def test_only_staff_see_the_budget(client):
    url = reverse("applications:staff_budget")
    assert client.get(url).status_code == 302
    person = applicant()
    client.login(email=person.email, password=PASSWORD)
    assert client.get(url).status_code == 403


def waiting_for_locks():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_two_approvals_racing_for_the_last_euros_cannot_both_win(requires_postgresql):
    programme = sample_programme()
    set_budget(programme, Decimal("2000.00"))
    handler = case_handler()
    first = recommended_application(handler, programme=programme)
    second = recommended_application(handler, programme=programme)
    leads = [signing_authority(), signing_authority()]
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(application, lead):
        try:
            barrier.wait(timeout=10)
            services.decide_application(actor=lead, application=application, action="approve")
            outcomes.append("approved")
        except PortalError as error:
            outcomes.append(str(error.message))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(application, lead))
        for application, lead in zip([first, second], leads, strict=True)
    ]
    # Hold the budget row while both approvals start, so both reach the check at the same time.
    with transaction.atomic():
        FundingProgramme.objects.select_for_update().get(pk=programme.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(thread.is_alive() for thread in threads):
            if waiting_for_locks() >= 2:
                break
            time.sleep(0.05)
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=len)[0] == "approved"
    assert outcomes.count("approved") == 1
    assert any("reicht nicht" in outcome for outcome in outcomes)
    statuses = sorted(
        FundingProgramme.objects.get(pk=programme.pk)
        .applications.filter(pk__in=[first.pk, second.pk])
        .values_list("status", flat=True)
    )
    assert statuses == [ApplicationStatus.APPROVED, ApplicationStatus.RECOMMENDED]
    assert services.committed_amount(programme) == Decimal("1800.00")
