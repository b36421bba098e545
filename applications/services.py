"""Every write on applications: one function per change, checked, locked and logged."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from accounts.models import Organisation
from accounts.notifications import queue_notification
from kitz_portal.errors import PortalError

from . import permissions, rules
from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Attachment,
    CostItem,
    FinancingItem,
    ReferenceCounter,
)
from .selectors import declaration_criteria, eligibility_criteria

logger = logging.getLogger(__name__)

MAX_TOTAL_ATTACHMENT_SIZE = 30 * 1024 * 1024


def _record(application, *, actor, from_status, to_status, note=""):
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=from_status or "",
        to_status=to_status,
        note=note,
    )


def _locked_draft(*, actor, application):
    """Lock the draft row and check the person may still change it."""
    # Lock only the application row: drafts of other organisations share the programme row.
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "organisation")
        .get(pk=application.pk)
    )
    if not permissions.is_applicant_for(actor, locked):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    if not permissions.can_edit_draft(actor, locked):
        raise PortalError(
            _("Dieser Antrag ist bereits eingereicht und kann nicht mehr geändert werden.")
        )
    return locked


def excluding_criteria(*, programme, answers):
    """The eligibility criteria whose answer excludes funding (answers: {code: "yes"/"no"})."""
    return [
        criterion
        for criterion in eligibility_criteria(programme)
        if answers.get(criterion.code) == criterion.excluding_answer
    ]


@transaction.atomic
def start_application(*, actor, organisation, programme, answers):
    """Open a draft once the eligibility check has passed."""
    if not account_permissions.is_member_of(actor, organisation):
        raise PortalError(_("Sie gehören nicht zu dieser Organisation."), field="organisation")
    if not programme.is_open():
        raise PortalError(_("Für dieses Förderprogramm läuft gerade keine Antragsfrist."))
    criteria = list(eligibility_criteria(programme))
    if any(criterion.code not in answers for criterion in criteria):
        raise PortalError(_("Bitte beantworten Sie alle Fragen."))
    if excluding_criteria(programme=programme, answers=answers):
        raise PortalError(_("Nach Ihren Antworten ist eine Förderung nicht möglich."))
    application = Application.objects.create(
        organisation=organisation,
        programme=programme,
        created_by=actor,
        eligibility_answers={c.code: answers[c.code] for c in criteria},
    )
    _record(application, actor=actor, from_status="", to_status=ApplicationStatus.DRAFT)
    return application


@transaction.atomic
def update_project(*, actor, application, handlungsfelder, **fields):
    application = _locked_draft(actor=actor, application=application)
    if any(not field.is_active for field in handlungsfelder):
        raise PortalError(
            _("Bitte wählen Sie nur aktive Handlungsfelder."), field="handlungsfelder"
        )
    errors = rules.project_date_errors(
        application.programme, fields.get("start_date"), fields.get("end_date")
    )
    if errors:
        name, message = next(iter(errors.items()))
        raise PortalError(message, field=name)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save()
    application.handlungsfelder.set(handlungsfelder)
    return application


@transaction.atomic
def add_cost_item(*, actor, application, category, description, quantity, unit_price):
    application = _locked_draft(actor=actor, application=application)
    error = rules.cost_item_error(application.programme, category, unit_price)
    if error:
        raise PortalError(error[1], field=error[0])
    return CostItem.objects.create(
        application=application,
        category=category,
        description=description,
        quantity=quantity,
        unit_price=unit_price,
    )


@transaction.atomic
def delete_cost_item(*, actor, application, item_id):
    application = _locked_draft(actor=actor, application=application)
    deleted, _count = CostItem.objects.filter(application=application, pk=item_id).delete()
    return bool(deleted)


@transaction.atomic
def save_financing(*, actor, application, own_funds, volunteer_hours, requested_amount):
    """Save the plan's own numbers; the summary shows what still breaks a rule."""
    application = _locked_draft(actor=actor, application=application)
    application.own_funds = own_funds
    application.volunteer_hours = volunteer_hours
    application.requested_amount = requested_amount
    application.financing_saved = True
    application.save(
        update_fields=[
            "own_funds",
            "volunteer_hours",
            "requested_amount",
            "financing_saved",
            "updated_at",
        ]
    )
    return application


@transaction.atomic
def add_third_party_funds(*, actor, application, kind, source, amount):
    application = _locked_draft(actor=actor, application=application)
    return FinancingItem.objects.create(
        application=application, kind=kind, source=source, amount=amount
    )


@transaction.atomic
def delete_financing_item(*, actor, application, item_id):
    application = _locked_draft(actor=actor, application=application)
    deleted, _count = FinancingItem.objects.filter(application=application, pk=item_id).delete()
    return bool(deleted)


