"""Budget arithmetic as a property: committed + paid + returned + remaining = budget."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import Application, ApplicationStatus, PaymentRequest, PaymentStatus
from applications.selectors import budget_overview
from tests.post_helpers import approved_case

cents = st.integers(min_value=1, max_value=500_000).map(lambda value: Decimal(value) / 100)
cases = st.lists(
    st.tuples(
        st.sampled_from(
            [
                ApplicationStatus.APPROVED,
                ApplicationStatus.CLOSED,
                ApplicationStatus.REJECTED,
                ApplicationStatus.IN_REVIEW,
            ]
        ),
        cents,
        st.lists(st.integers(min_value=0, max_value=100), max_size=3),
    ),
    max_size=6,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(budget=cents.map(lambda value: value * 100), rows=cases)
def test_committed_paid_returned_and_remaining_add_up_to_the_budget(base, budget, rows):
    case = base
    programme = case.application.programme
    with transaction.atomic():
        programme.budget = budget
        programme.save(update_fields=["budget"])
        for index, (status, granted, shares) in enumerate(rows):
            application = Application.objects.create(
                organisation=case.application.organisation,
                programme=programme,
                status=status,
                reference=f"KITZ-2099-{index:04d}",
                granted_amount=granted,
            )
            application.handlungsfelder.set(case.application.handlungsfelder.all())
            left = granted
            for number, share in enumerate(shares, start=1):
                amount = (left * share / 100).quantize(Decimal("0.01"))
                if amount <= 0:
                    continue
                left -= amount
                PaymentRequest.objects.create(
                    application=application,
                    number=number,
                    amount=amount,
                    period_start=timezone.localdate(),
                    period_end=timezone.localdate(),
                    status=PaymentStatus.PAID,
                    iban="DE89370400440532013000",
                    account_holder="Verein",
                    requested_by=case.member,
                    checked_by=case.handler,
                    released_by=case.lead,
                    paid_on=timezone.localdate(),
                )
        overview = budget_overview()
        row = next(r for r in overview["programmes"] if r["programme"] == programme)
        assert row["committed"] + row["paid"] + row["returned"] + row["remaining"] == budget
        assert row["committed"] >= 0 and row["paid"] >= 0
        for field in overview["handlungsfelder"]:
            assert field["committed"] >= 0
        transaction.set_rollback(True)


@pytest.fixture
def base(db):
    return approved_case()
