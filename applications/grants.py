"""The money of a Prüfvermerk: eligible costs, Finanzierungsart and the grant they allow."""

from decimal import ROUND_DOWN, Decimal

from .models import ZERO, CostOutcome, FinancingType
from .rules import financing_summary

CENT = Decimal("0.01")


def accepted_amount(cost_item, outcome, amount):
    """The amount a cost decision recognises: all, the reduced amount, or nothing."""
    if outcome == CostOutcome.ACCEPTED:
        return cost_item.total
    if outcome == CostOutcome.REDUCED:
        return amount or ZERO
    return ZERO


def computed_grant(application, *, eligible_total, financing_type):
    """The grant the Leitfaden allows for the eligible costs; never above the request or limit.

    Fehlbedarf: what the eligible costs leave uncovered after own share and third-party funds.
    Anteil: the requested share of the total costs, applied to the eligible costs.
    Festbetrag: the requested amount, as long as the eligible costs carry it.
    """
    plan = financing_summary(application)
    requested = application.requested_amount
    if financing_type == FinancingType.DEFICIT:
        value = eligible_total - plan.own_share - plan.third_party
    elif financing_type == FinancingType.SHARE:
        value = (
            eligible_total * requested / plan.total_costs if plan.total_costs else ZERO
        ).quantize(CENT, rounding=ROUND_DOWN)
    else:
        value = min(requested, eligible_total)
    value = min(value, requested, application.programme.max_grant)
    return max(value, ZERO).quantize(CENT)
