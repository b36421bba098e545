import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin


def new_token():
    return secrets.token_urlsafe(32)


class Visibility(models.TextChoices):
    PUBLIC = "public", _("öffentlich")
    MEMBERS_ONLY = "members_only", _("nur für Mitglieder")


class Network(ChoiceLabelMixin, models.Model):
    """A KITZ partner network of one or more Handlungsfelder."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname für Adressen"), max_length=100, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    handlungsfelder = models.ManyToManyField(
        "handlungsfelder.Handlungsfeld",
        related_name="networks",
        verbose_name=_("Handlungsfelder"),
    )
    visibility = models.CharField(
        _("Sichtbarkeit"), max_length=16, choices=Visibility, default=Visibility.PUBLIC
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_networks",
        verbose_name=_("Koordination"),
        help_text=_("Nur KITZ-Mitarbeitende."),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC


class NetworkMembership(ChoiceLabelMixin, models.Model):
    """An organisation or a single person taking part in a network."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Netzwerk")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name=_("Organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="network_memberships",
        verbose_name=_("Person"),
    )
    role = models.CharField(_("Rolle im Netzwerk"), max_length=120, blank=True)
    listed_publicly = models.BooleanField(
        _("öffentlich nennen"),
        default=False,
        help_text=_("Die Organisation ist einverstanden, auf der Netzwerkseite genannt zu werden."),
    )
    joined_at = models.DateTimeField(_("Mitglied seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerkmitgliedschaft")
        verbose_name_plural = _("Netzwerkmitgliedschaften")
        constraints = [
            models.CheckConstraint(
                condition=(Q(organisation__isnull=False) & Q(user__isnull=True))
                | (Q(organisation__isnull=True) & Q(user__isnull=False)),
                name="network_member_is_organisation_or_person",
            ),
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_organisation_per_network",
            ),
            models.UniqueConstraint(
                fields=["network", "user"],
                condition=Q(user__isnull=False),
                name="unique_person_per_network",
            ),
        ]

    def __str__(self):
        return f"{self.organisation or self.user} @ {self.network}"

    @property
    def member(self):
        return self.organisation or self.user


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("offen")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")


