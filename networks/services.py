"""Every write on networks: check who acts, lock what races, change, notify — in one transaction."""

from datetime import datetime, time, timedelta

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from accounts.notifications import queue_notification
from kitz_portal.errors import PortalError

from . import permissions
from .calendar import meeting_invitation_ics
from .models import (
    Attendance,
    CalendarSubscription,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Network,
    NetworkMembership,
    Offer,
    Response,
    SeriesException,
    SeriesExceptionKind,
    Task,
    new_token,
)
from .selectors import attendance_candidates, member_people
from .tokens import InvalidToken, make_rsvp_token, read_rsvp_token, token_names_invitation

SERIES_HORIZON = timedelta(days=400)


def _require(allowed, message):
    if not allowed:
        raise PortalError(message)


def _require_manager(actor, network):
    _require(
        permissions.can_manage_network(actor, network),
        _("Nur die Koordination des Netzwerks darf das tun."),
    )


def _validate(instance):
    """Row rules as a PortalError at the field, before anything is written."""
    try:
        instance.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise PortalError(messages[0], field=None if field == "__all__" else field) from error


def _check_coordinators(coordinators):
    for person in coordinators:
        if not account_permissions.is_kitz_staff(person):
            raise PortalError(
                _("%(name)s ist nicht beim KITZ beschäftigt und kann nicht koordinieren.")
                % {"name": person},
                field="coordinators",
            )


# Networks


@transaction.atomic
def create_network(*, actor, name, slug, description="", visibility, handlungsfelder, coordinators):
    _require(permissions.can_create_network(actor), _("Nur KITZ-Mitarbeitende legen Netzwerke an."))
    _check_coordinators(coordinators)
    network = Network(name=name, slug=slug, description=description, visibility=visibility)
    _validate(network)
    network.save()
    network.handlungsfelder.set(handlungsfelder)
    network.coordinators.set(coordinators)
    return network


@transaction.atomic
def update_network(*, actor, network, handlungsfelder, coordinators, **fields):
    _require(
        permissions.can_edit_network(actor, network),
        _("Nur KITZ-Mitarbeitende bearbeiten Netzwerke."),
    )
    _check_coordinators(coordinators)
    network = Network.objects.select_for_update().get(pk=network.pk)
    for name, value in fields.items():
        setattr(network, name, value)
    _validate(network)
    network.save()
    network.handlungsfelder.set(handlungsfelder)
    network.coordinators.set(coordinators)
    return network


# Members and join requests


@transaction.atomic
def add_member(*, actor, network, organisation=None, user=None, role="", listed_publicly=False):
    _require_manager(actor, network)
    if (organisation is None) == (user is None):
        raise PortalError(_("Bitte wählen Sie entweder eine Organisation oder eine Person."))
    network = Network.objects.select_for_update().get(pk=network.pk)
    existing = NetworkMembership.objects.filter(network=network)
    if organisation is not None and existing.filter(organisation=organisation).exists():
        raise PortalError(
            _("%(name)s ist bereits Mitglied des Netzwerks.") % {"name": organisation},
            field="organisation",
        )
    if user is not None and existing.filter(user=user).exists():
        raise PortalError(
            _("%(name)s ist bereits Mitglied des Netzwerks.") % {"name": user}, field="user"
        )
    return NetworkMembership.objects.create(
        network=network,
        organisation=organisation,
        user=None if organisation else user,
        role=role,
        listed_publicly=bool(organisation and listed_publicly),
    )


@transaction.atomic
def remove_member(*, actor, membership):
    """Remove a member; their open invitations to coming meetings are withdrawn with them."""
    network = membership.network
    _require_manager(actor, network)
    before = set(member_people(network).values_list("pk", flat=True))
    membership.delete()
    lost = before - set(member_people(network).values_list("pk", flat=True))
    Invitation.objects.filter(
        meeting__network=network, meeting__start__gt=timezone.now(), user_id__in=lost
    ).delete()
    return lost


