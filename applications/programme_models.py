from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin


class BudgetChange(ChoiceLabelMixin, models.Model):
    """A later change of a programme's budget (a top-up or a cut).

    The programme's budget is its initial amount plus all changes; a change is never edited,
    a correction is another change.
    """

    programme = models.ForeignKey(
        "applications.FundingProgramme",
        on_delete=models.CASCADE,
        related_name="budget_changes",
        verbose_name=_("Förderprogramm"),
    )
    amount = models.DecimalField(_("Änderung"), max_digits=12, decimal_places=2)
    budget_after = models.DecimalField(_("Budget danach"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("Grund"), max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geändert von"),
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Budgetänderung")
        verbose_name_plural = _("Budgetänderungen")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="budget_change_not_zero"),
        ]

    def __str__(self):
        return f"{self.programme}: {self.amount}"
