from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import requires
from accounts.models import Organisation
from kitz_portal.errors import PortalError

from . import permissions, selectors, services
from .calendar import build_calendar, feed_url
from .forms import (
    AttendanceForm,
    JoinRequestForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
    NetworkForm,
    OfferForm,
    ResponseForm,
    SeriesExceptionForm,
    SeriesForm,
    TaskForm,
)
from .models import (
    CalendarSubscription,
    Invitation,
    JoinRequest,
    Meeting,
    MeetingSeries,
    NetworkMembership,
    Offer,
    Task,
)


def _form_error(form, error):
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _visible_network(request, slug):
    network = selectors.network_for(request.user, slug)
    if network is None:
        raise Http404
    return network


def _members_network(request, slug):
    """Members-only content: everybody else gets 404, as if it did not exist."""
    network = _visible_network(request, slug)
    if not permissions.can_see_members_content(request.user, network):
        raise Http404
    return network


def _managed_network(request, slug):
    network = _members_network(request, slug)
    if not permissions.can_manage_network(request.user, network):
        raise PermissionDenied
    return network


def _members_meeting(request, slug, pk):
    network = _members_network(request, slug)
    return network, get_object_or_404(
        Meeting.objects.select_related("network"), network=network, pk=pk
    )


def login_for_members(view):
    """Anonymous visitors of member pages go to the login page first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


# Networks


def network_list(request):
    return render(
        request,
        "networks/list.html",
        {
            "networks": selectors.visible_networks(request.user),
            "can_create": permissions.can_create_network(request.user),
        },
    )


def network_detail(request, slug):
    network = _visible_network(request, slug)
    members_view = permissions.can_see_members_content(request.user, network)
    context = {
        "network": network,
        "handlungsfelder": network.handlungsfelder.all(),
        "listed": selectors.listed_memberships(network),
        "upcoming": selectors.upcoming_meetings(network, limit=None if members_view else 5),
        "members_view": members_view,
        "can_manage": permissions.can_manage_network(request.user, network),
        "can_edit": permissions.can_edit_network(request.user, network),
        "join_organisations": _joinable_organisations(request.user, network),
    }
    if members_view:
        context.update(
            {
                "memberships": selectors.all_memberships(network),
                "past": selectors.past_meetings(network)[:10],
                "offers": selectors.offers_of(network),
                "tasks": selectors.open_tasks_of(network),
                "series": network.series.all(),
                "join_requests": selectors.pending_join_requests(network)
                if context["can_manage"]
                else [],
            }
        )
    return render(request, "networks/detail.html", context)


def _joinable_organisations(user, network):
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        memberships__user=user, memberships__is_manager=True
    ).exclude(network_memberships__network=network)


@requires(permissions.can_create_network)
def network_create(request):
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            network = services.create_network(actor=request.user, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Das Netzwerk wurde angelegt."))
            return redirect(network)
    return render(request, "networks/form.html", {"form": form, "network": None})


@requires(permissions.can_create_network)
def network_edit(request, slug):
    network = _visible_network(request, slug)
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            network = services.update_network(actor=request.user, network=network, **data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(network)
    return render(request, "networks/form.html", {"form": form, "network": network})


# Members and join requests


@login_required
def join_request(request, slug):
    network = _visible_network(request, slug)
    organisations = Organisation.objects.filter(
        memberships__user=request.user, memberships__is_manager=True
    )
    form = JoinRequestForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_to_join(actor=request.user, network=network, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("Ihre Anfrage wurde an die Koordination des Netzwerks geschickt.")
            )
            return redirect(network)
    return render(request, "networks/join_request.html", {"form": form, "network": network})


@require_POST
@login_for_members
def join_request_decide(request, slug, pk):
    network = _managed_network(request, slug)
    join_request = get_object_or_404(JoinRequest, network=network, pk=pk)
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_join_request(
            actor=request.user,
            join_request=join_request,
            accept=accept,
            listed_publicly=request.POST.get("listed_publicly") == "1",
        )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Die Anfrage wurde angenommen.") if accept else _("Die Anfrage wurde abgelehnt."),
        )
    return redirect(network)


@login_for_members
def members(request, slug):
    network = _managed_network(request, slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_member(actor=request.user, network=network, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Das Mitglied wurde aufgenommen."))
            return redirect("networks:members", slug=network.slug)
    return render(
        request,
        "networks/members.html",
        {"network": network, "form": form, "memberships": selectors.all_memberships(network)},
    )


@require_POST
@login_for_members
def member_remove(request, slug, pk):
    network = _managed_network(request, slug)
    membership = get_object_or_404(NetworkMembership, network=network, pk=pk)
    services.remove_member(actor=request.user, membership=membership)
    messages.success(
        request,
        _("%(name)s gehört dem Netzwerk nicht mehr an; offene Einladungen wurden zurückgezogen.")
        % {"name": membership.member},
    )
    return redirect("networks:members", slug=network.slug)


# Meetings


@login_for_members
def meeting_create(request, slug):
    network = _managed_network(request, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.schedule_meeting(
                actor=request.user, network=network, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Das Treffen wurde geplant."))
            return redirect(meeting)
    return render(
        request, "networks/meeting_form.html", {"form": form, "network": network, "meeting": None}
    )


@login_for_members
def meeting_edit(request, slug, pk):
    network = _managed_network(request, slug)
    meeting = get_object_or_404(Meeting, network=network, pk=pk)
    form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk))
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.update_meeting(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Änderungen wurden gespeichert."))
            return redirect(meeting)
    return render(
        request,
        "networks/meeting_form.html",
        {"form": form, "network": network, "meeting": meeting},
    )


@login_for_members
def meeting_detail(request, slug, pk):
    network, meeting = _members_meeting(request, slug, pk)
    own = Invitation.objects.filter(meeting=meeting, user=request.user).first()
    return render(
        request,
        "networks/meeting_detail.html",
        {
            "network": network,
            "meeting": meeting,
            "invitations": selectors.invitations_of(meeting),
            "attendances": meeting.attendances.select_related("user"),
            "own_invitation": own,
            "response_form": ResponseForm(initial={"response": own.response} if own else None),
            "can_manage": permissions.can_manage_network(request.user, network),
        },
    )


@require_POST
@login_for_members
def meeting_invite(request, slug, pk):
    network = _managed_network(request, slug)
    meeting = get_object_or_404(Meeting, network=network, pk=pk)
    try:
        invited = services.invite_members(actor=request.user, meeting=meeting)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)d Einladungen wurden verschickt.") % {"count": len(invited)}
        )
    return redirect(meeting)


@require_POST
@login_for_members
def meeting_cancel(request, slug, pk):
    network = _managed_network(request, slug)
    meeting = get_object_or_404(Meeting, network=network, pk=pk)
    services.cancel_meeting(actor=request.user, meeting=meeting)
    messages.success(request, _("Das Treffen wurde abgesagt."))
    return redirect(meeting)


@require_POST
@login_for_members
def meeting_respond(request, slug, pk):
    network, meeting = _members_meeting(request, slug, pk)
    invitation = get_object_or_404(Invitation, meeting=meeting, user=request.user)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.respond_to_invitation(
                actor=request.user, invitation=invitation, response=form.cleaned_data["response"]
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Ihre Antwort wurde gespeichert."))
    else:
        messages.error(request, _("Bitte wählen Sie Zusage, Absage oder vielleicht."))
    return redirect(meeting)


def rsvp_by_token(request, pk, token):
    """The link in the invitation e-mail: shows a form; only the POST changes the answer."""
    invitation = Invitation.objects.select_related("meeting__network", "user").filter(pk=pk).first()
    error = None
    form = ResponseForm(request.POST or None)
    if invitation is None:
        try:
            services.raise_for_missing_invitation(pk, token)
        except PortalError as refused:
            error = refused.message
    else:
        try:
            services.check_rsvp_token(invitation, token)
        except PortalError as refused:
            error = refused.message
    if error is None and request.method == "POST" and form.is_valid():
        try:
            services.respond_by_token(
                invitation_id=pk, token=token, response=form.cleaned_data["response"]
            )
        except PortalError as refused:
            error = refused.message
        else:
            messages.success(request, _("Vielen Dank, Ihre Antwort wurde gespeichert."))
            return redirect("networks:rsvp_by_token", pk=pk, token=token)
    if error is None and request.method == "GET":
        form = ResponseForm(initial={"response": invitation.response})
    return render(
        request,
        "networks/rsvp.html",
        {"invitation": None if error else invitation, "form": form, "error": error},
        status=400 if error else 200,
    )


@login_for_members
def meeting_attendance(request, slug, pk):
    network = _managed_network(request, slug)
    meeting = get_object_or_404(Meeting, network=network, pk=pk)
    people = selectors.attendance_candidates(meeting)
    form = AttendanceForm(
        request.POST or None,
        people=people,
        initial={"people": list(meeting.attendances.values_list("user_id", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(
                actor=request.user, meeting=meeting, people=form.cleaned_data["people"]
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Teilnahme wurde gespeichert."))
            return redirect(meeting)
    return render(
        request,
        "networks/simple_form.html",
        {
            "form": form,
            "network": network,
            "title": _("Teilnahme erfassen"),
            "subtitle": meeting,
            "back": meeting.get_absolute_url(),
        },
    )


@login_for_members
def meeting_minutes(request, slug, pk):
    network = _managed_network(request, slug)
    meeting = get_object_or_404(Meeting, network=network, pk=pk)
    form = MinutesForm(
        request.POST or None, request.FILES or None, initial={"minutes_text": meeting.minutes_text}
    )
    if request.method == "POST" and form.is_valid():
        services.save_minutes(actor=request.user, meeting=meeting, **form.cleaned_data)
        messages.success(request, _("Das Protokoll wurde gespeichert."))
        return redirect(meeting)
    return render(
        request,
        "networks/simple_form.html",
        {
            "form": form,
            "network": network,
            "title": _("Protokoll"),
            "subtitle": meeting,
            "back": meeting.get_absolute_url(),
            "multipart": True,
        },
    )


@login_for_members
def meeting_minutes_file(request, slug, pk):
    _network, meeting = _members_meeting(request, slug, pk)
    if not meeting.minutes_file:
        raise Http404
    return FileResponse(
        meeting.minutes_file.open("rb"),
        as_attachment=True,
        filename=meeting.minutes_file.name.rsplit("/", 1)[-1],
    )


# Series


@login_for_members
def series_create(request, slug):
    network = _managed_network(request, slug)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.create_series(
                actor=request.user, network=network, **form.cleaned_data
            )
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Terminreihe wurde angelegt."))
            return redirect("networks:series", slug=network.slug, pk=series.pk)
    return render(
        request,
        "networks/simple_form.html",
        {
            "form": form,
            "network": network,
            "title": _("Terminreihe anlegen"),
            "back": network.get_absolute_url(),
            "help": _(
                "Beispiel: jeden zweiten Dienstag im Quartal = FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TU "
                "mit einem ersten Termin im ersten Monat eines Quartals."
            ),
        },
    )


@login_for_members
def series_detail(request, slug, pk):
    network = _members_network(request, slug)
    series = get_object_or_404(MeetingSeries, network=network, pk=pk)
    can_manage = permissions.can_manage_network(request.user, network)
    form = SeriesExceptionForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_series_exception(
                    actor=request.user, series=series, **form.cleaned_data
                )
            except PortalError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Die Ausnahme wurde gespeichert."))
                return redirect("networks:series", slug=network.slug, pk=series.pk)
    return render(
        request,
        "networks/series_detail.html",
        {
            "network": network,
            "series": series,
            "meetings": series.meetings.order_by("start"),
            "exceptions": series.exceptions.all(),
            "form": form,
        },
    )


# Offers and tasks


@login_for_members
def offer_form(request, slug, pk=None):
    network = _managed_network(request, slug)
    offer = get_object_or_404(Offer, network=network, pk=pk) if pk else None
    form = OfferForm(request.POST or None, instance=offer, network=network)
    if request.method == "POST" and form.is_valid():
        try:
            if offer is None:
                services.create_offer(actor=request.user, network=network, **form.cleaned_data)
            else:
                services.update_offer(actor=request.user, offer=offer, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Das Integrationsangebot wurde gespeichert."))
            return redirect(network)
    return render(
        request,
        "networks/simple_form.html",
        {
            "form": form,
            "network": network,
            "title": _("Integrationsangebot bearbeiten")
            if offer
            else _("Integrationsangebot anlegen"),
            "back": network.get_absolute_url(),
        },
    )


@login_for_members
def task_create(request, slug):
    network = _managed_network(request, slug)
    form = TaskForm(request.POST or None, network=network, people=selectors.member_people(network))
    if request.method == "POST" and form.is_valid():
        try:
            services.create_task(actor=request.user, network=network, **form.cleaned_data)
        except PortalError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Die Aufgabe wurde angelegt."))
            return redirect(network)
    return render(
        request,
        "networks/simple_form.html",
        {
            "form": form,
            "network": network,
            "title": _("Aufgabe anlegen"),
            "back": network.get_absolute_url(),
        },
    )


@require_POST
@login_for_members
def task_done(request, slug, pk):
    network = _members_network(request, slug)
    task = get_object_or_404(Task, network=network, pk=pk)
    try:
        services.set_task_done(actor=request.user, task=task, done=request.POST.get("done") == "1")
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(network)


# Calendars


def _ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def network_feed(request, slug):
    """Members (logged in) get every detail; the public sees only title and time."""
    network = _visible_network(request, slug)
    private = permissions.can_see_members_content(request.user, network)
    meetings = selectors.meetings_of(network)
    return _ics_response(
        build_calendar(network.name, meetings, private=private), f"{network.slug}.ics"
    )


def person_feed(request, token):
    subscription = get_object_or_404(
        CalendarSubscription.objects.select_related("user"), token=token, user__is_active=True
    )
    meetings = selectors.meetings_for_person(subscription.user)
    name = _("KITZ-Netzwerktreffen")
    return _ics_response(build_calendar(name, meetings, private=True), "kitz-netzwerke.ics")


@login_required
def my_calendar(request):
    if request.method == "POST":
        services.renew_calendar_token(actor=request.user)
        messages.success(
            request, _("Die Kalenderadresse wurde erneuert. Die alte Adresse gilt nicht mehr.")
        )
        return redirect("networks:my_calendar")
    subscription = services.calendar_subscription_of(request.user)
    return render(
        request,
        "networks/my_calendar.html",
        {"feed_url": feed_url("networks:person_feed", token=subscription.token)},
    )
