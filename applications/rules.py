"""The Leitfaden's rules applied to an application: pure reads, no writes.

Every number comes from the application's FundingProgramme; the wizard shows the same
findings that ``submit_application`` refuses on.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import format_money, plain_number

from .models import ZERO, CriterionKind, FinancingKind

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def _percent(part, whole):
    return (whole * part / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(day, months):
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def earliest_start(programme, today=None):
    today = today or timezone.localdate()
    from datetime import timedelta

    return today + timedelta(weeks=programme.lead_time_weeks)


def latest_end(programme, start_date):
    return add_months(start_date, programme.max_duration_months)


def project_date_errors(programme, start_date, end_date, today=None):
    """Field errors for the project dates, as {field: message}."""
    errors = {}
    today = today or timezone.localdate()
    if start_date and start_date < today:
        errors["start_date"] = _("Der Projektbeginn liegt in der Vergangenheit.")
    elif start_date and start_date < earliest_start(programme, today):
        errors["start_date"] = _(
            "Anträge müssen mindestens %(weeks)s Wochen vor Projektbeginn gestellt werden. "
            "Der früheste mögliche Beginn ist der %(date)s."
        ) % {
            "weeks": programme.lead_time_weeks,
            "date": earliest_start(programme, today).strftime("%d.%m.%Y"),
        }
    if start_date and end_date:
        if end_date < start_date:
            errors["end_date"] = _("Das Projektende liegt vor dem Projektbeginn.")
        elif end_date > latest_end(programme, start_date):
            errors["end_date"] = _(
                "Ein Projekt darf höchstens %(months)s Monate dauern, also bis spätestens %(date)s."
            ) % {
                "months": programme.max_duration_months,
                "date": latest_end(programme, start_date).strftime("%d.%m.%Y"),
            }
    return errors


def cost_item_error(programme, category, unit_price, eligible_ids=None):
    """The reason a cost item is not eligible, or None."""
    if eligible_ids is None:
        eligible_ids = set(programme.eligible_cost_categories.values_list("pk", flat=True))
    if category.pk not in eligible_ids:
        reason = category.ineligible_reason or _(
            "Kosten dieser Art fördert das Programm nach dem Leitfaden nicht."
        )
        return ("category", reason)
    if category.is_investment and unit_price and unit_price > programme.max_investment_per_item:
        return (
            "unit_price",
            _(
                "Anschaffungen sind nur bis %(limit)s je Stück förderfähig. Teurere "
                "Anschaffungen (Investitionen) fördert das Programm nicht."
            )
            % {"limit": format_money(programme.max_investment_per_item)},
        )
    return None


@dataclass
class Finding:
    section: str
    message: str


@dataclass
class FinancingSummary:
    total_costs: Decimal
    own_funds: Decimal
    volunteer_hours: Decimal
    volunteer_value: Decimal
    volunteer_counted: Decimal
    volunteer_cap: Decimal
    third_party: Decimal
    requested: Decimal
    total_financing: Decimal
    own_share: Decimal
    own_share_required: Decimal
    own_share_percent: Decimal
    difference: Decimal
    findings: list = field(default_factory=list)

    @property
    def is_balanced(self):
        return self.difference == ZERO

    @property
    def is_ok(self):
        return not self.findings


def financing_summary(application, cost_items=None, financing_items=None):
    """Compute the plan's totals and the rules it breaks, with the numbers in the message."""
    programme = application.programme
    cost_items = list(application.cost_items.all()) if cost_items is None else cost_items
    financing_items = (
        list(application.financing_items.all()) if financing_items is None else financing_items
    )
    total_costs = sum((item.total for item in cost_items), ZERO)
    volunteer_value = (application.volunteer_hours * programme.volunteer_hourly_rate).quantize(CENT)
    volunteer_cap = _percent(programme.volunteer_cap_percent, total_costs)
    volunteer_counted = min(volunteer_value, volunteer_cap)
    third_party = sum(
        (
            item.amount
            for item in financing_items
            if item.kind in (FinancingKind.THIRD_PARTY_APPLIED, FinancingKind.THIRD_PARTY_GRANTED)
        ),
        ZERO,
    )
    own_share = application.own_funds + volunteer_counted
    total_financing = own_share + third_party + application.requested_amount
    own_share_required = _percent(programme.min_own_share_percent, total_costs)
    own_share_percent = (
        (own_share * HUNDRED / total_costs).quantize(Decimal("0.1")) if total_costs else ZERO
    )
    summary = FinancingSummary(
        total_costs=total_costs,
        own_funds=application.own_funds,
        volunteer_hours=application.volunteer_hours,
        volunteer_value=volunteer_value,
        volunteer_counted=volunteer_counted,
        volunteer_cap=volunteer_cap,
        third_party=third_party,
        requested=application.requested_amount,
        total_financing=total_financing,
        own_share=own_share,
        own_share_required=own_share_required,
        own_share_percent=own_share_percent,
        difference=total_financing - total_costs,
    )
    findings = summary.findings
    if total_costs == ZERO:
        findings.append(Finding("costs", _("Der Kostenplan enthält noch keine Kosten.")))
        return summary
    if volunteer_value > volunteer_cap:
        findings.append(
            Finding(
                "financing",
                _(
                    "Ehrenamtliche Arbeit im Wert von %(value)s zählt nur bis %(cap)s "
                    "(%(percent)s %% der Gesamtkosten)."
                )
                % {
                    "value": format_money(volunteer_value),
                    "cap": format_money(volunteer_cap),
                    "percent": plain_number(programme.volunteer_cap_percent),
                },
            )
        )
    if summary.difference != ZERO:
        findings.append(
            Finding(
                "financing",
                _(
                    "Der Finanzierungsplan ist nicht ausgeglichen: Kosten %(costs)s, "
                    "Finanzierung %(financing)s, Differenz %(difference)s."
                )
                % {
                    "costs": format_money(total_costs),
                    "financing": format_money(total_financing),
                    "difference": format_money(summary.difference),
                },
            )
        )
    if application.requested_amount < programme.min_grant:
        findings.append(
            Finding(
                "financing",
                _(
                    "Die beantragte Förderung muss mindestens %(min)s betragen "
                    "(beantragt: %(amount)s)."
                )
                % {
                    "min": format_money(programme.min_grant),
                    "amount": format_money(application.requested_amount),
                },
            )
        )
    if application.requested_amount > programme.max_grant:
        findings.append(
            Finding(
                "financing",
                _(
                    "Die beantragte Förderung darf höchstens %(max)s betragen "
                    "(beantragt: %(amount)s)."
                )
                % {
                    "max": format_money(programme.max_grant),
                    "amount": format_money(application.requested_amount),
                },
            )
        )
    if own_share < own_share_required:
        findings.append(
            Finding(
                "financing",
                _(
                    "Der Eigenanteil muss mindestens %(percent)s %% der Gesamtkosten betragen, "
                    "also %(required)s. Ihr Eigenanteil: %(own)s."
                )
                % {
                    "percent": plain_number(programme.min_own_share_percent),
                    "required": format_money(own_share_required),
                    "own": format_money(own_share),
                },
            )
        )
    return summary


