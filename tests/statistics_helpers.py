"""A small, hand-countable set of cases for the Auswertung and its exports."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import OrganisationKind
from applications.models import Application, Decision, DecisionOutcome, FundingProgramme
from handlungsfelder.models import Handlungsfeld
from tests.application_helpers import sample_programme
from tests.factories import OrganisationFactory, case_handler, signing_authority

SUBMITTED = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def statistics_data_set():
    """Programme 2027 with four cases and a draft, programme 2026 with one case.

    | # | organisation        | programme | status      | requested | decision, days |
    | 1 | Verein, Schleswig   | 2027      | approved    | 1.000     | approved 800, 10 |
    | 2 | Verein, Schleswig   | 2027      | rejected    | 2.000     | rejected, 20     |
    | 3 | MSO, Kappeln        | 2027      | approved    | 3.000     | approved 3.000, 30 |
    | 4 | MSO, Kappeln        | 2027      | submitted   |   500     | –                |
    | 5 | Institution, –      | 2026      | in_review   | 1.500     | –                |
    | – | Verein (draft)      | 2027      | draft       | 9.999     | –                |
    """
    programme = sample_programme()
    programme.budget_year = 2027
    programme.title = "Förderprogramm 2027"
    programme.save()
    previous = FundingProgramme.objects.get(pk=programme.pk)
    previous.pk = None
    previous.budget_year = 2026
    previous.title = "Förderprogramm 2026"
    previous.save()
    verein = OrganisationFactory(kind=OrganisationKind.ASSOCIATION, municipality="Schleswig")
    mso = OrganisationFactory(kind=OrganisationKind.MIGRANT_ORGANISATION, municipality="Kappeln")
    institution = OrganisationFactory(kind=OrganisationKind.INSTITUTION, municipality="")
    fields = {field.slug: field for field in Handlungsfeld.objects.all()}
    reviewer, decider = case_handler(), signing_authority()
    number = iter(range(1, 100))

    def case(organisation, programme, status, requested, slugs=(), decision=None):
        application = Application.objects.create(
            organisation=organisation,
            programme=programme,
            guideline=programme.guideline,
            status=status,
            reference=None
            if status == "draft"
            else f"KITZ-{programme.budget_year}-{next(number):04d}",
            title=f"Projekt {requested}",
            requested_amount=Decimal(requested),
            submitted_at=None if status == "draft" else SUBMITTED,
        )
        application.handlungsfelder.set([fields[slug] for slug in slugs])
        if decision:
            outcome, amount, days = decision
            Decision.objects.create(
                application=application,
                outcome=outcome,
                amount=Decimal(amount) if amount else None,
                reviewed_by=reviewer,
                decided_by=decider,
                decided_at=SUBMITTED + timedelta(days=days),
            )
            if amount:
                application.granted_amount = Decimal(amount)
                application.save(update_fields=["granted_amount"])
        return application

    approved, rejected = DecisionOutcome.APPROVED, DecisionOutcome.REJECTED
    return {
        "programme": programme,
        "previous": previous,
        "cases": [
            case(verein, programme, "approved", "1000", ["sprache"], (approved, "800", 10)),
            case(
                verein, programme, "rejected", "2000", ["sprache", "arbeit"], (rejected, None, 20)
            ),
            case(mso, programme, "approved", "3000", ["arbeit"], (approved, "3000", 30)),
            case(mso, programme, "submitted", "500", ["wohnen"]),
            case(institution, previous, "in_review", "1500"),
            case(verein, programme, "draft", "9999", ["sprache"]),
        ],
    }
