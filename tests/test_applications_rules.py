"""Every rule of the sample Leitfaden, as the applicant meets it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    ApplicationStatus,
    CostCategory,
    CostItem,
    FinancingItem,
    FinancingKind,
    GuidelineCriterion,
)
from applications.rules import financing_summary, submission_findings
from applications.sample import ELIGIBILITY
from kitz_portal.errors import PortalError
from kitz_portal.money import parse_amount
from tests.application_helpers import (
    complete_draft,
    complete_organisation,
    member_of,
    passing_answers,
    project_start,
    sample_programme,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme():
    return sample_programme()


@pytest.fixture
def applicant_client(client, programme):
    organisation = complete_organisation()
    user = member_of(organisation)
    client.login(email=user.email, password=PASSWORD)
    client.user = user
    client.organisation = organisation
    return client


def _draft(client, programme):
    return services.start_application(
        actor=client.user,
        organisation=client.organisation,
        programme=programme,
        answers=passing_answers(programme),
    )


# --- eligibility check -------------------------------------------------------------------


@pytest.mark.parametrize("code", [row[0] for row in ELIGIBILITY])
def test_an_excluding_answer_stops_with_the_rule_explained_and_no_draft(
    applicant_client, programme, code
):
    criterion = GuidelineCriterion.objects.get(guideline=programme.guideline, code=code)
    answers = passing_answers(programme)
    answers[code] = criterion.excluding_answer
    response = applicant_client.post(
        reverse("applications:eligibility", args=[programme.pk]),
        {"organisation": applicant_client.organisation.pk, **answers},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eine Förderung ist leider nicht möglich" in page
    assert criterion.explanation_de in page
    assert programme.contact_email in page
    assert not Application.objects.exists()


def test_unanswered_questions_are_marked_at_the_question(applicant_client, programme):
    response = applicant_client.post(
        reverse("applications:eligibility", args=[programme.pk]),
        {"organisation": applicant_client.organisation.pk},
    )
    page = response.content.decode()
    assert page.count("Bitte beantworten Sie diese Frage.") >= len(ELIGIBILITY)
    assert "Bitte prüfen Sie Ihre Angaben" in page
    assert not Application.objects.exists()


def test_the_check_offers_only_the_persons_own_organisations(applicant_client, programme):
    other = complete_organisation()
    response = applicant_client.post(
        reverse("applications:eligibility", args=[programme.pk]),
        {"organisation": other.pk, **passing_answers(programme)},
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_a_closed_programme_cannot_be_applied_for(applicant_client, programme):
    programme.opens_on = timezone.localdate() - timedelta(days=30)
    programme.closes_on = timezone.localdate() - timedelta(days=1)
    programme.save()
    response = applicant_client.get(reverse("applications:eligibility", args=[programme.pk]))
    assert response.status_code == 404


# --- project -----------------------------------------------------------------------------


def _project_data(programme, **overrides):
    start = project_start(programme)
    data = {
        "title": "Sprachcafé",
        "summary": "Kurz",
        "description": "Lang",
        "handlungsfelder": [2],
        "target_groups": "alle",
        "expected_participants": "20",
        "places": "Schleswig",
        "start_date": start.strftime("%d.%m.%Y"),
        "end_date": (start + timedelta(days=30)).strftime("%d.%m.%Y"),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "01.01.2020"}, "start_date", "in der Vergangenheit"),
        ("too_soon", "start_date", "mindestens 6 Wochen vor Projektbeginn"),
        ("wrong_order", "end_date", "vor dem Projektbeginn"),
        ("too_long", "end_date", "höchstens 12 Monate"),
        ({"start_date": "31.02.2027"}, "start_date", "gültiges Datum"),
        ({"title": ""}, "title", "erforderlich"),
        ({"handlungsfelder": []}, "handlungsfelder", "mindestens ein Handlungsfeld"),
        ({"expected_participants": "0"}, "expected_participants", "größer oder gleich 1"),
    ],
)
def test_bad_project_data_is_refused_at_the_field_and_nothing_is_saved(
    applicant_client, programme, overrides, field, message
):
    application = _draft(applicant_client, programme)
    start = project_start(programme)
    if overrides == "too_soon":
        overrides = {"start_date": (timezone.localdate() + timedelta(days=7)).strftime("%d.%m.%Y")}
    elif overrides == "wrong_order":
        overrides = {"end_date": (start - timedelta(days=1)).strftime("%d.%m.%Y")}
    elif overrides == "too_long":
        overrides = {"end_date": (start + timedelta(days=400)).strftime("%d.%m.%Y")}
    response = applicant_client.post(
        reverse("applications:step_project", args=[application.pk]),
        _project_data(programme, **overrides),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert f'id="id_{field}-error"' in response.content.decode() or field == "handlungsfelder"
    application.refresh_from_db()
    assert application.title == ""
    assert application.handlungsfelder.count() == 0


def test_inactive_handlungsfelder_cannot_be_chosen(applicant_client, programme):
    from handlungsfelder.models import Handlungsfeld

    Handlungsfeld.objects.filter(pk=2).update(is_active=False)
    application = _draft(applicant_client, programme)
    response = applicant_client.post(
        reverse("applications:step_project", args=[application.pk]), _project_data(programme)
    )
    assert "handlungsfelder" in response.context["form"].errors
    assert application.handlungsfelder.count() == 0


# --- costs -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["staff", "running_costs", "alcohol"])
def test_ineligible_cost_categories_are_refused_with_the_reason(applicant_client, programme, code):
    application = _draft(applicant_client, programme)
    category = CostCategory.objects.get(code=code)
    response = applicant_client.post(
        reverse("applications:step_costs", args=[application.pk]),
        {"category": category.pk, "description": "x", "quantity": "1", "unit_price": "100"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["category"] == [category.ineligible_reason_de]
    assert not CostItem.objects.exists()


def test_equipment_over_the_per_item_limit_is_refused(applicant_client, programme):
    application = _draft(applicant_client, programme)
    category = CostCategory.objects.get(code="equipment")
    url = reverse("applications:step_costs", args=[application.pk])
    response = applicant_client.post(
        url,
        {"category": category.pk, "description": "Beamer", "quantity": "1", "unit_price": "800,01"},
    )
    assert "800,00" in response.context["form"].errors["unit_price"][0]
    assert not CostItem.objects.exists()
    response = applicant_client.post(
        url,
        {"category": category.pk, "description": "Beamer", "quantity": "1", "unit_price": "800,00"},
    )
    assert response.status_code == 302
    assert CostItem.objects.get().unit_price == Decimal("800.00")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"unit_price": "zwölf"}, "unit_price"),
        ({"unit_price": "0"}, "unit_price"),
        ({"unit_price": "-5"}, "unit_price"),
        ({"quantity": "0"}, "quantity"),
        ({"description": ""}, "description"),
        ({"category": "999999"}, "category"),
    ],
)
def test_bad_cost_items_are_refused_at_the_field(applicant_client, programme, data, field):
    application = _draft(applicant_client, programme)
    payload = {
        "category": CostCategory.objects.get(code="material").pk,
        "description": "Material",
        "quantity": "1",
        "unit_price": "10,00",
        **data,
    }
    response = applicant_client.post(
        reverse("applications:step_costs", args=[application.pk]), payload
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not CostItem.objects.exists()


def test_german_amounts_are_read_and_shown(applicant_client, programme):
    application = _draft(applicant_client, programme)
    applicant_client.post(
        reverse("applications:step_costs", args=[application.pk]),
        {
            "category": CostCategory.objects.get(code="room_rent").pk,
            "description": "Saal",
            "quantity": "1,5",
            "unit_price": "1.234,56",
        },
    )
    item = CostItem.objects.get()
    assert item.quantity == Decimal("1.5")
    assert item.unit_price == Decimal("1234.56")
    page = applicant_client.get(reverse("applications:step_costs", args=[application.pk]))
    assert "1.234,56" in page.content.decode()
    assert "1.851,84" in page.content.decode()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,56", Decimal("1234.56")),
        ("1234,56", Decimal("1234.56")),
        ("1.234", Decimal("1234")),
        ("1234.56", Decimal("1234.56")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("  250 € ", Decimal("250")),
        ("12,3,4", None),
        ("abc", None),
        ("", None),
    ],
)
def test_money_parser_understands_german_notation(text, value):
    assert parse_amount(text) == value


# --- financing ---------------------------------------------------------------------------


def _plan(application, *, costs, own="0", hours="0", requested="0", third_party=None):
    user = application.organisation.memberships.first().user
    CostItem.objects.filter(application=application).delete()
    services.add_cost_item(
        actor=user,
        application=application,
        category=CostCategory.objects.get(code="fees"),
        description="Honorar",
        quantity=Decimal("1"),
        unit_price=Decimal(costs),
    )
    for kind, amount in third_party or []:
        FinancingItem.objects.create(
            application=application, kind=kind, source="Stiftung", amount=Decimal(amount)
        )
    services.save_financing(
        actor=user,
        application=application,
        own_funds=Decimal(own),
        volunteer_hours=Decimal(hours),
        requested_amount=Decimal(requested),
    )
    application.refresh_from_db()
    return financing_summary(application)


def test_a_balanced_plan_with_enough_own_share_passes():
    application = complete_draft()
    summary = _plan(application, costs="2000", own="200", requested="1800")
    assert summary.is_balanced
    assert summary.is_ok


def test_an_unbalanced_plan_names_the_difference():
    application = complete_draft()
    summary = _plan(application, costs="2000", own="300", requested="1800")
    assert not summary.is_balanced
    assert any("Differenz 100,00" in f.message for f in summary.findings)


def test_the_own_share_must_reach_its_minimum_percentage():
    application = complete_draft()
    summary = _plan(
        application,
        costs="2000",
        own="100",
        requested="1700",
        third_party=[(FinancingKind.THIRD_PARTY_GRANTED, "200")],
    )
    assert summary.is_balanced
    assert any("mindestens 10 %" in f.message and "200,00" in f.message for f in summary.findings)


def test_volunteer_hours_count_at_the_hourly_rate():
    application = complete_draft()
    summary = _plan(application, costs="2000", own="50", hours="10", requested="1800")
    assert summary.volunteer_counted == Decimal("150.00")
    assert summary.is_ok


def test_volunteer_work_counts_only_up_to_its_cap():
    application = complete_draft()
    # 40 h × 15 € = 600 €, but only 20 % of 2.000 € = 400 € count.
    summary = _plan(application, costs="2000", own="0", hours="40", requested="1600")
    assert summary.volunteer_value == Decimal("600.00")
    assert summary.volunteer_counted == Decimal("400.00")
    assert summary.is_ok is False
    assert any("zählt nur bis 400,00" in f.message for f in summary.findings)


def test_third_party_funds_applied_for_and_granted_both_count():
    application = complete_draft()
    summary = _plan(
        application,
        costs="3000",
        own="300",
        requested="1700",
        third_party=[
            (FinancingKind.THIRD_PARTY_APPLIED, "500"),
            (FinancingKind.THIRD_PARTY_GRANTED, "500"),
        ],
    )
    assert summary.third_party == Decimal("1000")
    assert summary.is_ok


def test_the_request_must_be_at_least_the_minimum_grant():
    application = complete_draft()
    summary = _plan(application, costs="250", own="50", requested="200")
    assert any("mindestens 250,00" in f.message for f in summary.findings)


def test_the_request_may_not_exceed_the_maximum_grant():
    application = complete_draft()
    summary = _plan(application, costs="7000", own="1900", requested="5100")
    assert summary.is_balanced
    assert any("höchstens 5.000,00" in f.message for f in summary.findings)


def test_the_financing_page_shows_the_numbers_that_break_a_rule(applicant_client, programme):
    application = _draft(applicant_client, programme)
    services.add_cost_item(
        actor=applicant_client.user,
        application=application,
        category=CostCategory.objects.get(code="fees"),
        description="Honorar",
        quantity=Decimal("1"),
        unit_price=Decimal("1000"),
    )
    response = applicant_client.post(
        reverse("applications:step_financing", args=[application.pk]),
        {
            "action": "plan",
            "plan-own_funds": "0",
            "plan-volunteer_hours": "0",
            "plan-requested_amount": "1.000,00",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "mindestens 10 %" in page
    assert "100,00" in page


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"plan-own_funds": "viel"}, "own_funds"),
        ({"plan-own_funds": "-1"}, "own_funds"),
        ({"plan-volunteer_hours": "-3"}, "volunteer_hours"),
        ({"plan-requested_amount": ""}, "requested_amount"),
    ],
)
def test_bad_financing_input_is_refused_and_nothing_saved(applicant_client, programme, data, field):
    application = _draft(applicant_client, programme)
    payload = {
        "action": "plan",
        "plan-own_funds": "100",
        "plan-volunteer_hours": "0",
        "plan-requested_amount": "900",
        **data,
    }
    response = applicant_client.post(
        reverse("applications:step_financing", args=[application.pk]), payload
    )
    assert response.status_code == 200
    assert field in response.context["plan_form"].errors
    application.refresh_from_db()
    assert application.financing_saved is False
    assert application.own_funds == Decimal("0")


def test_bad_third_party_funds_are_refused(applicant_client, programme):
    application = _draft(applicant_client, programme)
    response = applicant_client.post(
        reverse("applications:step_financing", args=[application.pk]),
        {"action": "funds", "funds-kind": "gift", "funds-source": "", "funds-amount": "x"},
    )
    errors = response.context["funds_form"].errors
    assert {"kind", "source", "amount"} <= set(errors)
    assert not FinancingItem.objects.exists()


# --- declarations and submission ---------------------------------------------------------


def test_every_declaration_must_be_confirmed(applicant_client, programme):
    application = _draft(applicant_client, programme)
    declarations = list(programme.guideline.criteria.filter(kind="declaration"))
    data = {criterion.code: "on" for criterion in declarations[:-1]}
    response = applicant_client.post(
        reverse("applications:step_declarations", args=[application.pk]), data
    )
    assert declarations[-1].code in response.context["form"].errors
    application.refresh_from_db()
    assert application.declarations_confirmed_at is None


def test_an_incomplete_draft_cannot_be_submitted(applicant_client, programme):
    application = _draft(applicant_client, programme)
    response = applicant_client.post(
        reverse("applications:submit", args=[application.pk]), follow=True
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.reference is None
    assert "Bitte geben Sie den Titel des Projekts an." in response.content.decode()


def test_submission_checks_the_rules_again_on_the_server():
    application = complete_draft()
    user = application.organisation.memberships.first().user
    Application.objects.filter(pk=application.pk).update(requested_amount=Decimal("9000"))
    with pytest.raises(PortalError):
        services.submit_application(actor=user, application=application)
    application.refresh_from_db()
    assert application.reference is None


def test_only_one_pending_application_per_organisation_and_programme():
    first = complete_draft()
    user = first.organisation.memberships.first().user
    second = complete_draft(user=user, organisation=first.organisation)
    services.submit_application(actor=user, application=first)
    with pytest.raises(PortalError, match="nur ein offener Antrag"):
        services.submit_application(actor=user, application=second)
    services.withdraw_application(actor=user, application=first)
    submitted = services.submit_application(actor=user, application=second)
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_an_incomplete_organisation_profile_blocks_submission():
    application = complete_draft()
    application.organisation.iban = ""
    application.organisation.save()
    findings = submission_findings(application)
    assert any("IBAN" in f.message for f in findings)


def test_the_application_records_the_leitfaden_version_it_was_checked_against():
    application = complete_draft()
    user = application.organisation.memberships.first().user
    application = services.submit_application(actor=user, application=application)
    assert application.guideline.version == 1
    assert application.submitted_at is not None


def test_submitting_outside_the_window_is_refused(programme):
    application = complete_draft(programme=programme)
    user = application.organisation.memberships.first().user
    programme.closes_on = timezone.localdate() - timedelta(days=1)
    programme.opens_on = programme.closes_on - timedelta(days=10)
    programme.save()
    application.refresh_from_db()
    with pytest.raises(PortalError, match="Antragsfrist"):
        services.submit_application(actor=user, application=application)


def test_the_history_of_an_application_cannot_be_rewritten():
    from django.core.exceptions import ValidationError

    from applications.models import ApplicationEvent

    application = complete_draft()
    event = ApplicationEvent.objects.filter(application=application).first()
    event.note = "geändert"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_eligibility_check_asks_in_english_on_the_english_pages(applicant_client, programme):
    from django.utils import translation
    from django.utils.html import escape

    try:
        with translation.override("en"):
            url = reverse("applications:eligibility", args=[programme.pk])
        page = applicant_client.get(url).content.decode()
        for criterion in programme.guideline.criteria.filter(kind="eligibility"):
            assert escape(criterion.text_en) in page
    finally:
        translation.activate("de")
