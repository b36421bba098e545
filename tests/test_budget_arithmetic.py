"""Budget arithmetic as a property: committed + paid + returned + remaining = budget.

Cases may be revoked after payments, with part of the money repaid: the repaid money moves
to "returned" and the never-paid rest of a revoked grant is free again.
"""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications.models import (
    Application,
    ApplicationStatus,
    PaymentRequest,
    PaymentStatus,
    Repayment,
    RepaymentReceipt,
    RevocationProcedure,
    RevocationStatus,
)
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
        # Widerruf: share of the paid money asked back, and the shares of it repaid.
        st.one_of(
            st.none(),
            st.tuples(
                st.integers(min_value=1, max_value=100),
                st.lists(st.integers(min_value=0, max_value=100), max_size=3),
            ),
        ),
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
        for index, (status, granted, shares, revoked) in enumerate(rows):
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
            paid = granted - left
            if revoked is not None and paid > 0 and status == ApplicationStatus.APPROVED:
                revoke(application, case, paid, *revoked)
        overview = budget_overview()
        row = next(r for r in overview["programmes"] if r["programme"] == programme)
        assert row["committed"] + row["paid"] + row["returned"] + row["remaining"] == budget
        assert row["committed"] >= 0 and row["paid"] >= 0 and row["returned"] >= 0
        for field in overview["handlungsfelder"]:
            assert field["committed"] >= 0 and field["paid"] >= 0
        transaction.set_rollback(True)


def revoke(application, case, paid, asked_share, repaid_shares):
    """A Widerruf asking back part of the paid money, with some repayments received."""
    asked = max((paid * asked_share / 100).quantize(Decimal("0.01")), Decimal("0.01"))
    procedure = RevocationProcedure.objects.create(
        application=application,
        status=RevocationStatus.REVOKED,
        scope="partial",
        reason="Zweck verfehlt",
        intended_amount=asked,
        paid_amount=paid,
        answer_due_on=timezone.localdate(),
        started_by=case.handler,
        hearing_file="private/letters/anhoerung.pdf",
        hearing_sha256="0" * 64,
        outcome="revoke",
        repayment_amount=asked,
        repayment_due_on=timezone.localdate(),
        proposed_by=case.handler,
        approved_by=case.lead,
    )
    repayment = Repayment.objects.create(
        application=application,
        procedure=procedure,
        amount_due=asked,
        due_on=timezone.localdate(),
        interest_points=Decimal("5.00"),
        base_rate=Decimal("1.27"),
    )
    owed = asked
    for share in repaid_shares:
        amount = (owed * share / 100).quantize(Decimal("0.01"))
        if amount <= 0:
            continue
        owed -= amount
        RepaymentReceipt.objects.create(
            repayment=repayment,
            received_on=timezone.localdate(),
            amount=amount,
            recorded_by=case.handler,
        )
    status = ApplicationStatus.CLOSED if owed == 0 else ApplicationStatus.REVOKED
    Application.objects.filter(pk=application.pk).update(status=status)


@pytest.fixture
def base(db):
    return approved_case()
