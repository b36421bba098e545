from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from applications import admin_services
from applications.models import Application, BudgetChange, FundingProgramme
from kitz_portal.errors import PortalError
from tests.application_helpers import sample_programme
from tests.factories import OrganisationFactory, administrator

pytestmark = pytest.mark.django_db


def approved_case(programme, amount):
    return Application.objects.create(
        organisation=OrganisationFactory(),
        programme=programme,
        status="approved",
        reference=f"KITZ-2099-{Application.objects.count() + 1:04d}",
        requested_amount=Decimal(amount),
        granted_amount=Decimal(amount),
    )


def test_programme_for_a_new_year_is_copied_from_the_previous_one(client):
    source = sample_programme()
    source.min_grant = Decimal("300.00")
    source.save()
    client.force_login(administrator())
    response = client.post(
        reverse("administration:programme_copy", kwargs={"pk": source.pk}),
        {
            "title": "Integrationsfonds",
            "budget_year": "2031",
            "opens_on": "2031-01-01",
            "closes_on": "2031-10-31",
            "budget": "60.000,00",
        },
    )
    copy = FundingProgramme.objects.get(budget_year=2031)
    assert response.status_code == 302
    assert copy.budget == Decimal("60000.00")
    assert copy.min_grant == Decimal("300.00")
    assert copy.max_grant == source.max_grant
    assert copy.guideline == source.guideline
    assert not copy.is_published
    assert set(copy.eligible_cost_categories.all()) == set(source.eligible_cost_categories.all())


def test_copy_form_suggests_the_next_year(client):
    source = sample_programme()
    client.force_login(administrator())
    html = client.get(
        reverse("administration:programme_copy", kwargs={"pk": source.pk})
    ).content.decode()
    assert f'value="{source.budget_year + 1}"' in html


def test_window_ending_before_it_starts_is_refused_at_the_field(client):
    programme = sample_programme()
    before = (programme.opens_on, programme.closes_on)
    client.force_login(administrator())
    response = client.post(
        reverse("administration:programme_copy", kwargs={"pk": programme.pk}),
        {
            "title": "X",
            "budget_year": "2031",
            "opens_on": "2031-05-01",
            "closes_on": "2031-04-01",
            "budget": "1000",
        },
    )
    assert response.status_code == 200
    assert "kann nicht enden, bevor sie beginnt" in response.content.decode()
    assert not FundingProgramme.objects.filter(budget_year=2031).exists()
    with pytest.raises(PortalError) as refused:
        admin_services.update_programme(
            actor=administrator(),
            programme=programme,
            opens_on=date(2031, 5, 1),
            closes_on=date(2031, 4, 1),
        )
    assert refused.value.field == "closes_on"
    programme.refresh_from_db()
    assert (programme.opens_on, programme.closes_on) == before


def test_editing_limits_and_categories_saves_them(client):
    programme = sample_programme()
    category = programme.eligible_cost_categories.first()
    client.force_login(administrator())
    form = client.get(reverse("administration:programme_edit", kwargs={"pk": programme.pk}))
    data = {
        key: value
        for key, value in form.context["form"].initial.items()
        if value is not None and key != "eligible_cost_categories"
    }
    data.update(
        {
            "opens_on": programme.opens_on.isoformat(),
            "closes_on": programme.closes_on.isoformat(),
            "min_grant": "400,00",
            "max_grant": "4.000,00",
            "volunteer_hourly_rate": "15,00",
            "max_investment_per_item": "800,00",
            "eligible_cost_categories": [category.pk],
        }
    )
    data = {key: value for key, value in data.items() if value is not False}
    response = client.post(
        reverse("administration:programme_edit", kwargs={"pk": programme.pk}), data
    )
    assert response.status_code == 302, response.context["form"].errors
    programme.refresh_from_db()
    assert programme.min_grant == Decimal("400.00")
    assert programme.max_grant == Decimal("4000.00")
    assert list(programme.eligible_cost_categories.all()) == [category]


def test_minimum_above_maximum_is_refused_at_the_field(client):
    programme = sample_programme()
    client.force_login(administrator())
    response = client.post(
        reverse("administration:programme_edit", kwargs={"pk": programme.pk}),
        {
            "title": programme.title,
            "opens_on": programme.opens_on.isoformat(),
            "closes_on": programme.closes_on.isoformat(),
            "min_grant": "6.000,00",
            "max_grant": "5.000,00",
            "min_own_share_percent": "10",
            "volunteer_hourly_rate": "15",
            "volunteer_cap_percent": "20",
            "max_investment_per_item": "800",
            "lead_time_weeks": "6",
            "max_duration_months": "12",
        },
    )
    assert response.status_code == 200
    assert "Mindestförderung darf nicht über" in response.content.decode()
    programme.refresh_from_db()
    assert programme.min_grant != Decimal("6000.00")


def test_budget_top_ups_are_rows_and_the_budget_is_initial_plus_changes(client):
    programme = sample_programme()
    initial = programme.budget
    admin = administrator()
    client.force_login(admin)
    url = reverse("administration:programme_budget", kwargs={"pk": programme.pk})
    client.post(url, {"amount": "10.000,00", "reason": "Nachtragshaushalt"})
    client.post(url, {"amount": "-2.500,00", "reason": "Kürzung"})
    programme.refresh_from_db()
    changes = list(BudgetChange.objects.filter(programme=programme))
    assert [change.amount for change in changes] == [Decimal("10000.00"), Decimal("-2500.00")]
    assert programme.budget == initial + Decimal("7500.00")
    assert admin_services.initial_budget(programme) == initial
    assert changes[-1].budget_after == programme.budget
    html = client.get(url).content.decode()
    assert "Nachtragshaushalt" in html


def test_budget_below_what_is_committed_is_refused_with_the_reason(client):
    programme = sample_programme()
    approved_case(programme, programme.budget - Decimal("1000.00"))
    client.force_login(administrator())
    response = client.post(
        reverse("administration:programme_budget", kwargs={"pk": programme.pk}),
        {"amount": "-1.500,00", "reason": "Kürzung"},
    )
    assert response.status_code == 200
    assert "nicht unter die bereits bewilligten" in response.content.decode()
    assert not BudgetChange.objects.exists()
    budget_before = programme.budget
    programme.refresh_from_db()
    assert programme.budget == budget_before


def test_unreadable_budget_change_is_refused_at_the_field(client):
    programme = sample_programme()
    client.force_login(administrator())
    response = client.post(
        reverse("administration:programme_budget", kwargs={"pk": programme.pk}),
        {"amount": "viel", "reason": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"amount", "reason"}
    assert not BudgetChange.objects.exists()


def test_programme_list_in_fixed_queries(client, django_assert_max_num_queries):
    programme = sample_programme()
    for year in range(2030, 2035):
        admin_services.copy_programme(
            actor=administrator(),
            source=programme,
            title="Fonds",
            budget_year=year,
            opens_on=date(year, 1, 1),
            closes_on=date(year, 12, 31),
            budget=Decimal("1000"),
        )
    client.force_login(administrator())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("administration:programmes"))
    assert response.content.decode().count("Für neues Jahr kopieren") == 6