class JoinRequest(ChoiceLabelMixin, models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("Netzwerk")
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="network_join_requests",
        verbose_name=_("Organisation"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("angefragt von"),
    )
    message = models.TextField(_("Nachricht an die Koordination"), blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=JoinRequestStatus, default=JoinRequestStatus.PENDING
    )
    created_at = models.DateTimeField(_("angefragt am"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrittsanfrage")
        verbose_name_plural = _("Beitrittsanfragen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.network}"


class MeetingSeries(ChoiceLabelMixin, models.Model):
    """Regular meetings, described by an RFC 5545 recurrence rule."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="series", verbose_name=_("Netzwerk")
    )
    title = models.CharField(_("Titel"), max_length=200)
    first_start = models.DateTimeField(_("erster Termin"))
    duration_minutes = models.PositiveSmallIntegerField(_("Dauer in Minuten"), default=120)
    rrule = models.CharField(
        _("Wiederholungsregel"),
        max_length=255,
        help_text=_("Regel nach RFC 5545, z. B. FREQ=MONTHLY;INTERVAL=3;BYDAY=+2TU"),
    )
    until = models.DateField(_("bis"), null=True, blank=True)
    place = models.CharField(_("Ort"), max_length=255, blank=True)
    online_url = models.URLField(_("Online-Link"), blank=True)
    agenda = models.TextField(_("Tagesordnung"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Terminreihe")
        verbose_name_plural = _("Terminreihen")
        ordering = ["first_start"]

    def __str__(self):
        return self.title


class SeriesExceptionKind(models.TextChoices):
    SKIPPED = "skipped", _("fällt aus")
    MOVED = "moved", _("verschoben")


class SeriesException(ChoiceLabelMixin, models.Model):
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.CASCADE,
        related_name="exceptions",
        verbose_name=_("Terminreihe"),
    )
    original_date = models.DateField(_("ursprüngliches Datum"))
    kind = models.CharField(_("Art"), max_length=16, choices=SeriesExceptionKind)
    new_start = models.DateTimeField(_("neuer Beginn"), null=True, blank=True)

    class Meta:
        verbose_name = _("Ausnahme der Terminreihe")
        verbose_name_plural = _("Ausnahmen der Terminreihe")
        ordering = ["original_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "original_date"], name="one_exception_per_series_date"
            ),
            models.CheckConstraint(
                condition=Q(kind="skipped") | Q(new_start__isnull=False),
                name="moved_exception_has_new_start",
            ),
        ]

    def __str__(self):
        return f"{self.series} {self.original_date}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    CANCELLED = "cancelled", _("abgesagt")
    HELD = "held", _("stattgefunden")


def minutes_upload_to(instance, filename):
    return f"networks/minutes/{instance.network_id}/{new_token()[:12]}/{filename}"


class Meeting(ChoiceLabelMixin, models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("Netzwerk")
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("Terminreihe"),
    )
    occurrence_date = models.DateField(_("Termin der Reihe"), null=True, blank=True)
    title = models.CharField(_("Titel"), max_length=200)
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=255, blank=True)
    online_url = models.URLField(_("Online-Link"), blank=True)
    agenda = models.TextField(_("Tagesordnung"), blank=True)
    minutes_text = models.TextField(_("Protokoll"), blank=True)
    minutes_file = models.FileField(
        _("Protokoll als Datei"), upload_to=minutes_upload_to, blank=True
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    sequence = models.PositiveIntegerField(_("Änderungszähler"), default=0)
    invitations_sent_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Netzwerktreffen")
        verbose_name_plural = _("Netzwerktreffen")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="meeting_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=Q(series__isnull=False),
                name="one_meeting_per_series_occurrence",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("networks:meeting", kwargs={"slug": self.network.slug, "pk": self.pk})

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("Das Ende muss nach dem Beginn liegen.")})


class Response(models.TextChoices):
    PENDING = "pending", _("noch keine Antwort")
    YES = "yes", _("Zusage")
    NO = "no", _("Absage")
    MAYBE = "maybe", _("vielleicht")


class Invitation(ChoiceLabelMixin, models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("Treffen")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("Person"),
    )
    response = models.CharField(
        _("Antwort"), max_length=16, choices=Response, default=Response.PENDING
    )
    responded_at = models.DateTimeField(_("geantwortet am"), null=True, blank=True)
    sent_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_invitation_per_person"),
        ]

    def __str__(self):
        return f"{self.user} → {self.meeting}"


class Attendance(ChoiceLabelMixin, models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("Treffen")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
        verbose_name=_("Person"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("erfasst von"),
    )
    recorded_at = models.DateTimeField(_("erfasst am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.meeting}"


class OfferStatus(models.TextChoices):
    IDEA = "idea", _("Idee")
    PLANNED = "planned", _("geplant")
    RUNNING = "running", _("läuft")
    DONE = "done", _("abgeschlossen")


class Offer(ChoiceLabelMixin, models.Model):
    """An Integrationsangebot that a network plans and delivers together."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="offers", verbose_name=_("Netzwerk")
    )
    title = models.CharField(_("Titel"), max_length=200)
    handlungsfeld = models.ForeignKey(
        "handlungsfelder.Handlungsfeld",
        on_delete=models.PROTECT,
        related_name="network_offers",
        verbose_name=_("Handlungsfeld"),
    )
    responsible_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="network_offers",
        verbose_name=_("verantwortliche Organisationen"),
    )
    target_group = models.CharField(_("Zielgruppe"), max_length=255, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    starts_on = models.DateField(_("Beginn"), null=True, blank=True)
    ends_on = models.DateField(_("Ende"), null=True, blank=True)
    status = models.CharField(
        _("Status"), max_length=16, choices=OfferStatus, default=OfferStatus.IDEA
    )
    # The applications app is built separately; the Aktenzeichen links the two until a FK exists.
    funding_reference = models.CharField(
        _("Aktenzeichen des Förderantrags"),
        max_length=32,
        null=True,
        blank=True,
        help_text=_("z. B. KITZ-2027-0042"),
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Integrationsangebot")
        verbose_name_plural = _("Integrationsangebote")
        ordering = ["starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="offer_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Das Ende darf nicht vor dem Beginn liegen.")})


class Task(ChoiceLabelMixin, models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("Netzwerk")
    )
    offer = models.ForeignKey(
        Offer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("Integrationsangebot"),
    )
    title = models.CharField(_("Aufgabe"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="network_tasks",
        verbose_name=_("zuständig"),
    )
    due_on = models.DateField(_("fällig am"), null=True, blank=True)
    done = models.BooleanField(_("erledigt"), default=False)
    done_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        ordering = ["done", "due_on", "title"]

    def __str__(self):
        return self.title


class CalendarSubscription(ChoiceLabelMixin, models.Model):
    """The secret address of a person's calendar feed; a new token revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_subscription",
        verbose_name=_("Person"),
    )
    token = models.CharField(_("Schlüssel"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("angelegt am"), auto_now=True)

    class Meta:
        verbose_name = _("Kalenderabo")
        verbose_name_plural = _("Kalenderabos")

    def __str__(self):
        return str(self.user)
