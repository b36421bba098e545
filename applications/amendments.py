"""Änderungsantrag: request, review, four-eyes decision and the Änderungsbescheid."""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money

from .amendment_models import (
    OPEN_AMENDMENT_STATUSES,
    AmendmentCostLine,
    AmendmentProposal,
    AmendmentRequest,
    AmendmentStatus,
)
from .finality import add_months
from .letter_models import LetterKind
from .models import ZERO, Application, ApplicationEvent, ApplicationStatus, CostItem
from .payments import _notify_members, _notify_user, paid_amount
from .permissions import (
    is_applicant_for,
    require_case_work,
    require_status,
)
from .rules import CENT, HUNDRED, cost_item_error, latest_end
from .usage_models import UsageReport, UsageReportStatus

logger = logging.getLogger(__name__)


class AmendmentAction:
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


@dataclass
class CostLine:
    """One line of the cost plan as the applicant enters it on the amendment form."""

    category: object
    description: str
    quantity: Decimal
    unit_price: Decimal
    cost_item_id: int | None = None

    @property
    def total(self):
        return (self.quantity * self.unit_price).quantize(CENT)


def _date(day):
    return day.strftime("%d.%m.%Y") if day else ""


def amendment_refusal(application):
    """Why no Änderungsantrag can be made now, or None when it can."""
    if application.status != ApplicationStatus.APPROVED:
        return _(
            "Eine Änderung kann nur für eine bewilligte Förderung beantragt werden; der Antrag "
            "ist %(status)s."
        ) % {"status": application.get_status_display()}
    if application.amendment_requests.filter(status__in=OPEN_AMENDMENT_STATUSES).exists():
        return _(
            "Es gibt bereits einen offenen Änderungsantrag. Ein weiterer ist möglich, sobald "
            "über diesen entschieden ist."
        )
    report = UsageReport.objects.filter(application=application).first()
    if report is not None and report.status != UsageReportStatus.OPEN:
        return _(
            "Der Verwendungsnachweis ist eingereicht; Änderungen der Bewilligung sind nicht "
            "mehr möglich."
        )
    return None


def current_values(application):
    """The grant as it stands: Bewilligungszeitraum, cost plan and amount (form defaults)."""
    decision = application.decision
    return {
        "new_start": decision.period_start or application.start_date,
        "new_end": decision.period_end or application.end_date,
        "new_amount": application.granted_amount,
        "lines": [
            CostLine(
                category=item.category,
                description=item.description,
                quantity=item.quantity,
                unit_price=item.unit_price,
                cost_item_id=item.pk,
            )
            for item in application.cost_items.select_related("category")
        ],
    }


def _line_signature(line):
    return (line.category.pk, line.description.strip(), line.quantity, line.unit_price)


def _check_dates(application, *, new_start, new_end, old_start, old_end):
    programme = application.programme
    today = timezone.localdate()
    if new_end < new_start:
        raise PortalError(_("Das Ende darf nicht vor dem Beginn liegen."), field="new_end")
    if new_start != old_start:
        decided_on = timezone.localdate(application.decision.decided_at)
        if new_start < max(today, decided_on):
            raise PortalError(
                _(
                    "Der Beginn kann nicht rückwirkend verlegt werden; frühestens möglich ist "
                    "der %(date)s."
                )
                % {"date": _date(max(today, decided_on))},
                field="new_start",
            )
    if new_end != old_end and new_end < today:
        raise PortalError(_("Das Ende kann nicht rückwirkend geändert werden."), field="new_end")
    limit = latest_end(programme, new_start)
    if new_end > limit:
        raise PortalError(
            _(
                "Ein Projekt darf höchstens %(months)s Monate dauern, bei diesem Beginn also "
                "bis spätestens %(date)s."
            )
            % {"months": programme.max_duration_months, "date": _date(limit)},
            field="new_end",
        )


def _check_lines(application, lines):
    programme = application.programme
    if not lines:
        raise PortalError(
            _("Der Kostenplan braucht mindestens eine Kostenposition."), field="cost_lines"
        )
    eligible = set(programme.eligible_cost_categories.values_list("pk", flat=True))
    for index, line in enumerate(lines):
        if not line.description.strip():
            raise PortalError(
                _("Bitte beschreiben Sie die Kosten."), field=f"line-{index}-description"
            )
        if line.quantity <= 0:
            raise PortalError(
                _("Die Menge muss größer als 0 sein."), field=f"line-{index}-quantity"
            )
        if line.unit_price <= 0:
            raise PortalError(
                _("Der Einzelpreis muss größer als 0 sein."), field=f"line-{index}-unit_price"
            )
        error = cost_item_error(programme, line.category, line.unit_price, eligible)
        if error:
            raise PortalError(error[1], field=f"line-{index}-{error[0]}")


