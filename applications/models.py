from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kitz_portal.choices import ChoiceLabelMixin
from kitz_portal.uploads import private_upload_to

ZERO = Decimal("0.00")


def _localised(obj, field):
    """The English text when the page is English and one exists, otherwise the German one."""
    if translation.get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, f"{field}_de")


class Guideline(ChoiceLabelMixin, models.Model):
    """One version of the Leitfaden; each application records the version it was checked against."""

    title = models.CharField(_("Titel"), max_length=200)
    version = models.PositiveIntegerField(_("Version"))
    published_at = models.DateTimeField(_("veröffentlicht am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Leitfaden")
        verbose_name_plural = _("Leitfäden")
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["title", "version"], name="unique_guideline_version"),
        ]

    def __str__(self):
        return f"{self.title} (Version {self.version})"


class CriterionKind(models.TextChoices):
    ELIGIBILITY = "eligibility", _("Prüffrage vor dem Antrag")
    REVIEW = "review", _("Prüfpunkt der Sachbearbeitung")
    DECLARATION = "declaration", _("Erklärung der Antragstellenden")


class Answer(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nein")


class GuidelineCriterion(ChoiceLabelMixin, models.Model):
    guideline = models.ForeignKey(
        Guideline, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Leitfaden")
    )
    kind = models.CharField(_("Art"), max_length=16, choices=CriterionKind)
    code = models.SlugField(_("Kurzname"), max_length=60)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    text_de = models.TextField(_("Text (deutsch)"))
    text_en = models.TextField(_("Text (englisch)"), blank=True)
    help_de = models.TextField(_("Erläuterung (deutsch)"), blank=True)
    help_en = models.TextField(_("Erläuterung (englisch)"), blank=True)
    excluding_answer = models.CharField(
        _("Antwort, die eine Förderung ausschließt"),
        max_length=3,
        choices=Answer,
        blank=True,
        help_text=_("Nur bei Prüffragen vor dem Antrag."),
    )
    explanation_de = models.TextField(_("Begründung bei Ausschluss (deutsch)"), blank=True)
    explanation_en = models.TextField(_("Begründung bei Ausschluss (englisch)"), blank=True)

    class Meta:
        verbose_name = _("Kriterium des Leitfadens")
        verbose_name_plural = _("Kriterien des Leitfadens")
        ordering = ["guideline", "kind", "order"]
        constraints = [
            models.UniqueConstraint(fields=["guideline", "code"], name="unique_criterion_code"),
            models.CheckConstraint(
                condition=~Q(kind="eligibility") | ~Q(excluding_answer=""),
                name="eligibility_criterion_has_excluding_answer",
            ),
        ]

    def __str__(self):
        return self.text_de[:80]

    @property
    def text(self):
        return _localised(self, "text")

    @property
    def help(self):
        return _localised(self, "help")

    @property
    def explanation(self):
        return _localised(self, "explanation")


class CostCategory(ChoiceLabelMixin, models.Model):
    code = models.SlugField(_("Kurzname"), max_length=40, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=120)
    name_en = models.CharField(_("Name (englisch)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    is_investment = models.BooleanField(
        _("Anschaffung"),
        default=False,
        help_text=_("Für Anschaffungen gilt die Höchstgrenze je Stück des Förderprogramms."),
    )
    ineligible_reason_de = models.TextField(
        _("Begründung, wenn nicht förderfähig (deutsch)"), blank=True
    )
    ineligible_reason_en = models.TextField(
        _("Begründung, wenn nicht förderfähig (englisch)"), blank=True
    )

    class Meta:
        verbose_name = _("Kostenart")
        verbose_name_plural = _("Kostenarten")
        ordering = ["order", "name_de"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _localised(self, "name")

    @property
    def ineligible_reason(self):
        return _localised(self, "ineligible_reason")


class AttachmentKind(models.Model):
    """A kind of document a programme can require, e.g. Satzung or Kostenvoranschlag."""

    code = models.SlugField(_("Kurzname"), max_length=40, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=120)
    name_en = models.CharField(_("Name (englisch)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Anlagenart")
        verbose_name_plural = _("Anlagenarten")
        ordering = ["order", "name_de"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return _localised(self, "name")


class FundingProgramme(ChoiceLabelMixin, models.Model):
    """A call for applications. Every rule of the Leitfaden that is a number lives here."""

    title = models.CharField(_("Titel"), max_length=200)
    budget_year = models.PositiveIntegerField(_("Haushaltsjahr"))
    guideline = models.ForeignKey(
        Guideline, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("Leitfaden")
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    opens_on = models.DateField(_("Antragsfrist ab"))
    closes_on = models.DateField(_("Antragsfrist bis"))
    budget = models.DecimalField(_("Budget"), max_digits=12, decimal_places=2)
    min_grant = models.DecimalField(_("Mindestförderung"), max_digits=10, decimal_places=2)
    max_grant = models.DecimalField(_("Höchstförderung"), max_digits=10, decimal_places=2)
    min_own_share_percent = models.DecimalField(
        _("Mindesteigenanteil in %"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    volunteer_hourly_rate = models.DecimalField(
        _("Stundensatz ehrenamtlicher Arbeit"), max_digits=6, decimal_places=2
    )
    volunteer_cap_percent = models.DecimalField(
        # xgettext:no-python-format
        _("Ehrenamt höchstens in % der Gesamtkosten"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    max_investment_per_item = models.DecimalField(
        _("Anschaffungen höchstens je Stück"), max_digits=10, decimal_places=2
    )
    lead_time_weeks = models.PositiveSmallIntegerField(_("Vorlauf vor Projektbeginn in Wochen"))
    max_duration_months = models.PositiveSmallIntegerField(_("Höchstdauer in Monaten"))
    one_pending_per_organisation = models.BooleanField(
        _("nur ein offener Antrag je Organisation"), default=True
    )
    eligible_cost_categories = models.ManyToManyField(
        CostCategory, related_name="programmes", verbose_name=_("förderfähige Kostenarten")
    )
    required_attachment_kinds = models.ManyToManyField(
        AttachmentKind,
        related_name="requiring_programmes",
        blank=True,
        verbose_name=_("Pflichtanlagen"),
    )
    guideline_document = models.FileField(
        _("Leitfaden als PDF"), upload_to=private_upload_to, blank=True, max_length=200
    )
    guideline_document_size = models.PositiveIntegerField(
        _("Größe des Leitfadens in Bytes"), default=0
    )
    guideline_document_uploaded_at = models.DateTimeField(
        _("Leitfaden hochgeladen am"), null=True, blank=True
    )
    repayment_interest_points = models.DecimalField(
        _("Zinsen auf Rückforderungen: Prozentpunkte über dem Basiszinssatz"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(0), MaxValueValidator(20)],
        help_text=_(
            "Nach § 49a Abs. 3 VwVfG / § 117a LVwG: üblich sind 5 Prozentpunkte über dem "
            "Basiszinssatz nach § 247 BGB."
        ),
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=40, blank=True)
    is_published = models.BooleanField(_("veröffentlicht"), default=True)

    class Meta:
        verbose_name = _("Förderprogramm")
        verbose_name_plural = _("Förderprogramme")
        ordering = ["-budget_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_grant__lte=models.F("max_grant")), name="programme_min_le_max"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__lte=models.F("closes_on")), name="programme_window_order"
            ),
        ]

    def __str__(self):
        return f"{self.title} {self.budget_year}"

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.is_published and self.opens_on <= today <= self.closes_on


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    SUBMITTED = "submitted", _("eingereicht")
    IN_REVIEW = "in_review", _("in Prüfung")
    INFO_REQUESTED = "info_requested", _("Rückfrage offen")
    RECOMMENDED = "recommended", _("zur Entscheidung vorgeschlagen")
    APPROVED = "approved", _("bewilligt")
    REJECTED = "rejected", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")
    REVOKED = "revoked", _("widerrufen")
    CLOSED = "closed", _("abgeschlossen")


# Applications that still wait for a decision: they count against "one pending per programme".
PENDING_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.RECOMMENDED,
]
WITHDRAWABLE_STATUSES = PENDING_STATUSES


class Application(ChoiceLabelMixin, models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Organisation"),
    )
    programme = models.ForeignKey(
        FundingProgramme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Förderprogramm"),
    )
    guideline = models.ForeignKey(
        Guideline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("geprüft nach Leitfaden"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=ApplicationStatus, default=ApplicationStatus.DRAFT
    )
    reference = models.CharField(
        _("Aktenzeichen"), max_length=20, unique=True, null=True, blank=True
    )
    title = models.CharField(_("Titel des Projekts"), max_length=200, blank=True)
    summary = models.CharField(_("Kurzbeschreibung"), max_length=500, blank=True)
    description = models.TextField(_("Ausführliche Beschreibung"), blank=True)
    handlungsfelder = models.ManyToManyField(
        "handlungsfelder.Handlungsfeld",
        related_name="applications",
        blank=True,
        verbose_name=_("Handlungsfelder"),
    )
    target_groups = models.TextField(_("Zielgruppen"), blank=True)
    expected_participants = models.PositiveIntegerField(
        _("Erwartete Teilnehmende"), null=True, blank=True
    )
    places = models.CharField(_("Ort(e) im Kreis"), max_length=300, blank=True)
    start_date = models.DateField(_("Projektbeginn"), null=True, blank=True)
    end_date = models.DateField(_("Projektende"), null=True, blank=True)
    own_funds = models.DecimalField(_("Eigenmittel"), max_digits=10, decimal_places=2, default=ZERO)
    volunteer_hours = models.DecimalField(
        _("Ehrenamtliche Stunden"), max_digits=8, decimal_places=1, default=Decimal("0.0")
    )
    requested_amount = models.DecimalField(
        _("Beantragte Förderung"), max_digits=10, decimal_places=2, default=ZERO
    )
    financing_saved = models.BooleanField(default=False)
    eligibility_answers = models.JSONField(_("Antworten der Vorprüfung"), default=dict, blank=True)
    declarations_confirmed_at = models.DateTimeField(
        _("Erklärungen bestätigt am"), null=True, blank=True
    )
    confirmed_declarations = models.JSONField(default=list, blank=True)
    response_due_on = models.DateField(_("Antwort erbeten bis"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("Grund der Rücknahme"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("angelegt von"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_applications",
        verbose_name=_("zuständig"),
    )
    granted_amount = models.DecimalField(
        _("Bewilligte Förderung"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        indexes = [
            # The KITZ work queue: newest submissions first, one page at a time.
            models.Index(fields=["-submitted_at", "-id"], name="application_queue_order_idx"),
            models.Index(fields=["status", "-submitted_at"], name="application_status_queue_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(reference__isnull=False),
                name="submitted_application_has_reference",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="application_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.reference or self.title or str(_("Entwurf"))

    @property
    def is_draft(self):
        return self.status == ApplicationStatus.DRAFT

    @property
    def can_be_withdrawn(self):
        return self.status in WITHDRAWABLE_STATUSES


class CostItem(ChoiceLabelMixin, models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="cost_items"
    )
    category = models.ForeignKey(
        CostCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("Kostenart")
    )
    description = models.CharField(_("Beschreibung"), max_length=300)
    quantity = models.DecimalField(
        _("Menge"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    unit_price = models.DecimalField(
        _("Einzelpreis"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenpositionen")
        ordering = ["pk"]

    def __str__(self):
        return self.description

    @property
    def total(self):
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class FinancingKind(models.TextChoices):
    THIRD_PARTY_APPLIED = "third_party_applied", _("Drittmittel beantragt")
    THIRD_PARTY_GRANTED = "third_party_granted", _("Drittmittel bewilligt")


class FinancingItem(ChoiceLabelMixin, models.Model):
    """Third-party funds; own money, volunteer hours and the request live on the application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="financing_items"
    )
    kind = models.CharField(_("Art"), max_length=24, choices=FinancingKind)
    source = models.CharField(_("Geldgeber"), max_length=200)
    amount = models.DecimalField(
        _("Betrag"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("Drittmittel")
        verbose_name_plural = _("Drittmittel")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.source}: {self.amount}"


class Attachment(ChoiceLabelMixin, models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("Datei"), upload_to=private_upload_to, max_length=200)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(_("Dateityp"), max_length=120)
    size = models.PositiveIntegerField(_("Größe in Bytes"))
    description = models.CharField(_("Beschreibung"), max_length=200, blank=True)
    kind = models.ForeignKey(
        AttachmentKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Art der Anlage"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Anlage")
        verbose_name_plural = _("Anlagen")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name


class ApplicationEvent(ChoiceLabelMixin, models.Model):
    """Append-only history of an application: who moved it from which state to which."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("durch"),
    )
    created_at = models.DateTimeField(_("am"), default=timezone.now)
    from_status = models.CharField(
        _("vorher"), max_length=20, choices=ApplicationStatus, blank=True
    )
    to_status = models.CharField(_("nachher"), max_length=20, choices=ApplicationStatus)
    note = models.TextField(_("Notiz"), blank=True)
    internal = models.BooleanField(
        _("nur für das KITZ"),
        default=False,
        help_text=_("Die Notiz dieses Ereignisses sehen die Antragstellenden nicht."),
    )

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status} → {self.to_status}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Application events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Application events are append-only.")


class ReferenceCounter(ChoiceLabelMixin, models.Model):
    """The last Aktenzeichen number given per year; locked while a submission takes the next."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Aktenzeichen-Zähler")
        verbose_name_plural = _("Aktenzeichen-Zähler")

    def __str__(self):
        return f"{self.year}: {self.last_number}"


# Review and decision ---------------------------------------------------------------------


class InternalNote(ChoiceLabelMixin, models.Model):
    """A note of KITZ staff on a case; never shown to the applicant."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="internal_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("von")
    )
    text = models.TextField(_("Notiz"))
    created_at = models.DateTimeField(_("am"), default=timezone.now)

    class Meta:
        verbose_name = _("interne Notiz")
        verbose_name_plural = _("interne Notizen")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class InformationRequest(ChoiceLabelMixin, models.Model):
    """A question of the KITZ with a due date; answered once by the applicant."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="information_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("von")
    )
    message = models.TextField(_("Rückfrage"))
    due_on = models.DateField(_("Antwort erbeten bis"))
    created_at = models.DateTimeField(_("gestellt am"), default=timezone.now)
    answer = models.TextField(_("Antwort"), blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beantwortet von"),
    )
    reminder_sent_at = models.DateTimeField(_("Erinnerung verschickt am"), null=True, blank=True)
    overdue_notice_sent_at = models.DateTimeField(
        _("Hinweis auf Fristablauf verschickt am"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("Rückfrage")
        verbose_name_plural = _("Rückfragen")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(answered_at__isnull=True),
                name="one_open_information_request",
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.message[:40]}"

    @property
    def is_open(self):
        return self.answered_at is None


class CaseMessage(ChoiceLabelMixin, models.Model):
    """A message between the KITZ and the applicant; both sides see it on the case."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("von")
    )
    from_kitz = models.BooleanField(_("vom KITZ"), default=True)
    text = models.TextField(_("Nachricht"))
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
    )
    created_at = models.DateTimeField(_("am"), default=timezone.now)

    class Meta:
        verbose_name = _("Nachricht")
        verbose_name_plural = _("Nachrichten")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class FinancingType(models.TextChoices):
    FIXED = "fixed", _("Festbetragsfinanzierung")
    SHARE = "share", _("Anteilfinanzierung")
    DEFICIT = "deficit", _("Fehlbedarfsfinanzierung")


class CriterionOutcome(models.TextChoices):
    MET = "met", _("erfüllt")
    NOT_MET = "not_met", _("nicht erfüllt")
    NOT_APPLICABLE = "not_applicable", _("nicht zutreffend")


class CostOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("anerkannt")
    REDUCED = "reduced", _("gekürzt")
    REFUSED = "refused", _("nicht anerkannt")


class Proposal(models.TextChoices):
    APPROVE = "approve", _("Bewilligung")
    REJECT = "reject", _("Ablehnung")


class Review(ChoiceLabelMixin, models.Model):
    """The Prüfvermerk: the case handler's check against the Leitfaden and the proposal."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="review")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    is_complete = models.BooleanField(_("Antrag vollständig"), default=False)
    is_in_time = models.BooleanField(_("Antrag fristgerecht"), default=False)
    is_eligible_applicant = models.BooleanField(_("Antragsteller förderberechtigt"), default=False)
    formal_remark = models.TextField(_("Bemerkung zur formalen Prüfung"), blank=True)
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=10, choices=FinancingType, default=FinancingType.DEFICIT
    )
    eligible_total = models.DecimalField(
        _("zuwendungsfähige Ausgaben"), max_digits=10, decimal_places=2, default=ZERO
    )
    computed_grant = models.DecimalField(
        _("errechnete Förderung"), max_digits=10, decimal_places=2, default=ZERO
    )
    proposal = models.CharField(_("Vorschlag"), max_length=10, choices=Proposal, blank=True)
    proposed_amount = models.DecimalField(
        _("vorgeschlagene Förderung"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    period_start = models.DateField(_("Bewilligungszeitraum von"), null=True, blank=True)
    period_end = models.DateField(_("Bewilligungszeitraum bis"), null=True, blank=True)
    conditions = models.TextField(_("Besondere Nebenbestimmungen"), blank=True)
    rejection_reasons = models.TextField(_("Gründe der Ablehnung"), blank=True)
    proposed_at = models.DateTimeField(_("vorgeschlagen am"), null=True, blank=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("mitgewirkt"),
        help_text=_("Alle, die den Prüfvermerk gespeichert oder vorgeschlagen haben."),
    )

    class Meta:
        verbose_name = _("Prüfvermerk")
        verbose_name_plural = _("Prüfvermerke")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=models.F("period_end")),
                name="review_period_in_order",
            ),
        ]

    def __str__(self):
        return str(self.application)


class ReviewItem(ChoiceLabelMixin, models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="items")
    criterion = models.ForeignKey(
        GuidelineCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("Prüfpunkt")
    )
    outcome = models.CharField(_("Ergebnis"), max_length=16, choices=CriterionOutcome)
    remark = models.TextField(_("Bemerkung"), blank=True)

    class Meta:
        verbose_name = _("Prüfpunkt")
        verbose_name_plural = _("Prüfpunkte")
        ordering = ["criterion__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="unique_review_item"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.outcome}"


class CostDecision(ChoiceLabelMixin, models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="cost_decisions")
    cost_item = models.ForeignKey(
        CostItem, on_delete=models.CASCADE, related_name="+", verbose_name=_("Kostenposition")
    )
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=CostOutcome)
    amount = models.DecimalField(
        _("anerkannter Betrag"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(ZERO)],
    )
    reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        verbose_name = _("Entscheidung über eine Kostenposition")
        verbose_name_plural = _("Entscheidungen über Kostenpositionen")
        ordering = ["cost_item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "cost_item"], name="unique_cost_decision"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_decision_not_negative"),
        ]

    def __str__(self):
        return f"{self.cost_item}: {self.outcome}"


class DecisionOutcome(models.TextChoices):
    APPROVED = "approved", _("bewilligt")
    REJECTED = "rejected", _("abgelehnt")


class Decision(ChoiceLabelMixin, models.Model):
    """The signed decision. The database itself refuses a decider who wrote the Prüfvermerk."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("Entscheidung"), max_length=10, choices=DecisionOutcome)
    amount = models.DecimalField(
        _("bewilligte Förderung"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    financing_type = models.CharField(
        _("Finanzierungsart"), max_length=10, choices=FinancingType, blank=True
    )
    period_start = models.DateField(_("Bewilligungszeitraum von"), null=True, blank=True)
    period_end = models.DateField(_("Bewilligungszeitraum bis"), null=True, blank=True)
    conditions = models.TextField(_("Besondere Nebenbestimmungen"), blank=True)
    reasons = models.TextField(_("Begründung"), blank=True)
    note = models.TextField(_("Vermerk"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("geprüft von"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entschieden von"),
    )
    decided_at = models.DateTimeField(_("entschieden am"), default=timezone.now)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decided_by=models.F("reviewed_by")),
                name="decision_four_eyes",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="approved") | Q(amount__gt=0),
                name="approval_has_amount",
            ),
        ]

    def __str__(self):
        return f"{self.application}: {self.outcome}"


from .amendment_models import (  # noqa: E402, F401
    OPEN_AMENDMENT_STATUSES,
    AmendmentCostLine,
    AmendmentRequest,
    AmendmentStatus,
)
from .letter_models import (  # noqa: E402, F401
    DecisionLetter,
    LetterKind,
    LetterTextBlock,
    LetterTextChange,
    TextBlockKey,
)
from .payment_models import OPEN_PAYMENT_STATUSES, PaymentRequest, PaymentStatus  # noqa: E402, F401
from .programme_models import BudgetChange  # noqa: E402, F401
from .revocation_models import (  # noqa: E402, F401
    OPEN_REVOCATION_STATUSES,
    Repayment,
    RepaymentReceipt,
    RevocationOutcome,
    RevocationProcedure,
    RevocationScope,
    RevocationStatus,
)
from .usage_models import (  # noqa: E402, F401
    Receipt,
    UsageAttachment,
    UsageCheckAnswer,
    UsageCheckItem,
    UsageCheckOutcome,
    UsageReport,
    UsageReportStatus,
)
