"""Issuing the Bescheid: a German PDF/A letter, tagged for screen readers, stored once.

The decision service calls ``issue_decision_letter`` inside its own transaction; a failure
raises ``PortalError`` so that the decision rolls back together with the letter.
"""

import atexit
import calendar
import functools
import hashlib
import logging
import os
import threading
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import permissions as account_permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money

from .letter_models import DecisionLetter, LetterKind, LetterTextBlock, TextBlockKey
from .models import ApplicationEvent
from .permissions import is_applicant_for

logger = logging.getLogger(__name__)

# PDF/A-2, conformance level A: archivable and tagged (structure tree, language, Unicode).
PDF_VARIANT = "pdf/a-2a"
LETTER_TEMPLATE = "letters/decision_letter.html"
LETTER_STYLESHEET = "css/letter.css"
USAGE_REPORT_MONTHS = 3

AUTHORITY = {
    "name": "Kreis Schleswig-Flensburg",
    "head": "Der Landrat",
    "department": "Fachdienst Migrationsmanagement – KITZ",
    "unit": "Koordinierungsstelle für Integration, Teilhabe und Zusammenhalt",
    "street": "Flensburger Straße 7",
    "postal_code": "24837",
    "town": "Schleswig",
    "website": "www.schleswig-flensburg.de",
}

FINANCING_TYPES = {
    "fixed": "Festbetragsfinanzierung",
    "fixed_amount": "Festbetragsfinanzierung",
    "festbetrag": "Festbetragsfinanzierung",
    "share": "Anteilfinanzierung",
    "partial": "Anteilfinanzierung",
    "anteilfinanzierung": "Anteilfinanzierung",
    "deficit": "Fehlbedarfsfinanzierung",
    "shortfall": "Fehlbedarfsfinanzierung",
    "fehlbedarfsfinanzierung": "Fehlbedarfsfinanzierung",
}

DEFAULT_TEXT_BLOCKS = {
    TextBlockKey.INTRO: (
        "vielen Dank für Ihr Engagement für ein gutes Zusammenleben im Kreis "
        "Schleswig-Flensburg. Über Ihren Antrag auf Förderung aus den Mitteln für positive "
        "Integration entscheide ich wie folgt:"
    ),
    TextBlockKey.PAYMENT: (
        "Die Zuwendung wird nicht von Amts wegen ausgezahlt. Sie fordern sie im KITZ-Portal "
        "an (Mittelabruf), ganz oder in Teilbeträgen. Sie darf nur so weit und nicht eher "
        "angefordert werden, als sie innerhalb von zwei Monaten nach der Auszahlung für "
        "fällige Zahlungen im Rahmen des Zuwendungszwecks benötigt wird.\n\n"
        "Die Auszahlung erfolgt nach Prüfung des Mittelabrufs auf das Konto, das im "
        "KITZ-Portal für Ihre Organisation hinterlegt ist."
    ),
    TextBlockKey.CONDITIONS: (
        "Die Allgemeinen Nebenbestimmungen für Zuwendungen zur Projektförderung (ANBest-P) "
        "in der jeweils geltenden Fassung sind Bestandteil dieses Bescheids, soweit der "
        "Leitfaden zur Vergabe finanzieller Mittel für positive Integration des Kreises "
        "Schleswig-Flensburg nichts Abweichendes bestimmt. Insbesondere gilt:"
    ),
    TextBlockKey.LEGAL_BASIS: (
        "Der Kreis Schleswig-Flensburg fördert Maßnahmen der positiven Integration nach "
        "seinem Leitfaden zur Vergabe finanzieller Mittel für positive Integration im Rahmen "
        "der im Haushalt verfügbaren Mittel. Ein Rechtsanspruch auf die Förderung besteht "
        "nicht; über Anträge wird nach pflichtgemäßem Ermessen entschieden."
    ),
    TextBlockKey.APPEAL_ADDRESS: (
        "Kreis Schleswig-Flensburg, Der Landrat, Flensburger Straße 7, 24837 Schleswig"
    ),
}

_ONES = [
    "null",
    "eins",
    "zwei",
    "drei",
    "vier",
    "fünf",
    "sechs",
    "sieben",
    "acht",
    "neun",
    "zehn",
    "elf",
    "zwölf",
    "dreizehn",
    "vierzehn",
    "fünfzehn",
    "sechzehn",
    "siebzehn",
    "achtzehn",
    "neunzehn",
]
_TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig"]
_TENS.append("neunzig")


