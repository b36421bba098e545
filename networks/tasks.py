"""Beat jobs of the networks. Each takes ids or nothing and is safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from accounts.notifications import queue_notification

from .models import Meeting, MeetingSeries, MeetingStatus, Response, Task

REMIND_BEFORE = timedelta(hours=48)


@shared_task
def send_meeting_reminders():
    """Remind invited people (who did not decline) of meetings in the next 48 hours, once."""
    now = timezone.now()
    due = Meeting.objects.filter(
        status=MeetingStatus.PLANNED,
        reminded_at__isnull=True,
        start__gt=now,
        start__lte=now + REMIND_BEFORE,
    ).values_list("pk", flat=True)
    return sum(remind_meeting(pk) for pk in list(due))


def remind_meeting(meeting_id):
    with transaction.atomic():
        meeting = (
            Meeting.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("network")
            .filter(pk=meeting_id, reminded_at__isnull=True)
            .first()
        )
        if meeting is None:
            return 0
        invitations = meeting.invitations.exclude(response=Response.NO).select_related("user")
        count = 0
        for invitation in invitations:
            queue_notification(
                template="emails/networks/reminder",
                to_email=invitation.user.email,
                recipient=invitation.user,
                context={
                    "network": meeting.network.name,
                    "title": meeting.title,
                    "start": timezone.localtime(meeting.start).strftime("%d.%m.%Y %H:%M"),
                    "place": meeting.place,
                    "online_url": meeting.online_url,
                    "meeting_path": meeting.get_absolute_url(),
                },
            )
            count += 1
        meeting.reminded_at = timezone.now()
        meeting.save(update_fields=["reminded_at"])
        return count


@shared_task
def send_overdue_task_reminders():
    """Tell the owner of each overdue open task, once per task."""
    today = timezone.localdate()
    due = Task.objects.filter(
        done=False, due_on__lt=today, reminded_at__isnull=True, owner__isnull=False
    ).values_list("pk", flat=True)
    return sum(remind_task(pk) for pk in list(due))


def remind_task(task_id):
    with transaction.atomic():
        task = (
            Task.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner", "network")
            .filter(pk=task_id, reminded_at__isnull=True, done=False)
            .first()
        )
        if task is None or task.owner is None:
            return 0
        queue_notification(
            template="emails/networks/task_overdue",
            to_email=task.owner.email,
            recipient=task.owner,
            context={
                "network": task.network.name,
                "title": task.title,
                "due_on": task.due_on.strftime("%d.%m.%Y"),
                "network_path": task.network.get_absolute_url(),
            },
        )
        task.reminded_at = timezone.now()
        task.save(update_fields=["reminded_at"])
        return 1


@shared_task
def extend_meeting_series():
    """Keep a year of meetings ahead for every series; existing dates are left alone."""
    from .services import generate_series_meetings

    created = 0
    for series_id in MeetingSeries.objects.values_list("pk", flat=True):
        with transaction.atomic():
            series = MeetingSeries.objects.select_for_update().filter(pk=series_id).first()
            if series is not None:
                created += len(generate_series_meetings(series))
    return created
