"""Widerruf und Rückforderung: Anhörung, answer, four-eyes decision, Widerrufsbescheid, repayment.

Each step is one service function: it checks who may act and from which state, locks the
case, changes the rows, writes an ``ApplicationEvent`` and queues the notifications, all in
one transaction.
"""

import hashlib
import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money, plain_number

from .letter_models import LetterKind
from .letters import _context as letter_context
from .letters import add_months, issue_decision_letter, render_letter_pdf
from .models import ZERO, Application, ApplicationEvent, ApplicationStatus, Attachment
from .payment_models import OPEN_PAYMENT_STATUSES
from .payments import _notify_members, _notify_user, paid_amount
from .permissions import (
    is_applicant_for,
    require_case_work,
)
from .revocation_models import (
    OPEN_REVOCATION_STATUSES,
    Repayment,
    RepaymentReceipt,
    RevocationOutcome,
    RevocationProcedure,
    RevocationScope,
    RevocationStatus,
)
from .services import store_attachment

logger = logging.getLogger(__name__)

HEARING_LETTER_TEMPLATE = "letters/hearing_letter.html"
ANSWER_DAYS_DEFAULT = 14
ANSWER_DAYS_MIN = 7
REPAYMENT_DUE_MONTHS = 1
REPAYMENT_DUE_MIN_DAYS = 14


def base_rate():
    """The Basiszinssatz nach § 247 BGB in percent, from the setting PORTAL_BASE_RATE."""
    return Decimal(str(settings.PORTAL_BASE_RATE)).quantize(Decimal("0.01"))


def _percent(value):
    return f"{plain_number(Decimal(value).quantize(Decimal('0.01')))} %"


def interest_rule(points, rate=None):
    """The interest rule of the Leitfaden as it appears in the letters (always German)."""
    rate = base_rate() if rate is None else rate
    return (
        f"{plain_number(points)} Prozentpunkte über dem jeweiligen Basiszinssatz nach § 247 BGB "
        f"(derzeit {_percent(rate)} + {plain_number(points)} Prozentpunkte = "
        f"{_percent(rate + points)} jährlich)"
    )


def open_procedure(application):
    return (
        RevocationProcedure.objects.filter(
            application=application, status__in=OPEN_REVOCATION_STATUSES
        )
        .select_related("started_by", "proposed_by", "answered_by", "answer_attachment")
        .first()
    )


def repaid_amount(repayment):
    total = repayment.receipts.aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def outstanding_amount(repayment):
    return repayment.amount_due - repaid_amount(repayment)


def can_start_hearing(application):
    """For the case page: a granted case with money paid out and no procedure running."""
    return (
        application.status == ApplicationStatus.APPROVED
        and paid_amount(application) > 0
        and open_procedure(application) is None
    )


def _event(application, *, actor, note, to_status=None, internal=False):
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=to_status or application.status,
        note=str(note),
        internal=internal,
    )


def _date(day):
    return day.strftime("%d.%m.%Y")


def _context(application, **extra):
    return {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
        **extra,
    }


def _locked_case(*, actor, application):
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme", "assigned_to")
        .get(pk=application.pk)
    )
    require_case_work(actor, application)
    return application


def _locked_open_procedure(application):
    procedure = (
        RevocationProcedure.objects.select_for_update()
        .filter(application=application, status__in=OPEN_REVOCATION_STATUSES)
        .first()
    )
    if procedure is None:
        raise PortalError(_("Zu diesem Fall läuft kein Widerrufsverfahren."))
    return procedure


# Anhörung --------------------------------------------------------------------------------


def render_hearing_letter(*, application, procedure, actor, issued_on):
    """The PDF of the Anhörungsschreiben, in the frame and layout of the Bescheide."""
    context = letter_context(
        application=application,
        kind=LetterKind.REVOCATION,
        actor=actor,
        amount=procedure.intended_amount,
        period_start=None,
        period_end=None,
        financing_type=None,
        eligible_costs=None,
        conditions="",
        reasons=procedure.reason,
        signer_name=actor.get_full_name() or actor.email,
        usage_report_due_on=None,
        repayment_due_on=None,
        issued_on=issued_on,
    )
    context.update(
        {
            "title": f"Anhörung {application.reference}",
            "kind": "hearing",
            "kind_label": "Anhörung vor einem Widerruf",
            "procedure": procedure,
            "scope_full": procedure.scope == RevocationScope.FULL,
            "paid_figures": format_money(procedure.paid_amount),
            "granted_figures": format_money(application.granted_amount),
            "answer_due_on": procedure.answer_due_on,
            "interest_rule": interest_rule(application.programme.repayment_interest_points),
        }
    )
    return render_letter_pdf(context, template=HEARING_LETTER_TEMPLATE)


