"""Writes of the administration on programmes: copy a programme for a new year, keep its
rules, change its budget.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money

from .models import BudgetChange, FundingProgramme
from .services import committed_amount

COPIED_FIELDS = [
    "description",
    "min_grant",
    "max_grant",
    "min_own_share_percent",
    "volunteer_hourly_rate",
    "volunteer_cap_percent",
    "max_investment_per_item",
    "lead_time_weeks",
    "max_duration_months",
    "one_pending_per_organisation",
    "contact_name",
    "contact_email",
    "contact_phone",
]


def _require_administrator(actor):
    if not permissions.is_administrator(actor):
        raise PortalError(_("Nur die Administration darf Förderprogramme verwalten."))


def _check_rules(*, opens_on, closes_on, min_grant=None, max_grant=None):
    if opens_on and closes_on and closes_on < opens_on:
        raise PortalError(
            _("Die Antragsfrist kann nicht enden, bevor sie beginnt."), field="closes_on"
        )
    if min_grant is not None and max_grant is not None and min_grant > max_grant:
        raise PortalError(
            _("Die Mindestförderung darf nicht über der Höchstförderung liegen."), field="min_grant"
        )


@transaction.atomic
def copy_programme(*, actor, source, title, budget_year, opens_on, closes_on, budget):
    """A programme for a new year with the rules and cost categories of the previous one.

    It starts unpublished so that the administration can check it before applicants see it.
    """
    _require_administrator(actor)
    _check_rules(opens_on=opens_on, closes_on=closes_on)
    programme = FundingProgramme(
        title=title,
        budget_year=budget_year,
        guideline=source.guideline,
        opens_on=opens_on,
        closes_on=closes_on,
        budget=budget,
        is_published=False,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    programme.save()
    programme.eligible_cost_categories.set(source.eligible_cost_categories.all())
    return programme


@transaction.atomic
def update_programme(*, actor, programme, eligible_cost_categories=None, **fields):
    _require_administrator(actor)
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    if "budget" in fields:
        raise PortalError(_("Das Budget ändert sich nur über eine Budgetänderung."))
    for name, value in fields.items():
        setattr(programme, name, value)
    _check_rules(
        opens_on=programme.opens_on,
        closes_on=programme.closes_on,
        min_grant=programme.min_grant,
        max_grant=programme.max_grant,
    )
    programme.save()
    if eligible_cost_categories is not None:
        programme.eligible_cost_categories.set(eligible_cost_categories)
    return programme


@transaction.atomic
def change_budget(*, actor, programme, amount, reason):
    """Top up (or cut) a budget: a new row each time, never an overwritten figure.

    The programme row is locked like an approval locks it, so a cut cannot race an approval.
    """
    _require_administrator(actor)
    if not amount:
        raise PortalError(_("Bitte geben Sie einen Betrag ungleich 0 ein."), field="amount")
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    new_budget = programme.budget + amount
    committed = committed_amount(programme)
    if new_budget < committed:
        raise PortalError(
            _(
                "Das Budget kann nicht unter die bereits bewilligten %(committed)s sinken "
                "(danach wären es %(budget)s)."
            )
            % {"committed": format_money(committed), "budget": format_money(new_budget)},
            field="amount",
        )
    change = BudgetChange.objects.create(
        programme=programme,
        amount=amount,
        budget_after=new_budget,
        reason=reason,
        changed_by=actor,
    )
    programme.budget = new_budget
    programme.save(update_fields=["budget"])
    return change


def initial_budget(programme):
    """The budget the programme started with: today's budget minus every later change."""
    from django.db.models import Sum

    changes = programme.budget_changes.aggregate(total=Sum("amount"))["total"] or 0
    return programme.budget - changes
