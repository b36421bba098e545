"""The "Auswertung": figures per year and programme, Handlungsfeld, kind of organisation
and municipality, for the KITZ lead and the annual report to the Ministerium.

Every sum and count is aggregated in the database; only the median processing time is
computed here, over one list of durations.
"""

from collections import defaultdict
from decimal import Decimal
from statistics import median

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationKind
from handlungsfelder.models import Handlungsfeld

from .filters import StaffQueueFilter
from .models import Application, ApplicationStatus, DecisionOutcome, FundingProgramme

ZERO = Decimal("0.00")
STATUSES = [
    (value, label) for value, label in ApplicationStatus.choices if value != ApplicationStatus.DRAFT
]


class StatisticsFilter(StaffQueueFilter):
    """The filters of the work queue, without those that only make sense for one person."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("mine", "overdue", "usage_overdue", "assigned_to", "ordering"):
            self.filters.pop(name)


def applications_for_statistics(*, user, data=None):
    queryset = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    return StatisticsFilter(data, queryset=queryset, user=user)


def _money(field, condition=None):
    return Coalesce(
        Sum(field, filter=condition),
        Value(ZERO),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _figures():
    """The aggregate expressions every table shares."""
    approved = Q(decision__outcome=DecisionOutcome.APPROVED)
    expressions = {
        "count": Count("pk", distinct=True),
        "requested": _money("requested_amount"),
        "approved": _money("decision__amount", approved),
        "decided_count": Count("decision", distinct=True),
        "approved_count": Count("decision", filter=approved, distinct=True),
    }
    for value, _label in STATUSES:
        expressions[f"status_{value}"] = Count("pk", filter=Q(status=value), distinct=True)
    return expressions


def payments_by(queryset, group_field):
    """Paid and returned money per group: {group value: (paid, returned)}.

    Paid is what the Mittelabrufe paid out; returned is what came back after a Widerruf.
    Two aggregate queries, whatever the number of groups.
    """
    from .payment_models import PaymentRequest, PaymentStatus
    from .revocation_models import RepaymentReceipt

    cases = queryset.order_by().values("pk")

    def totals(rows, prefix):
        key = f"{prefix}{group_field}"
        return dict(
            rows.order_by().values(key).annotate(total=Sum("amount")).values_list(key, "total")
        )

    paid = totals(
        PaymentRequest.objects.filter(status=PaymentStatus.PAID, application__in=cases),
        "application__",
    )
    returned = totals(
        RepaymentReceipt.objects.filter(repayment__application__in=cases),
        "repayment__application__",
    )
    return {
        group: (paid.get(group) or ZERO, returned.get(group) or ZERO)
        for group in set(paid) | set(returned)
    }


def _row(figures, paid_returned=(ZERO, ZERO)):
    decided = figures["decided_count"]
    return {
        "count": figures["count"],
        "requested": figures["requested"],
        "approved": figures["approved"],
        "paid": paid_returned[0],
        "returned": paid_returned[1],
        "decided_count": decided,
        "approved_count": figures["approved_count"],
        "approval_rate": (
            (Decimal(figures["approved_count"] * 100) / decided).quantize(Decimal("0.1"))
            if decided
            else None
        ),
        "by_status": [
            {"status": value, "label": label, "count": figures[f"status_{value}"]}
            for value, label in STATUSES
        ],
    }


def _median_days(durations):
    if not durations:
        return None
    return Decimal(str(median(d.total_seconds() / 86400 for d in durations))).quantize(
        Decimal("0.1")
    )


def _processing_times(queryset):
    """Submission → decision per programme, as a list of timedeltas (one query)."""
    times = defaultdict(list)
    rows = queryset.filter(decision__isnull=False, submitted_at__isnull=False).values_list(
        "programme_id", "submitted_at", "decision__decided_at"
    )
    for programme_id, submitted_at, decided_at in rows:
        times[programme_id].append(decided_at - submitted_at)
    return times


def _grouped(queryset, group_field):
    payments = payments_by(queryset, group_field)
    return [
        (
            row[group_field],
            _row(row, payments.get(row[group_field], (ZERO, ZERO))),
        )
        for row in queryset.order_by().values(group_field).annotate(**_figures())
    ]


def statistics_for(queryset):
    """All tables of the Auswertung for one (filtered) set of submitted applications."""
    queryset = queryset.order_by()
    times = _processing_times(queryset)
    totals = _row(queryset.aggregate(**_figures()), _total_payments(queryset))
    totals["median_days"] = _median_days([t for values in times.values() for t in values])

    programmes = {
        programme.pk: programme
        for programme in FundingProgramme.objects.filter(pk__in=queryset.values("programme_id"))
    }
    by_programme = []
    for programme_id, row in _grouped(queryset, "programme_id"):
        row["programme"] = programmes[programme_id]
        row["median_days"] = _median_days(times.get(programme_id, []))
        by_programme.append(row)
    by_programme.sort(key=lambda row: (-row["programme"].budget_year, row["programme"].title))

    fields = {field.pk: field for field in Handlungsfeld.objects.all()}
    by_handlungsfeld = []
    for field_id, row in _grouped(queryset, "handlungsfelder"):
        if field_id is None:
            continue
        row["label"] = fields[field_id].name
        row["order"] = (fields[field_id].order, field_id)
        by_handlungsfeld.append(row)
    by_handlungsfeld.sort(key=lambda row: row["order"])

    kinds = dict(OrganisationKind.choices)
    by_kind = []
    for kind, row in _grouped(queryset, "organisation__kind"):
        row["label"] = kinds.get(kind, kind)
        row["kind"] = kind
        by_kind.append(row)
    by_kind.sort(key=lambda row: list(kinds).index(row["kind"]) if row["kind"] in kinds else 99)

    by_municipality = []
    for municipality, row in _grouped(queryset, "organisation__municipality"):
        row["label"] = municipality or _("ohne Angabe")
        row["municipality"] = municipality
        by_municipality.append(row)
    by_municipality.sort(key=lambda row: (not row["municipality"], row["municipality"].lower()))

    return {
        "totals": totals,
        "by_programme": by_programme,
        "by_handlungsfeld": by_handlungsfeld,
        "by_organisation_kind": by_kind,
        "by_municipality": by_municipality,
        "statuses": STATUSES,
    }


def _total_payments(queryset):
    paid = returned = ZERO
    for group_paid, group_returned in payments_by(queryset, "programme_id").values():
        paid += group_paid
        returned += group_returned
    return paid, returned
