"""The filters of the KITZ work queue; their state lives in the URL so a link can be shared."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationKind, Role, User
from handlungsfelder.models import Handlungsfeld

from .models import Application, ApplicationStatus, FundingProgramme

QUEUE_STATUSES = [
    (value, label) for value, label in ApplicationStatus.choices if value != ApplicationStatus.DRAFT
]


def staff_people():
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY],
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


class FilterForm(forms.Form):
    # Every filter is optional: marking each one so would only add noise.
    hide_optional_marker = True


class StaffQueueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Suche"),
        method="filter_search",
        help_text=_("Aktenzeichen, Projekttitel oder Organisation"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=QUEUE_STATUSES, empty_label=_("alle")
    )
    programme = django_filters.ModelChoiceFilter(
        label=_("Förderprogramm"), queryset=FundingProgramme.objects.all(), empty_label=_("alle")
    )
    budget_year = django_filters.NumberFilter(
        label=_("Haushaltsjahr"), field_name="programme__budget_year"
    )
    handlungsfeld = django_filters.ModelChoiceFilter(
        label=_("Handlungsfeld"),
        queryset=Handlungsfeld.objects.all(),
        method="filter_handlungsfeld",
        empty_label=_("alle"),
    )
    organisation_kind = django_filters.ChoiceFilter(
        label=_("Art der Organisation"),
        field_name="organisation__kind",
        choices=OrganisationKind.choices,
        empty_label=_("alle"),
    )
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Zuständig"), queryset=staff_people(), empty_label=_("alle")
    )
    mine = django_filters.BooleanFilter(
        label=_("Nur meine Anträge"), method="filter_mine", widget=forms.CheckboxInput
    )
    overdue = django_filters.BooleanFilter(
        label=_("Nur mit überschrittener Frist"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    usage_overdue = django_filters.BooleanFilter(
        label=_("Verwendungsnachweis überfällig"),
        method="filter_usage_overdue",
        widget=forms.CheckboxInput,
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sortierung"),
        empty_label=_("neueste zuerst"),
        fields=(
            ("reference", "reference"),
            ("title", "title"),
            ("organisation__name", "organisation"),
            ("status", "status"),
            ("submitted_at", "submitted_at"),
            ("requested_amount", "requested_amount"),
            ("response_due_on", "response_due_on"),
        ),
        field_labels={
            "reference": _("Aktenzeichen"),
            "title": _("Titel"),
            "organisation__name": _("Organisation"),
            "status": _("Status"),
            "submitted_at": _("eingereicht am"),
            "requested_amount": _("beantragt"),
            "response_due_on": _("Frist"),
        },
    )

    class Meta:
        model = Application
        fields = []
        form = FilterForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.filters["assigned_to"].queryset = staff_people()

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(organisation__name__icontains=value)
        )

    def filter_handlungsfeld(self, queryset, name, value):
        through = Application.handlungsfelder.through
        return queryset.filter(
            pk__in=through.objects.filter(handlungsfeld=value).values("application_id")
        )

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assigned_to=self.user) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            status=ApplicationStatus.INFO_REQUESTED, response_due_on__lt=timezone.localdate()
        )

    def filter_usage_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(usage_report_overdue(timezone.localdate()))


def _latest_overdue_period_end(today):
    """The last end of a Bewilligungszeitraum whose report (due 3 months later) is overdue."""
    from .finality import add_months
    from .letters import USAGE_REPORT_MONTHS

    day = today - timedelta(days=31 * USAGE_REPORT_MONTHS + 3)
    while add_months(day + timedelta(days=1), USAGE_REPORT_MONTHS) < today:
        day += timedelta(days=1)
    return day


def usage_report_overdue(today):
    """Approved cases whose Verwendungsnachweis is not in and past its due date.

    The daily reminder task creates the report rows; a case without one yet counts from the
    end of its Bewilligungszeitraum, as the report would.
    """
    from .models import Decision
    from .usage_models import UsageReport, UsageReportStatus

    reports = UsageReport.objects.filter(application=OuterRef("pk"))
    return Q(status=ApplicationStatus.APPROVED) & (
        Exists(reports.filter(status=UsageReportStatus.OPEN, due_on__lt=today))
        | (
            ~Exists(reports)
            & Exists(
                Decision.objects.filter(
                    application=OuterRef("pk"),
                    period_end__lte=_latest_overdue_period_end(today),
                )
            )
        )
    )
