"""Every URL of the Widerruf × every kind of visitor, in the shape of the portal's matrix."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Role
from applications.models import (
    Application,
    ApplicationStatus,
    RevocationProcedure,
    RevocationStatus,
)
from tests.application_helpers import PDF_BYTES
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.post_helpers import approved_case
from tests.test_payments_permissions import (
    APPLICANT_OF_A,
    CASE_OF_A,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    SIGNING_ON_CASE_OF_A,
    STAFF_ONLY,
    VISITORS,
    _request,
)

# The hearing letter: the organisation's members and the staff who may work on the case.
LETTER_OF_A = {
    **dict.fromkeys(VISITORS, NOT_FOUND),
    "anonymous": LOGIN,
    "member_a": OK,
    "case_handler": OK,
    "signing_authority": OK,
    "staff_member_of_a": OK,
}


def heard(objects):
    return {"pk": objects["heard"].pk}


def proposed(objects):
    return {"pk": objects["proposed"].pk}


MATRIX = {
    "applications:answer_hearing": (heard, APPLICANT_OF_A),
    "applications:hearing_letter": (
        lambda o: {"pk": o["heard"].pk, "procedure_id": o["procedure"].pk},
        LETTER_OF_A,
    ),
    "applications:staff_start_hearing": (heard, CASE_OF_A),
    "applications:staff_propose_revocation": (heard, CASE_OF_A),
    "applications:staff_decide_revocation": (proposed, SIGNING_ON_CASE_OF_A),
    "applications:staff_repayments": (None, STAFF_ONLY),
}

POST_ONLY = {
    "applications:staff_record_repayment": (proposed, CASE_OF_A),
    "applications:staff_usage_report_repayment": (proposed, SIGNING_ON_CASE_OF_A),
}


def _procedure(application, handler, *, status, proposer=None):
    procedure = RevocationProcedure(
        application=application,
        status=status,
        scope="partial",
        reason="Die Veranstaltung hat nicht stattgefunden.",
        intended_amount=Decimal("100.00"),
        paid_amount=Decimal("500.00"),
        answer_due_on=timezone.localdate() + timedelta(days=14),
        started_by=handler,
        hearing_sha256="0" * 64,
        outcome="revoke" if proposer else "",
        repayment_amount=Decimal("100.00") if proposer else None,
        proposed_by=proposer,
        reasoning="Begründung" if proposer else "",
    )
    procedure.hearing_file.save("anhoerung.pdf", ContentFile(PDF_BYTES), save=False)
    procedure.save()
    return procedure


@pytest.fixture
def objects(db):
    case = approved_case()
    application = case.application
    # A second case of the same organisation, built without rendering another Bescheid.
    second = Application.objects.create(
        organisation=application.organisation,
        programme=application.programme,
        status=ApplicationStatus.APPROVED,
        reference="KITZ-2099-0001",
        title="Zweites Projekt",
        submitted_at=application.submitted_at,
        granted_amount=Decimal("500.00"),
    )
    people = {
        "member_a": case.member,
        "member_b": MembershipFactory(organisation=OrganisationFactory()).user,
        "case_handler": UserFactory(roles=[Role.CASE_HANDLER]),
        "signing_authority": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
        "administrator": UserFactory(roles=[Role.ADMINISTRATION]),
        "staff_member_of_a": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
    }
    Membership.objects.create(
        user=people["staff_member_of_a"], organisation=application.organisation
    )
    procedure = _procedure(application, case.handler, status=RevocationStatus.HEARING)
    _procedure(second, case.handler, status=RevocationStatus.PROPOSED, proposer=case.handler)
    return {"heard": application, "proposed": second, "procedure": procedure, "people": people}


@pytest.mark.parametrize(("name", "visitor"), [(n, v) for n in sorted(MATRIX) for v in VISITORS])
def test_url_answers_each_visitor_as_declared(client, objects, name, visitor):
    _request(client, objects, name, visitor, MATRIX, "get")


@pytest.mark.parametrize(("name", "visitor"), [(n, v) for n in sorted(POST_ONLY) for v in VISITORS])
def test_button_urls_answer_each_visitor_as_declared(client, objects, name, visitor):
    _request(client, objects, name, visitor, POST_ONLY, "post")


@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_button_urls_refuse_get(client, objects, name):
    kwargs_builder, _expected = POST_ONLY[name]
    client.force_login(objects["people"]["signing_authority"])
    assert client.get(reverse(name, kwargs=kwargs_builder(objects))).status_code == 405


def test_staff_of_the_organisation_are_refused_on_the_decision_page(client, objects):
    client.force_login(objects["people"]["staff_member_of_a"])
    url = reverse("applications:staff_decide_revocation", kwargs=proposed(objects))
    assert client.get(url).status_code == FORBIDDEN
