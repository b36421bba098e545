"""The axe walk: every page each role works with, filled with real cases, in German and English.

test_accessibility.py covers the public and personal start pages; this walk adds the pages behind
them (wizard, case file, review, decision, payments, networks, administration, statistics, the
feedback on barriers), so zero axe violations holds for the whole portal in both languages.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import AccessibilityFeedback, Membership
from tests import factories
from tests.application_helpers import complete_draft, complete_organisation, member_of
from tests.review_helpers import recommended_application, submitted_application

from .test_accessibility import page_problems, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LANGUAGES = [pytest.param("", id="de"), pytest.param("/en", id="en")]


def url(name, *args):
    with translation.override("de"):
        return reverse(name, args=args)


@pytest.fixture
def cases():
    """A submitted case and a draft of one applicant, a case with a proposal, a network."""
    from tests.network_factories import network_with_people

    handler = factories.case_handler(first_name="Jonas", last_name="Petersen")
    organisation = complete_organisation(name="Integrationsverein Schleswig e. V.")
    applicant = member_of(organisation)
    submitted = submitted_application(user=applicant, organisation=organisation)
    second = complete_organisation(name="Frauencafé Flensburg")
    Membership.objects.create(user=applicant, organisation=second, is_manager=True)
    draft = complete_draft(user=applicant, organisation=second, programme=submitted.programme)
    recommended = recommended_application(handler, programme=submitted.programme)
    network = network_with_people()["network"]
    AccessibilityFeedback.objects.create(message="Der Kontrast im Kalender ist zu gering.")
    return {
        "handler": handler,
        "applicant": applicant,
        "organisation": organisation,
        "submitted": submitted,
        "draft": draft,
        "recommended": recommended,
        "network": network,
    }


def applicant_pages(c):
    draft = c["draft"].pk
    return [
        url("applications:dashboard"),
        url("applications:programmes"),
        url("applications:eligibility", c["draft"].programme_id),
        url("applications:step_project", draft),
        url("applications:step_costs", draft),
        url("applications:step_financing", draft),
        url("applications:step_attachments", draft),
        url("applications:step_declarations", draft),
        url("applications:summary", draft),
        url("applications:detail", c["submitted"].pk),
        url("applications:withdraw", c["submitted"].pk),
        url("accounts:organisation_detail", c["organisation"].pk),
        url("accounts:organisation_edit", c["organisation"].pk),
        url("accounts:organisation_invite", c["organisation"].pk),
        url("accounts:organisation_create"),
        url("networks:list"),
        url("networks:detail", c["network"].slug),
        url("networks:my_calendar"),
        url("privacy:my_data"),
    ]


def case_handler_pages(c):
    case = c["submitted"].pk
    return [
        url("accounts:staff_home"),
        url("applications:staff_queue"),
        url("applications:staff_case", case),
        url("applications:staff_case", c["recommended"].pk),
        url("applications:staff_review", c["recommended"].pk),
        url("applications:staff_budget"),
        url("applications:staff_payouts"),
        url("applications:staff_outbox"),
        url("networks:list"),
        url("networks:detail", c["network"].slug),
        url("accessibility_feedback_list"),
    ]


def signing_authority_pages(c):
    return [
        url("applications:staff_queue"),
        url("applications:staff_case", c["recommended"].pk),
        url("applications:staff_decide", c["recommended"].pk),
        url("administration:statistics"),
    ]


def administrator_pages(c):
    programme = c["submitted"].programme
    return [
        url("administration:overview"),
        url("administration:programmes"),
        url("administration:programme_edit", programme.pk),
        url("administration:programme_budget", programme.pk),
        url("administration:guidelines"),
        url("administration:guideline", programme.guideline_id),
        url("administration:statistics"),
        url("user_admin:people"),
        url("user_admin:person", c["handler"].pk),
        url("user_admin:invite_staff"),
        url("user_admin:organisations"),
        url("handlungsfelder:manage_list"),
        url("accounts:security_log"),
        url("privacy:retention_runs"),
        url("accessibility_feedback_list"),
    ]


def person(role, c):
    if role == "applicant":
        return c["applicant"]
    if role == "case_handler":
        return c["handler"]
    if role == "signing_authority":
        return factories.signing_authority()
    return factories.administrator()


WALKS = {
    "applicant": applicant_pages,
    "case_handler": case_handler_pages,
    "signing_authority": signing_authority_pages,
    "administrator": administrator_pages,
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", WALKS)
def test_every_page_of_the_role_is_accessible(page, cases, role, language):
    from .conftest import log_in

    log_in(page, person(role, cases), language_prefix=language)
    problems = []
    for path in WALKS[role](cases):
        problems += visit(page, language + path)
    assert not problems, "\n\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_feedback_form_with_errors_and_after_sending_is_accessible(page, language):
    page.goto(f"{language}/barrierefreiheit/")
    page.locator("#id_email").fill("keine-adresse")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("[data-error-summary]").count() == 1
    problems = page_problems(page)

    page.locator("#id_message").fill("Das Menü lässt sich nicht mit der Tastatur öffnen.")
    page.locator("#id_email").fill("")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert AccessibilityFeedback.objects.count() == 1
    problems += page_problems(page)
    assert not problems, "\n\n".join(problems)
