"""Ten years of cases in bulk, for `make bench`: deterministic for a given seed and scale.

At scale 1.0: 10,000 applications in every state, 1,500 organisations, 60,000 cost items,
100,000 events, 2,000 letters' metadata (no PDFs are rendered) and 40 networks with
2,000 meetings. One organisation ("Benchmark-Verein Dashboard") holds 50 applications.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, OrganisationKind, Role, RoleAssignment, User
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CostCategory,
    CostItem,
    DecisionLetter,
    LetterKind,
    ReferenceCounter,
)
from applications.sample import install_sample_programme
from handlungsfelder.models import Handlungsfeld
from networks.models import Meeting, Network

BENCH_PASSWORD = "bench-passwort-2026"
DASHBOARD_ORGANISATION = "Benchmark-Verein Dashboard"
DASHBOARD_APPLICATIONS = 50
STAFF_EMAIL = "bench-staff@kitz.example"
SIGNER_EMAIL = "bench-signer@kitz.example"
SUPERUSER_EMAIL = "bench-admin@kitz.example"
DASHBOARD_EMAIL = "bench-dashboard@kitz.example"
LARGE_CASE_TITLE = "Benchmark: großer Fall"

# Rough shares of ten years of cases: most are finished, a few are still open.
STATUS_WEIGHTS = [
    (ApplicationStatus.DRAFT, 6),
    (ApplicationStatus.SUBMITTED, 5),
    (ApplicationStatus.IN_REVIEW, 5),
    (ApplicationStatus.INFO_REQUESTED, 3),
    (ApplicationStatus.RECOMMENDED, 3),
    (ApplicationStatus.APPROVED, 20),
    (ApplicationStatus.REJECTED, 14),
    (ApplicationStatus.WITHDRAWN, 6),
    (ApplicationStatus.REVOKED, 2),
    (ApplicationStatus.CLOSED, 36),
]
WORDS = [
    "Sprachcafé",
    "Nachbarschaft",
    "Begegnung",
    "Frauen",
    "Jugend",
    "Sport",
    "Musik",
    "Kochen",
    "Garten",
    "Theater",
    "Beratung",
    "Lernhilfe",
    "Eltern",
    "Kinder",
    "Senioren",
    "Kultur",
    "Fahrrad",
    "Nähwerkstatt",
    "Computer",
    "Ausflug",
    "Willkommen",
    "Patenschaft",
    "Dorf",
    "Stadt",
    "Flensburg",
    "Schleswig",
    "Kappeln",
    "Harrislee",
    "Handewitt",
    "Tarp",
]
TOWNS = ["Schleswig", "Kappeln", "Harrislee", "Handewitt", "Tarp", "Glücksburg", "Satrup"]


class Command(BaseCommand):
    help = "Fill the database with ten years of benchmark cases (bulk inserts, deterministic)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, scale=1.0, seed=42, **options):
        started = timezone.now()
        counts = seed_bench(scale=scale, seed=seed)
        seconds = (timezone.now() - started).total_seconds()
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Benchmark data in {seconds:.1f} s: {summary}"))


def _n(base, scale, minimum=1):
    return max(minimum, round(base * scale))


@transaction.atomic
def seed_bench(*, scale=1.0, seed=42):
    rng = random.Random(seed)  # noqa: S311  (test data, not secrets)
    this_year = timezone.localdate().year
    years = list(range(this_year - 9, this_year + 1))
    programmes = {year: install_sample_programme(year=year) for year in years}
    categories = list(CostCategory.objects.order_by("pk"))
    fields = list(Handlungsfeld.objects.order_by("pk"))
    if not fields:
        fields = [
            Handlungsfeld.objects.create(
                name_de=f"Handlungsfeld {i}", name_en=f"Field {i}", slug=f"feld-{i}", order=i
            )
            for i in range(1, 5)
        ]
    password = make_password(BENCH_PASSWORD)

    # People: one case handler, one signing authority, a superuser, and applicants.
    staff = User.objects.create(
        email=STAFF_EMAIL, first_name="Bea", last_name="Bench", password=password
    )
    signer = User.objects.create(
        email=SIGNER_EMAIL, first_name="Sina", last_name="Bench", password=password
    )
    User.objects.create(
        email=SUPERUSER_EMAIL,
        first_name="Ada",
        last_name="Admin",
        password=password,
        is_staff=True,
        is_superuser=True,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=staff, role=Role.CASE_HANDLER),
            RoleAssignment(user=signer, role=Role.SIGNING_AUTHORITY),
        ]
    )
    _verify_emails([staff, signer])

    organisation_count = _n(1500, scale, minimum=2)
    kinds = [value for value, _label in OrganisationKind.choices]
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=DASHBOARD_ORGANISATION
                if i == 0
                else f"{rng.choice(WORDS)}-{rng.choice(['Verein', 'Initiative', 'Treff'])} "
                f"{rng.choice(TOWNS)} {i}",
                kind=kinds[i % len(kinds)],
                town=rng.choice(TOWNS),
                postal_code="24837",
                is_non_profit=True,
            )
            for i in range(organisation_count)
        ]
    )
    applicants = User.objects.bulk_create(
        [
            User(
                email=DASHBOARD_EMAIL if i == 0 else f"bench-{i}@verein.example",
                first_name="Antrag",
                last_name=f"Steller {i}",
                password=password,
            )
            for i in range(organisation_count)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=organisation, is_manager=True)
            for user, organisation in zip(applicants, organisations, strict=True)
        ]
    )
    _verify_emails(applicants)

    # Applications: the dashboard organisation gets exactly 50, the rest spread at random.
    application_count = _n(10000, scale, minimum=len(STATUS_WEIGHTS) + DASHBOARD_APPLICATIONS)
    statuses = [status for status, _weight in STATUS_WEIGHTS]
    weights = [weight for _status, weight in STATUS_WEIGHTS]
    numbers = {year: 0 for year in years}
    rows = []
    for i in range(application_count):
        # Every state at least once, also at tiny scales.
        status = statuses[i] if i < len(statuses) else rng.choices(statuses, weights)[0]
        organisation = (
            organisations[0]
            if i < DASHBOARD_APPLICATIONS
            else organisations[1 + rng.randrange(len(organisations) - 1)]
        )
        year = years[i * len(years) // application_count]
        created = timezone.make_aware(
            datetime.combine(date(year, 1, 1) + timedelta(days=rng.randrange(300)), time(9))
        )
        submitted = None
        reference = None
        if status != ApplicationStatus.DRAFT:
            submitted = created + timedelta(days=rng.randrange(1, 30))
            numbers[year] += 1
            reference = f"KITZ-{year}-{numbers[year]:04d}"
        requested = Decimal(rng.randrange(500, 5000))
        granted = (
            requested if status in (ApplicationStatus.APPROVED, ApplicationStatus.CLOSED) else None
        )
        start = created.date() + timedelta(days=60)
        rows.append(
            Application(
                organisation=organisation,
                programme=programmes[year],
                guideline=programmes[year].guideline,
                status=status,
                reference=reference,
                title=LARGE_CASE_TITLE
                if i == DASHBOARD_APPLICATIONS
                else " ".join(rng.sample(WORDS, 3)) + f" {i}",
                summary="Ein Projekt für das Miteinander im Kreis.",
                start_date=start,
                end_date=start + timedelta(days=180),
                own_funds=Decimal("300.00"),
                requested_amount=requested,
                granted_amount=granted,
                financing_saved=True,
                submitted_at=submitted,
                response_due_on=(submitted.date() + timedelta(days=14))
                if status == ApplicationStatus.INFO_REQUESTED
                else None,
                assigned_to=staff if status != ApplicationStatus.DRAFT and i % 3 == 0 else None,
                created_by=applicants[0] if i < DASHBOARD_APPLICATIONS else None,
            )
        )
    applications = Application.objects.bulk_create(rows, batch_size=2000)
    # auto_now_add set "now": put each case back into its year in one statement.
    ids = [application.pk for application in applications]
    for row in applications:
        row.created_at = row.submitted_at or timezone.make_aware(
            datetime(row.programme.budget_year, 1, 1)
        )
        row.updated_at = row.created_at
    Application.objects.bulk_update(applications, ["created_at", "updated_at"], batch_size=1000)
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(year=year, last_number=number) for year, number in numbers.items()],
        update_conflicts=True,
        unique_fields=["year"],
        update_fields=["last_number"],
    )
    through = Application.handlungsfelder.through
    through.objects.bulk_create(
        [
            through(application_id=pk, handlungsfeld_id=fields[k % len(fields)].pk)
            for k, pk in enumerate(ids)
        ],
        batch_size=5000,
    )

    # Cost items: 60,000 at scale 1.0; the large case gets 100 of them.
    large_case = applications[DASHBOARD_APPLICATIONS]
    cost_total = _n(60000, scale)
    cost_rows = [
        CostItem(
            application_id=large_case.pk,
            category=categories[k % len(categories)],
            description=f"Position {k + 1} des großen Falls",
            quantity=Decimal("1.00"),
            unit_price=Decimal("25.00"),
        )
        for k in range(min(100, cost_total))
    ]
    for k in range(cost_total - len(cost_rows)):
        cost_rows.append(
            CostItem(
                application_id=ids[rng.randrange(len(ids))],
                category=categories[k % len(categories)],
                description=f"{rng.choice(WORDS)} {k}",
                quantity=Decimal(rng.randrange(1, 10)),
                unit_price=Decimal(rng.randrange(10, 400)),
            )
        )
    CostItem.objects.bulk_create(cost_rows, batch_size=5000)

    # Events: 100,000 at scale 1.0; the large case gets 200.
    event_total = _n(100000, scale)
    submitted_rows = [row for row in applications if row.submitted_at]
    event_rows = [
        ApplicationEvent(
            application_id=large_case.pk,
            actor=staff,
            created_at=large_case.submitted_at or timezone.now(),
            from_status=ApplicationStatus.IN_REVIEW,
            to_status=ApplicationStatus.IN_REVIEW,
            note=f"Vermerk {k + 1}",
        )
        for k in range(min(200, event_total))
    ]
    for k in range(event_total - len(event_rows)):
        row = applications[rng.randrange(len(applications))]
        event_rows.append(
            ApplicationEvent(
                application_id=row.pk,
                actor=staff if k % 2 else None,
                created_at=(row.submitted_at or timezone.now()) + timedelta(hours=k % 500),
                from_status=ApplicationStatus.SUBMITTED,
                to_status=row.status,
            )
        )
    ApplicationEvent.objects.bulk_create(event_rows, batch_size=5000)

    # Letters: metadata only (bulk_create bypasses the save() guard; no file is rendered).
    decided = [
        row
        for row in submitted_rows
        if row.status
        in (
            ApplicationStatus.APPROVED,
            ApplicationStatus.CLOSED,
            ApplicationStatus.REJECTED,
            ApplicationStatus.REVOKED,
        )
    ]
    letter_total = min(_n(2000, scale), len(decided))
    letters = []
    for row in decided[:letter_total]:
        rejected = row.status == ApplicationStatus.REJECTED
        letters.append(
            DecisionLetter(
                application_id=row.pk,
                kind=LetterKind.REJECTION if rejected else LetterKind.GRANT,
                file=f"private/letters/bench-{row.pk}.pdf",
                sha256=f"{row.pk:064x}",
                issued_at=row.submitted_at + timedelta(days=40),
                issued_by=signer,
                signer_name="Sina Bench",
                amount=None if rejected else (row.granted_amount or row.requested_amount),
            )
        )
    DecisionLetter.objects.bulk_create(letters, batch_size=2000)

    # Networks and meetings.
    network_total = _n(40, scale)
    networks = Network.objects.bulk_create(
        [
            Network(
                name=f"Netzwerk {rng.choice(WORDS)} {k + 1}",
                slug=f"bench-netzwerk-{k + 1}",
                description="Ein Netzwerk des KITZ.",
            )
            for k in range(network_total)
        ]
    )
    Network.handlungsfelder.through.objects.bulk_create(
        [
            Network.handlungsfelder.through(
                network_id=network.pk, handlungsfeld_id=fields[k % len(fields)].pk
            )
            for k, network in enumerate(networks)
        ]
    )
    Network.coordinators.through.objects.bulk_create(
        [
            Network.coordinators.through(network_id=network.pk, user_id=staff.pk)
            for network in networks
        ]
    )
    meeting_total = _n(2000, scale)
    first = timezone.make_aware(datetime(years[0], 1, 10, 18))
    meetings = []
    for k in range(meeting_total):
        network = networks[k % len(networks)]
        start = first + timedelta(days=(k // len(networks)) * 70 + rng.randrange(30))
        meetings.append(
            Meeting(
                network=network,
                title=f"Treffen {k + 1}",
                start=start,
                end=start + timedelta(hours=2),
                place=rng.choice(TOWNS),
            )
        )
    Meeting.objects.bulk_create(meetings, batch_size=2000)

    return {
        "organisations": len(organisations),
        "applications": len(applications),
        "cost_items": len(cost_rows),
        "events": len(event_rows),
        "letters": len(letters),
        "networks": len(networks),
        "meetings": len(meetings),
    }


def _verify_emails(users):
    """Allauth lets only verified addresses log in through the form."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
        batch_size=5000,
    )
