from decimal import Decimal

import pytest
from django.urls import reverse

from applications.statistics import applications_for_statistics, statistics_for
from tests.factories import administrator, case_handler, signing_authority
from tests.statistics_helpers import statistics_data_set

pytestmark = pytest.mark.django_db


def figures(data=None):
    return statistics_for(applications_for_statistics(user=administrator(), data=data).qs)


def by_label(rows):
    return {str(row["label"]): row for row in rows}


def test_totals_match_the_hand_counted_data_set():
    statistics_data_set()
    totals = figures()["totals"]
    assert totals["count"] == 5  # the draft does not count
    assert totals["requested"] == Decimal("8000.00")
    assert totals["approved"] == Decimal("3800.00")
    assert totals["paid"] == Decimal("0.00")
    assert totals["returned"] == Decimal("0.00")
    assert totals["decided_count"] == 3
    assert totals["approval_rate"] == Decimal("66.7")
    assert totals["median_days"] == Decimal("20.0")
    statuses = {entry["status"]: entry["count"] for entry in totals["by_status"]}
    assert statuses["approved"] == 2
    assert statuses["rejected"] == 1
    assert statuses["submitted"] == 1
    assert statuses["in_review"] == 1
    assert statuses["withdrawn"] == 0


def test_figures_per_year_and_programme():
    data = statistics_data_set()
    rows = figures()["by_programme"]
    assert [row["programme"] for row in rows] == [data["programme"], data["previous"]]
    current, previous = rows
    assert current["count"] == 4
    assert current["requested"] == Decimal("6500.00")
    assert current["approved"] == Decimal("3800.00")
    assert current["approval_rate"] == Decimal("66.7")
    assert current["median_days"] == Decimal("20.0")
    assert previous["count"] == 1
    assert previous["requested"] == Decimal("1500.00")
    assert previous["approved"] == Decimal("0.00")
    assert previous["approval_rate"] is None
    assert previous["median_days"] is None


def test_an_application_in_two_handlungsfelder_counts_in_each():
    statistics_data_set()
    rows = by_label(figures()["by_handlungsfeld"])
    assert set(rows) == {"Sprache", "Arbeit", "Wohnen"}
    assert (rows["Sprache"]["count"], rows["Sprache"]["requested"]) == (2, Decimal("3000.00"))
    assert rows["Sprache"]["approved"] == Decimal("800.00")
    assert (rows["Arbeit"]["count"], rows["Arbeit"]["approved"]) == (2, Decimal("3000.00"))
    assert rows["Arbeit"]["approval_rate"] == Decimal("50.0")
    assert rows["Wohnen"]["requested"] == Decimal("500.00")


def test_migrant_organisations_are_shown_on_their_own():
    statistics_data_set()
    rows = by_label(figures()["by_organisation_kind"])
    assert set(rows) == {"Verein", "Migrantenselbstorganisation", "Institution"}
    mso = rows["Migrantenselbstorganisation"]
    assert (mso["count"], mso["requested"], mso["approved"]) == (
        2,
        Decimal("3500.00"),
        Decimal("3000.00"),
    )
    assert mso["approval_rate"] == Decimal("100.0")
    assert rows["Verein"]["approval_rate"] == Decimal("0.0") or rows["Verein"][
        "approved"
    ] == Decimal("800.00")


def test_figures_per_municipality_with_unknown_last():
    statistics_data_set()
    rows = figures()["by_municipality"]
    assert [str(row["label"]) for row in rows] == ["Kappeln", "Schleswig", "ohne Angabe"]
    assert [row["count"] for row in rows] == [2, 2, 1]


def test_statistics_filter_like_the_queue():
    data = statistics_data_set()
    assert figures({"programme": data["previous"].pk})["totals"]["count"] == 1
    assert figures({"budget_year": "2027"})["totals"]["requested"] == Decimal("6500.00")
    assert figures({"organisation_kind": "migrant_organisation"})["totals"]["count"] == 2
    handlungsfeld = data["cases"][0].handlungsfelder.get()
    assert figures({"handlungsfeld": handlungsfeld.pk})["totals"]["count"] == 2


def test_statistics_page_shows_charts_with_data_tables_in_fixed_queries(
    client, django_assert_max_num_queries
):
    statistics_data_set()
    client.force_login(signing_authority())
    # Paid and returned money: two aggregate queries per table, whatever the data.
    with django_assert_max_num_queries(26):
        response = client.get(reverse("administration:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    for chart in ("chart-status", "chart-programmes", "chart-handlungsfelder"):
        assert f'<canvas id="{chart}">' in html
        assert f'data-chart="{chart}"' in html
    assert "chartjs/chart.umd.min.js" in html
    assert "js/statistics.js" in html
    assert "<script>" not in html
    assert "3.800,00" in html
    assert "66,7 %" in html
    assert "Migrantenselbstorganisation" in html


def test_case_handlers_do_not_see_the_statistics(client):
    client.force_login(case_handler())
    assert client.get(reverse("administration:statistics")).status_code == 403
