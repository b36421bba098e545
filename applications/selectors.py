from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone

from accounts import permissions as account_permissions

from .models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CriterionKind,
    FundingProgramme,
)


def open_programmes(today=None):
    """Published programmes whose application window is open, with the money still free."""
    today = today or timezone.localdate()
    return (
        FundingProgramme.objects.filter(
            is_published=True, opens_on__lte=today, closes_on__gte=today
        )
        .select_related("guideline")
        .annotate(
            committed=Sum(
                "applications__requested_amount",
                filter=Q(
                    applications__status__in=[ApplicationStatus.APPROVED, ApplicationStatus.CLOSED]
                ),
            )
        )
        .order_by("closes_on", "title")
    )


def eligibility_criteria(programme):
    return programme.guideline.criteria.filter(kind=CriterionKind.ELIGIBILITY).order_by("order")


def declaration_criteria(programme):
    return programme.guideline.criteria.filter(kind=CriterionKind.DECLARATION).order_by("order")


def applications_of_member(user):
    """The "Meine Anträge" list: every application of every organisation the person belongs to."""
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "programme")
        .order_by("-created_at")
    )


def application_for_member(user, pk):
    """An application of one of the person's organisations; anything else is "not found"."""
    try:
        return (
            Application.objects.filter(organisation__memberships__user=user)
            .select_related("organisation", "programme", "programme__guideline", "guideline")
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None


def application_for_viewer(user, pk):
    """Members see their own; KITZ staff see submitted applications, never drafts."""
    queryset = Application.objects.select_related(
        "organisation", "programme", "programme__guideline", "guideline"
    )
    if not account_permissions.is_kitz_staff(user):
        queryset = queryset.filter(organisation__memberships__user=user)
    else:
        queryset = queryset.filter(
            Q(organisation__memberships__user=user) | ~Q(status=ApplicationStatus.DRAFT)
        ).distinct()
    try:
        return queryset.get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def application_detail(application):
    """What the summary, the detail page and the PDF show, in a fixed number of queries."""
    return {
        "cost_items": list(application.cost_items.select_related("category")),
        "financing_items": list(application.financing_items.all()),
        "attachments": list(application.attachments.all()),
        "handlungsfelder": list(application.handlungsfelder.all()),
        "events": list(
            ApplicationEvent.objects.filter(application=application).select_related("actor")
        ),
    }


def funded_projects_of_handlungsfeld(handlungsfeld, limit=20):
    """Approved projects of a field of action, for its public page (title, organisation, year)."""
    return (
        Application.objects.filter(
            handlungsfelder=handlungsfeld,
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.CLOSED],
        )
        .select_related("organisation", "programme")
        .order_by("-programme__budget_year", "title")[:limit]
    )
