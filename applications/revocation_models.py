"""Widerruf und Rückforderung: hearing (Anhörung), four-eyes decision, repayment record."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "OPEN_REVOCATION_STATUSES",
    "Repayment",
    "RepaymentReceipt",
    "RevocationOutcome",
    "RevocationProcedure",
    "RevocationScope",
    "RevocationStatus",
]


class RevocationStatus(models.TextChoices):
    HEARING = "hearing", _("Anhörung läuft")
    PROPOSED = "proposed", _("Entscheidung vorgeschlagen")
    REVOKED = "revoked", _("Widerruf erlassen")
    DROPPED = "dropped", _("eingestellt")


# A procedure in one of these states blocks a second one for the same case.
OPEN_REVOCATION_STATUSES = [RevocationStatus.HEARING, RevocationStatus.PROPOSED]


class RevocationScope(models.TextChoices):
    FULL = "full", _("vollständiger Widerruf")
    PARTIAL = "partial", _("teilweiser Widerruf")


class RevocationOutcome(models.TextChoices):
    REVOKE = "revoke", _("Widerruf mit Rückforderung")
    DROP = "drop", _("Verfahren einstellen")


def hearing_letter_upload_to(instance, filename):
    """Random storage names under the private part of MEDIA_ROOT, like the Bescheide."""
    return os.path.join("private", "letters", f"{uuid.uuid4().hex}.pdf")


class RevocationProcedure(models.Model):
    """One Widerrufsverfahren of a case: the Anhörung, the answer and the four-eyes decision.

    The hearing letter (file and SHA-256) is the record of the Anhörung: never re-rendered.
    """

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="revocation_procedures",
        verbose_name=_("Antrag"),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=RevocationStatus, default=RevocationStatus.HEARING
    )
    scope = models.CharField(_("Umfang des Widerrufs"), max_length=10, choices=RevocationScope)
    reason = models.TextField(_("Grund der beabsichtigten Rückforderung"))
    intended_amount = models.DecimalField(
        _("beabsichtigter Rückforderungsbetrag"), max_digits=10, decimal_places=2
    )
    paid_amount = models.DecimalField(
        _("bis zur Anhörung ausgezahlt"), max_digits=10, decimal_places=2
    )
    answer_due_on = models.DateField(_("Stellungnahme bis"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Anhörung eingeleitet von"),
    )
    started_at = models.DateTimeField(_("Anhörung eingeleitet am"), default=timezone.now)
    hearing_file = models.FileField(
        _("Anhörungsschreiben"), upload_to=hearing_letter_upload_to, max_length=200
    )
    hearing_sha256 = models.CharField(_("SHA-256-Prüfsumme des Anhörungsschreibens"), max_length=64)
    answer = models.TextField(_("Stellungnahme"), blank=True)
    answered_at = models.DateTimeField(_("Stellungnahme am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Stellungnahme von"),
    )
    answer_attachment = models.ForeignKey(
        "applications.Attachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Anlage zur Stellungnahme"),
    )
    outcome = models.CharField(
        _("vorgeschlagene Entscheidung"), max_length=10, choices=RevocationOutcome, blank=True
    )
    repayment_amount = models.DecimalField(
        _("Rückforderungsbetrag"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    repayment_due_on = models.DateField(_("zu zahlen bis"), null=True, blank=True)
    reasoning = models.TextField(_("Begründung"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vorgeschlagen von"),
    )
    proposed_at = models.DateTimeField(_("vorgeschlagen am"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    approved_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    revocation_letter = models.OneToOneField(
        "applications.DecisionLetter",
        # The retention job deletes letters of anonymised cases; the figures stay.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revocation_procedure",
        verbose_name=_("Widerrufsbescheid"),
    )

    class Meta:
        verbose_name = _("Widerrufsverfahren")
        verbose_name_plural = _("Widerrufsverfahren")
        ordering = ["application", "started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(intended_amount__gt=0) & Q(intended_amount__lte=F("paid_amount")),
                name="revocation_intended_amount_within_paid",
            ),
            models.CheckConstraint(
                condition=Q(repayment_amount__isnull=True)
                | (Q(repayment_amount__gt=0) & Q(repayment_amount__lte=F("paid_amount"))),
                name="revocation_repayment_within_paid",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("proposed_by")),
                name="revocation_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | Q(
                    approved_by__isnull=False,
                    repayment_amount__isnull=False,
                    repayment_due_on__isnull=False,
                ),
                name="revoked_procedure_is_complete",
            ),
            models.CheckConstraint(condition=~Q(hearing_sha256=""), name="hearing_has_checksum"),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["hearing", "proposed"]),
                name="one_open_revocation_procedure",
            ),
        ]

    def __str__(self):
        return f"{self.application} – {self.get_status_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                RevocationProcedure.objects.filter(pk=self.pk)
                .values("hearing_file", "hearing_sha256", "application_id")
                .first()
            )
            if stored is not None and (
                stored["hearing_file"] != self.hearing_file.name
                or stored["hearing_sha256"] != self.hearing_sha256
                or stored["application_id"] != self.application_id
            ):
                raise ValidationError(
                    _("Ein versandtes Anhörungsschreiben kann nicht geändert werden."),
                    code="immutable",
                )
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in OPEN_REVOCATION_STATUSES

    def answer_period_over(self, today=None):
        return (today or timezone.localdate()) > self.answer_due_on

    def awaits_answer(self, today=None):
        """The applicant may still answer: hearing running, no answer yet, deadline not passed."""
        return (
            self.status == RevocationStatus.HEARING
            and self.answered_at is None
            and not self.answer_period_over(today)
        )

    def ready_for_proposal(self, today=None):
        return self.status == RevocationStatus.HEARING and (
            self.answered_at is not None or self.answer_period_over(today)
        )

    @property
    def hearing_download_name(self):
        return f"Anhörung-{self.application.reference}.pdf"


class Repayment(models.Model):
    """Rückforderung: what the Widerrufsbescheid asks back, until it has been paid in full."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="repayments",
        verbose_name=_("Antrag"),
    )
    procedure = models.OneToOneField(
        RevocationProcedure,
        on_delete=models.PROTECT,
        related_name="repayment",
        verbose_name=_("Widerrufsverfahren"),
    )
    amount_due = models.DecimalField(_("zu erstatten"), max_digits=10, decimal_places=2)
    due_on = models.DateField(_("fällig am"))
    interest_points = models.DecimalField(
        _("Zinssatz in Prozentpunkten über dem Basiszinssatz"), max_digits=5, decimal_places=2
    )
    base_rate = models.DecimalField(
        _("Basiszinssatz bei Erlass in %"), max_digits=5, decimal_places=2
    )
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    paid_in_full_on = models.DateField(_("vollständig gezahlt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Rückforderung")
        verbose_name_plural = _("Rückforderungen")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_due__gt=0), name="repayment_amount_positive"),
            models.CheckConstraint(
                condition=Q(interest_points__gte=0), name="repayment_interest_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.amount_due}"

    @property
    def interest_rate(self):
        """The yearly rate at issue: base rate plus the programme's percentage points."""
        return self.base_rate + self.interest_points

    @property
    def is_paid(self):
        return self.paid_in_full_on is not None

    def is_overdue(self, today=None):
        return not self.is_paid and (today or timezone.localdate()) > self.due_on


class RepaymentReceipt(models.Model):
    """Money received back, as recorded by KITZ staff; partial payments add up."""

    repayment = models.ForeignKey(
        Repayment,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("Rückforderung"),
    )
    received_on = models.DateField(_("eingegangen am"))
    amount = models.DecimalField(_("Betrag"), max_digits=10, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    recorded_at = models.DateTimeField(_("erfasst am"), default=timezone.now)

    class Meta:
        verbose_name = _("Zahlungseingang")
        verbose_name_plural = _("Zahlungseingänge")
        ordering = ["received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="repayment_receipt_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.repayment}: {self.amount} ({self.received_on})"
