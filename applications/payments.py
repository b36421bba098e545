"""Mittelabruf: request, check, release (four-eyes), export for the treasury, mark paid."""

import logging

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money

from .exports import Money, export_response
from .finality import add_months
from .models import ZERO, Application, ApplicationEvent, ApplicationStatus
from .payment_models import OPEN_PAYMENT_STATUSES, PaymentRequest, PaymentStatus
from .permissions import (
    is_applicant_for,
    require_case_work,
    require_status,
)

logger = logging.getLogger(__name__)

NEEDED_WITHIN_MONTHS = 2


def paid_amount(application):
    total = application.payment_requests.filter(status=PaymentStatus.PAID).aggregate(
        total=Sum("amount")
    )["total"]
    return total or ZERO


def available_amount(application):
    """What may still be requested: the grant minus what has been paid."""
    return (application.granted_amount or ZERO) - paid_amount(application)


def _event(application, *, actor, note, internal=False):
    ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=application.status,
        to_status=application.status,
        note=str(note),
        internal=internal,
    )


def _context(payment):
    application = payment.application
    return {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
        "amount": format_money(payment.amount),
        "number": payment.number,
    }


def _notify_members(application, *, template, context):
    from accounts.notifications import queue_notification

    for membership in application.organisation.memberships.select_related("user"):
        user = membership.user
        if user.is_active and user.email:
            queue_notification(
                template=template, to_email=user.email, recipient=user, context=context
            )


def _notify_user(user, *, template, context):
    from accounts.notifications import queue_notification

    if user is not None and user.is_active and user.email:
        queue_notification(template=template, to_email=user.email, recipient=user, context=context)


