"""The steps of the application wizard and what "done" means for each, plus plain-word status."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kitz_portal.money import format_money

from .models import AmendmentStatus, ApplicationStatus

STEPS = [
    ("project", _("Projekt"), "applications:step_project"),
    ("costs", _("Kostenplan"), "applications:step_costs"),
    ("financing", _("Finanzierungsplan"), "applications:step_financing"),
    ("attachments", _("Anlagen"), "applications:step_attachments"),
    ("declarations", _("Erklärungen"), "applications:step_declarations"),
    ("summary", _("Zusammenfassung und Absenden"), "applications:summary"),
]


def step_states(application, findings):
    """One entry per step: label, link and whether it still has something open."""
    open_sections = {finding.section for finding in findings}
    steps = []
    for key, label, url_name in STEPS:
        if key == "attachments":
            done = application.attachments.exists() and key not in open_sections
        elif key == "summary":
            done = not findings
        elif key == "financing":
            done = application.financing_saved and "financing" not in open_sections
        else:
            done = key not in open_sections
        steps.append(
            {
                "key": key,
                "label": label,
                "url": reverse(url_name, kwargs={"pk": application.pk}),
                "done": done,
            }
        )
    return steps


STATUS_EXPLANATION = {
    ApplicationStatus.DRAFT: _("Entwurf – noch nicht eingereicht"),
    ApplicationStatus.SUBMITTED: _("Eingegangen – wartet auf die Prüfung"),
    ApplicationStatus.IN_REVIEW: _("In Prüfung beim KITZ"),
    ApplicationStatus.INFO_REQUESTED: _("Rückfrage des KITZ – Ihre Antwort wird gebraucht"),
    ApplicationStatus.RECOMMENDED: _("Geprüft – die Entscheidung steht bevor"),
    ApplicationStatus.APPROVED: _("Bewilligt"),
    ApplicationStatus.REJECTED: _("Abgelehnt"),
    ApplicationStatus.WITHDRAWN: _("Von Ihnen zurückgezogen"),
    ApplicationStatus.REVOKED: _("Bewilligung widerrufen"),
    ApplicationStatus.CLOSED: _("Abgeschlossen"),
}


def status_in_words(application):
    return STATUS_EXPLANATION[ApplicationStatus(application.status)]


def next_step(application):
    """What is expected of the applicant next, and by when (a date or None)."""
    status = application.status
    if status == ApplicationStatus.DRAFT:
        return (
            _("Antrag vervollständigen und absenden"),
            application.programme.closes_on,
        )
    if status == ApplicationStatus.INFO_REQUESTED:
        return (_("Rückfrage beantworten"), application.response_due_on)
    revocation_step = _revocation_step(application)
    if revocation_step is not None:
        return revocation_step
    if status == ApplicationStatus.APPROVED:
        open_amendments = [a for a in application.amendment_requests.all() if a.is_open]
        if open_amendments:
            amendment = open_amendments[0]
            if amendment.status == AmendmentStatus.PROPOSED:
                text = _("Nichts zu tun – über Ihren Änderungsantrag wird bald entschieden")
            else:
                text = _("Nichts zu tun – das KITZ prüft Ihren Änderungsantrag")
            return (text, None)
        open_payments = [p for p in application.payment_requests.all() if p.is_open]
        if open_payments:
            return (
                _("Nichts zu tun – Ihr Mittelabruf über %(amount)s wird bearbeitet")
                % {"amount": format_money(open_payments[0].amount)},
                None,
            )
        report = getattr(application, "usage_report", None)
        if report is not None and report.status == "open":
            return (_("Verwendungsnachweis einreichen"), report.due_on)
        if report is not None:
            return (_("Nichts zu tun – das KITZ prüft Ihren Verwendungsnachweis"), None)
        return (_("Projekt durchführen, Mittel abrufen und Verwendungsnachweis einreichen"), None)
    if status in (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW):
        return (_("Nichts zu tun – das KITZ meldet sich bei Ihnen"), None)
    if status == ApplicationStatus.RECOMMENDED:
        return (_("Nichts zu tun – Sie erhalten bald einen Bescheid"), None)
    return (_("Nichts mehr zu tun"), None)


def _revocation_step(application):
    """Anhörung and Rückforderung come before anything else a granted case asks for."""
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.REVOKED):
        return None
    for procedure in application.revocation_procedures.all():
        if procedure.awaits_answer():
            return (_("Zur Anhörung Stellung nehmen"), procedure.answer_due_on)
        if procedure.is_open:
            return (_("Nichts zu tun – das KITZ entscheidet nach der Anhörung"), None)
    for repayment in application.repayments.all():
        if not repayment.is_paid:
            outstanding = repayment.amount_due - sum(r.amount for r in repayment.receipts.all())
            return (
                _("Rückforderung über %(amount)s zahlen") % {"amount": format_money(outstanding)},
                repayment.due_on,
            )
    return None


def money_summary_rows(summary):
    return [
        (_("Gesamtkosten"), format_money(summary.total_costs)),
        (_("Eigenmittel"), format_money(summary.own_funds)),
        (_("Ehrenamtliche Arbeit (angerechnet)"), format_money(summary.volunteer_counted)),
        (_("Drittmittel"), format_money(summary.third_party)),
        (_("Beantragte Förderung"), format_money(summary.requested)),
        (_("Finanzierung gesamt"), format_money(summary.total_financing)),
        (_("Differenz"), format_money(summary.difference)),
    ]
