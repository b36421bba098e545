"""Änderungsantrag: the applicant asks to change the dates, the cost plan or the grant."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "OPEN_AMENDMENT_STATUSES",
    "AmendmentCostLine",
    "AmendmentRequest",
    "AmendmentStatus",
]


class AmendmentStatus(models.TextChoices):
    REQUESTED = "requested", _("beantragt, wird geprüft")
    PROPOSED = "proposed", _("geprüft, wartet auf Entscheidung")
    APPROVED = "approved", _("bewilligt")
    REJECTED = "rejected", _("abgelehnt")


# A request in one of these states blocks a second one for the same application.
OPEN_AMENDMENT_STATUSES = [AmendmentStatus.REQUESTED, AmendmentStatus.PROPOSED]


class AmendmentProposal(models.TextChoices):
    APPROVE = "approve", _("Änderung bewilligen")
    REJECT = "reject", _("Änderungsantrag ablehnen")


class AmendmentRequest(models.Model):
    """One Änderungsantrag with the values before and after; decided by two KITZ people."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="amendment_requests",
        verbose_name=_("Antrag"),
    )
    number = models.PositiveIntegerField(_("Nummer des Änderungsantrags"))
    status = models.CharField(
        _("Status"), max_length=10, choices=AmendmentStatus, default=AmendmentStatus.REQUESTED
    )
    old_start = models.DateField(_("bisheriger Beginn"))
    old_end = models.DateField(_("bisheriges Ende"))
    old_amount = models.DecimalField(_("bisherige Förderung"), max_digits=10, decimal_places=2)
    old_cost_items = models.JSONField(_("bisheriger Kostenplan"), default=list)
    new_start = models.DateField(_("neuer Beginn"))
    new_end = models.DateField(_("neues Ende"))
    new_amount = models.DecimalField(_("beantragte Förderung"), max_digits=10, decimal_places=2)
    justification = models.TextField(_("Begründung"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gestellt von"),
    )
    requested_at = models.DateTimeField(_("gestellt am"), default=timezone.now)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    reviewed_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)
    proposal = models.CharField(
        _("Vorschlag"), max_length=10, choices=AmendmentProposal, blank=True
    )
    review_remarks = models.TextField(_("Prüfvermerk"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decision_note = models.TextField(_("Vermerk zur Entscheidung"), blank=True)
    letter = models.OneToOneField(
        "applications.DecisionLetter",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment_request",
        verbose_name=_("Bescheid"),
    )

    class Meta:
        verbose_name = _("Änderungsantrag")
        verbose_name_plural = _("Änderungsanträge")
        ordering = ["application", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_start__lte=F("new_end")), name="amendment_period_in_order"
            ),
            models.CheckConstraint(condition=Q(new_amount__gt=0), name="amendment_amount_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("reviewed_by")),
                name="amendment_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected"])
                | Q(reviewed_by__isnull=False, decided_by__isnull=False),
                name="decided_amendment_was_reviewed",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["requested", "proposed"]),
                name="one_open_amendment_request",
            ),
            models.UniqueConstraint(
                fields=["application", "number"], name="unique_amendment_request_number"
            ),
        ]

    def __str__(self):
        return f"{self.application} – {_('Änderungsantrag')} {self.number}"

    @property
    def is_open(self):
        return self.status in OPEN_AMENDMENT_STATUSES

    @property
    def old_total(self):
        return sum((Decimal(line["total"]) for line in self.old_cost_items), Decimal("0.00"))

    @property
    def new_total(self):
        return sum((line.total for line in self.cost_lines.all()), Decimal("0.00"))


class AmendmentCostLine(models.Model):
    """A line of the cost plan as the Änderungsantrag asks for it."""

    amendment = models.ForeignKey(
        AmendmentRequest, on_delete=models.CASCADE, related_name="cost_lines"
    )
    cost_item = models.ForeignKey(
        "applications.CostItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bisherige Kostenposition"),
    )
    category = models.ForeignKey(
        "applications.CostCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Kostenart"),
    )
    description = models.CharField(_("Beschreibung"), max_length=300)
    quantity = models.DecimalField(
        _("Menge"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(
        _("Einzelpreis"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("Kostenposition des Änderungsantrags")
        verbose_name_plural = _("Kostenpositionen des Änderungsantrags")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0, unit_price__gt=0), name="amendment_line_positive"
            ),
        ]

    def __str__(self):
        return self.description

    @property
    def total(self):
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))
