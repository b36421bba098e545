"""Every write on applications: one function per change, checked, locked and logged."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import permissions as account_permissions
from accounts.models import Organisation
from accounts.notifications import queue_notification
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money

from . import permissions, rules
from .models import (
    ZERO,
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


def store_attachment(attachment, upload, *, stored, limit=MAX_TOTAL_ATTACHMENT_SIZE):
    """Save ``attachment`` with the checked ``upload`` unless it and the files already ``stored``
    (a queryset of the same owner's attachments) exceed ``limit``; a failed save leaves no file."""
    used = sum(stored.values_list("size", flat=True))
    if used + upload.size > limit:
        raise PortalError(
            _(
                "Alle Anlagen zusammen dürfen höchstens %(limit)s MB groß sein. "
                "Es sind noch %(free)s MB frei."
            )
            % {
                "limit": limit // (1024 * 1024),
                "free": round((limit - used) / (1024 * 1024), 1),
            },
            field="file",
        )
    attachment.file.save(upload.name, upload, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def add_attachment(*, actor, application, upload, content_type, description="", kind=None):
    """Store a checked upload; the total per application stays within the limit."""
    application = _locked_draft(actor=actor, application=application)
    attachment = Attachment(
        application=application,
        original_name=upload.name,
        content_type=content_type,
        size=upload.size,
        description=description,
        kind=kind,
        uploaded_by=actor,
    )
    return store_attachment(attachment, upload, stored=application.attachments.all())


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
        raise PortalError(findings[0].message, field=findings[0].section)
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


# Review and decision ---------------------------------------------------------------------


def _record_internal(application, *, actor, from_status, to_status, note=""):
    """An event whose note is for the KITZ only (review, proposal, decision remarks)."""
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        from_status=from_status or "",
        to_status=to_status,
        note=note,
        internal=True,
    )


def _locked_case(*, actor, application, allowed, predicate=None):
    """Lock a case, check the person may work on it and that its state allows the step."""
    from .permissions import require_case_work, require_status

    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("programme", "organisation")
        .get(pk=application.pk)
    )
    require_case_work(actor, locked, predicate)
    require_status(locked, allowed)
    return locked


def _case_context(application, **extra):
    return {
        "reference": application.reference,
        "title": application.title,
        "application_id": application.pk,
        **extra,
    }


def _notify_staff(user, *, template, context):
    if user is not None and user.is_active and user.email:
        queue_notification(template=template, to_email=user.email, recipient=user, context=context)


@transaction.atomic
def assign_application(*, actor, application, assignee):
    """Give a case to a case handler; a newly submitted one goes into review."""
    from .permissions import can_work_on_case

    application = _locked_case(
        actor=actor,
        application=application,
        allowed=[
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.IN_REVIEW,
            ApplicationStatus.INFO_REQUESTED,
            ApplicationStatus.RECOMMENDED,
        ],
    )
    if not can_work_on_case(assignee, application):
        raise PortalError(
            _("%(person)s kann diesen Antrag nicht bearbeiten.") % {"person": assignee},
            field="assignee",
        )
    previous = application.status
    if previous == ApplicationStatus.SUBMITTED:
        application.status = ApplicationStatus.IN_REVIEW
    application.assigned_to = assignee
    application.save(update_fields=["status", "assigned_to", "updated_at"])
    _record_internal(
        application,
        actor=actor,
        from_status=previous,
        to_status=application.status,
        note=str(_("Zuständig: %(person)s") % {"person": assignee}),
    )
    if assignee != actor:
        _notify_staff(
            assignee,
            template="emails/applications/case_assigned",
            context=_case_context(application),
        )
    return application


@transaction.atomic
def request_information(*, actor, application, message, due_on):
    """Ask the applicant a question with a due date; the case waits for the answer."""
    from .models import CaseMessage, InformationRequest

    application = _locked_case(
        actor=actor, application=application, allowed=[ApplicationStatus.IN_REVIEW]
    )
    if not message.strip():
        raise PortalError(_("Bitte schreiben Sie Ihre Rückfrage."), field="message")
    if due_on <= timezone.localdate():
        raise PortalError(_("Die Frist muss in der Zukunft liegen."), field="due_on")
    request = InformationRequest.objects.create(
        application=application, requested_by=actor, message=message, due_on=due_on
    )
    CaseMessage.objects.create(
        application=application,
        author=actor,
        from_kitz=True,
        text=message,
        information_request=request,
    )
    application.status = ApplicationStatus.INFO_REQUESTED
    application.response_due_on = due_on
    application.save(update_fields=["status", "response_due_on", "updated_at"])
    _record(
        application,
        actor=actor,
        from_status=ApplicationStatus.IN_REVIEW,
        to_status=ApplicationStatus.INFO_REQUESTED,
        note=message,
    )
    _notify_members(
        application,
        template="emails/applications/information_requested",
        context=_case_context(application, due_on=due_on.strftime("%d.%m.%Y")),
    )
    return request


