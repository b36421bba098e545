from django.core.management import call_command

from accounts.models import Organisation
from applications.management.commands.seed_bench import (
    DASHBOARD_APPLICATIONS,
    DASHBOARD_ORGANISATION,
)
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CostItem,
    DecisionLetter,
)
from networks.models import Meeting, Network


def test_benchmark_data_has_every_state_and_the_counts_of_its_scale(db):
    call_command("seed_bench", scale=0.01, seed=7, verbosity=0)

    assert Application.objects.count() == 100
    assert Organisation.objects.count() == 15
    assert CostItem.objects.count() == 600
    assert ApplicationEvent.objects.count() == 1000
    assert Network.objects.count() == 1
    assert Meeting.objects.count() == 20
    assert 0 < DecisionLetter.objects.count() <= 20
    assert set(Application.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    years = set(Application.objects.values_list("programme__budget_year", flat=True))
    assert len(years) == 10
    dashboard = Organisation.objects.get(name=DASHBOARD_ORGANISATION)
    assert dashboard.applications.count() == DASHBOARD_APPLICATIONS


def test_submitted_benchmark_cases_have_unique_references(db):
    call_command("seed_bench", scale=0.01, seed=7, verbosity=0)

    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    references = list(submitted.values_list("reference", flat=True))
    assert None not in references
    assert len(references) == len(set(references))