def submission_findings(application, today=None):
    """Every reason the application cannot be submitted yet, grouped by wizard section."""
    findings = []
    programme = application.programme
    today = today or timezone.localdate()
    if not programme.is_open(today):
        findings.append(
            Finding(
                "programme",
                _("Die Antragsfrist läuft vom %(opens)s bis %(closes)s.")
                % {
                    "opens": programme.opens_on.strftime("%d.%m.%Y"),
                    "closes": programme.closes_on.strftime("%d.%m.%Y"),
                },
            )
        )
    required = {
        "title": _("Bitte geben Sie den Titel des Projekts an."),
        "summary": _("Bitte geben Sie eine Kurzbeschreibung an."),
        "description": _("Bitte beschreiben Sie das Projekt ausführlich."),
        "target_groups": _("Bitte nennen Sie die Zielgruppen."),
        "places": _("Bitte nennen Sie den Ort oder die Orte im Kreis."),
        "start_date": _("Bitte geben Sie den Projektbeginn an."),
        "end_date": _("Bitte geben Sie das Projektende an."),
    }
    for name, message in required.items():
        if not getattr(application, name):
            findings.append(Finding("project", message))
    if not application.handlungsfelder.exists():
        findings.append(Finding("project", _("Bitte wählen Sie mindestens ein Handlungsfeld.")))
    elif application.handlungsfelder.filter(is_active=False).exists():
        findings.append(Finding("project", _("Ein gewähltes Handlungsfeld ist nicht mehr aktiv.")))
    for message in project_date_errors(
        programme, application.start_date, application.end_date, today
    ).values():
        findings.append(Finding("project", message))
    cost_items = list(application.cost_items.select_related("category"))
    eligible_ids = set(programme.eligible_cost_categories.values_list("pk", flat=True))
    for item in cost_items:
        error = cost_item_error(programme, item.category, item.unit_price, eligible_ids)
        if error:
            findings.append(Finding("costs", f"{item.description}: {error[1]}"))
    if not application.financing_saved:
        findings.append(Finding("financing", _("Bitte füllen Sie den Finanzierungsplan aus.")))
    findings.extend(financing_summary(application, cost_items=cost_items).findings)
    missing_kinds = missing_required_attachments(application)
    if missing_kinds:
        findings.append(
            Finding(
                "attachments",
                _("Es fehlen noch Pflichtanlagen: %(kinds)s.")
                % {"kinds": ", ".join(kind.name for kind in missing_kinds)},
            )
        )
    declarations = set(
        programme.guideline.criteria.filter(kind=CriterionKind.DECLARATION).values_list(
            "code", flat=True
        )
    )
    if not declarations <= set(application.confirmed_declarations or []):
        findings.append(Finding("declarations", _("Bitte bestätigen Sie alle Erklärungen.")))
    missing = application.organisation.missing_profile_fields
    if missing:
        findings.append(
            Finding(
                "organisation",
                _("Im Profil Ihrer Organisation fehlt noch: %(fields)s.")
                % {"fields": ", ".join(str(label) for label in missing)},
            )
        )
    return findings


def missing_required_attachments(application):
    """The kinds of attachment the programme requires and the draft does not have yet."""
    present = set(
        application.attachments.filter(kind__isnull=False).values_list("kind_id", flat=True)
    )
    return [
        kind
        for kind in application.programme.required_attachment_kinds.all()
        if kind.pk not in present
    ]


def required_attachment_checklist(application, attachments):
    """Per required kind: the uploaded files of that kind (empty when still missing)."""
    return [
        {"kind": kind, "files": [a for a in attachments if a.kind_id == kind.pk]}
        for kind in application.programme.required_attachment_kinds.all()
    ]
