"""The Änderungsantrag's URLs × every kind of visitor, in the shape of the portal's matrix."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from applications import amendments
from applications.models import AmendmentStatus
from tests.factories import UserFactory
from tests.post_helpers import approved_case
from tests.test_payments_permissions import (
    APPLICANT_OF_A,
    CASE_OF_A,
    FORBIDDEN,
    LOGIN,
    OK,
    VISITORS,
    case_of_a,
)


def amendment_of_a(objects):
    return {"pk": objects["application"].pk, "amendment_id": objects["amendment"].pk}


MATRIX = {
    "applications:request_amendment": (case_of_a, APPLICANT_OF_A),
    "applications:staff_amendment": (amendment_of_a, CASE_OF_A),
}


@pytest.fixture
def objects(db):
    case = approved_case()
    other = approved_case()
    people = {
        "member_a": case.member,
        "member_b": other.member,
        "case_handler": UserFactory(roles=[Role.CASE_HANDLER]),
        "signing_authority": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
        "administrator": UserFactory(roles=[Role.ADMINISTRATION]),
        "staff_member_of_a": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
    }
    Membership.objects.create(
        user=people["staff_member_of_a"], organisation=case.application.organisation
    )
    values = amendments.current_values(case.application)
    lines = values["lines"]
    lines[0].unit_price = Decimal("1500.00")
    amendment = amendments.request_amendment(
        actor=case.member,
        application=case.application,
        new_start=values["new_start"],
        new_end=values["new_end"],
        new_amount=Decimal("1300.00"),
        justification="Weniger Termine als geplant.",
        lines=lines,
    )
    return {
        "application": case.application,
        "amendment": amendment,
        "people": people,
        "case": case,
    }


@pytest.mark.parametrize(("name", "visitor"), [(n, v) for n in sorted(MATRIX) for v in VISITORS])
def test_url_answers_each_visitor_as_declared(client, objects, name, visitor):
    kwargs_builder, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_builder(objects))
    if visitor != "anonymous":
        client.force_login(objects["people"][visitor])
    response = client.get(url)
    if expected[visitor] == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == expected[visitor], (url, visitor, response.status_code)


@pytest.mark.parametrize(
    ("visitor", "expected"),
    [
        ("anonymous", LOGIN),
        ("member_a", FORBIDDEN),
        ("member_b", FORBIDDEN),
        ("administrator", FORBIDDEN),
        ("staff_member_of_a", FORBIDDEN),
        ("case_handler", OK),
        ("signing_authority", OK),
    ],
)
def test_only_staff_without_a_conflict_may_review(client, objects, visitor, expected):
    url = reverse("applications:staff_amendment", kwargs=amendment_of_a(objects))
    if visitor != "anonymous":
        client.force_login(objects["people"][visitor])
    response = client.post(url, {"proposal": "approve", "remarks": ""})
    objects["amendment"].refresh_from_db()
    if expected == OK:
        assert response.status_code == 302
        assert objects["amendment"].status == AmendmentStatus.PROPOSED
    elif expected == LOGIN:
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == FORBIDDEN
    if expected != OK:
        assert objects["amendment"].status == AmendmentStatus.REQUESTED


@pytest.mark.parametrize(
    ("decider", "allowed"),
    [("reviewer", False), ("case_handler", False), ("signing_authority", True)],
)
def test_only_a_second_person_with_signing_authority_decides(client, objects, decider, allowed):
    reviewer = objects["people"]["case_handler"]
    amendments.review_amendment(
        actor=reviewer, amendment=objects["amendment"], proposal="approve", remarks=""
    )
    person = reviewer if decider == "reviewer" else objects["people"][decider]
    if decider == "case_handler":
        person = UserFactory(roles=[Role.CASE_HANDLER])
    client.force_login(person)
    url = reverse("applications:staff_amendment", kwargs=amendment_of_a(objects))

    response = client.post(url, {"action": "approve", "note": ""})

    objects["amendment"].refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert objects["amendment"].status == AmendmentStatus.APPROVED
    else:
        assert response.status_code == 200
        assert objects["amendment"].status == AmendmentStatus.PROPOSED
        assert "kern-alert--danger" in response.content.decode()
