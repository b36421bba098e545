import io

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from applications.models import Application, ApplicationStatus
from tests.application_helpers import ensure_handlungsfelder


@pytest.mark.django_db
def test_seed_demo_gives_each_demo_organisation_a_draft_a_submitted_and_a_withdrawn_application(
    settings,
):
    settings.DEBUG = True
    ensure_handlungsfelder()
    call_command("seed_demo", stdout=io.StringIO())
    count = Application.objects.count()
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert Application.objects.count() == count
    for name in ["Brückenbauer Schleswig e. V.", "Frauenzentrum Vielfalt Kappeln"]:
        organisation = Organisation.objects.get(name=name)
        statuses = set(
            Application.objects.filter(organisation=organisation).values_list("status", flat=True)
        )
        assert {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN} <= statuses
        # Submitted applications may already have moved on in the KITZ's review.
        assert statuses - {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN}
    references = list(
        Application.objects.exclude(reference=None).values_list("reference", flat=True)
    )
    assert len(references) == len(set(references)) >= 4


@pytest.mark.django_db
def test_seed_demo_gives_the_administration_pages_something_to_show(settings):
    from applications.models import (
        BudgetChange,
        Guideline,
        LetterTextBlock,
        LetterTextChange,
    )
    from applications.sample import GUIDELINE_TITLE

    settings.DEBUG = True
    ensure_handlungsfelder()
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    own = LetterTextBlock.objects.filter(programme__isnull=False)
    assert own.count() == 1
    assert own.get().key == "intro"
    assert LetterTextChange.objects.count() == 1
    assert BudgetChange.objects.count() == 1
    versions = list(
        Guideline.objects.filter(title=GUIDELINE_TITLE).values_list("version", "published_at")
    )
    assert len(versions) == 2
    assert [version for version, published in versions if published is None] == [2]