@transaction.atomic
def request_to_join(*, actor, network, organisation, message=""):
    _require(
        permissions.can_request_to_join(actor, organisation),
        _("Nur wer die Organisation verwaltet, kann den Beitritt anfragen."),
    )
    network = Network.objects.select_for_update().get(pk=network.pk)
    if NetworkMembership.objects.filter(network=network, organisation=organisation).exists():
        raise PortalError(
            _("%(name)s ist bereits Mitglied dieses Netzwerks.") % {"name": organisation},
            field="organisation",
        )
    if JoinRequest.objects.filter(
        network=network, organisation=organisation, status=JoinRequestStatus.PENDING
    ).exists():
        raise PortalError(
            _("Für %(name)s liegt bereits eine offene Beitrittsanfrage vor.")
            % {"name": organisation},
            field="organisation",
        )
    join_request = JoinRequest.objects.create(
        network=network, organisation=organisation, requested_by=actor, message=message
    )
    for coordinator in network.coordinators.all():
        queue_notification(
            template="emails/networks/join_request",
            to_email=coordinator.email,
            recipient=coordinator,
            context={
                "network": network.name,
                "organisation": organisation.name,
                "message": message,
                "path": network.get_absolute_url(),
            },
        )
    return join_request


@transaction.atomic
def decide_join_request(*, actor, join_request, accept, role="", listed_publicly=False):
    _require_manager(actor, join_request.network)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequestStatus.PENDING:
        raise PortalError(_("Über diese Anfrage wurde bereits entschieden."))
    join_request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    join_request.decided_by = actor
    join_request.decided_at = timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    if accept:
        NetworkMembership.objects.get_or_create(
            network=join_request.network,
            organisation=join_request.organisation,
            defaults={"role": role, "listed_publicly": listed_publicly},
        )
    if join_request.requested_by and join_request.requested_by.email:
        queue_notification(
            template="emails/networks/join_request_decided",
            to_email=join_request.requested_by.email,
            recipient=join_request.requested_by,
            context={
                "network": join_request.network.name,
                "organisation": join_request.organisation.name,
                "accepted": accept,
                "path": join_request.network.get_absolute_url(),
            },
        )
    return join_request


# Meetings


