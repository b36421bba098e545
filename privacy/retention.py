"""Löschfristen: anonymise closed cases after the retention period, delete drafts nobody
has touched for a year (after telling their members a month before). Every run is logged.
"""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.notifications import queue_notification
from applications.models import Application, ApplicationStatus, DecisionLetter

from .models import AnonymisedCase, DraftDeletionWarning, RetentionRun

logger = logging.getLogger(__name__)

CLOSED_STATUSES = [
    ApplicationStatus.CLOSED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.REVOKED,
]
ANONYMISED_TITLE = "–"


def _delete_files(field_files):
    names = [(f.storage, f.name) for f in field_files if f]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def _blank_texts(queryset, names):
    queryset.update(**dict.fromkeys(names, ""))


def anonymise_case(application):
    """Remove the personal content of a closed case; figures for the statistics stay."""
    from applications.models import (
        ApplicationEvent,
        Attachment,
        CaseMessage,
        Decision,
        InformationRequest,
        InternalNote,
        Review,
        ReviewItem,
        RevocationProcedure,
        UsageAttachment,
        UsageCheckAnswer,
    )

    attachments = list(Attachment.objects.filter(application=application))
    usage_attachments = list(UsageAttachment.objects.filter(report__application=application))
    letters = list(DecisionLetter.objects.filter(application=application))
    procedures = RevocationProcedure.objects.filter(application=application)
    _delete_files(
        [a.file for a in attachments + usage_attachments]
        + [letter.file for letter in letters]
        + [procedure.hearing_file for procedure in procedures]
    )
    # The amounts of a Widerruf stay for the statistics; its texts and letters go.
    procedures.update(hearing_file="", reason="", answer="", reasoning="")
    Attachment.objects.filter(application=application).delete()
    UsageAttachment.objects.filter(report__application=application).delete()
    _blank_texts(UsageCheckAnswer.objects.filter(report__application=application), ["remark"])
    DecisionLetter.objects.filter(application=application).delete()
    CaseMessage.objects.filter(application=application).delete()
    InternalNote.objects.filter(application=application).delete()
    InformationRequest.objects.filter(application=application).delete()
    ApplicationEvent.objects.filter(application=application).update(note="", actor=None)
    _blank_texts(
        Decision.objects.filter(application=application), ["conditions", "reasons", "note"]
    )
    _blank_texts(
        Review.objects.filter(application=application),
        ["formal_remark", "conditions", "rejection_reasons"],
    )
    _blank_texts(ReviewItem.objects.filter(review__application=application), ["remark"])
    application.cost_items.update(description=ANONYMISED_TITLE)
    Application.objects.filter(pk=application.pk).update(
        title=ANONYMISED_TITLE,
        summary="",
        description="",
        target_groups="",
        places="",
        withdrawal_reason="",
        eligibility_answers={},
        created_by=None,
        assigned_to=None,
    )
    AnonymisedCase.objects.create(application=application)


def cases_due_for_anonymisation(now):
    from applications.models import ApplicationEvent

    cutoff = now - relativedelta(years=settings.PORTAL_RETENTION_YEARS)
    last_event = (
        ApplicationEvent.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(last=Max("created_at"))
        .values("last")
    )
    return (
        Application.objects.filter(status__in=CLOSED_STATUSES, anonymised__isnull=True)
        .annotate(closed_at=Subquery(last_event))
        .filter(Q(closed_at__lt=cutoff) | Q(closed_at__isnull=True, updated_at__lt=cutoff))
    )


def _warn_draft(draft):
    for membership in draft.organisation.memberships.select_related("user"):
        user = membership.user
        queue_notification(
            template="emails/privacy/draft_deletion_warning",
            to_email=user.email,
            recipient=user,
            context={
                "title": draft.title or "",
                "programme": str(draft.programme),
                "draft_path": reverse("applications:summary", kwargs={"pk": draft.pk}),
                "days": settings.PORTAL_DRAFT_WARNING_DAYS,
            },
        )
    DraftDeletionWarning.objects.update_or_create(
        application=draft, defaults={"warned_at": timezone.now()}
    )


def apply_retention(now=None):
    """Run the job once; safe to run twice (each step looks at what is still due)."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    untouched = now - timedelta(days=settings.PORTAL_DRAFT_RETENTION_DAYS)
    warn_from = untouched + timedelta(days=settings.PORTAL_DRAFT_WARNING_DAYS)
    drafts = Application.objects.filter(status=ApplicationStatus.DRAFT)

    # Warn once per period of inactivity: a draft touched after the warning is warned again.
    to_warn = drafts.filter(updated_at__lt=warn_from).exclude(
        deletion_warning__warned_at__gte=F("updated_at")
    )
    for draft in to_warn.select_related("programme", "organisation"):
        with transaction.atomic():
            _warn_draft(draft)
            run.drafts_warned += 1

    # Delete only drafts whose members were warned at least the warning period ago.
    warned_before = now - timedelta(days=settings.PORTAL_DRAFT_WARNING_DAYS)
    to_delete = drafts.filter(
        updated_at__lt=untouched,
        deletion_warning__warned_at__gte=F("updated_at"),
        deletion_warning__warned_at__lte=warned_before,
    )
    for draft in to_delete:
        with transaction.atomic():
            _delete_files([attachment.file for attachment in draft.attachments.all()])
            draft.delete()
            run.drafts_deleted += 1

    for case in cases_due_for_anonymisation(now):
        with transaction.atomic():
            anonymise_case(case)
            run.cases_anonymised += 1

    run.finished_at = timezone.now()
    run.save()
    logger.info(
        "Retention run %s: %s drafts warned, %s drafts deleted, %s cases anonymised",
        run.pk,
        run.drafts_warned,
        run.drafts_deleted,
        run.cases_anonymised,
    )
    return run
