"""Writes of the administration on programmes: copy a programme for a new year, keep its
rules, change its budget.
"""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from kitz_portal.errors import PortalError
from kitz_portal.money import format_money

from .models import BudgetChange, FundingProgramme
from .services import committed_amount

COPIED_FIELDS = [
    "description",
    "min_grant",
    "max_grant",
    "min_own_share_percent",
    "volunteer_hourly_rate",
    "volunteer_cap_percent",
    "max_investment_per_item",
    "lead_time_weeks",
    "max_duration_months",
    "one_pending_per_organisation",
    "contact_name",
    "contact_email",
    "contact_phone",
]


def _require_administrator(actor):
    if not permissions.is_administrator(actor):
        raise PortalError(_("Nur die Administration darf Förderprogramme verwalten."))


def _check_rules(*, opens_on, closes_on, min_grant=None, max_grant=None):
    if opens_on and closes_on and closes_on < opens_on:
        raise PortalError(
            _("Die Antragsfrist kann nicht enden, bevor sie beginnt."), field="closes_on"
        )
    if min_grant is not None and max_grant is not None and min_grant > max_grant:
        raise PortalError(
            _("Die Mindestförderung darf nicht über der Höchstförderung liegen."), field="min_grant"
        )


@transaction.atomic
def copy_programme(*, actor, source, title, budget_year, opens_on, closes_on, budget):
    """A programme for a new year with the rules and cost categories of the previous one.

    It starts unpublished so that the administration can check it before applicants see it.
    """
    _require_administrator(actor)
    _check_rules(opens_on=opens_on, closes_on=closes_on)
    programme = FundingProgramme(
        title=title,
        budget_year=budget_year,
        guideline=source.guideline,
        opens_on=opens_on,
        closes_on=closes_on,
        budget=budget,
        is_published=False,
        **{name: getattr(source, name) for name in COPIED_FIELDS},
    )
    programme.save()
    programme.eligible_cost_categories.set(source.eligible_cost_categories.all())
    programme.required_attachment_kinds.set(source.required_attachment_kinds.all())
    return programme


@transaction.atomic
def update_programme(
    *, actor, programme, eligible_cost_categories=None, required_attachment_kinds=None, **fields
):
    _require_administrator(actor)
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    if "budget" in fields:
        raise PortalError(_("Das Budget ändert sich nur über eine Budgetänderung."))
    for name, value in fields.items():
        setattr(programme, name, value)
    _check_rules(
        opens_on=programme.opens_on,
        closes_on=programme.closes_on,
        min_grant=programme.min_grant,
        max_grant=programme.max_grant,
    )
    programme.save()
    if eligible_cost_categories is not None:
        programme.eligible_cost_categories.set(eligible_cost_categories)
    if required_attachment_kinds is not None:
        programme.required_attachment_kinds.set(required_attachment_kinds)
    return programme


@transaction.atomic
def add_attachment_kind(*, actor, name_de, name_en=""):
    """A new kind of attachment that programmes can require, e.g. „Jahresabschluss“."""
    from django.utils.text import slugify

    from .models import AttachmentKind

    _require_administrator(actor)
    name_de = name_de.strip()
    if not name_de:
        raise PortalError(_("Bitte geben Sie einen Namen an."), field="name_de")
    if AttachmentKind.objects.filter(name_de__iexact=name_de).exists():
        raise PortalError(_("Diese Anlagenart gibt es schon."), field="name_de")
    base = slugify(name_de)[:32] or "anlage"
    code, number = base, 1
    while AttachmentKind.objects.filter(code=code).exists():
        number += 1
        code = f"{base}-{number}"
    last = AttachmentKind.objects.order_by("-order").values_list("order", flat=True).first()
    return AttachmentKind.objects.create(
        code=code, name_de=name_de, name_en=name_en.strip(), order=(last or 0) + 1
    )