@transaction.atomic
def start_hearing(*, actor, application, scope, reason, amount=None, answer_due_on=None):
    """The case handler opens the Anhörung: the letter goes out, the applicant may answer."""
    application = _locked_case(actor=actor, application=application)
    if application.status != ApplicationStatus.APPROVED:
        raise PortalError(
            _(
                "Der Fall ist %(status)s. Ein Widerruf ist nur bei einer bestehenden "
                "Bewilligung möglich."
            )
            % {"status": application.get_status_display()}
        )
    if RevocationProcedure.objects.filter(
        application=application, status__in=OPEN_REVOCATION_STATUSES
    ).exists():
        raise PortalError(_("Zu diesem Fall läuft bereits ein Widerrufsverfahren."))
    paid = paid_amount(application)
    if paid <= 0:
        raise PortalError(
            _("Zu diesem Fall wurde noch nichts ausgezahlt; es gibt nichts zurückzufordern.")
        )
    if scope not in RevocationScope.values:
        raise PortalError(_("Bitte wählen Sie den Umfang des Widerrufs."), field="scope")
    if not (reason or "").strip():
        raise PortalError(
            _("Bitte nennen Sie den Grund der beabsichtigten Rückforderung."), field="reason"
        )
    if amount is None and scope == RevocationScope.FULL:
        amount = paid
    if amount is None or amount <= 0:
        raise PortalError(_("Bitte geben Sie einen Betrag über 0 € an."), field="amount")
    if amount > paid:
        raise PortalError(
            _("Zurückgefordert werden kann höchstens der ausgezahlte Betrag von %(paid)s.")
            % {"paid": format_money(paid)},
            field="amount",
        )
    if scope == RevocationScope.FULL and amount != paid:
        raise PortalError(
            _(
                "Bei einem vollständigen Widerruf wird alles Ausgezahlte zurückgefordert: "
                "%(paid)s. Für einen geringeren Betrag wählen Sie den teilweisen Widerruf."
            )
            % {"paid": format_money(paid)},
            field="amount",
        )
    today = timezone.localdate()
    answer_due_on = answer_due_on or today + timedelta(days=ANSWER_DAYS_DEFAULT)
    if answer_due_on < today + timedelta(days=ANSWER_DAYS_MIN):
        raise PortalError(
            _("Die Frist zur Stellungnahme muss mindestens %(days)s Tage betragen (ab %(date)s).")
            % {
                "days": ANSWER_DAYS_MIN,
                "date": _date(today + timedelta(days=ANSWER_DAYS_MIN)),
            },
            field="answer_due_on",
        )
    procedure = RevocationProcedure(
        application=application,
        scope=scope,
        reason=reason.strip(),
        intended_amount=amount,
        paid_amount=paid,
        answer_due_on=answer_due_on,
        started_by=actor,
    )
    try:
        with translation.override("de"):
            pdf = render_hearing_letter(
                application=application, procedure=procedure, actor=actor, issued_on=today
            )
    except Exception:
        logger.exception("Rendering the Anhörung for %s failed", application.reference)
        raise PortalError(
            _(
                "Das Anhörungsschreiben konnte nicht erstellt werden. Es wurde nichts "
                "gespeichert (Aktenzeichen %(reference)s)."
            )
            % {"reference": application.reference}
        ) from None
    procedure.hearing_sha256 = hashlib.sha256(pdf).hexdigest()
    procedure.hearing_file.save("anhoerung.pdf", ContentFile(pdf), save=False)
    try:
        procedure.save()
    except Exception:
        procedure.hearing_file.storage.delete(procedure.hearing_file.name)
        raise
    with translation.override("de"):
        note = _(
            "Anhörung vor einem Widerruf eingeleitet (%(scope)s, Rückforderung von %(amount)s); "
            "Stellungnahme bis %(date)s."
        ) % {
            "scope": procedure.get_scope_display(),
            "amount": format_money(amount),
            "date": _date(answer_due_on),
        }
    _event(application, actor=actor, note=note)
    _notify_members(
        application,
        template="emails/applications/revocation_hearing",
        context=_context(application, amount=format_money(amount), due_on=_date(answer_due_on)),
    )
    return procedure


