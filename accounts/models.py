from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin
from kitz_portal.uploads import private_upload_to

from .validators import validate_iban


class Role(models.TextChoices):
    """Roles of KITZ staff. Applicants need no role: membership of an organisation suffices."""

    CASE_HANDLER = "case_handler", _("Sachbearbeitung")
    SIGNING_AUTHORITY = "signing_authority", _("Zeichnungsbefugt")
    ADMINISTRATION = "administration", _("Administration")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in with their e-mail address."""

    username = None
    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    language = models.CharField(
        _("Sprache"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("In dieser Sprache schicken wir Ihnen E-Mails."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @property
    def role_set(self):
        """The person's roles, read once per request."""
        if not hasattr(self, "_role_cache"):
            self._role_cache = frozenset(self.role_assignments.values_list("role", flat=True))
        return self._role_cache

    def has_role(self, role):
        return role in self.role_set


class RoleAssignment(ChoiceLabelMixin, models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("Person")
    )
    role = models.CharField(_("Rolle"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("erteilt am"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erteilt von"),
    )

    class Meta:
        verbose_name = _("Rollenzuweisung")
        verbose_name_plural = _("Rollenzuweisungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}"


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", _("Verein")
    MIGRANT_ORGANISATION = "migrant_organisation", _("Migrantenselbstorganisation")
    INSTITUTION = "institution", _("Institution")
    ORGANISATION = "organisation", _("Organisation")
    VOLUNTEER_INITIATIVE = "volunteer_initiative", _("Ehrenamtliche Initiative")


class Organisation(ChoiceLabelMixin, models.Model):
    """An applying organisation: Verein, Migrantenselbstorganisation, Institution, …"""

    name = models.CharField(_("Name"), max_length=200)
    kind = models.CharField(_("Art der Organisation"), max_length=32, choices=OrganisationKind)
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, blank=True)
    postal_code = models.CharField(_("Postleitzahl"), max_length=5, blank=True)
    town = models.CharField(_("Ort"), max_length=100, blank=True)
    municipality = models.CharField(
        _("Gemeinde im Kreis"),
        max_length=100,
        blank=True,
        help_text=_("Die Stadt oder Gemeinde im Kreis Schleswig-Flensburg, in der Sie tätig sind."),
    )
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    register_number = models.CharField(
        _("Registernummer"),
        max_length=60,
        blank=True,
        help_text=_("Zum Beispiel die Nummer im Vereinsregister (VR 1234 FL), falls vorhanden."),
    )
    contact_person = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    is_non_profit = models.BooleanField(
        _("gemeinnützig"),
        default=False,
        help_text=_("Als gemeinnützig anerkannt oder nach Satzung nicht auf Gewinn ausgerichtet."),
    )
    non_profit_proof = models.FileField(
        _("Nachweis der Gemeinnützigkeit"),
        upload_to=private_upload_to,
        blank=True,
        max_length=200,
    )
    non_profit_proof_name = models.CharField(
        _("Dateiname des Nachweises"), max_length=200, blank=True
    )
    non_profit_proof_content_type = models.CharField(max_length=120, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True, validators=[validate_iban])
    account_holder = models.CharField(_("Kontoinhaber"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    is_active = models.BooleanField(
        _("aktiv"),
        default=True,
        help_text=_("Eine mit einer anderen zusammengeführte Dublette ist nicht mehr aktiv."),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        verbose_name=_("zusammengeführt in"),
    )
    merged_at = models.DateTimeField(_("zusammengeführt am"), null=True, blank=True)
    members = models.ManyToManyField(
        User, through="Membership", related_name="organisations", verbose_name=_("Mitglieder")
    )

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")),
                name="organisation_not_merged_into_itself",
            ),
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(is_active=False),
                name="merged_organisation_is_inactive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def missing_profile_fields(self):
        """Labels of what an application needs from the profile and is still empty."""
        required = ["street", "postal_code", "town", "contact_person", "iban", "account_holder"]
        return [
            self._meta.get_field(name).verbose_name for name in required if not getattr(self, name)
        ]


class Membership(ChoiceLabelMixin, models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("Person")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Organisation"),
    )
    is_manager = models.BooleanField(
        _("verwaltet die Organisation"),
        default=False,
        help_text=_("Darf das Profil bearbeiten und weitere Personen einladen."),
    )
    joined_at = models.DateTimeField(_("Mitglied seit"), auto_now_add=True)

    class Meta:
        verbose_name = _("Mitgliedschaft")
        verbose_name_plural = _("Mitgliedschaften")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="unique_membership_per_organisation"
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organisation}"


class Invitation(ChoiceLabelMixin, models.Model):
    """An invitation to join an organisation, accepted through a signed link."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("Organisation"),
    )
    email = models.EmailField(_("E-Mail-Adresse"))
    invited_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("eingeladen von"),
    )
    created_at = models.DateTimeField(_("eingeladen am"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("angenommen am"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Versand")
    SENT = "sent", _("versandt")
    FAILED = "failed", _("fehlgeschlagen")


class Notification(ChoiceLabelMixin, models.Model):
    """One outgoing message: a row before it is an e-mail (the outbox).

    The transaction that changes a state inserts the row; a Celery task sends it
    after commit and stamps ``sent_at``; a beat task resends what stays pending.
    """

    recipient = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("Empfänger"),
    )
    to_email = models.EmailField(_("E-Mail-Adresse"))
    template = models.CharField(_("Vorlage"), max_length=120)
    language = models.CharField(_("Sprache"), max_length=10, default=settings.LANGUAGE_CODE)
    context = models.JSONField(_("Inhalt"), default=dict, blank=True)
    subject = models.CharField(_("Betreff"), max_length=255, blank=True)
    status = models.CharField(
        _("Status"),
        max_length=16,
        choices=NotificationStatus,
        default=NotificationStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_idx")]

    def __str__(self):
        return f"{self.template} → {self.to_email}"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Anmeldung")
    LOGIN_FAILED = "login_failed", _("fehlgeschlagene Anmeldung")
    LOGOUT = "logout", _("Abmeldung")
    ROLE_GRANTED = "role_granted", _("Rolle erteilt")
    ROLE_REVOKED = "role_revoked", _("Rolle entzogen")
    MFA_ACTIVATED = "mfa_activated", _("zweiter Faktor eingerichtet")
    MFA_DEACTIVATED = "mfa_deactivated", _("zweiter Faktor entfernt")
    PASSWORD_CHANGED = "password_changed", _("Passwort geändert")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Konto deaktiviert")
    ACCOUNT_REACTIVATED = "account_reactivated", _("Konto wieder aktiviert")
    ORGANISATIONS_MERGED = "organisations_merged", _("Organisationen zusammengeführt")


class SecurityEvent(ChoiceLabelMixin, models.Model):
    """Append-only security log that administrators can read."""

    kind = models.CharField(_("Ereignis"), max_length=32, choices=SecurityEventKind)
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("Person"),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ausgelöst von"),
    )
    email = models.CharField(_("E-Mail-Adresse"), max_length=254, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-Adresse"), null=True, blank=True)
    detail = models.CharField(_("Einzelheiten"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("Sicherheitsereignis")
        verbose_name_plural = _("Sicherheitsprotokoll")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.email}"


class AccessibilityFeedback(models.Model):
    """A report of a barrier, sent through the Erklärung zur Barrierefreiheit (§ 7 BITV 2.0)."""

    name = models.CharField(_("Name"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail-Adresse"), blank=True)
    page_url = models.CharField(_("Betroffene Seite oder Adresse"), max_length=500, blank=True)
    message = models.TextField(_("Ihre Nachricht"), max_length=5000)
    language = models.CharField(_("Sprache"), max_length=10, default=settings.LANGUAGE_CODE)
    sender = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="accessibility_feedback",
        verbose_name=_("angemeldete Person"),
    )
    created_at = models.DateTimeField(_("eingegangen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Rückmeldung zur Barrierefreiheit")
        verbose_name_plural = _("Rückmeldungen zur Barrierefreiheit")
        ordering = ["-created_at"]

    def __str__(self):
        return f"#{self.pk} {self.name or self.email or '–'}"
