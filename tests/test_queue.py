"""The KITZ work queue: filters in the URL, search, sorting, counts and a fixed query count."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, OrganisationKind
from applications import views as application_views
from applications.models import Application, ApplicationStatus
from handlungsfelder.models import Handlungsfeld
from tests.application_helpers import complete_organisation, sample_programme
from tests.factories import PASSWORD, administrator, applicant, case_handler

pytestmark = pytest.mark.django_db

QUEUE = reverse("applications:staff_queue")


def make_case(number, *, status=ApplicationStatus.SUBMITTED, programme=None, **fields):
    """A row as the queue sees it; the wizard and submission are tested elsewhere."""
    programme = programme or sample_programme()
    organisation = fields.pop("organisation", None) or complete_organisation(
        name=fields.pop("organisation_name", f"Verein Nummer {number}"),
        kind=fields.pop("kind", OrganisationKind.ASSOCIATION),
    )
    handlungsfeld = fields.pop("handlungsfeld", None)
    application = Application.objects.create(
        organisation=organisation,
        programme=programme,
        guideline=programme.guideline,
        status=status,
        reference=None if status == ApplicationStatus.DRAFT else f"KITZ-2099-{number:04d}",
        title=fields.pop("title", f"Projekt {number}"),
        submitted_at=timezone.now() - timedelta(hours=number),
        requested_amount=Decimal("1000.00") + number,
        **fields,
    )
    application.handlungsfelder.set(
        [handlungsfeld or Handlungsfeld.objects.order_by("order").first()]
    )
    return application


@pytest.fixture
def handler(client):
    user = case_handler()
    client.login(email=user.email, password=PASSWORD)
    return user


def references(response):
    return [application.reference for application in response.context["page"].object_list]


def test_the_queue_shows_submitted_applications_but_never_drafts(client, handler):
    shown = make_case(1)
    make_case(2, status=ApplicationStatus.DRAFT)
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert references(response) == [shown.reference]
    assert "<h1" in response.content.decode() and response.content.decode().count("<h1") == 1


def test_cases_of_the_handlers_own_organisation_are_not_in_the_queue(client, handler):
    own = make_case(1)
    Membership.objects.create(user=handler, organisation=own.organisation)
    other = make_case(2)
    assert references(client.get(QUEUE)) == [other.reference]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "in_review"}, ["KITZ-2099-0002"]),
        ({"organisation_kind": OrganisationKind.MIGRANT_ORGANISATION}, ["KITZ-2099-0003"]),
        ({"q": "sprachcafé"}, ["KITZ-2099-0001"]),
        ({"q": "2099-0003"}, ["KITZ-2099-0003"]),
        ({"q": "Frauenverein"}, ["KITZ-2099-0002"]),
        ({"overdue": "on"}, ["KITZ-2099-0003"]),
        ({"ordering": "requested_amount"}, ["KITZ-2099-0001", "KITZ-2099-0002", "KITZ-2099-0003"]),
        ({"ordering": "-reference"}, ["KITZ-2099-0003", "KITZ-2099-0002", "KITZ-2099-0001"]),
    ],
)
def test_filters_search_and_sorting_narrow_the_queue(client, handler, params, expected):
    make_case(1, title="Sprachcafé am Dom")
    make_case(2, status=ApplicationStatus.IN_REVIEW, organisation_name="Frauenverein Kappeln")
    make_case(
        3,
        status=ApplicationStatus.INFO_REQUESTED,
        kind=OrganisationKind.MIGRANT_ORGANISATION,
        response_due_on=timezone.localdate() - timedelta(days=1),
    )
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    assert references(response) == expected


def test_filters_by_programme_year_handlungsfeld_and_person(client, handler):
    colleague = case_handler()
    frauen = Handlungsfeld.objects.get(slug="frauen")
    mine = make_case(1, assigned_to=handler, status=ApplicationStatus.IN_REVIEW)
    theirs = make_case(
        2, assigned_to=colleague, status=ApplicationStatus.IN_REVIEW, handlungsfeld=frauen
    )
    programme = mine.programme
    assert references(client.get(QUEUE, {"mine": "on"})) == [mine.reference]
    assert references(client.get(QUEUE, {"assigned_to": colleague.pk})) == [theirs.reference]
    assert references(client.get(QUEUE, {"handlungsfeld": frauen.pk})) == [theirs.reference]
    assert len(references(client.get(QUEUE, {"programme": programme.pk}))) == 2
    assert len(references(client.get(QUEUE, {"budget_year": programme.budget_year}))) == 2
    assert references(client.get(QUEUE, {"budget_year": 1999})) == []


def test_the_filter_state_stays_in_the_page_links(client, handler, monkeypatch):
    monkeypatch.setattr(application_views, "QUEUE_PAGE_SIZE", 25)
    for number in range(1, 28):
        make_case(number, title=f"Sprachkurs {number}")
    response = client.get(QUEUE, {"q": "Sprachkurs", "ordering": "reference"})
    page = response.context["page"]
    assert len(page.object_list) == 25 and page.paginator.count == 27
    content = response.content.decode()
    assert "q=Sprachkurs&amp;ordering=reference&amp;page=2" in content
    second = client.get(QUEUE, {"q": "Sprachkurs", "ordering": "reference", "page": 2})
    assert references(second) == ["KITZ-2099-0026", "KITZ-2099-0027"]


def test_counts_per_status_are_shown_at_the_top(client, handler):
    make_case(1)
    make_case(2)
    make_case(3, status=ApplicationStatus.IN_REVIEW)
    make_case(4, status=ApplicationStatus.DRAFT)
    counts = {entry["status"]: entry["count"] for entry in client.get(QUEUE).context["counts"]}
    assert counts["submitted"] == 2 and counts["in_review"] == 1
    assert "draft" not in counts


def _queries_for_queue(client, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(QUEUE, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_queue_needs_the_same_number_of_queries_for_5_and_40_rows(
    client, handler, django_assert_max_num_queries
):
    colleague = case_handler()
    for number in range(1, 6):
        make_case(number, assigned_to=colleague, status=ApplicationStatus.IN_REVIEW)
    _queries_for_queue(client)  # warm the session and content-type caches
    few = _queries_for_queue(client)
    for number in range(6, 41):
        make_case(number, assigned_to=colleague, status=ApplicationStatus.IN_REVIEW)
    many = _queries_for_queue(client)
    assert few == many
    # A filter costs one COUNT more: unfiltered, the total is the sum of the counts per status.
    with django_assert_max_num_queries(few + 1):
        client.get(QUEUE, {"status": "in_review", "ordering": "title"})


def test_only_kitz_staff_see_the_queue(client):
    assert client.get(QUEUE).status_code == 302
    for person in (applicant(), administrator()):
        client.login(email=person.email, password=PASSWORD)
        assert client.get(QUEUE).status_code == 403