@transaction.atomic
def answer_hearing(*, actor, application, answer, upload=None):
    """The applicant's Stellungnahme, until the deadline; ``upload`` is (file, content_type)."""
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
    if not is_applicant_for(actor, application):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    procedure = (
        RevocationProcedure.objects.select_for_update()
        .select_related("started_by")
        .filter(application=application, status=RevocationStatus.HEARING)
        .first()
    )
    if procedure is None:
        raise PortalError(_("Zu diesem Antrag läuft keine Anhörung."))
    if procedure.answered_at is not None:
        raise PortalError(_("Sie haben zu dieser Anhörung bereits Stellung genommen."))
    if procedure.answer_period_over():
        raise PortalError(
            _(
                "Die Frist zur Stellungnahme ist am %(date)s abgelaufen. Eine Stellungnahme "
                "über das Portal ist nicht mehr möglich; bitte wenden Sie sich direkt an das KITZ."
            )
            % {"date": _date(procedure.answer_due_on)}
        )
    if not (answer or "").strip():
        raise PortalError(_("Bitte schreiben Sie Ihre Stellungnahme."), field="answer")
    attachment = None
    if upload is not None:
        file, content_type = upload
        attachment = Attachment(
            application=application,
            original_name=file.name,
            content_type=content_type,
            size=file.size,
            description=str(_("Anlage zur Stellungnahme in der Anhörung")),
            uploaded_by=actor,
        )
        store_attachment(attachment, file, stored=application.attachments.all())
    procedure.answer = answer.strip()
    procedure.answered_at = timezone.now()
    procedure.answered_by = actor
    procedure.answer_attachment = attachment
    procedure.save(update_fields=["answer", "answered_at", "answered_by", "answer_attachment"])
    _event(application, actor=actor, note=_("Stellungnahme zur Anhörung eingegangen."))
    recipient = application.assigned_to or procedure.started_by
    _notify_user(
        recipient,
        template="emails/applications/revocation_answered",
        context=_context(application),
    )
    return procedure


# Entscheidung (four-eyes) ----------------------------------------------------------------


@transaction.atomic
def propose_revocation(*, actor, application, outcome, reasoning, amount=None, due_on=None):
    """After the answer or the deadline: the case handler proposes Widerruf or dropping it."""
    application = _locked_case(actor=actor, application=application)
    procedure = _locked_open_procedure(application)
    if procedure.status != RevocationStatus.HEARING:
        raise PortalError(_("Für dieses Verfahren liegt bereits ein Vorschlag vor."))
    if not procedure.ready_for_proposal():
        raise PortalError(
            _(
                "Die Frist zur Stellungnahme läuft noch bis %(date)s. Ohne Stellungnahme "
                "kann erst danach entschieden werden."
            )
            % {"date": _date(procedure.answer_due_on)}
        )
    if outcome not in RevocationOutcome.values:
        raise PortalError(_("Bitte wählen Sie die Entscheidung."), field="outcome")
    if not (reasoning or "").strip():
        field_label = (
            _("Bitte begründen Sie den Widerruf.")
            if outcome == RevocationOutcome.REVOKE
            else _("Bitte vermerken Sie, warum das Verfahren eingestellt wird.")
        )
        raise PortalError(field_label, field="reasoning")
    paid = paid_amount(application)
    if outcome == RevocationOutcome.REVOKE:
        if amount is None or amount <= 0:
            raise PortalError(_("Bitte geben Sie einen Betrag über 0 € an."), field="amount")
        if amount > paid:
            raise PortalError(
                _("Zurückgefordert werden kann höchstens der ausgezahlte Betrag von %(paid)s.")
                % {"paid": format_money(paid)},
                field="amount",
            )
        earliest = timezone.localdate() + timedelta(days=REPAYMENT_DUE_MIN_DAYS)
        if due_on is not None and due_on < earliest:
            raise PortalError(
                _("Die Zahlungsfrist muss mindestens %(days)s Tage betragen (ab %(date)s).")
                % {"days": REPAYMENT_DUE_MIN_DAYS, "date": _date(earliest)},
                field="due_on",
            )
    else:
        amount, due_on = None, None
    procedure.paid_amount = paid
    procedure.outcome = outcome
    procedure.repayment_amount = amount
    procedure.repayment_due_on = due_on
    procedure.reasoning = reasoning.strip()
    procedure.proposed_by = actor
    procedure.proposed_at = timezone.now()
    procedure.status = RevocationStatus.PROPOSED
    procedure.save()
    with translation.override("de"):
        if outcome == RevocationOutcome.REVOKE:
            note = _(
                "Widerruf vorgeschlagen: Rückforderung von %(amount)s; eine zweite, "
                "zeichnungsbefugte Person entscheidet."
            ) % {"amount": format_money(amount)}
        else:
            note = _(
                "Einstellung des Widerrufsverfahrens vorgeschlagen; eine zweite, "
                "zeichnungsbefugte Person entscheidet."
            )
    _event(application, actor=actor, note=note, internal=True)
    return procedure


