"""Mittelabruf: the applicant asks for (part of) the granted money; two KITZ people let it go."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin

__all__ = ["OPEN_PAYMENT_STATUSES", "PaymentRequest", "PaymentStatus"]


class PaymentStatus(models.TextChoices):
    REQUESTED = "requested", _("beantragt")
    CHECKED = "checked", _("geprüft, wartet auf Freigabe")
    RELEASED = "released", _("freigegeben, wartet auf Auszahlung")
    PAID = "paid", _("ausgezahlt")
    REJECTED = "rejected", _("abgelehnt")


# A request in one of these states blocks a second one for the same application.
OPEN_PAYMENT_STATUSES = [PaymentStatus.REQUESTED, PaymentStatus.CHECKED, PaymentStatus.RELEASED]


class PaymentRequest(ChoiceLabelMixin, models.Model):
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="payment_requests",
        verbose_name=_("Antrag"),
    )
    number = models.PositiveIntegerField(_("Nummer des Mittelabrufs"))
    amount = models.DecimalField(_("Betrag"), max_digits=10, decimal_places=2)
    period_start = models.DateField(_("benötigt für den Zeitraum von"))
    period_end = models.DateField(_("benötigt für den Zeitraum bis"))
    status = models.CharField(
        _("Status"), max_length=10, choices=PaymentStatus, default=PaymentStatus.REQUESTED
    )
    iban = models.CharField(_("IBAN"), max_length=34)
    account_holder = models.CharField(_("Kontoinhaber"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("angefordert von"),
    )
    requested_at = models.DateTimeField(_("angefordert am"), default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    checked_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("freigegeben von"),
    )
    released_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)
    paid_on = models.DateField(_("ausgezahlt am"), null=True, blank=True)
    rejection_reason = models.TextField(_("Grund der Ablehnung"), blank=True)

    class Meta:
        verbose_name = _("Mittelabruf")
        verbose_name_plural = _("Mittelabrufe")
        ordering = ["application", "number"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="payment_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(released_by__isnull=True) | ~Q(released_by=F("checked_by")),
                name="payment_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["released", "paid"])
                | Q(checked_by__isnull=False, released_by__isnull=False),
                name="released_payment_was_checked",
            ),
            models.CheckConstraint(
                condition=~Q(status="paid") | Q(paid_on__isnull=False),
                name="paid_payment_has_date",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["requested", "checked", "released"]),
                name="one_open_payment_request",
            ),
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_payment_request_number"
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.number}"

    @property
    def purpose(self):
        """Verwendungszweck on the bank statement of the recipient."""
        return f"{self.application.reference} Mittelabruf {self.number} KITZ-Foerderung"

    @property
    def is_open(self):
        return self.status in OPEN_PAYMENT_STATUSES