def _below_hundred(number):
    if number < 20:
        return _ONES[number]
    tens, ones = divmod(number, 10)
    if ones == 0:
        return _TENS[tens]
    unit = "ein" if ones == 1 else _ONES[ones]
    return f"{unit}und{_TENS[tens]}"


def _below_thousand(number):
    hundreds, rest = divmod(number, 100)
    words = ""
    if hundreds:
        words = ("ein" if hundreds == 1 else _ONES[hundreds]) + "hundert"
    if rest:
        words += _below_hundred(rest)
    return words


def number_in_words(number):
    """A whole number below one billion in German words: 4250 → "viertausendzweihundertfünfzig"."""
    number = int(number)
    if number < 0 or number >= 10**9:
        raise ValueError("number out of range")
    if number == 0:
        return "null"
    millions, rest = divmod(number, 10**6)
    thousands, units = divmod(rest, 1000)
    parts = []
    if millions:
        parts.append("eine Million" if millions == 1 else f"{_below_thousand(millions)} Millionen")
    words = ""
    if thousands:
        words = ("ein" if thousands == 1 else _below_thousand(thousands)) + "tausend"
    if units:
        words += _below_thousand(units)
    if words:
        parts.append(words)
    return " ".join(parts)


def euros_in_words(amount):
    """4250.00 → "viertausendzweihundertfünfzig Euro"; 0.5 → "null Euro und fünfzig Cent"."""
    amount = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if amount < 0:
        raise ValueError("negative amount")
    euros = int(amount)
    cents = int((amount - euros) * 100)
    words = f"{'ein' if euros == 1 else number_in_words(euros)} Euro"
    if cents:
        words += f" und {'ein' if cents == 1 else number_in_words(cents)} Cent"
    return words


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def text_blocks(programme):
    """Every text block for a programme: its own row, else the default row, else the code."""
    blocks = {key: DEFAULT_TEXT_BLOCKS[key] for key in TextBlockKey}
    rows = LetterTextBlock.objects.filter(programme__isnull=True)
    if programme is not None:
        rows = rows | LetterTextBlock.objects.filter(programme=programme)
    for row in sorted(rows, key=lambda row: row.programme_id is not None):
        blocks[TextBlockKey(row.key)] = row.text
    return {key.value: _paragraphs(text) for key, text in blocks.items()}


def _paragraphs(text):
    return [part.strip() for part in (text or "").replace("\r\n", "\n").split("\n\n") if part]


def _financing_type_label(financing_type):
    if not financing_type:
        return ""
    label = getattr(financing_type, "label", None)
    if label:
        return str(label)
    return FINANCING_TYPES.get(str(financing_type).lower(), str(financing_type))


def _display_name(user):
    if user is None:
        return ""
    if isinstance(user, str):
        return user
    return user.get_full_name() or user.email


@functools.cache
def _font_faces():
    """@font-face rules for the KERN font (Fira Sans) from the installed npm package."""
    faces = []
    for weight, style, name in [
        (400, "normal", "Regular"),
        (400, "italic", "Italic"),
        (600, "normal", "SemiBold"),
        (700, "normal", "Bold"),
    ]:
        path = finders.find(f"kern/fonts/fira-sans/FiraSans-{name}.woff2")
        if path:
            faces.append(
                f'@font-face {{ font-family: "Fira Sans"; font-weight: {weight}; '
                f'font-style: {style}; src: url("file://{_decompressed(path)}"); }}'
            )
    return "\n".join(faces)


def _decompressed(woff2_path):
    """The font as plain TrueType, decoded once per font file.

    WeasyPrint decodes WOFF2 on every render, about 0.2 s per face; four faces made every
    Bescheid cost close to a second. Falls back to the WOFF2 file when no cache is writable.
    """
    import tempfile
    from pathlib import Path

    source = Path(woff2_path)
    try:
        stat = source.stat()
        cache = Path(tempfile.gettempdir()) / "kitz-portal-fonts"
        target = cache / f"{source.stem}-{stat.st_size}-{int(stat.st_mtime)}.ttf"
        if not target.exists():
            from fontTools.ttLib import woff2

            cache.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}.part")
            with source.open("rb") as compressed, partial.open("wb") as plain:
                woff2.decompress(compressed, plain)
            os.replace(partial, target)
        return target
    except (OSError, ImportError):
        logger.warning("Could not cache a decoded font; rendering from WOFF2.", exc_info=True)
        return source