def _revocation_texts(application, procedure, repayment_due_on, points, rate):
    """Tenor details and Begründung of the Widerrufsbescheid (German, for the letter)."""
    scope = (
        "Der Widerruf erfasst die Zuwendung vollständig."
        if procedure.scope == RevocationScope.FULL
        else "Der Widerruf erfasst die Zuwendung teilweise: in Höhe des Erstattungsbetrags und "
        "für den noch nicht ausgezahlten Teil. Für die ausgezahlten Mittel abzüglich des "
        "Erstattungsbetrags bleibt es bei der Bewilligung."
    )
    conditions = "\n\n".join(
        [
            scope,
            f"Der Erstattungsbetrag von {format_money(procedure.repayment_amount)} ist bis zum "
            f"{_date(repayment_due_on)} unter Angabe des Verwendungszwecks "
            f"„{application.reference} Rückforderung“ an die Kreiskasse Schleswig-Flensburg "
            "zu zahlen.",
            "Verzinsung: Der zu erstattende Betrag ist nach § 117a Abs. 3 LVwG "
            "(entsprechend § 49a Abs. 3 VwVfG) vom Eintritt der Unwirksamkeit des "
            "Zuwendungsbescheids an jährlich zu verzinsen. Der Zinssatz beträgt "
            f"{interest_rule(points, rate)}. Über die Zinsen ergeht ein gesonderter Bescheid. "
            "Zahlen Sie den Erstattungsbetrag fristgerecht, kann von der Geltendmachung der "
            "Zinsen abgesehen werden.",
        ]
    )
    hearing = (
        f"Mit Schreiben vom {_date(timezone.localdate(procedure.started_at))} habe ich Sie "
        "zu dem beabsichtigten Widerruf angehört."
    )
    if procedure.answered_at is not None:
        hearing += (
            f" Ihre Stellungnahme vom {_date(timezone.localdate(procedure.answered_at))} habe "
            "ich in meine Entscheidung einbezogen."
        )
    else:
        hearing += " Sie haben sich innerhalb der gesetzten Frist nicht geäußert."
    reasons = "\n\n".join(
        [
            procedure.reasoning,
            hearing,
            "Rechtsgrundlage des Widerrufs ist § 117 Abs. 3 LVwG (entsprechend § 49 Abs. 3 "
            "VwVfG) in Verbindung mit den Nebenbestimmungen des Zuwendungsbescheids; die "
            "Erstattungspflicht und die Verzinsung folgen aus § 117a LVwG (entsprechend § 49a "
            "VwVfG). Ich habe mein Ermessen pflichtgemäß ausgeübt; der Grundsatz der "
            "wirtschaftlichen und sparsamen Verwendung öffentlicher Mittel überwiegt Ihr "
            "Interesse am Behalten der Zuwendung.",
        ]
    )
    return conditions, reasons


