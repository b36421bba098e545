"""Verwendungsnachweis: Sachbericht and zahlenmäßiger Nachweis (receipts) after the project."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin
from kitz_portal.uploads import private_upload_to

__all__ = [
    "Receipt",
    "UsageAttachment",
    "UsageCheckAnswer",
    "UsageCheckItem",
    "UsageCheckOutcome",
    "UsageReport",
    "UsageReportStatus",
]


class UsageReportStatus(models.TextChoices):
    OPEN = "open", _("offen")
    SUBMITTED = "submitted", _("eingereicht")
    CHECKED = "checked", _("geprüft, wartet auf Bestätigung")
    ACCEPTED = "accepted", _("anerkannt")


class UsageReport(ChoiceLabelMixin, models.Model):
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="usage_report",
        verbose_name=_("Antrag"),
    )
    due_on = models.DateField(_("fällig am"))
    status = models.CharField(
        _("Status"), max_length=10, choices=UsageReportStatus, default=UsageReportStatus.OPEN
    )
    activities = models.TextField(_("Was ist geschehen?"), blank=True)
    participants = models.TextField(_("Erreichte Teilnehmende je Zielgruppe"), blank=True)
    publicity = models.TextField(_("Wie wurde der Kreis als Förderer genannt?"), blank=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    check_remarks = models.TextField(_("Prüfvermerk"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bestätigt von"),
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    reminded_before_on = models.DateField(null=True, blank=True)
    reminded_due_on = models.DateField(null=True, blank=True)
    last_overdue_reminder_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("checked_by")),
                name="usage_report_four_eyes",
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.get_status_display()}"


class Receipt(ChoiceLabelMixin, models.Model):
    """One line of the zahlenmäßiger Nachweis."""

    report = models.ForeignKey(UsageReport, on_delete=models.CASCADE, related_name="receipts")
    paid_on = models.DateField(_("Datum"))
    payee = models.CharField(_("Zahlungsempfänger"), max_length=200)
    purpose = models.CharField(_("Zweck"), max_length=300)
    category = models.ForeignKey(
        "applications.CostCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Kostenart"),
    )
    amount = models.DecimalField(_("Betrag"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belege")
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self):
        return f"{self.paid_on} {self.payee}: {self.amount}"


class UsageAttachment(models.Model):
    """A private file of the Verwendungsnachweis: photos, flyers, participant lists."""

    report = models.ForeignKey(UsageReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("Datei"), upload_to=private_upload_to, max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage zum Verwendungsnachweis")
        verbose_name_plural = _("Anlagen zum Verwendungsnachweis")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class UsageCheckItem(models.TextChoices):
    """The points the KITZ checks in every Verwendungsnachweis, in this order."""

    NARRATIVE = "narrative", _("Sachbericht nachvollziehbar")
    TARGET_GROUPS = "target_groups", _("Zielgruppen erreicht")
    RECEIPTS = "receipts", _("Belege vollständig und im Bewilligungszeitraum")
    ELIGIBLE_COSTS = "eligible_costs", _("Kosten förderfähig")
    PUBLICITY = "publicity", _("Kreis als Förderer genannt")


class UsageCheckOutcome(models.TextChoices):
    MET = "met", _("erfüllt")
    NOT_MET = "not_met", _("nicht erfüllt")
    NOT_APPLICABLE = "not_applicable", _("entfällt")


class UsageCheckAnswer(models.Model):
    """One answered point of the staff checklist of a Verwendungsnachweis."""

    report = models.ForeignKey(UsageReport, on_delete=models.CASCADE, related_name="check_answers")
    item = models.CharField(_("Prüfpunkt"), max_length=20, choices=UsageCheckItem)
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=UsageCheckOutcome)
    remark = models.TextField(_("Bemerkung"), blank=True)

    class Meta:
        verbose_name = _("Prüfpunkt des Verwendungsnachweises")
        verbose_name_plural = _("Prüfpunkte des Verwendungsnachweises")
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="usage_check_answer_once"),
        ]

    def __str__(self):
        return f"{self.get_item_display()}: {self.get_outcome_display()}"
