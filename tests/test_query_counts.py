"""The list pages need the same number of queries for a page of 10 or 50 and for 100 or 400 cases.

The data comes from `manage.py seed_bench` at a tiny scale, then grows in bulk.
"""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Organisation, User
from applications import views as application_views
from applications.management.commands.seed_bench import (
    DASHBOARD_EMAIL,
    DASHBOARD_ORGANISATION,
    LARGE_CASE_TITLE,
    STAFF_EMAIL,
    SUPERUSER_EMAIL,
)
from applications.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CaseMessage,
    InformationRequest,
    InternalNote,
)
from handlungsfelder.models import Handlungsfeld
from networks.models import Meeting, Network

QUEUE = "/antraege/kitz/eingang/"


@pytest.fixture
def bench_data(db):
    call_command("seed_bench", scale=0.01, seed=3, verbosity=0)
    return {
        "staff": User.objects.get(email=STAFF_EMAIL),
        "applicant": User.objects.get(email=DASHBOARD_EMAIL),
        "superuser": User.objects.get(email=SUPERUSER_EMAIL),
    }


def grow(count, organisation=None):
    """More submitted cases, each with a message, an open question and a Handlungsfeld."""
    staff = User.objects.get(email=STAFF_EMAIL)
    template = Application.objects.filter(status=ApplicationStatus.SUBMITTED).first()
    organisations = [organisation] if organisation else list(Organisation.objects.all()[1:])
    start = Application.objects.count()
    now = timezone.now()
    rows = Application.objects.bulk_create(
        [
            Application(
                organisation=organisations[k % len(organisations)],
                programme=template.programme,
                status=ApplicationStatus.INFO_REQUESTED,
                reference=f"KITZ-1999-{start + k:05d}",
                title=f"Zusatzfall {start + k}",
                submitted_at=now - timedelta(minutes=k),
                response_due_on=timezone.localdate() - timedelta(days=1),
                assigned_to=staff,
            )
            for k in range(count)
        ]
    )
    field = Handlungsfeld.objects.first()
    through = Application.handlungsfelder.through
    through.objects.bulk_create([through(application=row, handlungsfeld=field) for row in rows])
    CaseMessage.objects.bulk_create(
        [
            CaseMessage(application=row, author=staff, text="Bitte Belege nachreichen.")
            for row in rows
        ]
    )
    InformationRequest.objects.bulk_create(
        [
            InformationRequest(
                application=row, requested_by=staff, message="Belege?", due_on=now.date()
            )
            for row in rows
        ]
    )


def queries_for(client, user, url):
    client.force_login(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Session, person, roles; counts per status; the three filter lists (programmes,
# Handlungsfelder, staff); the page; its Handlungsfelder. A filter adds the COUNT of its result.
QUEUE_QUERIES = {
    QUEUE: 9,
    QUEUE + "?q=Zusatzfall&status=info_requested&overdue=on": 10,
    QUEUE + "?page=2": 9,
    # No case of this data set is overdue: the COUNT, but no rows and no Handlungsfelder.
    QUEUE + "?usage_overdue=on": 8,
}


@pytest.mark.parametrize("url", list(QUEUE_QUERIES))
def test_the_work_queue_needs_the_same_queries_for_any_page_size_and_any_number_of_cases(
    client, bench_data, monkeypatch, url, django_assert_max_num_queries
):
    staff = bench_data["staff"]
    grow(30)
    monkeypatch.setattr(application_views, "QUEUE_PAGE_SIZE", 10)
    small_page = queries_for(client, staff, url)
    monkeypatch.setattr(application_views, "QUEUE_PAGE_SIZE", 50)
    large_page = queries_for(client, staff, url)
    grow(300)
    more_cases = queries_for(client, staff, url)

    assert small_page == large_page == more_cases == QUEUE_QUERIES[url]
    with django_assert_max_num_queries(small_page):
        client.get(url)


def test_the_applicant_dashboard_needs_the_same_queries_for_50_and_200_applications(
    client, bench_data, django_assert_max_num_queries
):
    applicant = bench_data["applicant"]
    organisation = Organisation.objects.get(name=DASHBOARD_ORGANISATION)
    fifty = queries_for(client, applicant, "/antraege/")
    grow(150, organisation=organisation)
    assert organisation.applications.count() == 200

    with django_assert_max_num_queries(fifty):
        response = client.get("/antraege/")
    assert response.status_code == 200


def test_the_network_page_needs_the_same_queries_for_few_and_many_meetings(
    client, bench_data, django_assert_max_num_queries
):
    staff = bench_data["staff"]
    network = Network.objects.first()
    url = f"/netzwerke/{network.slug}/"
    few = queries_for(client, staff, url)
    now = timezone.now()
    Meeting.objects.bulk_create(
        [
            Meeting(
                network=network,
                title=f"Zusatztreffen {k}",
                start=now + timedelta(days=k - 100),
                end=now + timedelta(days=k - 100, hours=2),
            )
            for k in range(200)
        ]
    )

    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.status_code == 200


def test_the_admin_list_of_applications_shows_50_rows_with_fixed_queries(
    client, bench_data, django_assert_max_num_queries
):
    superuser = bench_data["superuser"]
    url = "/django-admin/applications/application/"
    before = queries_for(client, superuser, url)
    grow(300)

    with django_assert_max_num_queries(before):
        response = client.get(url)
    assert response.context["cl"].list_per_page == 50
    assert len(response.context["cl"].result_list) == 50


# Session, person, roles; the case joined with its Prüfvermerk, decision and
# Verwendungsnachweis; the membership check; one query per list the page shows (including the
# Änderungsanträge with their lines and the Widerruf procedure).
CASE_QUERIES = 19


def test_the_case_page_needs_the_same_queries_however_long_the_case_history_is(
    client, bench_data, django_assert_max_num_queries
):
    staff = bench_data["staff"]
    case = Application.objects.get(title=LARGE_CASE_TITLE)
    url = f"/antraege/kitz/{case.pk}/"
    before = queries_for(client, staff, url)
    ApplicationEvent.objects.bulk_create(
        [
            ApplicationEvent(
                application=case, actor=staff, from_status=case.status, to_status=case.status
            )
            for _k in range(100)
        ]
    )
    CaseMessage.objects.bulk_create(
        [CaseMessage(application=case, author=staff, text=f"Nachricht {k}") for k in range(30)]
    )
    InternalNote.objects.bulk_create(
        [InternalNote(application=case, author=staff, text=f"Notiz {k}") for k in range(30)]
    )
    grow(50, organisation=case.organisation)

    assert before == CASE_QUERIES
    with django_assert_max_num_queries(before):
        response = client.get(url)
    assert response.status_code == 200