@transaction.atomic
def decide_revocation(*, actor, application, approve=True, note=""):
    """Four-eyes: another person with signing authority issues the Widerrufsbescheid, drops
    the procedure as proposed, or sends the proposal back."""
    application = _locked_case(actor=actor, application=application)
    if not account_permissions.has_signing_authority(actor):
        raise PortalError(_("Über einen Widerruf entscheiden nur Zeichnungsbefugte."))
    procedure = _locked_open_procedure(application)
    if procedure.status != RevocationStatus.PROPOSED:
        raise PortalError(_("Für dieses Verfahren liegt noch kein Vorschlag vor."))
    if procedure.proposed_by_id == actor.pk:
        raise PortalError(
            _(
                "Sie haben die Entscheidung vorgeschlagen. Entscheiden muss eine andere Person "
                "(Vier-Augen-Prinzip)."
            )
        )
    if not approve:
        if not (note or "").strip():
            raise PortalError(
                _("Bitte vermerken Sie, was am Vorschlag zu ändern ist."), field="note"
            )
        procedure.status = RevocationStatus.HEARING
        procedure.outcome = ""
        procedure.repayment_amount = None
        procedure.repayment_due_on = None
        procedure.proposed_by = None
        procedure.proposed_at = None
        procedure.save()
        with translation.override("de"):
            event_note = _("Vorschlag zum Widerruf zurückgegeben: %(note)s") % {"note": note}
        _event(application, actor=actor, note=event_note, internal=True)
        return procedure
    now = timezone.now()
    procedure.approved_by = actor
    procedure.approved_at = now
    if procedure.outcome == RevocationOutcome.DROP:
        procedure.status = RevocationStatus.DROPPED
        procedure.save()
        _drop(application, procedure, actor=actor, note=note)
        return procedure
    if application.payment_requests.filter(status__in=OPEN_PAYMENT_STATUSES).exists():
        raise PortalError(
            _(
                "Zu diesem Fall ist ein Mittelabruf offen. Bitte lehnen Sie ihn ab oder "
                "vermerken Sie die Auszahlung, bevor der Widerrufsbescheid ergeht."
            )
        )
    today = timezone.localdate(now)
    due_on = procedure.repayment_due_on or add_months(today, REPAYMENT_DUE_MONTHS)
    if due_on < today:
        raise PortalError(
            _(
                "Die vorgeschlagene Zahlungsfrist (%(date)s) ist verstrichen. Bitte geben Sie den "
                "Vorschlag zur Änderung zurück."
            )
            % {"date": _date(due_on)}
        )
    points = application.programme.repayment_interest_points
    rate = base_rate()
    procedure.repayment_due_on = due_on
    with translation.override("de"):
        conditions, reasons = _revocation_texts(application, procedure, due_on, points, rate)
    letter = issue_decision_letter(
        application=application,
        kind=LetterKind.REVOCATION,
        actor=actor,
        amount=procedure.repayment_amount,
        conditions=conditions,
        reasons=reasons,
        signer=actor,
        repayment_due_on=due_on,
    )
    procedure.revocation_letter = letter
    procedure.status = RevocationStatus.REVOKED
    procedure.save()
    Repayment.objects.create(
        application=application,
        procedure=procedure,
        amount_due=procedure.repayment_amount,
        due_on=due_on,
        interest_points=points,
        base_rate=rate,
    )
    with translation.override("de"):
        event_note = _("Widerrufsbescheid erlassen: %(amount)s sind bis %(date)s zu erstatten.") % {
            "amount": format_money(procedure.repayment_amount),
            "date": _date(due_on),
        }
    _event(application, actor=actor, note=event_note, to_status=ApplicationStatus.REVOKED)
    application.status = ApplicationStatus.REVOKED
    application.save(update_fields=["status", "updated_at"])
    _notify_members(
        application,
        template="emails/applications/revocation_decided",
        context=_context(
            application,
            amount=format_money(procedure.repayment_amount),
            due_on=_date(due_on),
        ),
    )
    return procedure


def _drop(application, procedure, *, actor, note):
    """The procedure ends without Widerruf; a case whose report is accepted closes now."""
    from .usage_models import UsageReport, UsageReportStatus

    with translation.override("de"):
        event_note = _("Widerrufsverfahren eingestellt: %(reasoning)s") % {
            "reasoning": procedure.reasoning
        }
    report_accepted = UsageReport.objects.filter(
        application=application, status=UsageReportStatus.ACCEPTED
    ).exists()
    to_status = ApplicationStatus.CLOSED if report_accepted else None
    _event(application, actor=actor, note=event_note, to_status=to_status)
    _notify_members(
        application,
        template="emails/applications/revocation_dropped",
        context=_context(application),
    )
    if report_accepted:
        application.status = ApplicationStatus.CLOSED
        application.save(update_fields=["status", "updated_at"])
        _notify_members(
            application, template="emails/applications/case_closed", context=_context(application)
        )