@transaction.atomic
def request_payment(*, actor, application, amount, period_start, period_end):
    """The applicant asks for money needed within the next two months, up to what is left."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("organisation", "assigned_to")
        .get(pk=application.pk)
    )
    if not is_applicant_for(actor, application):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    if application.status in (ApplicationStatus.CLOSED, ApplicationStatus.REVOKED):
        raise PortalError(
            _("Der Vorgang ist %(status)s; Mittel können nicht mehr abgerufen werden.")
            % {"status": application.get_status_display()}
        )
    if application.status != ApplicationStatus.APPROVED:
        raise PortalError(_("Mittel können erst nach der Bewilligung abgerufen werden."))
    if application.payment_requests.filter(status__in=OPEN_PAYMENT_STATUSES).exists():
        raise PortalError(
            _(
                "Es gibt bereits einen offenen Mittelabruf. Ein weiterer ist möglich, sobald "
                "dieser ausgezahlt oder abgelehnt ist."
            )
        )
    if amount is None or amount <= 0:
        raise PortalError(_("Bitte geben Sie einen Betrag über 0 € an."), field="amount")
    available = available_amount(application)
    if amount > available:
        raise PortalError(
            _(
                "Sie können höchstens %(available)s abrufen: die bewilligte Förderung abzüglich "
                "der bereits ausgezahlten Beträge."
            )
            % {"available": format_money(available)},
            field="amount",
        )
    decision = application.decision
    if period_end < period_start:
        raise PortalError(_("Das Ende darf nicht vor dem Beginn liegen."), field="period_end")
    if period_start < decision.period_start or period_end > decision.period_end:
        raise PortalError(
            _("Der Zeitraum muss im Bewilligungszeitraum vom %(start)s bis %(end)s liegen.")
            % {
                "start": decision.period_start.strftime("%d.%m.%Y"),
                "end": decision.period_end.strftime("%d.%m.%Y"),
            },
            field="period_start",
        )
    today = timezone.localdate()
    if period_start > add_months(today, NEEDED_WITHIN_MONTHS) or period_end > add_months(
        max(period_start, today), NEEDED_WITHIN_MONTHS
    ):
        raise PortalError(
            _(
                "Mittel dürfen nur für Ausgaben abgerufen werden, die innerhalb der nächsten "
                "zwei Monate fällig werden."
            ),
            field="period_end",
        )
    organisation = application.organisation
    if not organisation.iban or not organisation.account_holder:
        raise PortalError(
            _("Bitte hinterlegen Sie zuerst die Bankverbindung Ihrer Organisation im Profil.")
        )
    number = (application.payment_requests.aggregate(last=Max("number"))["last"] or 0) + 1
    payment = PaymentRequest.objects.create(
        application=application,
        number=number,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        iban=organisation.iban,
        account_holder=organisation.account_holder,
        requested_by=actor,
    )
    _event(
        application,
        actor=actor,
        note=_("Mittelabruf %(number)s über %(amount)s gestellt.")
        % {"number": number, "amount": format_money(amount)},
    )
    _notify_user(
        application.assigned_to,
        template="emails/applications/payment_requested",
        context=_context(payment),
    )
    return payment


def _locked_payment(*, actor, payment, allowed):
    payment = (
        PaymentRequest.objects.select_for_update(of=("self",))
        .select_related("application", "application__organisation")
        .get(pk=payment.pk)
    )
    application = payment.application
    require_case_work(actor, application)
    require_status(payment, allowed)
    return payment


@transaction.atomic
def check_payment_request(*, actor, payment, approve=True, reason=""):
    """The case handler checks the request: on to release, or refused with a reason."""
    payment = _locked_payment(actor=actor, payment=payment, allowed=[PaymentStatus.REQUESTED])
    application = payment.application
    if approve:
        payment.status = PaymentStatus.CHECKED
        payment.checked_by = actor
        payment.checked_at = timezone.now()
        payment.save(update_fields=["status", "checked_by", "checked_at"])
        _event(
            application,
            actor=actor,
            note=_("Mittelabruf %(number)s geprüft; die Freigabe erteilt eine zweite Person.")
            % {"number": payment.number},
        )
        return payment
    if not reason.strip():
        raise PortalError(_("Bitte begründen Sie die Ablehnung."), field="reason")
    payment.status = PaymentStatus.REJECTED
    payment.checked_by = actor
    payment.checked_at = timezone.now()
    payment.rejection_reason = reason
    payment.save(update_fields=["status", "checked_by", "checked_at", "rejection_reason"])
    _event(
        application,
        actor=actor,
        note=_("Mittelabruf %(number)s abgelehnt: %(reason)s")
        % {"number": payment.number, "reason": reason},
    )
    _notify_members(
        application,
        template="emails/applications/payment_rejected",
        context={**_context(payment), "reason": reason},
    )
    return payment


@transaction.atomic
def release_payment_request(*, actor, payment):
    """A person with signing authority who did not check it releases it for the treasury."""
    payment = _locked_payment(actor=actor, payment=payment, allowed=[PaymentStatus.CHECKED])
    if not account_permissions.has_signing_authority(actor):
        raise PortalError(_("Mittelabrufe geben nur Zeichnungsbefugte frei."))
    if payment.checked_by_id == actor.pk:
        raise PortalError(
            _(
                "Sie haben den Mittelabruf geprüft. Freigeben muss eine andere Person "
                "(Vier-Augen-Prinzip)."
            )
        )
    payment.status = PaymentStatus.RELEASED
    payment.released_by = actor
    payment.released_at = timezone.now()
    payment.save(update_fields=["status", "released_by", "released_at"])
    _event(
        payment.application,
        actor=actor,
        note=_("Mittelabruf %(number)s zur Auszahlung freigegeben.") % {"number": payment.number},
    )
    _notify_members(
        payment.application,
        template="emails/applications/payment_released",
        context=_context(payment),
    )
    return payment


@transaction.atomic
def mark_payment_paid(*, actor, payment, paid_on):
    """The treasury has paid: the money moves from committed to paid."""
    payment = _locked_payment(actor=actor, payment=payment, allowed=[PaymentStatus.RELEASED])
    released_on = timezone.localdate(payment.released_at)
    if paid_on < released_on or paid_on > timezone.localdate():
        raise PortalError(
            _("Das Auszahlungsdatum muss zwischen der Freigabe und heute liegen."),
            field="paid_on",
        )
    payment.status = PaymentStatus.PAID
    payment.paid_on = paid_on
    payment.save(update_fields=["status", "paid_on"])
    _event(
        payment.application,
        actor=actor,
        note=_("Mittelabruf %(number)s am %(date)s ausgezahlt.")
        % {"number": payment.number, "date": paid_on.strftime("%d.%m.%Y")},
    )
    _notify_members(
        payment.application,
        template="emails/applications/payment_paid",
        context={**_context(payment), "paid_on": paid_on.strftime("%d.%m.%Y")},
    )
    return payment


# Export for the Kreiskasse -------------------------------------------------------------

TREASURY_COLUMNS = [
    "Aktenzeichen",
    "Mittelabruf",
    "Empfänger",
    "Kontoinhaber",
    "IBAN",
    "Betrag",
    "Verwendungszweck",
    "Freigegeben am",
    "Freigegeben von",
]


def payments_for_treasury():
    """Released requests that wait for the treasury, oldest release first."""
    return (
        PaymentRequest.objects.filter(status=PaymentStatus.RELEASED)
        .select_related("application", "application__organisation", "released_by")
        .order_by("released_at", "pk")
    )


def treasury_rows(payments):
    for payment in payments:
        yield [
            payment.application.reference,
            payment.number,
            payment.application.organisation.name,
            payment.account_holder,
            payment.iban,
            Money(payment.amount),
            payment.purpose,
            timezone.localdate(payment.released_at),
            payment.released_by.get_full_name() or payment.released_by.email,
        ]


def treasury_export(file_format, payments):
    """CSV (German Excel: BOM, semicolons, German amounts) or XLSX for the Kreiskasse."""
    stamp = timezone.localdate().strftime("%Y-%m-%d")
    response = export_response(
        fmt=file_format,
        filename=f"KITZ-Auszahlungen-{stamp}",
        sheets=[("Auszahlungen", TREASURY_COLUMNS, treasury_rows(payments))],
    )
    response["Cache-Control"] = "private, no-store"
    return response