@transaction.atomic
def answer_information_request(*, actor, application, answer, uploads=()):
    """The applicant answers the open question, optionally with files; review goes on.

    ``uploads`` are (file, content_type, description) triples checked by the form.
    """
    from .models import CaseMessage, InformationRequest

    application = Application.objects.select_for_update().get(pk=application.pk)
    if not account_permissions.is_member_of(actor, application.organisation):
        raise PortalError(_("Sie gehören nicht zu der Organisation dieses Antrags."))
    request = (
        InformationRequest.objects.select_for_update()
        .filter(application=application, answered_at__isnull=True)
        .first()
    )
    if application.status != ApplicationStatus.INFO_REQUESTED or request is None:
        raise PortalError(_("Es gibt keine offene Rückfrage mehr – sie wurde schon beantwortet."))
    if not answer.strip():
        raise PortalError(_("Bitte schreiben Sie Ihre Antwort."), field="answer")
    now = timezone.now()
    request.answer = answer
    request.answered_at = now
    request.answered_by = actor
    request.save(update_fields=["answer", "answered_at", "answered_by"])
    CaseMessage.objects.create(
        application=application,
        author=actor,
        from_kitz=False,
        text=answer,
        information_request=request,
    )
    used = sum(application.attachments.values_list("size", flat=True))
    if used + sum(upload.size for upload, _type, _d in uploads) > MAX_TOTAL_ATTACHMENT_SIZE:
        raise PortalError(
            _("Alle Anlagen zusammen dürfen höchstens %(limit)s MB groß sein.")
            % {"limit": MAX_TOTAL_ATTACHMENT_SIZE // (1024 * 1024)},
            field="files",
        )
    stored = []
    try:
        for upload, content_type, description in uploads:
            attachment = Attachment(
                application=application,
                original_name=upload.name,
                content_type=content_type,
                size=upload.size,
                description=description
                or str(_("Antwort auf die Rückfrage vom %(date)s"))
                % {"date": timezone.localtime(request.created_at).strftime("%d.%m.%Y")},
                uploaded_by=actor,
            )
            attachment.file.save(upload.name, upload, save=False)
            stored.append(attachment.file)
            attachment.save()
    except Exception:
        for file in stored:
            file.delete(save=False)
        raise
    application.status = ApplicationStatus.IN_REVIEW
    application.response_due_on = None
    application.save(update_fields=["status", "response_due_on", "updated_at"])
    _record(
        application,
        actor=actor,
        from_status=ApplicationStatus.INFO_REQUESTED,
        to_status=ApplicationStatus.IN_REVIEW,
        note=answer,
    )
    _notify_staff(
        application.assigned_to or request.requested_by,
        template="emails/applications/information_answered",
        context=_case_context(application),
    )
    return request


@transaction.atomic
def add_internal_note(*, actor, application, text):
    from .models import InternalNote

    application = _locked_case(
        actor=actor,
        application=application,
        allowed=[status for status in ApplicationStatus if status != ApplicationStatus.DRAFT],
    )
    if not text.strip():
        raise PortalError(_("Bitte schreiben Sie eine Notiz."), field="text")
    return InternalNote.objects.create(application=application, author=actor, text=text)


@transaction.atomic
def send_case_message(*, actor, application, text):
    """A message on the case: from the KITZ to the members, or from a member to the KITZ."""
    from .models import CaseMessage
    from .permissions import can_work_on_case

    application = Application.objects.select_for_update().get(pk=application.pk)
    from_member = account_permissions.is_member_of(actor, application.organisation)
    if application.is_draft or not (from_member or can_work_on_case(actor, application)):
        raise PortalError(_("Dafür fehlt Ihnen die Berechtigung."))
    if not text.strip():
        raise PortalError(_("Bitte schreiben Sie eine Nachricht."), field="text")
    message = CaseMessage.objects.create(
        application=application, author=actor, from_kitz=not from_member, text=text
    )
    if from_member:
        _notify_staff(
            application.assigned_to,
            template="emails/applications/case_message_to_kitz",
            context=_case_context(application),
        )
    else:
        _notify_members(
            application,
            template="emails/applications/case_message",
            context=_case_context(application),
        )
    return message


def _validated_cost_decisions(application, cost_decisions):
    """Check one decision per cost line; return (item, outcome, amount, reason) rows."""
    from .models import CostOutcome

    items = list(application.cost_items.select_related("category"))
    rows = []
    for item in items:
        if item.pk not in cost_decisions:
            raise PortalError(
                _("Bitte entscheiden Sie über die Kostenposition „%(item)s“.")
                % {"item": item.description}
            )
        outcome, amount, reason = cost_decisions[item.pk]
        field = f"cost_{item.pk}_amount"
        if outcome == CostOutcome.REDUCED and (amount is None or not 0 < amount < item.total):
            raise PortalError(
                _(
                    "Der gekürzte Betrag für „%(item)s“ muss größer als 0 und kleiner als "
                    "%(total)s sein."
                )
                % {"item": item.description, "total": format_money(item.total)},
                field=field,
            )
        if outcome in (CostOutcome.REDUCED, CostOutcome.REFUSED) and not (reason or "").strip():
            raise PortalError(
                _("Bitte begründen Sie die Entscheidung über „%(item)s“.")
                % {"item": item.description},
                field=f"cost_{item.pk}_reason",
            )
        rows.append((item, outcome, amount, reason or ""))
    return rows


@transaction.atomic
def save_review(
    *,
    actor,
    application,
    is_complete,
    is_in_time,
    is_eligible_applicant,
    formal_remark,
    financing_type,
    items,
    cost_decisions,
):
    """Save the Prüfvermerk. ``items``: {criterion_id: (outcome, remark)};
    ``cost_decisions``: {cost_item_id: (outcome, amount, reason)}."""
    from .grants import accepted_amount, computed_grant
    from .models import CostDecision, CriterionKind, Review, ReviewItem

    application = _locked_case(
        actor=actor, application=application, allowed=[ApplicationStatus.IN_REVIEW]
    )
    criteria = list(
        application.guideline.criteria.filter(kind=CriterionKind.REVIEW).order_by("order")
        if application.guideline
        else []
    )
    for criterion in criteria:
        if criterion.pk not in items:
            raise PortalError(
                _("Bitte bewerten Sie den Prüfpunkt „%(text)s“.") % {"text": criterion.text_de},
                field=f"criterion_{criterion.pk}",
            )
    cost_rows = _validated_cost_decisions(application, cost_decisions)
    eligible_total = sum(
        (accepted_amount(item, outcome, amount) for item, outcome, amount, _r in cost_rows), ZERO
    )
    review, _created = Review.objects.get_or_create(
        application=application, defaults={"reviewed_by": actor}
    )
    review.reviewed_by = actor
    review.is_complete = is_complete
    review.is_in_time = is_in_time
    review.is_eligible_applicant = is_eligible_applicant
    review.formal_remark = formal_remark
    review.financing_type = financing_type
    review.eligible_total = eligible_total
    review.computed_grant = computed_grant(
        application, eligible_total=eligible_total, financing_type=financing_type
    )
    review.save()
    review.contributors.add(actor)
    for criterion in criteria:
        outcome, remark = items[criterion.pk]
        ReviewItem.objects.update_or_create(
            review=review, criterion=criterion, defaults={"outcome": outcome, "remark": remark}
        )
    for item, outcome, amount, reason in cost_rows:
        CostDecision.objects.update_or_create(
            review=review,
            cost_item=item,
            defaults={
                "outcome": outcome,
                "amount": accepted_amount(item, outcome, amount),
                "reason": reason,
            },
        )
    _record_internal(
        application,
        actor=actor,
        from_status=ApplicationStatus.IN_REVIEW,
        to_status=ApplicationStatus.IN_REVIEW,
        note=str(
            _("Prüfvermerk gespeichert: zuwendungsfähig %(total)s, errechnete Förderung %(grant)s")
            % {
                "total": format_money(eligible_total),
                "grant": format_money(review.computed_grant),
            }
        ),
    )
    return review


@transaction.atomic
def propose_decision(
    *,
    actor,
    application,
    proposal,
    amount=None,
    period_start=None,
    period_end=None,
    conditions="",
    rejection_reasons="",
):
    """End the Prüfvermerk with a proposal; the case goes to a person with signing authority."""
    from .models import CriterionOutcome, Proposal, Review

    application = _locked_case(
        actor=actor, application=application, allowed=[ApplicationStatus.IN_REVIEW]
    )
    review = Review.objects.select_for_update().filter(application=application).first()
    if review is None:
        raise PortalError(_("Bitte speichern Sie zuerst den Prüfvermerk."))
    if proposal == Proposal.APPROVE:
        if not (review.is_complete and review.is_in_time and review.is_eligible_applicant):
            raise PortalError(
                _("Eine Bewilligung setzt voraus, dass die formale Prüfung bestanden ist.")
            )
        if review.items.filter(outcome=CriterionOutcome.NOT_MET).exists():
            raise PortalError(
                _("Eine Bewilligung ist nicht möglich, solange ein Prüfpunkt nicht erfüllt ist.")
            )
        if amount is None or amount <= 0:
            raise PortalError(_("Bitte geben Sie den Förderbetrag an."), field="amount")
        if amount > review.computed_grant:
            raise PortalError(
                _("Der Förderbetrag darf höchstens die errechnete Förderung von %(grant)s sein.")
                % {"grant": format_money(review.computed_grant)},
                field="amount",
            )
        if amount < application.programme.min_grant:
            raise PortalError(
                _("Der Förderbetrag muss mindestens %(min)s betragen.")
                % {"min": format_money(application.programme.min_grant)},
                field="amount",
            )
        if period_start is None or period_end is None:
            raise PortalError(
                _("Bitte geben Sie den Bewilligungszeitraum an."), field="period_start"
            )
        if period_start > period_end:
            raise PortalError(
                _("Das Ende des Bewilligungszeitraums liegt vor seinem Beginn."),
                field="period_end",
            )
        review.proposed_amount = amount
        review.period_start = period_start
        review.period_end = period_end
        review.conditions = conditions
        review.rejection_reasons = ""
        note = str(_("Vorschlag: Bewilligung über %(amount)s") % {"amount": format_money(amount)})
    elif proposal == Proposal.REJECT:
        if not rejection_reasons.strip():
            raise PortalError(
                _("Bitte begründen Sie die vorgeschlagene Ablehnung."), field="rejection_reasons"
            )
        review.proposed_amount = None
        review.period_start = None
        review.period_end = None
        review.conditions = ""
        review.rejection_reasons = rejection_reasons
        note = str(_("Vorschlag: Ablehnung"))
    else:
        raise PortalError(_("Bitte wählen Sie einen Vorschlag."), field="proposal")
    review.proposal = proposal
    review.reviewed_by = actor
    review.proposed_at = timezone.now()
    review.save()
    review.contributors.add(actor)
    application.status = ApplicationStatus.RECOMMENDED
    application.save(update_fields=["status", "updated_at"])
    _record_internal(
        application,
        actor=actor,
        from_status=ApplicationStatus.IN_REVIEW,
        to_status=ApplicationStatus.RECOMMENDED,
        note=note,
    )
    return review


def committed_amount(programme):
    """Money the approvals of a programme have taken from its budget."""
    from django.db.models import Sum

    total = Application.objects.filter(
        programme=programme,
        status__in=[ApplicationStatus.APPROVED, ApplicationStatus.CLOSED],
    ).aggregate(total=Sum("granted_amount"))["total"]
    return total or ZERO


def _reserve_budget(application, amount):
    """Lock the programme's budget row so two approvals cannot both take the last euros."""
    from .models import FundingProgramme

    programme = FundingProgramme.objects.select_for_update().get(pk=application.programme_id)
    remaining = programme.budget - committed_amount(programme)
    if amount > remaining:
        raise PortalError(
            _(
                "Das Budget von „%(programme)s“ reicht nicht: noch verfügbar sind %(remaining)s, "
                "die Bewilligung braucht %(amount)s."
            )
            % {
                "programme": programme,
                "remaining": format_money(remaining),
                "amount": format_money(amount),
            }
        )


class DecisionAction:
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"


@transaction.atomic
def decide_application(*, actor, application, action, note=""):
    """Four-eyes decision on the proposal: approve, reject, or send back with a note."""
    from .models import Decision, DecisionOutcome, Proposal, Review
    from .permissions import can_decide

    application = _locked_case(
        actor=actor,
        application=application,
        allowed=[ApplicationStatus.RECOMMENDED],
        predicate=can_decide,
    )
    review = Review.objects.select_for_update().get(application=application)
    if review.reviewed_by_id == actor.pk or review.contributors.filter(pk=actor.pk).exists():
        raise PortalError(
            _(
                "Sie haben den Prüfvermerk geschrieben. Entscheiden muss eine andere Person "
                "(Vier-Augen-Prinzip)."
            )
        )
    if action == DecisionAction.RETURN:
        if not note.strip():
            raise PortalError(_("Bitte schreiben Sie, was noch zu klären ist."), field="note")
        review.proposed_at = None
        review.save(update_fields=["proposed_at", "updated_at"])
        application.status = ApplicationStatus.IN_REVIEW
        application.save(update_fields=["status", "updated_at"])
        _record_internal(
            application,
            actor=actor,
            from_status=ApplicationStatus.RECOMMENDED,
            to_status=ApplicationStatus.IN_REVIEW,
            note=note,
        )
        _notify_staff(
            review.reviewed_by,
            template="emails/applications/case_returned",
            context=_case_context(application),
        )
        return None
    expected = {Proposal.APPROVE: DecisionAction.APPROVE, Proposal.REJECT: DecisionAction.REJECT}
    if action != expected.get(review.proposal):
        raise PortalError(
            _(
                "Die Entscheidung muss dem Vorschlag folgen. Wenn Sie anders entscheiden wollen, "
                "senden Sie den Antrag mit einem Vermerk zurück."
            )
        )
    approve = action == DecisionAction.APPROVE
    if approve:
        _reserve_budget(application, review.proposed_amount)
    decision = Decision.objects.create(
        application=application,
        outcome=DecisionOutcome.APPROVED if approve else DecisionOutcome.REJECTED,
        amount=review.proposed_amount if approve else None,
        financing_type=review.financing_type if approve else "",
        period_start=review.period_start if approve else None,
        period_end=review.period_end if approve else None,
        conditions=review.conditions if approve else "",
        reasons=review.rejection_reasons,
        note=note,
        reviewed_by=review.reviewed_by,
        decided_by=actor,
    )
    previous = application.status
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.granted_amount = decision.amount
    application.save(update_fields=["status", "granted_amount", "updated_at"])
    _record_internal(
        application,
        actor=actor,
        from_status=previous,
        to_status=application.status,
        note=note,
    )
    _issue_letter(application=application, decision=decision, actor=actor)
    _notify_members(
        application,
        template="emails/applications/decision_made",
        context=_case_context(application, approved=approve),
    )
    logger.info("Application %s decided: %s", application.reference, decision.outcome)
    return decision


def _issue_letter(*, application, decision, actor):
    """Render the Bescheid in the decision's transaction; a render failure rolls it back."""
    from .letter_models import LetterKind
    from .letters import issue_decision_letter
    from .models import DecisionOutcome

    approved = decision.outcome == DecisionOutcome.APPROVED
    review = getattr(application, "review", None)
    return issue_decision_letter(
        application=application,
        kind=LetterKind.GRANT if approved else LetterKind.REJECTION,
        actor=actor,
        signer=actor,
        amount=decision.amount if approved else None,
        period_start=decision.period_start,
        period_end=decision.period_end,
        financing_type=decision.financing_type or None,
        eligible_costs=review.eligible_total if review is not None else None,
        conditions=decision.conditions,
        reasons=decision.reasons,
    )


@transaction.atomic
def resend_notification(*, actor, notification):
    """Put a pending or failed outbox row back in the queue."""
    from accounts.models import Notification, NotificationStatus
    from accounts.notifications import dispatch

    from .permissions import can_see_outbox

    if not can_see_outbox(actor):
        raise PortalError(_("Dafür fehlt Ihnen die Berechtigung."))
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status == NotificationStatus.SENT:
        raise PortalError(_("Diese Nachricht wurde bereits versandt."))
    notification.status = NotificationStatus.PENDING
    notification.attempts = 0
    notification.save(update_fields=["status", "attempts"])
    transaction.on_commit(lambda: dispatch(notification.pk))
    return notification
