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


def programmes_with_guideline_document(today=None):
    """Published programmes still open or to come whose Leitfaden PDF anyone may download."""
    today = today or timezone.localdate()
    return (
        FundingProgramme.objects.filter(is_published=True, closes_on__gte=today)
        .exclude(guideline_document="")
        .order_by("opens_on", "title")
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


# Review and decision ---------------------------------------------------------------------


def _cases_for_staff(user):
    """Every submitted application, except those of the person's own organisations."""
    from accounts.models import Membership

    own = Membership.objects.filter(user=user).values("organisation_id")
    return Application.objects.exclude(status=ApplicationStatus.DRAFT).exclude(
        organisation_id__in=own
    )


def applications_for_staff_queue(*, user, data=None):
    """The "Eingang": a FilterSet over the staff's cases, with a fixed number of queries."""
    from django.db.models import (
        BooleanField,
        Case,
        Count,
        Exists,
        IntegerField,
        OuterRef,
        Subquery,
        Value,
        When,
    )
    from django.db.models.functions import Coalesce

    from .amendment_models import OPEN_AMENDMENT_STATUSES, AmendmentRequest
    from .filters import StaffQueueFilter, usage_report_overdue
    from .models import CaseMessage

    open_amendments = AmendmentRequest.objects.filter(
        application=OuterRef("pk"), status__in=OPEN_AMENDMENT_STATUSES
    )
    # A correlated count instead of JOIN + GROUP BY: PostgreSQL can then walk the
    # (submitted_at, id) index and stop after one page instead of grouping every case.
    messages = (
        CaseMessage.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    queryset = (
        _cases_for_staff(user)
        .select_related("organisation", "assigned_to")
        .prefetch_related("handlungsfelder")
        .annotate(
            message_count=Coalesce(Subquery(messages, output_field=IntegerField()), 0),
            usage_overdue=Case(
                When(usage_report_overdue(timezone.localdate()), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .annotate(has_open_amendment=Exists(open_amendments))
        .order_by("-submitted_at", "-pk")
    )
    return StaffQueueFilter(data, queryset=queryset, user=user)


QUEUE_COLUMNS = (
    "reference",
    "title",
    "status",
    "submitted_at",
    "requested_amount",
    "response_due_on",
    "organisation__name",
    "organisation__kind",
    "assigned_to__first_name",
    "assigned_to__last_name",
    "assigned_to__email",
)


def staff_queue_page(*, filterset, counts, number, per_page):
    """One page of the queue; unfiltered, its total is the sum of the counts per status."""
    from kitz_portal.pagination import DeferredJoinPaginator

    total = None
    if filterset.form.is_valid() and not any(
        value not in (None, "", False)
        for name, value in filterset.form.cleaned_data.items()
        if name != "ordering"
    ):
        total = sum(entry["count"] for entry in counts)
    # Only the columns of the table: no descriptions, budgets or organisation profiles.
    queryset = filterset.qs.only(*QUEUE_COLUMNS)
    return DeferredJoinPaginator(queryset, per_page, count=total).get_page(number)


def status_counts_for_staff(user):
    """Cases per status for the top of the queue, in one query."""
    from django.db.models import Count

    counts = dict(
        _cases_for_staff(user)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    return [
        {"status": value, "label": label, "count": counts.get(value, 0)}
        for value, label in ApplicationStatus.choices
        if value != ApplicationStatus.DRAFT
    ]


def case_for_staff(user, pk):
    """A submitted case; drafts answer 404, the person's own organisation's cases 403."""
    from django.core.exceptions import PermissionDenied

    from .permissions import is_excluded_from_case

    try:
        application = (
            Application.objects.exclude(status=ApplicationStatus.DRAFT)
            .select_related(
                "organisation",
                "programme",
                "programme__guideline",
                "guideline",
                "assigned_to",
                # One row each at most: joined here instead of three more queries.
                "review__reviewed_by",
                "decision__decided_by",
                "decision__reviewed_by",
                "usage_report__checked_by",
            )
            .get(pk=pk)
        )
    except Application.DoesNotExist:
        raise Http404 from None
    if is_excluded_from_case(user, application):
        raise PermissionDenied
    return application


def _one_to_one(application, name):
    """The case's Prüfvermerk, decision or Verwendungsnachweis; joined by case_for_staff."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getattr(application, name)
    except ObjectDoesNotExist:
        return None


def case_detail(application):
    """Everything the case page shows besides the application itself."""
    from django.db.models import prefetch_related_objects

    from .models import CaseMessage, InformationRequest, InternalNote

    review = _one_to_one(application, "review")
    if review is not None:
        prefetch_related_objects([review], "items__criterion", "cost_decisions__cost_item")
    decision = _one_to_one(application, "decision")
    return {
        "earlier_applications": list(
            Application.objects.filter(organisation_id=application.organisation_id)
            .exclude(status=ApplicationStatus.DRAFT)
            .exclude(pk=application.pk)
            .select_related("programme")
            .order_by("-submitted_at")
        ),
        "notes": list(
            InternalNote.objects.filter(application=application).select_related("author")
        ),
        "case_messages": list(
            CaseMessage.objects.filter(application=application).select_related("author")
        ),
        "information_requests": list(
            InformationRequest.objects.filter(application=application).select_related(
                "requested_by", "answered_by"
            )
        ),
        "review": review,
        "decision": decision,
    }


def messages_for_applicant(application):
    """What the applicant sees of the case: the messages and the open question, no notes."""
    from .models import CaseMessage, InformationRequest

    return {
        "case_messages": list(
            CaseMessage.objects.filter(application=application).select_related("author")
        ),
        "open_request": InformationRequest.objects.filter(
            application=application, answered_at__isnull=True
        ).first(),
    }


def budget_overview():
    """Planned, committed, paid, returned and remaining money per programme and Handlungsfeld.

    Committed is granted money not yet paid out; paid money moves out of committed, and money
    repaid after a Widerruf moves from paid to returned. A Widerrufsbescheid ends the grant:
    what had not been paid out by then is free again (remaining). So for every programme
    committed + paid + returned + remaining = budget.
    """
    from decimal import Decimal

    from django.db.models import Count, Q, Sum

    from handlungsfelder.models import Handlungsfeld

    from .payment_models import PaymentRequest, PaymentStatus
    from .revocation_models import RepaymentReceipt

    granted = [ApplicationStatus.APPROVED, ApplicationStatus.CLOSED, ApplicationStatus.REVOKED]
    zero = Decimal("0.00")

    def by_group(queryset, field, prefix):
        rows = queryset.values(f"{prefix}{field}").annotate(total=Sum("amount"))
        return dict(rows.values_list(f"{prefix}{field}", "total"))

    paid_payments = PaymentRequest.objects.filter(
        status=PaymentStatus.PAID, application__status__in=granted
    )
    receipts = RepaymentReceipt.objects.filter(repayment__application__status__in=granted)
    paid_by_programme = by_group(paid_payments, "programme", "application__")
    paid_by_field = by_group(paid_payments, "handlungsfelder", "application__")
    returned_by_programme = by_group(receipts, "programme", "repayment__application__")
    returned_by_field = by_group(receipts, "handlungsfelder", "repayment__application__")
    # A revoked grant keeps only what was paid out: the unpaid rest is released.
    ended = _revoked_grant_releases()
    programmes = []
    for programme in FundingProgramme.objects.annotate(
        committed=Sum("applications__granted_amount", filter=Q(applications__status__in=granted)),
        pending=Sum(
            "applications__requested_amount",
            filter=Q(
                applications__status__in=[
                    ApplicationStatus.SUBMITTED,
                    ApplicationStatus.IN_REVIEW,
                    ApplicationStatus.INFO_REQUESTED,
                    ApplicationStatus.RECOMMENDED,
                ]
            ),
        ),
    ).order_by("-budget_year", "title"):
        granted_total = (programme.committed or zero) - ended["programmes"].get(programme.pk, zero)
        paid_out = paid_by_programme.get(programme.pk) or zero
        returned = returned_by_programme.get(programme.pk) or zero
        programmes.append(
            {
                "programme": programme,
                "planned": programme.budget,
                "committed": granted_total - paid_out,
                "paid": paid_out - returned,
                "returned": returned,
                "remaining": programme.budget - granted_total,
                "pending": programme.pending or zero,
            }
        )
    # An application in several Handlungsfelder counts in each of them.
    fields = []
    for field in Handlungsfeld.objects.annotate(
        committed=Sum("applications__granted_amount", filter=Q(applications__status__in=granted)),
        approved_count=Count("applications", filter=Q(applications__status__in=granted)),
    ).order_by("order", "pk"):
        granted_total = (field.committed or zero) - ended["fields"].get(field.pk, zero)
        paid_out = paid_by_field.get(field.pk) or zero
        returned = returned_by_field.get(field.pk) or zero
        fields.append(
            {
                "handlungsfeld": field,
                "committed": granted_total - paid_out,
                "approved_count": field.approved_count,
                "paid": paid_out - returned,
                "returned": returned,
            }
        )
    return {"programmes": programmes, "handlungsfelder": fields}


def _revoked_grant_releases():
    """Granted but never paid money of revoked grants, per programme and per Handlungsfeld."""
    from collections import defaultdict
    from decimal import Decimal

    from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from .payment_models import PaymentRequest, PaymentStatus
    from .revocation_models import RevocationProcedure, RevocationStatus

    paid = (
        PaymentRequest.objects.filter(application=OuterRef("pk"), status=PaymentStatus.PAID)
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    revoked = RevocationProcedure.objects.filter(status=RevocationStatus.REVOKED).values(
        "application_id"
    )
    # One row per application and Handlungsfeld, in one query.
    rows = (
        Application.objects.filter(
            pk__in=revoked,
            status__in=[ApplicationStatus.REVOKED, ApplicationStatus.CLOSED],
        )
        .annotate(
            paid=Coalesce(
                Subquery(paid, output_field=DecimalField(max_digits=12, decimal_places=2)),
                Value(Decimal("0.00")),
            )
        )
        .values_list("pk", "programme_id", "handlungsfelder", "granted_amount", "paid")
    )
    programmes, fields, counted = defaultdict(Decimal), defaultdict(Decimal), set()
    for pk, programme_id, field_id, granted_amount, paid_out in rows:
        released = (granted_amount or Decimal("0.00")) - paid_out
        if pk not in counted:
            counted.add(pk)
            programmes[programme_id] += released
        if field_id is not None:
            fields[field_id] += released
    return {"programmes": programmes, "fields": fields}


def staff_for_assignment(application):
    """KITZ staff who may take the case: nobody from the applying organisation."""
    from .filters import staff_people

    return staff_people().exclude(memberships__organisation=application.organisation)


def outbox_for_staff():
    """Notifications still waiting or failed, oldest first."""
    from accounts.models import Notification, NotificationStatus

    return (
        Notification.objects.exclude(status=NotificationStatus.SENT)
        .select_related("recipient")
        .order_by("created_at", "pk")
    )


def applications_of_member(user):
    """The "Meine Anträge" list: every application of every organisation the person belongs to."""
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "programme", "usage_report")
        .prefetch_related(
            "payment_requests",
            "amendment_requests",
            "revocation_procedures",
            "repayments__receipts",
        )
        .order_by("-created_at")
    )


def payment_requests_of_case(application):
    """The Mittelabrufe of one case, oldest first, with the people who handled them."""
    from .payment_models import PaymentRequest

    return PaymentRequest.objects.filter(application=application).select_related(
        "requested_by", "checked_by", "released_by"
    )


def amendment_requests_of_case(application):
    """The Änderungsanträge of one case, oldest first, with their lines and people."""
    from .amendment_models import AmendmentRequest

    return (
        AmendmentRequest.objects.filter(application=application)
        .select_related("requested_by", "reviewed_by", "decided_by", "letter")
        .prefetch_related("cost_lines__category")
        .order_by("number")
    )


def usage_report_of_case(application):
    """The Verwendungsnachweis of a case with its receipts and comparison, or nothing yet."""
    from .usage_reports import checklist_of, cost_comparison

    report = _one_to_one(application, "usage_report")
    if report is None:
        return {"usage_report": None}
    return {
        "usage_report": report,
        "usage_receipts": report.receipts.select_related("category"),
        "usage_comparison": cost_comparison(report),
        "usage_attachments": list(report.attachments.all()),
        "usage_checklist": checklist_of(report),
    }


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
        "attachments": list(application.attachments.select_related("kind")),
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