@transaction.atomic
def replace_guideline_document(*, actor, programme, upload):
    """Store the programme's Leitfaden PDF; the previous file is removed after commit."""
    from django.utils import timezone

    _require_administrator(actor)
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    old = programme.guideline_document
    old_storage, old_name = (old.storage, old.name) if old else (None, None)
    programme.guideline_document.save(upload.name, upload, save=False)
    new_storage, new_name = programme.guideline_document.storage, programme.guideline_document.name
    programme.guideline_document_size = upload.size
    programme.guideline_document_uploaded_at = timezone.now()
    try:
        programme.save(
            update_fields=[
                "guideline_document",
                "guideline_document_size",
                "guideline_document_uploaded_at",
            ]
        )
    except Exception:
        new_storage.delete(new_name)
        raise
    if old_name:
        transaction.on_commit(lambda: old_storage.delete(old_name))
    return programme


@transaction.atomic
def remove_guideline_document(*, actor, programme):
    _require_administrator(actor)
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    if not programme.guideline_document:
        raise PortalError(_("Für dieses Förderprogramm ist kein Leitfaden hinterlegt."))
    storage, name = programme.guideline_document.storage, programme.guideline_document.name
    programme.guideline_document = ""
    programme.guideline_document_size = 0
    programme.guideline_document_uploaded_at = None
    programme.save(
        update_fields=[
            "guideline_document",
            "guideline_document_size",
            "guideline_document_uploaded_at",
        ]
    )
    transaction.on_commit(lambda: storage.delete(name))
    return programme


@transaction.atomic
def change_budget(*, actor, programme, amount, reason):
    """Top up (or cut) a budget: a new row each time, never an overwritten figure.

    The programme row is locked like an approval locks it, so a cut cannot race an approval.
    """
    _require_administrator(actor)
    if not amount:
        raise PortalError(_("Bitte geben Sie einen Betrag ungleich 0 ein."), field="amount")
    programme = FundingProgramme.objects.select_for_update().get(pk=programme.pk)
    new_budget = programme.budget + amount
    committed = committed_amount(programme)
    if new_budget < committed:
        raise PortalError(
            _(
                "Das Budget kann nicht unter die bereits bewilligten %(committed)s sinken "
                "(danach wären es %(budget)s)."
            )
            % {"committed": format_money(committed), "budget": format_money(new_budget)},
            field="amount",
        )
    change = BudgetChange.objects.create(
        programme=programme,
        amount=amount,
        budget_after=new_budget,
        reason=reason,
        changed_by=actor,
    )
    programme.budget = new_budget
    programme.save(update_fields=["budget"])
    return change


def initial_budget(programme):
    """The budget the programme started with: today's budget minus every later change."""
    from django.db.models import Sum

    changes = programme.budget_changes.aggregate(total=Sum("amount"))["total"] or 0
    return programme.budget - changes


# Leitfaden versions -----------------------------------------------------------------------


def submitted_use_count(guideline):
    """Submitted applications checked against this version; any use freezes it."""
    from .models import ApplicationStatus

    return guideline.applications.exclude(status=ApplicationStatus.DRAFT).count()


def _editable_guideline(guideline):
    from .models import Guideline

    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    used = submitted_use_count(guideline)
    if used:
        raise PortalError(
            _(
                "Diese Version des Leitfadens ist eingefroren: %(count)s eingereichte Anträge "
                "wurden nach ihr geprüft. Legen Sie für Änderungen eine neue Version an."
            )
            % {"count": used}
        )
    return guideline


CRITERION_FIELDS = [
    "kind",
    "code",
    "order",
    "text_de",
    "text_en",
    "help_de",
    "help_en",
    "excluding_answer",
    "explanation_de",
    "explanation_en",
]


