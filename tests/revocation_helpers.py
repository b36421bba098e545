"""Builders for the Widerruf: a case with money paid out, an Anhörung, a proposal, a revocation."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from applications import payments, revocation
from applications.models import RevocationProcedure
from tests.post_helpers import approved_case


def pay_out(case, amount="1000.00"):
    """A Mittelabruf requested, checked, released and paid."""
    start = case.application.decision.period_start
    payment = payments.request_payment(
        actor=case.member,
        application=case.application,
        amount=Decimal(amount),
        period_start=start,
        period_end=start + timedelta(days=30),
    )
    payments.check_payment_request(actor=case.handler, payment=payment)
    payments.release_payment_request(actor=case.lead, payment=payment)
    return payments.mark_payment_paid(
        actor=case.handler, payment=payment, paid_on=timezone.localdate()
    )


def paid_case(amount="1000.00", **kwargs):
    case = approved_case(**kwargs)
    pay_out(case, amount)
    case.application.refresh_from_db()
    return case


def start_hearing(case, *, scope="partial", amount="400.00", days=14, **overrides):
    arguments = {
        "actor": case.handler,
        "application": case.application,
        "scope": scope,
        "reason": "Die Veranstaltung im Mai hat nicht stattgefunden.",
        "amount": Decimal(amount) if amount is not None else None,
        "answer_due_on": timezone.localdate() + timedelta(days=days),
    }
    arguments.update(overrides)
    return revocation.start_hearing(**arguments)


def let_deadline_pass(procedure):
    """The answer deadline lies in the past, without waiting for it."""
    RevocationProcedure.objects.filter(pk=procedure.pk).update(
        answer_due_on=timezone.localdate() - timedelta(days=1)
    )
    procedure.refresh_from_db()
    return procedure


def propose(case, *, outcome="revoke", amount="400.00", due_on=None, actor=None):
    return revocation.propose_revocation(
        actor=actor or case.handler,
        application=case.application,
        outcome=outcome,
        amount=Decimal(amount) if amount is not None else None,
        due_on=due_on,
        reasoning="Der Zuwendungszweck wurde nur zum Teil erreicht.",
    )


def revoked_case(paid="1000.00", amount="400.00"):
    """Paid, heard (no answer in time), proposed by the case handler, revoked by the lead."""
    case = paid_case(paid)
    let_deadline_pass(start_hearing(case, amount=amount))
    propose(case, amount=amount)
    revocation.decide_revocation(actor=case.lead, application=case.application)
    case.application.refresh_from_db()
    return case