# Rückforderung ---------------------------------------------------------------------------


@transaction.atomic
def record_repayment(*, actor, application, received_on, amount):
    """Money received back; partial payments add up, never beyond what is owed."""
    application = _locked_case(actor=actor, application=application)
    repayment = (
        Repayment.objects.select_for_update()
        .select_related("procedure")
        .filter(application=application, paid_in_full_on__isnull=True)
        .first()
    )
    if repayment is None:
        raise PortalError(_("Zu diesem Fall ist keine Rückforderung offen."))
    if amount is None or amount <= 0:
        raise PortalError(_("Bitte geben Sie einen Betrag über 0 € an."), field="amount")
    outstanding = outstanding_amount(repayment)
    if amount > outstanding:
        raise PortalError(
            _("Offen sind nur noch %(outstanding)s; mehr kann nicht verbucht werden.")
            % {"outstanding": format_money(outstanding)},
            field="amount",
        )
    today = timezone.localdate()
    started_on = timezone.localdate(repayment.procedure.started_at)
    if received_on is None or received_on > today or received_on < started_on:
        raise PortalError(
            _("Das Eingangsdatum muss zwischen der Anhörung (%(start)s) und heute liegen.")
            % {"start": _date(started_on)},
            field="received_on",
        )
    RepaymentReceipt.objects.create(
        repayment=repayment, received_on=received_on, amount=amount, recorded_by=actor
    )
    left = outstanding - amount
    with translation.override("de"):
        note = _("Zahlungseingang zur Rückforderung: %(amount)s am %(date)s; offen %(left)s.") % {
            "amount": format_money(amount),
            "date": _date(received_on),
            "left": format_money(left),
        }
    _event(application, actor=actor, note=note)
    if left > 0:
        _notify_members(
            application,
            template="emails/applications/repayment_received",
            context=_context(
                application,
                amount=format_money(amount),
                received_on=_date(received_on),
                outstanding=format_money(left),
                paid_in_full=False,
            ),
        )
        return repayment
    repayment.paid_in_full_on = received_on
    repayment.save(update_fields=["paid_in_full_on"])
    with translation.override("de"):
        closing = _("Rückforderung vollständig erstattet; der Fall ist abgeschlossen.")
    _event(application, actor=actor, note=closing, to_status=ApplicationStatus.CLOSED)
    application.status = ApplicationStatus.CLOSED
    application.save(update_fields=["status", "updated_at"])
    _notify_members(
        application,
        template="emails/applications/repayment_received",
        context=_context(
            application,
            amount=format_money(amount),
            received_on=_date(received_on),
            outstanding=format_money(ZERO),
            paid_in_full=True,
        ),
    )
    return repayment


# Reads -----------------------------------------------------------------------------------


def revocation_of_case(application):
    """What the case pages show: the procedures, the open one and the repayment with receipts."""
    procedures = list(
        RevocationProcedure.objects.filter(application=application).select_related(
            "started_by", "proposed_by", "approved_by", "answered_by", "answer_attachment"
        )
    )
    current = next((p for p in procedures if p.is_open), None)
    repayment = (
        Repayment.objects.filter(application=application)
        .select_related("procedure")
        .prefetch_related("receipts__recorded_by")
        .order_by("-created_at")
        .first()
    )
    repaid = sum((r.amount for r in repayment.receipts.all()), ZERO) if repayment else ZERO
    return {
        "revocation_procedures": procedures,
        "revocation_procedure": current,
        "repayment": repayment,
        "repayment_repaid": repaid,
        "repayment_outstanding": (repayment.amount_due - repaid) if repayment else ZERO,
        "today": timezone.localdate(),
    }


def repayments_for_staff(today=None):
    """Open Rückforderungen, overdue ones first, with what is still outstanding."""
    from django.db.models import DecimalField, F, Value
    from django.db.models.functions import Coalesce

    today = today or timezone.localdate()
    rows = (
        Repayment.objects.filter(paid_in_full_on__isnull=True)
        .select_related("application", "application__organisation")
        .annotate(
            repaid=Coalesce(
                Sum("receipts__amount"),
                Value(ZERO),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .annotate(outstanding=F("amount_due") - F("repaid"))
        .order_by("due_on", "pk")
    )
    return [
        {"repayment": row, "outstanding": row.outstanding, "overdue": row.due_on < today}
        for row in rows
    ]