@transaction.atomic
def start_guideline_version(*, actor, guideline):
    """A new, unpublished version with a copy of every criterion of ``guideline``."""
    from .models import Guideline, GuidelineCriterion

    _require_administrator(actor)
    latest = (
        Guideline.objects.select_for_update().filter(title=guideline.title).order_by("-version")
    ).first()
    if latest.published_at is None:
        raise PortalError(
            _("Version %(version)s ist noch nicht veröffentlicht. Bitte bearbeiten Sie diese.")
            % {"version": latest.version}
        )
    new = Guideline.objects.create(title=guideline.title, version=latest.version + 1)
    GuidelineCriterion.objects.bulk_create(
        GuidelineCriterion(
            guideline=new, **{name: getattr(criterion, name) for name in CRITERION_FIELDS}
        )
        for criterion in latest.criteria.all()
    )
    return new


def _check_criterion(guideline, fields, criterion=None):
    from .models import CriterionKind

    if fields.get("kind") == CriterionKind.ELIGIBILITY and not fields.get("excluding_answer"):
        raise PortalError(
            _("Eine Prüffrage braucht die Antwort, die eine Förderung ausschließt."),
            field="excluding_answer",
        )
    others = guideline.criteria.filter(code=fields.get("code"))
    if criterion is not None:
        others = others.exclude(pk=criterion.pk)
    if others.exists():
        raise PortalError(_("Diesen Kurznamen gibt es in dieser Version schon."), field="code")


@transaction.atomic
def add_criterion(*, actor, guideline, **fields):
    from .models import GuidelineCriterion

    _require_administrator(actor)
    guideline = _editable_guideline(guideline)
    _check_criterion(guideline, fields)
    return GuidelineCriterion.objects.create(guideline=guideline, **fields)


@transaction.atomic
def update_criterion(*, actor, criterion, **fields):
    _require_administrator(actor)
    _editable_guideline(criterion.guideline)
    _check_criterion(criterion.guideline, fields, criterion)
    for name, value in fields.items():
        setattr(criterion, name, value)
    criterion.save()
    return criterion


@transaction.atomic
def delete_criterion(*, actor, criterion):
    _require_administrator(actor)
    _editable_guideline(criterion.guideline)
    criterion.delete()


@transaction.atomic
def publish_guideline_version(*, actor, guideline):
    """Publish a version: programmes on an older version of the same Leitfaden switch to it.

    Submitted applications keep the version they were checked against. New drafts start
    under the new version; members of drafts already started are told, and their draft is
    checked against the new version when they submit it.
    """
    from django.utils import timezone

    from accounts.notifications import queue_notification

    from .models import Application, ApplicationStatus, Guideline

    _require_administrator(actor)
    guideline = Guideline.objects.select_for_update().get(pk=guideline.pk)
    if guideline.published_at is not None:
        raise PortalError(_("Diese Version ist schon veröffentlicht."))
    if not guideline.criteria.exists():
        raise PortalError(_("Eine Version ohne Kriterien kann nicht veröffentlicht werden."))
    guideline.published_at = timezone.now()
    guideline.save(update_fields=["published_at"])
    programmes = list(
        FundingProgramme.objects.select_for_update()
        .filter(guideline__title=guideline.title, guideline__version__lt=guideline.version)
        .select_related("guideline")
    )
    FundingProgramme.objects.filter(pk__in=[p.pk for p in programmes]).update(guideline=guideline)
    drafts = (
        Application.objects.filter(programme__in=programmes, status=ApplicationStatus.DRAFT)
        .select_related("programme")
        .prefetch_related("organisation__memberships__user")
    )
    for draft in drafts:
        for membership in draft.organisation.memberships.all():
            user = membership.user
            queue_notification(
                template="emails/applications/guideline_updated",
                to_email=user.email,
                recipient=user,
                context={
                    "programme": str(draft.programme),
                    "title": draft.title,
                    "version": guideline.version,
                    "draft_path": reverse("applications:summary", kwargs={"pk": draft.pk}),
                },
            )
    return guideline