def _context(
    *,
    application,
    kind,
    actor,
    amount,
    period_start,
    period_end,
    financing_type,
    eligible_costs,
    conditions,
    reasons,
    signer_name,
    usage_report_due_on,
    repayment_due_on,
    issued_on,
    blocks=None,
    amendment=None,
):
    programme = application.programme
    organisation = application.organisation
    kind = LetterKind(kind)
    period_start = period_start or application.start_date
    period_end = period_end or application.end_date
    if usage_report_due_on is None and period_end is not None:
        usage_report_due_on = add_months(period_end, USAGE_REPORT_MONTHS)
    if eligible_costs is None and kind == LetterKind.GRANT:
        eligible_costs = sum((item.total for item in application.cost_items.all()), Decimal(0))
    share_percent = None
    label = _financing_type_label(financing_type)
    if label == "Anteilfinanzierung" and amount and eligible_costs:
        share_percent = (Decimal(amount) * 100 / Decimal(eligible_costs)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    contact_name = programme.contact_name or _display_name(actor)
    contact_email = programme.contact_email or getattr(actor, "email", "")
    title = f"{kind.label} {application.reference}"
    return {
        "title": title,
        "kind": kind.value,
        "kind_label": kind.label,
        "authority": AUTHORITY,
        "application": application,
        "programme": programme,
        "organisation": organisation,
        "contact_name": contact_name,
        "contact_email": contact_email,
        "contact_phone": programme.contact_phone,
        "issued_on": issued_on,
        "applied_on": timezone.localdate(application.submitted_at)
        if application.submitted_at
        else None,
        "amount": amount,
        "amount_figures": format_money(amount) if amount is not None else "",
        "amount_words": euros_in_words(amount) if amount is not None else "",
        "eligible_costs": format_money(eligible_costs) if eligible_costs is not None else "",
        "financing_type": label,
        "share_percent": share_percent,
        "period_start": period_start,
        "period_end": period_end,
        "usage_report_due_on": usage_report_due_on,
        "repayment_due_on": repayment_due_on,
        "earlier_grant": DecisionLetter.objects.filter(
            application=application, kind=LetterKind.GRANT
        )
        .order_by("-issued_at")
        .first()
        if application.pk
        else None,
        "conditions": _paragraphs(conditions),
        "reasons": _paragraphs(reasons),
        "blocks": blocks if blocks is not None else text_blocks(programme),
        "signer_name": signer_name,
        "amendment": amendment,
    }


class LetterRenderingError(Exception):
    """WeasyPrint or the template failed; turned into a PortalError for the person."""


def render_letter_pdf(context, template=LETTER_TEMPLATE):
    """The PDF bytes of a letter; German whatever the language of the request."""
    from weasyprint import HTML

    with translation.override("de"):
        html = render_to_string(template, context)
    stylesheet, font_config = _letter_stylesheet(_font_faces())
    with _RENDERING:
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
            stylesheets=[stylesheet],
            font_config=font_config,
            pdf_variant=PDF_VARIANT,
            pdf_identifier=True,
        )


# Pango's font map is not thread-safe, and the font configuration below is shared.
_RENDERING = threading.Lock()


@functools.lru_cache(maxsize=2)
def _letter_stylesheet(font_faces):
    """The letter's CSS with its fonts, parsed and loaded once per process.

    A new FontConfiguration per letter loaded the four fonts again each time (about 15 % of a
    Bescheid) and kept about 0.3 MB per letter in Fontconfig and Pango that was never returned.
    """
    from pathlib import Path

    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    css = Path(finders.find(LETTER_STYLESHEET)).read_text(encoding="utf-8")
    stylesheet = CSS(
        string=f"{font_faces}\n{css}", base_url=str(settings.BASE_DIR), font_config=font_config
    )
    return stylesheet, font_config


# Free the shared fonts while the interpreter can still run FontConfiguration.__del__.
atexit.register(_letter_stylesheet.cache_clear)