def _check_amount(application, *, new_amount, total_costs):
    programme = application.programme
    if new_amount is None or new_amount < programme.min_grant:
        raise PortalError(
            _("Die Förderung beträgt mindestens %(min)s.")
            % {"min": format_money(programme.min_grant)},
            field="new_amount",
        )
    if new_amount > programme.max_grant:
        raise PortalError(
            _("Die Förderung beträgt höchstens %(max)s.")
            % {"max": format_money(programme.max_grant)},
            field="new_amount",
        )
    paid = paid_amount(application)
    if new_amount < paid:
        raise PortalError(
            _("Die Förderung kann nicht unter den bereits ausgezahlten Betrag von %(paid)s sinken.")
            % {"paid": format_money(paid)},
            field="new_amount",
        )
    volunteer_value = (application.volunteer_hours * programme.volunteer_hourly_rate).quantize(CENT)
    volunteer_cap = (total_costs * programme.volunteer_cap_percent / HUNDRED).quantize(CENT)
    own_share = application.own_funds + min(volunteer_value, volunteer_cap)
    required = (total_costs * programme.min_own_share_percent / HUNDRED).quantize(CENT)
    if programme.min_own_share_percent and own_share < required:
        raise PortalError(
            _(
                "Bei Gesamtkosten von %(total)s beträgt der Eigenanteil mindestens %(required)s "
                "(%(percent)s %%); Ihr Eigenanteil ist %(own)s."
            )
            % {
                "total": format_money(total_costs),
                "required": format_money(required),
                "percent": programme.min_own_share_percent.normalize(),
                "own": format_money(own_share),
            },
            field="cost_lines",
        )
    third_party = sum((item.amount for item in application.financing_items.all()), ZERO)
    uncovered = total_costs - own_share - third_party
    if new_amount > uncovered:
        raise PortalError(
            _(
                "Die Förderung darf die nicht gedeckten Kosten nicht übersteigen: Gesamtkosten "
                "%(total)s abzüglich Eigenanteil und Drittmittel ergeben höchstens %(max)s."
            )
            % {"total": format_money(total_costs), "max": format_money(max(uncovered, ZERO))},
            field="new_amount",
        )


def _snapshot(application):
    return [
        {
            "category": item.category.name_de,
            "description": item.description,
            "quantity": str(item.quantity),
            "unit_price": str(item.unit_price),
            "total": str(item.total),
        }
        for item in application.cost_items.select_related("category")
    ]


def _event(application, *, actor, note, internal=False):
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        note=str(note),
        internal=internal,
    )


def _context(amendment):
    application = amendment.application
    return {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
        "number": amendment.number,
    }


