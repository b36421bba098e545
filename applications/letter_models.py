"""The Bescheid: the issued decision letter (an immutable PDF) and its editable text blocks."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin

__all__ = [
    "DecisionLetter",
    "LetterKind",
    "LetterTextBlock",
    "LetterTextChange",
    "TextBlockKey",
]


class LetterKind(models.TextChoices):
    GRANT = "grant", _("Zuwendungsbescheid")
    REJECTION = "rejection", _("Ablehnungsbescheid")
    AMENDMENT = "amendment", _("Änderungsbescheid")
    AMENDMENT_REJECTION = "amend_rejection", _("Ablehnung des Änderungsantrags")
    REVOCATION = "revocation", _("Widerrufsbescheid")


def letter_upload_to(instance, filename):
    """Random storage names under the private part of MEDIA_ROOT."""
    return os.path.join("private", "letters", f"{uuid.uuid4().hex}.pdf")


class DecisionLetter(ChoiceLabelMixin, models.Model):
    """An issued Bescheid. The stored file and its SHA-256 are the record: never re-rendered."""

    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("Antrag"),
    )
    kind = models.CharField(_("Art des Bescheids"), max_length=16, choices=LetterKind)
    file = models.FileField(_("Datei"), upload_to=letter_upload_to, max_length=200)
    sha256 = models.CharField(_("SHA-256-Prüfsumme"), max_length=64)
    issued_at = models.DateTimeField(_("erstellt am"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erstellt von"),
    )
    signer_name = models.CharField(_("gezeichnet von"), max_length=200)
    amount = models.DecimalField(
        _("Betrag"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    first_downloaded_at = models.DateTimeField(
        _("zuerst heruntergeladen am"),
        null=True,
        blank=True,
        help_text=_("Erster Abruf durch die Antragstellenden: wichtig für die Bekanntgabe."),
    )
    posted_on = models.DateField(
        _("zur Post gegeben am"),
        null=True,
        blank=True,
        help_text=_("Nicht innerhalb von 10 Tagen abgerufen: Tag der Aufgabe zur Post."),
    )
    appeal_waived_at = models.DateTimeField(_("Rechtsbehelfsverzicht am"), null=True, blank=True)
    appeal_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Rechtsbehelfsverzicht erklärt von"),
    )

    class Meta:
        verbose_name = _("Bescheid")
        verbose_name_plural = _("Bescheide")
        ordering = ["application", "issued_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="grant") | Q(amount__isnull=False),
                name="grant_letter_has_amount",
            ),
            models.CheckConstraint(condition=~Q(sha256=""), name="letter_has_checksum"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.application}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = (
                DecisionLetter.objects.filter(pk=self.pk)
                .values("file", "sha256", "kind", "application_id", "amount")
                .first()
            )
            if stored is not None and (
                stored["file"] != self.file.name
                or stored["sha256"] != self.sha256
                or stored["kind"] != self.kind
                or stored["application_id"] != self.application_id
                or stored["amount"] != self.amount
            ):
                raise ValidationError(
                    _("Ein erlassener Bescheid kann nicht geändert werden."), code="immutable"
                )
        super().save(*args, **kwargs)

    @property
    def finality(self):
        """Delivery, appeal deadline and Bestandskraft (see ``applications.finality``)."""
        from .finality import letter_finality

        return letter_finality(self)

    @property
    def download_name(self):
        reference = self.application.reference or str(self.application_id)
        return f"{self.get_kind_display()}-{reference}.pdf"


class TextBlockKey(models.TextChoices):
    INTRO = "intro", _("Einleitung")
    PAYMENT = "payment", _("Auszahlung und Mittelabruf")
    CONDITIONS = "conditions", _("Allgemeine Nebenbestimmungen")
    LEGAL_BASIS = "legal_basis", _("Rechtsgrundlage der Begründung")
    APPEAL_ADDRESS = "appeal_address", _("Anschrift für den Widerspruch")


class LetterTextBlock(ChoiceLabelMixin, models.Model):
    """A paragraph of the Bescheid that administrators may word; the legal frame stays fixed."""

    programme = models.ForeignKey(
        "applications.FundingProgramme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_text_blocks",
        verbose_name=_("Förderprogramm"),
        help_text=_("Leer lassen für den Standardtext aller Förderprogramme."),
    )
    key = models.CharField(_("Textbaustein"), max_length=20, choices=TextBlockKey)
    text = models.TextField(
        _("Text"), help_text=_("Absätze durch eine Leerzeile trennen. Bescheide sind deutsch.")
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Textbaustein für Bescheide")
        verbose_name_plural = _("Textbausteine für Bescheide")
        ordering = ["programme", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="unique_letter_text_block_per_programme"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(programme__isnull=True),
                name="unique_default_letter_text_block",
            ),
        ]

    def __str__(self):
        scope = self.programme or _("Standard")
        return f"{self.get_key_display()} ({scope})"


class LetterTextChange(models.Model):
    """One change of a text block by the administration, with the wording before and after.

    Append-only: the history of what the Bescheide said and who worded it.
    """

    class Action(models.TextChoices):
        SAVED = "saved", _("gespeichert")
        RESET = "reset", _("auf Standard zurückgesetzt")

    programme = models.ForeignKey(
        "applications.FundingProgramme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="letter_text_changes",
        verbose_name=_("Förderprogramm"),
    )
    key = models.CharField(_("Textbaustein"), max_length=20, choices=TextBlockKey)
    action = models.CharField(_("Änderung"), max_length=10, choices=Action)
    text_before = models.TextField(_("Text vorher"), blank=True)
    text_after = models.TextField(_("Text danach"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geändert von"),
    )
    changed_at = models.DateTimeField(_("geändert am"), default=timezone.now)

    class Meta:
        verbose_name = _("Änderung eines Textbausteins")
        verbose_name_plural = _("Änderungen an Textbausteinen")
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return f"{self.get_key_display()}: {self.get_action_display()}"