@transaction.atomic
def schedule_meeting(*, actor, network, title, start, end, place="", online_url="", agenda=""):
    _require_manager(actor, network)
    meeting = Meeting(
        network=network,
        title=title,
        start=start,
        end=end,
        place=place,
        online_url=online_url,
        agenda=agenda,
    )
    _validate(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def update_meeting(*, actor, meeting, **fields):
    _require_manager(actor, meeting.network)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    before = {name: getattr(meeting, name) for name in NOTIFIED_FIELDS}
    for name, value in fields.items():
        setattr(meeting, name, value)
    _validate(meeting)
    meeting.sequence += 1
    meeting.save()
    if any(getattr(meeting, name) != value for name, value in before.items()):
        _notify_invited(meeting, template="emails/networks/meeting_changed")
    return meeting


@transaction.atomic
def cancel_meeting(*, actor, meeting):
    _require_manager(actor, meeting.network)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        return meeting
    meeting.status = MeetingStatus.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence"])
    _notify_invited(meeting, template="emails/networks/meeting_cancelled")
    return meeting


# What invited people must hear about when it changes.
NOTIFIED_FIELDS = ("title", "start", "end", "place", "online_url")


def _notify_invited(meeting, *, template):
    """Send the invited (who did not decline) the news with an updated calendar entry."""
    invitations = (
        meeting.invitations.filter(sent_at__isnull=False)
        .exclude(response=Response.NO)
        .select_related("user", "meeting__network")
    )
    ics = meeting_invitation_ics(meeting).decode()
    for invitation in invitations:
        queue_notification(
            template=template,
            to_email=invitation.user.email,
            recipient=invitation.user,
            context={
                **_invitation_context(invitation),
                "ics_attachments": [{"filename": "netzwerktreffen.ics", "content": ics}],
            },
        )


def _invitation_context(invitation):
    meeting = invitation.meeting
    local = timezone.localtime
    return {
        "network": meeting.network.name,
        "title": meeting.title,
        "start": local(meeting.start).strftime("%d.%m.%Y %H:%M"),
        "end": local(meeting.end).strftime("%H:%M"),
        "place": meeting.place,
        "online_url": meeting.online_url,
        "agenda": meeting.agenda,
        "meeting_path": meeting.get_absolute_url(),
        "rsvp_path": invitation_rsvp_path(invitation),
    }


def invitation_rsvp_path(invitation):
    from django.urls import reverse

    return reverse(
        "networks:rsvp_by_token",
        kwargs={"pk": invitation.pk, "token": make_rsvp_token(invitation)},
    )


@transaction.atomic
def invite_members(*, actor, meeting):
    """Invite every member person not yet invited; each gets one e-mail with the .ics."""
    _require_manager(actor, meeting.network)
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    if meeting.status != MeetingStatus.PLANNED or meeting.start <= timezone.now():
        raise PortalError(_("Zu abgesagten oder vergangenen Treffen wird nicht eingeladen."))
    now = timezone.now()
    ics = meeting_invitation_ics(meeting).decode()
    invited = []
    for person in member_people(meeting.network):
        invitation, _created = Invitation.objects.get_or_create(meeting=meeting, user=person)
        if invitation.sent_at is not None:
            continue
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
        queue_notification(
            template="emails/networks/invitation",
            to_email=person.email,
            recipient=person,
            context={
                **_invitation_context(invitation),
                "ics_attachments": [{"filename": "netzwerktreffen.ics", "content": ics}],
            },
        )
        invited.append(invitation)
    meeting.invitations_sent_at = now
    meeting.save(update_fields=["invitations_sent_at"])
    return invited


def _apply_response(invitation, response):
    if response not in (Response.YES, Response.NO, Response.MAYBE):
        raise PortalError(_("Bitte wählen Sie Zusage, Absage oder vielleicht."), field="response")
    meeting = invitation.meeting
    if not permissions.is_member(invitation.user, meeting.network):
        raise PortalError(_("Sie gehören diesem Netzwerk nicht mehr an."))
    if meeting.status != MeetingStatus.PLANNED or meeting.end <= timezone.now():
        raise PortalError(_("Auf dieses Treffen kann nicht mehr geantwortet werden."))
    invitation.response = response
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["response", "responded_at"])
    return invitation


@transaction.atomic
def respond_to_invitation(*, actor, invitation, response):
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting__network", "user")
        .filter(pk=invitation.pk)
        .first()
    )
    if invitation is None or invitation.user_id != actor.pk:
        raise PortalError(_("Diese Einladung gilt nicht für Sie."))
    return _apply_response(invitation, response)


@transaction.atomic
def respond_by_token(*, invitation_id, token, response):
    """RSVP from the e-mail link without login; a wrong token changes nothing."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting__network", "user")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise_for_missing_invitation(invitation_id, token)
    check_rsvp_token(invitation, token)
    return _apply_response(invitation, response)


def raise_for_missing_invitation(invitation_id, token):
    """A genuine link to a withdrawn invitation says so; anything else is just invalid."""
    if token_names_invitation(token, invitation_id):
        raise PortalError(
            _(
                "Diese Einladung wurde zurückgezogen, zum Beispiel weil Sie dem Netzwerk nicht "
                "mehr angehören. Es wurde nichts geändert."
            )
        )
    raise PortalError(_("Dieser Link ist ungültig."))


def check_rsvp_token(invitation, token):
    try:
        read_rsvp_token(token, invitation)
    except InvalidToken as error:
        if str(error) == "expired":
            raise PortalError(
                _("Dieser Link ist abgelaufen. Bitte antworten Sie nach der Anmeldung im Portal.")
            ) from error
        raise PortalError(_("Dieser Link ist ungültig.")) from error


@transaction.atomic
def record_attendance(*, actor, meeting, people):
    """Replace the attendance list of a meeting that has started."""
    _require_manager(actor, meeting.network)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.start > timezone.now():
        raise PortalError(_("Die Teilnahme wird erst nach Beginn des Treffens erfasst."))
    allowed = set(attendance_candidates(meeting).values_list("pk", flat=True))
    wanted = {person.pk for person in people}
    if wanted - allowed:
        raise PortalError(_("Nur eingeladene Personen und Mitglieder können teilnehmen."))
    meeting.attendances.exclude(user_id__in=wanted).delete()
    present = set(meeting.attendances.values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user_id=pk, recorded_by=actor) for pk in wanted - present
    )
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status"])
    return meeting


@transaction.atomic
def save_minutes(*, actor, meeting, minutes_text, minutes_file=None, notify_members=False):
    """Minutes are shared with the network's members in the portal, on request also by e-mail."""
    _require_manager(actor, meeting.network)
    meeting = Meeting.objects.select_for_update().select_related("network").get(pk=meeting.pk)
    meeting.minutes_text = minutes_text
    if minutes_file:
        meeting.minutes_file = minutes_file
    meeting.save(update_fields=["minutes_text", "minutes_file"])
    if notify_members and (meeting.minutes_text or meeting.minutes_file):
        for person in member_people(meeting.network):
            queue_notification(
                template="emails/networks/minutes_shared",
                to_email=person.email,
                recipient=person,
                context={
                    "network": meeting.network.name,
                    "title": meeting.title,
                    "start": timezone.localtime(meeting.start).strftime("%d.%m.%Y"),
                    "meeting_path": meeting.get_absolute_url(),
                },
            )
    return meeting