@transaction.atomic
def request_amendment(*, actor, application, new_start, new_end, new_amount, justification, lines):
    """The applicant asks to change the Bewilligungszeitraum, the cost plan or the grant."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme", "assigned_to", "decision")
        .get(pk=application.pk)
    )
    if not is_applicant_for(actor, application):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    refusal = amendment_refusal(application)
    if refusal:
        raise PortalError(refusal)
    current = current_values(application)
    if new_start is None:
        raise PortalError(_("Bitte geben Sie den Beginn an."), field="new_start")
    if new_end is None:
        raise PortalError(_("Bitte geben Sie das Ende an."), field="new_end")
    _check_dates(
        application,
        new_start=new_start,
        new_end=new_end,
        old_start=current["new_start"],
        old_end=current["new_end"],
    )
    _check_lines(application, lines)
    total_costs = sum((line.total for line in lines), ZERO)
    _check_amount(application, new_amount=new_amount, total_costs=total_costs)
    unchanged = (
        new_start == current["new_start"]
        and new_end == current["new_end"]
        and new_amount == current["new_amount"]
        and [_line_signature(line) for line in lines]
        == [_line_signature(line) for line in current["lines"]]
    )
    if unchanged:
        raise PortalError(
            _(
                "Sie haben nichts geändert. Bitte ändern Sie den Zeitraum, den Kostenplan oder "
                "die Förderung."
            )
        )
    if not (justification or "").strip():
        raise PortalError(_("Bitte begründen Sie die Änderung."), field="justification")
    own_items = set(application.cost_items.values_list("pk", flat=True))
    number = (application.amendment_requests.aggregate(last=Max("number"))["last"] or 0) + 1
    amendment = AmendmentRequest.objects.create(
        application=application,
        number=number,
        old_start=current["new_start"],
        old_end=current["new_end"],
        old_amount=current["new_amount"],
        old_cost_items=_snapshot(application),
        new_start=new_start,
        new_end=new_end,
        new_amount=new_amount,
        justification=justification.strip(),
        requested_by=actor,
    )
    AmendmentCostLine.objects.bulk_create(
        AmendmentCostLine(
            amendment=amendment,
            cost_item_id=line.cost_item_id if line.cost_item_id in own_items else None,
            category=line.category,
            description=line.description.strip(),
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in lines
    )
    _event(
        application,
        actor=actor,
        note=_("Änderungsantrag %(number)s gestellt.") % {"number": number},
    )
    _notify_user(
        application.assigned_to,
        template="emails/applications/amendment_requested",
        context=_context(amendment),
    )
    return amendment


def _locked_amendment(*, actor, amendment, allowed):
    amendment = (
        AmendmentRequest.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation", "application__programme")
        .get(pk=amendment.pk)
    )
    application = amendment.application
    require_case_work(actor, application)
    require_status(amendment, allowed)
    return amendment


def remaining_budget(programme):
    from .services import committed_amount

    return programme.budget - committed_amount(programme)


def _check_budget(amendment, *, lock):
    """An increase must fit in what the programme has left; the lock stops two racing."""
    from .models import FundingProgramme

    application = amendment.application
    increase = amendment.new_amount - (application.granted_amount or ZERO)
    if increase <= 0:
        return
    programmes = FundingProgramme.objects.all()
    if lock:
        programmes = programmes.select_for_update()
    programme = programmes.get(pk=application.programme_id)
    remaining = remaining_budget(programme)
    if increase > remaining:
        raise PortalError(
            _(
                "Das Budget von „%(programme)s“ reicht für die Erhöhung nicht: noch verfügbar "
                "sind %(remaining)s, die Erhöhung braucht %(increase)s."
            )
            % {
                "programme": programme,
                "remaining": format_money(remaining),
                "increase": format_money(increase),
            }
        )


@transaction.atomic
def review_amendment(*, actor, amendment, proposal, remarks=""):
    """The case handler checks the Änderungsantrag and proposes approval or rejection."""
    amendment = _locked_amendment(
        actor=actor, amendment=amendment, allowed=[AmendmentStatus.REQUESTED]
    )
    if proposal not in AmendmentProposal.values:
        raise PortalError(_("Bitte wählen Sie einen Vorschlag."), field="proposal")
    if proposal == AmendmentProposal.REJECT and not (remarks or "").strip():
        raise PortalError(
            _("Bitte begründen Sie die Ablehnung; die Begründung steht im Bescheid."),
            field="remarks",
        )
    if proposal == AmendmentProposal.APPROVE:
        _check_budget(amendment, lock=False)
    amendment.status = AmendmentStatus.PROPOSED
    amendment.proposal = proposal
    amendment.review_remarks = (remarks or "").strip()
    amendment.reviewed_by = actor
    amendment.reviewed_at = timezone.now()
    amendment.save(
        update_fields=["status", "proposal", "review_remarks", "reviewed_by", "reviewed_at"]
    )
    _event(
        amendment.application,
        actor=actor,
        note=_("Änderungsantrag %(number)s geprüft, Vorschlag: %(proposal)s. %(remarks)s")
        % {
            "number": amendment.number,
            "proposal": amendment.get_proposal_display(),
            "remarks": amendment.review_remarks,
        },
        internal=True,
    )
    return amendment


@transaction.atomic
def decide_amendment(*, actor, amendment, action, note=""):
    """A second person with signing authority decides; the Bescheid is issued at once."""
    amendment = _locked_amendment(
        actor=actor, amendment=amendment, allowed=[AmendmentStatus.PROPOSED]
    )
    if not account_permissions.has_signing_authority(actor):
        raise PortalError(_("Über Änderungsanträge entscheiden nur Zeichnungsbefugte."))
    if amendment.reviewed_by_id == actor.pk:
        raise PortalError(
            _(
                "Sie haben den Änderungsantrag geprüft. Entscheiden muss eine andere Person "
                "(Vier-Augen-Prinzip)."
            )
        )
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme", "decision")
        .get(pk=amendment.application_id)
    )
    amendment.application = application
    if action == AmendmentAction.RETURN:
        if not (note or "").strip():
            raise PortalError(_("Bitte schreiben Sie, was noch zu klären ist."), field="note")
        reviewer = amendment.reviewed_by
        amendment.status = AmendmentStatus.REQUESTED
        amendment.proposal = ""
        amendment.reviewed_by = None
        amendment.reviewed_at = None
        amendment.save(update_fields=["status", "proposal", "reviewed_by", "reviewed_at"])
        _event(
            application,
            actor=actor,
            note=_("Änderungsantrag %(number)s zur erneuten Prüfung zurückgegeben: %(note)s")
            % {"number": amendment.number, "note": note},
            internal=True,
        )
        _notify_user(
            reviewer,
            template="emails/applications/amendment_returned",
            context={**_context(amendment), "note": note},
        )
        return amendment
    expected = {
        AmendmentProposal.APPROVE: AmendmentAction.APPROVE,
        AmendmentProposal.REJECT: AmendmentAction.REJECT,
    }
    if action != expected.get(amendment.proposal):
        raise PortalError(
            _(
                "Die Entscheidung muss dem Vorschlag folgen. Wenn Sie anders entscheiden wollen, "
                "geben Sie den Änderungsantrag mit einem Vermerk zur erneuten Prüfung zurück."
            )
        )
    approve = action == AmendmentAction.APPROVE
    if approve:
        if application.status != ApplicationStatus.APPROVED:
            raise PortalError(
                _("Der Antrag ist %(status)s; die Bewilligung kann nicht mehr geändert werden.")
                % {"status": application.get_status_display()}
            )
        report = UsageReport.objects.filter(application=application).first()
        if report is not None and report.status != UsageReportStatus.OPEN:
            raise PortalError(
                _(
                    "Der Verwendungsnachweis ist inzwischen eingereicht; die Bewilligung kann "
                    "nicht mehr geändert werden. Bitte geben Sie den Änderungsantrag zurück."
                )
            )
        _check_budget(amendment, lock=True)
        if amendment.new_amount < paid_amount(application):
            raise PortalError(
                _("Inzwischen wurde mehr ausgezahlt, als die geänderte Förderung beträgt.")
            )
        _apply(amendment)
    amendment.status = AmendmentStatus.APPROVED if approve else AmendmentStatus.REJECTED
    amendment.decided_by = actor
    amendment.decided_at = timezone.now()
    amendment.decision_note = (note or "").strip()
    amendment.letter = _issue_letter(amendment, actor=actor)
    amendment.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "letter"])
    with translation.override("de"):
        outcome = _("bewilligt") if approve else _("abgelehnt")
        _event(
            application,
            actor=actor,
            note=_("Änderungsantrag %(number)s %(outcome)s.")
            % {"number": amendment.number, "outcome": outcome},
        )
    _notify_members(
        application,
        template="emails/applications/amendment_decided",
        context={**_context(amendment), "approved": approve},
    )
    logger.info(
        "Amendment %s of %s decided: %s", amendment.number, application.reference, amendment.status
    )
    return amendment


def _apply(amendment):
    """Dates, cost plan and grant follow the amendment; the usage report's due date too."""
    application = amendment.application
    decision = application.decision
    kept = set()
    for line in amendment.cost_lines.all():
        fields = {
            "category_id": line.category_id,
            "description": line.description,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }
        if line.cost_item_id and CostItem.objects.filter(
            pk=line.cost_item_id, application=application
        ).update(**fields):
            kept.add(line.cost_item_id)
        else:
            kept.add(CostItem.objects.create(application=application, **fields).pk)
    CostItem.objects.filter(application=application).exclude(pk__in=kept).delete()
    decision.period_start = amendment.new_start
    decision.period_end = amendment.new_end
    decision.amount = amendment.new_amount
    decision.save(update_fields=["period_start", "period_end", "amount"])
    application.start_date = amendment.new_start
    application.end_date = amendment.new_end
    application.granted_amount = amendment.new_amount
    application.save(update_fields=["start_date", "end_date", "granted_amount", "updated_at"])
    if amendment.new_end != amendment.old_end:
        from .letters import USAGE_REPORT_MONTHS

        UsageReport.objects.filter(application=application, status=UsageReportStatus.OPEN).update(
            due_on=add_months(amendment.new_end, USAGE_REPORT_MONTHS),
            reminded_before_on=None,
            reminded_due_on=None,
            last_overdue_reminder_on=None,
        )


def _issue_letter(amendment, *, actor):
    from .letters import USAGE_REPORT_MONTHS, issue_decision_letter

    application = amendment.application
    approve = amendment.status == AmendmentStatus.APPROVED
    report = UsageReport.objects.filter(application=application).first()
    due_on = report.due_on if report else add_months(amendment.new_end, USAGE_REPORT_MONTHS)
    if approve:
        return issue_decision_letter(
            application=application,
            kind=LetterKind.AMENDMENT,
            actor=actor,
            signer=actor,
            amount=amendment.new_amount,
            period_start=amendment.new_start,
            period_end=amendment.new_end,
            financing_type=application.decision.financing_type or None,
            eligible_costs=amendment.new_total,
            usage_report_due_on=due_on,
            amendment=amendment,
        )
    return issue_decision_letter(
        application=application,
        kind=LetterKind.AMENDMENT_REJECTION,
        actor=actor,
        signer=actor,
        period_start=amendment.old_start,
        period_end=amendment.old_end,
        reasons=amendment.review_remarks,
        amendment=amendment,
    )
