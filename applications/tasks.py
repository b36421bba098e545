"""Beat jobs of the applications app; each one stamps its rows so a second run sends nothing."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.notifications import queue_notification

from .models import Application, ApplicationStatus, InformationRequest

logger = logging.getLogger(__name__)

REMINDER_DAYS_BEFORE_DUE = 3


def _notify_about_request(request, *, template):
    application = request.application
    context = {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
        "due_on": request.due_on.strftime("%d.%m.%Y"),
    }
    for membership in application.organisation.memberships.select_related("user"):
        user = membership.user
        if user.is_active and user.email:
            queue_notification(
                template=template, to_email=user.email, recipient=user, context=context
            )


def _notify_handler(request, *, template):
    application = request.application
    handler = application.assigned_to or request.requested_by
    if handler is not None and handler.is_active and handler.email:
        queue_notification(
            template=template,
            to_email=handler.email,
            recipient=handler,
            context={
                "reference": application.reference,
                "title": application.title,
                "application_id": application.pk,
                "due_on": request.due_on.strftime("%d.%m.%Y"),
            },
        )


def _stamp_and_notify(request_id, *, stamp_field, template, staff_template=None):
    with transaction.atomic():
        request = (
            InformationRequest.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related(
                "application",
                "application__organisation",
                "application__assigned_to",
                "requested_by",
            )
            .filter(
                pk=request_id,
                answered_at__isnull=True,
                application__status=ApplicationStatus.INFO_REQUESTED,
                **{f"{stamp_field}__isnull": True},
            )
            .first()
        )
        if request is None:
            return False
        setattr(request, stamp_field, timezone.now())
        request.save(update_fields=[stamp_field])
        _notify_about_request(request, template=template)
        if staff_template:
            _notify_handler(request, template=staff_template)
        return True


@shared_task
def remind_information_requests():
    """Remind applicants of open questions due soon, and tell them once when overdue."""
    today = timezone.localdate()
    open_requests = InformationRequest.objects.filter(
        answered_at__isnull=True, application__status=ApplicationStatus.INFO_REQUESTED
    )
    due_soon = open_requests.filter(
        reminder_sent_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + timedelta(days=REMINDER_DAYS_BEFORE_DUE),
    ).values_list("pk", flat=True)
    overdue = open_requests.filter(
        overdue_notice_sent_at__isnull=True, due_on__lt=today
    ).values_list("pk", flat=True)
    reminded = sum(
        _stamp_and_notify(
            pk, stamp_field="reminder_sent_at", template="emails/applications/information_reminder"
        )
        for pk in list(due_soon)
    )
    overdue_count = sum(
        _stamp_and_notify(
            pk,
            stamp_field="overdue_notice_sent_at",
            template="emails/applications/information_overdue",
            staff_template="emails/applications/information_overdue_staff",
        )
        for pk in list(overdue)
    )
    logger.info("Information requests: %s reminded, %s overdue", reminded, overdue_count)
    return {"reminded": reminded, "overdue": overdue_count}


@shared_task
def remind_usage_reports():
    """Reminders 14 days before and on the due date, then weekly; safe to run twice a day."""
    from .usage_models import UsageReport, UsageReportStatus
    from .usage_reports import send_usage_report_reminder, usage_report_for

    today = timezone.localdate()
    approved = Application.objects.filter(
        status=ApplicationStatus.APPROVED, usage_report__isnull=True, decision__isnull=False
    ).select_related("decision")
    for application in approved:
        usage_report_for(application)
    sent = 0
    for report_id in UsageReport.objects.filter(
        status=UsageReportStatus.OPEN, due_on__lte=today + timedelta(days=14)
    ).values_list("pk", flat=True):
        if send_usage_report_reminder(report_id=report_id, today=today):
            sent += 1
    return {"sent": sent}