def render_sample_letter(*, programme=None, texts=None):
    """A Zuwendungsbescheid on a made-up case, for the administration to preview text blocks.

    ``programme`` None shows the default texts; ``texts`` ({key: text}) replaces blocks with
    wording not saved yet. Nothing is stored and no event is written.
    """
    from accounts.models import Organisation

    from .models import Application, FundingProgramme

    today = timezone.localdate()
    shown_programme = programme or FundingProgramme(
        title="Förderung positiver Integration",
        budget_year=today.year,
        contact_name="KITZ – Fachdienst Migrationsmanagement",
        contact_email="kitz@schleswig-flensburg.de",
        contact_phone="04621 87-0",
    )
    application = Application(
        programme=shown_programme,
        organisation=Organisation(
            name="Muster-Verein Miteinander e. V.",
            contact_person="Erika Mustermann",
            street="Musterweg 1",
            postal_code="24837",
            town="Schleswig",
        ),
        reference=f"KITZ-{shown_programme.budget_year}-0000",
        title="Sprachcafé für Neuzugewanderte (Musterfall)",
        places="Schleswig",
        start_date=add_months(today, 2),
        end_date=add_months(today, 8),
        submitted_at=timezone.now(),
    )
    blocks = text_blocks(programme)
    for key, text in (texts or {}).items():
        blocks[TextBlockKey(key).value] = _paragraphs(text)
    context = _context(
        application=application,
        kind=LetterKind.GRANT,
        actor=None,
        amount=Decimal("1200.00"),
        period_start=None,
        period_end=None,
        financing_type="deficit",
        eligible_costs=Decimal("1500.00"),
        conditions="",
        reasons="",
        signer_name="Vorname Nachname",
        usage_report_due_on=None,
        repayment_due_on=None,
        issued_on=today,
        blocks=blocks,
    )
    context["sample"] = True
    context["title"] = f"Muster: {context['title']}"
    return render_letter_pdf(context)


@transaction.atomic
def issue_decision_letter(
    *,
    application,
    kind,
    actor,
    amount=None,
    period_start=None,
    period_end=None,
    financing_type=None,
    eligible_costs=None,
    conditions="",
    reasons="",
    signer=None,
    usage_report_due_on=None,
    repayment_due_on=None,
    amendment=None,
):
    """Render, store and record a Bescheid; the caller has already taken the decision.

    ``amendment`` is the AmendmentRequest an Änderungsbescheid (or its refusal) answers.
    """
    if not account_permissions.is_kitz_staff(actor):
        raise PortalError(_("Nur Mitarbeitende der KITZ dürfen Bescheide erstellen."))
    if is_applicant_for(actor, application):
        raise PortalError(
            _(
                "Sie sind Mitglied der antragstellenden Organisation und deshalb von "
                "diesem Fall ausgeschlossen."
            )
        )
    if application.is_draft or not application.reference:
        raise PortalError(_("Für einen Entwurf ohne Aktenzeichen gibt es keinen Bescheid."))
    kind = LetterKind(kind)
    if kind == LetterKind.GRANT and amount is None:
        raise PortalError(_("Ein Zuwendungsbescheid braucht einen Betrag."), field="amount")
    if amount is not None:
        amount = Decimal(amount).quantize(Decimal("0.01"))
    signer_name = _display_name(signer or actor)
    issued_at = timezone.now()
    try:
        with translation.override("de"):
            return _issue(
                application=application,
                kind=kind,
                actor=actor,
                amount=amount,
                period_start=period_start,
                period_end=period_end,
                financing_type=financing_type,
                eligible_costs=eligible_costs,
                conditions=conditions,
                reasons=reasons,
                signer_name=signer_name,
                usage_report_due_on=usage_report_due_on,
                repayment_due_on=repayment_due_on,
                issued_at=issued_at,
                amendment=amendment,
            )
    except LetterRenderingError:
        # In the staff member's language, unlike the letter itself.
        raise PortalError(
            _(
                "Der Bescheid konnte nicht erstellt werden. Es wurde nichts gespeichert; "
                "bitte versuchen Sie es später erneut oder wenden Sie sich an die "
                "Administration (Aktenzeichen %(reference)s)."
            )
            % {"reference": application.reference}
        ) from None