# Series


def parse_rrule(rule, first_start):
    """The rule as a dateutil rrule in local wall-clock time, or a PortalError at the field."""
    local_start = timezone.localtime(first_start).replace(tzinfo=None)
    try:
        return rrulestr(rule.strip().removeprefix("RRULE:"), dtstart=local_start)
    except (ValueError, TypeError) as error:
        raise PortalError(
            _("Die Wiederholungsregel ist ungültig, z. B. FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TU."),
            field="rrule",
        ) from error


def series_occurrences(series, *, until):
    """Local start datetimes of the series up to ``until`` (aware), before exceptions."""
    rule = parse_rrule(series.rrule, series.first_start)
    limit = timezone.localtime(until).replace(tzinfo=None)
    if series.until:
        limit = min(limit, datetime.combine(series.until, time.max))
    tz = timezone.get_default_timezone()
    return [moment.replace(tzinfo=tz) for moment in rule.between(datetime.min, limit, inc=True)]


def generate_series_meetings(series, *, until=None):
    """Create the missing meetings of a series; skipped dates stay empty, moved ones move."""
    until = until or timezone.now() + SERIES_HORIZON
    exceptions = {item.original_date: item for item in series.exceptions.all()}
    duration = timedelta(minutes=series.duration_minutes)
    existing = set(series.meetings.values_list("occurrence_date", flat=True))
    created = []
    for start in series_occurrences(series, until=until):
        day = start.date()
        if day in existing:
            continue
        exception = exceptions.get(day)
        if exception and exception.kind == SeriesExceptionKind.SKIPPED:
            continue
        if exception:
            start = exception.new_start
        created.append(
            Meeting(
                network=series.network,
                series=series,
                occurrence_date=day,
                title=series.title,
                start=start,
                end=start + duration,
                place=series.place,
                online_url=series.online_url,
                agenda=series.agenda,
            )
        )
    Meeting.objects.bulk_create(created)
    return created


@transaction.atomic
def create_series(
    *,
    actor,
    network,
    title,
    first_start,
    duration_minutes,
    rrule,
    until=None,
    place="",
    online_url="",
    agenda="",
):
    _require_manager(actor, network)
    if not duration_minutes:
        raise PortalError(_("Ein Treffen dauert mindestens eine Minute."), field="duration_minutes")
    parse_rrule(rrule, first_start)
    series = MeetingSeries(
        network=network,
        title=title,
        first_start=first_start,
        duration_minutes=duration_minutes,
        rrule=rrule.strip().removeprefix("RRULE:"),
        until=until,
        place=place,
        online_url=online_url,
        agenda=agenda,
    )
    _validate(series)
    series.save()
    generate_series_meetings(series)
    return series