@transaction.atomic
def add_attachment(*, actor, application, upload, content_type, description=""):
    """Store a checked upload; the total per application stays within the limit."""
    application = _locked_draft(actor=actor, application=application)
    used = sum(application.attachments.values_list("size", flat=True))
    if used + upload.size > MAX_TOTAL_ATTACHMENT_SIZE:
        raise PortalError(
            _(
                "Alle Anlagen zusammen dürfen höchstens %(limit)s MB groß sein. "
                "Es sind noch %(free)s MB frei."
            )
            % {
                "limit": MAX_TOTAL_ATTACHMENT_SIZE // (1024 * 1024),
                "free": round((MAX_TOTAL_ATTACHMENT_SIZE - used) / (1024 * 1024), 1),
            },
            field="file",
        )
    attachment = Attachment(
        application=application,
        original_name=upload.name,
        content_type=content_type,
        size=upload.size,
        description=description,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def delete_attachment(*, actor, application, attachment_id):
    application = _locked_draft(actor=actor, application=application)
    attachment = Attachment.objects.filter(application=application, pk=attachment_id).first()
    if attachment is None:
        return False
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    return True


@transaction.atomic
def confirm_declarations(*, actor, application, codes):
    application = _locked_draft(actor=actor, application=application)
    required = set(declaration_criteria(application.programme).values_list("code", flat=True))
    if not required <= set(codes):
        raise PortalError(_("Bitte bestätigen Sie alle Erklärungen."))
    application.confirmed_declarations = sorted(required)
    application.declarations_confirmed_at = timezone.now()
    application.save(
        update_fields=["confirmed_declarations", "declarations_confirmed_at", "updated_at"]
    )
    return application


def _next_reference(year):
    """Take the next number of the year; the row lock makes numbers unique and gap-free."""
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"KITZ-{year}-{counter.last_number:04d}"


def _notify_members(application, *, template, context):
    for membership in application.organisation.memberships.select_related("user"):
        user = membership.user
        if user.is_active and user.email:
            queue_notification(
                template=template, to_email=user.email, recipient=user, context=context
            )


@transaction.atomic
def submit_application(*, actor, application):
    """Lock, check every rule, give the Aktenzeichen, record the Leitfaden, notify the members."""
    application = _locked_draft(actor=actor, application=application)
    # One organisation submitting two drafts at once must queue, not both pass the pending rule.
    Organisation.objects.select_for_update().get(pk=application.organisation_id)
    findings = rules.submission_findings(application)
    if findings:
        raise PortalError(findings[0].message)
    programme = application.programme
    if programme.one_pending_per_organisation:
        pending = Application.objects.filter(
            organisation=application.organisation,
            programme=programme,
            status__in=[
                ApplicationStatus.SUBMITTED,
                ApplicationStatus.IN_REVIEW,
                ApplicationStatus.INFO_REQUESTED,
                ApplicationStatus.RECOMMENDED,
            ],
        ).exclude(pk=application.pk)
        if pending.exists():
            raise PortalError(
                _(
                    "Ihre Organisation hat in diesem Förderprogramm schon einen Antrag, über den "
                    "noch nicht entschieden ist. Nach dem Leitfaden ist nur ein offener Antrag "
                    "je Organisation möglich."
                )
            )
    now = timezone.now()
    application.reference = _next_reference(timezone.localdate(now).year)
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = now
    application.guideline = programme.guideline
    application.save(
        update_fields=["reference", "status", "submitted_at", "guideline", "updated_at"]
    )
    _record(
        application,
        actor=actor,
        from_status=ApplicationStatus.DRAFT,
        to_status=ApplicationStatus.SUBMITTED,
    )
    _notify_members(
        application,
        template="emails/application_received",
        context={
            "reference": application.reference,
            "title": application.title,
            "organisation": application.organisation.name,
            "programme": str(programme),
            "submitted_on": timezone.localtime(now).strftime("%d.%m.%Y"),
            "application_id": application.pk,
        },
    )
    logger.info("Application %s submitted", application.reference)
    return application


@transaction.atomic
def withdraw_application(*, actor, application, reason=""):
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not permissions.is_applicant_for(actor, application):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    if not application.can_be_withdrawn:
        raise PortalError(_("Dieser Antrag kann nicht mehr zurückgezogen werden."))
    previous = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.withdrawal_reason = reason
    application.save(update_fields=["status", "withdrawal_reason", "updated_at"])
    _record(
        application,
        actor=actor,
        from_status=previous,
        to_status=ApplicationStatus.WITHDRAWN,
        note=reason,
    )
    _notify_members(
        application,
        template="emails/application_withdrawn",
        context={
            "reference": application.reference,
            "title": application.title,
            "organisation": application.organisation.name,
            "reason": reason,
        },
    )
    return application


@transaction.atomic
def delete_draft(*, actor, application):
    application = _locked_draft(actor=actor, application=application)
    storage_names = [
        (attachment.file.storage, attachment.file.name)
        for attachment in application.attachments.all()
    ]
    application.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in storage_names])


@transaction.atomic
def copy_application(*, actor, application, programme=None):
    """Start a new draft from an earlier application: project, costs and financing, no files."""
    source = Application.objects.get(pk=application.pk)
    if not permissions.is_applicant_for(actor, source):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    programme = programme or source.programme
    if not programme.is_open():
        raise PortalError(_("Für dieses Förderprogramm läuft gerade keine Antragsfrist."))
    copy = Application.objects.create(
        organisation=source.organisation,
        programme=programme,
        created_by=actor,
        copied_from=source,
        title=source.title,
        summary=source.summary,
        description=source.description,
        target_groups=source.target_groups,
        expected_participants=source.expected_participants,
        places=source.places,
        own_funds=source.own_funds,
        volunteer_hours=source.volunteer_hours,
        requested_amount=source.requested_amount,
        eligibility_answers=source.eligibility_answers,
    )
    copy.handlungsfelder.set(source.handlungsfelder.filter(is_active=True))
    eligible = set(programme.eligible_cost_categories.values_list("pk", flat=True))
    CostItem.objects.bulk_create(
        CostItem(
            application=copy,
            category_id=item.category_id,
            description=item.description,
            quantity=item.quantity,
            unit_price=item.unit_price,
        )
        for item in source.cost_items.all()
        if item.category_id in eligible
    )
    FinancingItem.objects.bulk_create(
        FinancingItem(application=copy, kind=item.kind, source=item.source, amount=item.amount)
        for item in source.financing_items.all()
    )
    _record(
        copy,
        actor=actor,
        from_status="",
        to_status=ApplicationStatus.DRAFT,
        note=str(_("Kopie von %(source)s") % {"source": source}),
    )
    return copy