def _issue(*, application, kind, actor, amount, signer_name, issued_at, **details):
    context = _context(
        application=application,
        kind=kind,
        actor=actor,
        amount=amount,
        signer_name=signer_name,
        issued_on=timezone.localdate(issued_at),
        **details,
    )
    try:
        pdf = render_letter_pdf(context)
    except Exception:
        logger.exception("Rendering the %s for %s failed", kind.value, application.reference)
        raise LetterRenderingError from None
    letter = DecisionLetter(
        application=application,
        kind=kind,
        sha256=hashlib.sha256(pdf).hexdigest(),
        issued_at=issued_at,
        issued_by=actor,
        signer_name=signer_name,
        amount=amount,
    )
    letter.file.save("bescheid.pdf", ContentFile(pdf), save=False)
    try:
        letter.save()
        ApplicationEvent.objects.create(
            application=application,
            actor=actor,
            from_status=application.status,
            to_status=application.status,
            note=f"Bescheid erstellt: {kind.label} {application.reference}",
        )
    except Exception:
        # Files of a rolled-back caller transaction are found by ``verify_letters``.
        letter.file.storage.delete(letter.file.name)
        raise
    return letter


@transaction.atomic
def record_letter_opened(*, letter, user):
    """The applicants' first download counts for delivery; every staff view is audited."""
    application = letter.application
    if is_applicant_for(user, application):
        DecisionLetter.objects.filter(pk=letter.pk, first_downloaded_at__isnull=True).update(
            first_downloaded_at=timezone.now()
        )
        return
    if account_permissions.is_kitz_staff(user):
        with translation.override("de"):
            note = f"Bescheid von Mitarbeitenden geöffnet: {letter.get_kind_display()}"
        ApplicationEvent.objects.create(
            application=application,
            actor=user,
            from_status=application.status,
            to_status=application.status,
            note=note,
        )


def letters_for_application(application):
    """The Bescheide of one application, oldest first, for the case and applicant pages."""
    return DecisionLetter.objects.filter(application=application).order_by("issued_at", "pk")


# Bestandskraft ---------------------------------------------------------------------------


@transaction.atomic
def record_letter_posting(*, actor, letter, posted_on):
    """Staff record the day a Bescheid that was not downloaded in time went to the post."""
    from .finality import letter_finality
    from .permissions import can_work_on_case

    letter = (
        DecisionLetter.objects.select_for_update().select_related("application").get(pk=letter.pk)
    )
    application = letter.application
    if not can_work_on_case(actor, application):
        raise PortalError(_("Dafür fehlt Ihnen die Berechtigung."))
    finality = letter_finality(letter)
    if finality.delivered_by == "download":
        raise PortalError(
            _("Der Bescheid wurde im Portal abgerufen und gilt damit bereits als bekannt gegeben.")
        )
    if posted_on < finality.issued_on or posted_on > timezone.localdate():
        raise PortalError(
            _("Das Datum muss zwischen dem Erlass des Bescheids und heute liegen."),
            field="posted_on",
        )
    letter.posted_on = posted_on
    letter.save(update_fields=["posted_on"])
    with translation.override("de"):
        note = _("%(kind)s am %(date)s zur Post gegeben.") % {
            "kind": letter.get_kind_display(),
            "date": posted_on.strftime("%d.%m.%Y"),
        }
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        note=note,
    )
    return letter


@transaction.atomic
def waive_appeal(*, actor, letter):
    """Rechtsbehelfsverzicht: the applicant waives the Widerspruch, the Bescheid is final now."""
    from accounts.notifications import queue_notification

    from .finality import letter_finality

    letter = (
        DecisionLetter.objects.select_for_update().select_related("application").get(pk=letter.pk)
    )
    application = letter.application
    if not is_applicant_for(actor, application):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    if letter.appeal_waived_at is not None:
        raise PortalError(_("Auf Rechtsbehelfe wurde bereits verzichtet."))
    if letter_finality(letter).is_final():
        raise PortalError(_("Der Bescheid ist bereits bestandskräftig."))
    letter.appeal_waived_at = timezone.now()
    letter.appeal_waived_by = actor
    letter.save(update_fields=["appeal_waived_at", "appeal_waived_by"])
    with translation.override("de"):
        note = _(
            "Rechtsbehelfsverzicht zum %(kind)s erklärt; der Bescheid ist bestandskräftig."
        ) % {"kind": letter.get_kind_display()}
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        note=note,
    )
    if application.assigned_to is not None and application.assigned_to.email:
        queue_notification(
            template="emails/applications/appeal_waived",
            to_email=application.assigned_to.email,
            recipient=application.assigned_to,
            context={
                "reference": application.reference,
                "title": application.title,
                "application_id": application.pk,
            },
        )
    return letter