@transaction.atomic
def add_series_exception(*, actor, series, original_date, kind, new_start=None):
    """Skip or move one date of a series; the meeting of that date follows."""
    _require_manager(actor, series.network)
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    horizon = datetime.combine(original_date + timedelta(days=1), time.min)
    dates = {
        moment.date()
        for moment in series_occurrences(
            series, until=timezone.make_aware(horizon, timezone.get_default_timezone())
        )
    }
    if original_date not in dates:
        raise PortalError(
            _("An diesem Tag findet kein Treffen der Reihe statt."), field="original_date"
        )
    if kind == SeriesExceptionKind.MOVED and new_start is None:
        raise PortalError(_("Bitte geben Sie den neuen Beginn an."), field="new_start")
    if series.exceptions.filter(original_date=original_date).exists():
        raise PortalError(_("Für diesen Tag gibt es schon eine Ausnahme."), field="original_date")
    exception = SeriesException.objects.create(
        series=series,
        original_date=original_date,
        kind=kind,
        new_start=new_start if kind == SeriesExceptionKind.MOVED else None,
    )
    meeting = series.meetings.select_for_update().filter(occurrence_date=original_date).first()
    if meeting is not None:
        if kind == SeriesExceptionKind.SKIPPED:
            if meeting.invitations.exists():
                meeting.status = MeetingStatus.CANCELLED
                meeting.sequence += 1
                meeting.save(update_fields=["status", "sequence"])
                _notify_invited(meeting, template="emails/networks/meeting_cancelled")
            else:
                meeting.delete()
        else:
            meeting.start = new_start
            meeting.end = new_start + timedelta(minutes=series.duration_minutes)
            meeting.sequence += 1
            meeting.save(update_fields=["start", "end", "sequence"])
            _notify_invited(meeting, template="emails/networks/meeting_changed")
    return exception


# Offers and tasks


@transaction.atomic
def create_offer(*, actor, network, responsible_organisations=(), **fields):
    _require_manager(actor, network)
    offer = Offer(network=network, **fields)
    _validate(offer)
    offer.save()
    offer.responsible_organisations.set(responsible_organisations)
    return offer


@transaction.atomic
def update_offer(*, actor, offer, responsible_organisations=(), **fields):
    _require_manager(actor, offer.network)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    for name, value in fields.items():
        setattr(offer, name, value)
    _validate(offer)
    offer.save()
    offer.responsible_organisations.set(responsible_organisations)
    return offer


@transaction.atomic
def create_task(*, actor, network, title, owner=None, due_on=None, offer=None):
    _require_manager(actor, network)
    if offer is not None and offer.network_id != network.pk:
        raise PortalError(_("Das Angebot gehört zu einem anderen Netzwerk."), field="offer")
    if owner is not None and not permissions.is_member(owner, network):
        raise PortalError(_("Zuständig kann nur ein Mitglied des Netzwerks sein."), field="owner")
    return Task.objects.create(
        network=network, title=title, owner=owner, due_on=due_on, offer=offer
    )


@transaction.atomic
def set_task_done(*, actor, task, done):
    allowed = permissions.can_manage_network(actor, task.network) or (
        task.owner_id is not None and task.owner_id == actor.pk
    )
    _require(allowed, _("Nur die Koordination oder die zuständige Person darf das tun."))
    task = Task.objects.select_for_update().get(pk=task.pk)
    task.done = done
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_at"])
    return task


# Calendar feeds


@transaction.atomic
def renew_calendar_token(*, actor):
    """Give the person a new secret feed address; the old one stops working at once."""
    if not (actor and actor.is_authenticated):
        raise PortalError(_("Bitte melden Sie sich an."))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                subscription, _created = CalendarSubscription.objects.update_or_create(
                    user=actor, defaults={"token": new_token()}
                )
                return subscription
        except IntegrityError:
            continue
    raise PortalError(_("Bitte versuchen Sie es noch einmal."))


def calendar_subscription_of(user):
    subscription = CalendarSubscription.objects.filter(user=user).first()
    return subscription or renew_calendar_token(actor=user)
