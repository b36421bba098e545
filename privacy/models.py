from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One run of the retention job, kept as the record that the job ran and what it did."""

    started_at = models.DateTimeField(_("begonnen am"), default=timezone.now)
    finished_at = models.DateTimeField(_("beendet am"), null=True, blank=True)
    drafts_warned = models.PositiveIntegerField(_("Entwürfe angekündigt"), default=0)
    drafts_deleted = models.PositiveIntegerField(_("Entwürfe gelöscht"), default=0)
    cases_anonymised = models.PositiveIntegerField(_("Vorgänge anonymisiert"), default=0)

    class Meta:
        verbose_name = _("Lauf der Löschfristen")
        verbose_name_plural = _("Läufe der Löschfristen")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class DraftDeletionWarning(models.Model):
    """The members of a long untouched draft were told that it will be deleted."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="deletion_warning"
    )
    warned_at = models.DateTimeField(_("angekündigt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Ankündigung der Löschung")
        verbose_name_plural = _("Ankündigungen der Löschung")

    def __str__(self):
        return f"{self.application_id}: {self.warned_at:%Y-%m-%d}"


class AnonymisedCase(models.Model):
    """A closed case whose personal content was removed after the retention period."""

    application = models.OneToOneField(
        "applications.Application", on_delete=models.CASCADE, related_name="anonymised"
    )
    anonymised_at = models.DateTimeField(_("anonymisiert am"), default=timezone.now)

    class Meta:
        verbose_name = _("anonymisierter Vorgang")
        verbose_name_plural = _("anonymisierte Vorgänge")

    def __str__(self):
        return f"{self.application_id}: {self.anonymised_at:%Y-%m-%d}"
