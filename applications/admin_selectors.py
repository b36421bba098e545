from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce

from .models import ApplicationStatus, FundingProgramme

GRANTED = [ApplicationStatus.APPROVED, ApplicationStatus.CLOSED]


def programmes_for_administration():
    """Every programme with its committed money and number of submitted applications."""
    return (
        FundingProgramme.objects.select_related("guideline")
        .annotate(
            committed=Coalesce(
                Sum("applications__granted_amount", filter=Q(applications__status__in=GRANTED)),
                Value(Decimal("0.00")),
                output_field=DecimalField(max_digits=14, decimal_places=2),
            ),
            submitted_count=Count(
                "applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)
            ),
        )
        .order_by("-budget_year", "title")
    )


def guideline_versions():
    """Every version of every Leitfaden with its use by submitted applications and programmes."""
    from django.db.models import Prefetch

    from .models import Guideline

    return (
        Guideline.objects.annotate(
            submitted_count=Count(
                "applications",
                filter=~Q(applications__status=ApplicationStatus.DRAFT),
                distinct=True,
            ),
            criteria_count=Count("criteria", distinct=True),
        )
        .prefetch_related(
            Prefetch("programmes", queryset=FundingProgramme.objects.order_by("-budget_year"))
        )
        .order_by("title", "-version")
    )


def programmes_with_own_letter_texts():
    """Every programme with the number of text blocks it words itself."""
    return FundingProgramme.objects.annotate(own_texts=Count("letter_text_blocks")).order_by(
        "-budget_year", "title"
    )
