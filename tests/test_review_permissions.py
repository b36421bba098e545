"""Every review and decision URL × every kind of visitor, in the shape of the portal's matrix.

Staff who belong to the applying organisation are kept out of its case (403); other
organisations' applicants get 404 on applicant URLs.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Notification, Role
from applications.models import InformationRequest
from tests.factories import UserFactory
from tests.review_helpers import applicant_of, recommended_application

VISITORS = [
    "anonymous",
    "member_a",
    "member_b",
    "case_handler",
    "signing_authority",
    "administrator",
    "staff_member_of_a",
]
LOGIN, OK, REDIRECT, FORBIDDEN, NOT_FOUND = "login", 200, 302, 403, 404

STAFF_ONLY = {
    **dict.fromkeys(VISITORS, FORBIDDEN),
    "anonymous": LOGIN,
    "case_handler": OK,
    "signing_authority": OK,
    "staff_member_of_a": OK,
}
CASE_OF_A = {**STAFF_ONLY, "staff_member_of_a": FORBIDDEN}
SIGNING_ON_CASE_OF_A = {**CASE_OF_A, "case_handler": FORBIDDEN}
OUTBOX = {**STAFF_ONLY, "administrator": OK}
APPLICANT_OF_A = {
    **dict.fromkeys(VISITORS, NOT_FOUND),
    "anonymous": LOGIN,
    "member_a": OK,
    "staff_member_of_a": OK,
}


def case(objects):
    return {"pk": objects["application"].pk}


MATRIX = {
    "applications:staff_queue": (None, STAFF_ONLY),
    "applications:staff_budget": (None, STAFF_ONLY),
    "applications:staff_outbox": (None, OUTBOX),
    "applications:staff_case": (case, CASE_OF_A),
    "applications:staff_request_info": (case, CASE_OF_A),
    "applications:staff_review": (case, CASE_OF_A),
    "applications:staff_propose": (case, CASE_OF_A),
    "applications:staff_decide": (case, SIGNING_ON_CASE_OF_A),
    "applications:answer": (case, APPLICANT_OF_A),
}

# Buttons: GET answers 405; the guard of each is proven by POST in the tests below.
POST_ONLY = {
    "applications:staff_assign": (case, CASE_OF_A),
    "applications:staff_note": (case, CASE_OF_A),
    "applications:staff_message": (case, CASE_OF_A),
    "applications:staff_resend_notification": (
        lambda o: {"notification_id": o["notification"].pk},
        OUTBOX,
    ),
    "applications:applicant_message": (case, APPLICANT_OF_A),
}


@pytest.fixture
def objects(db):
    reviewer = UserFactory(roles=[Role.CASE_HANDLER])
    application = recommended_application(reviewer)
    organisation_a = application.organisation
    other = recommended_application(reviewer)
    InformationRequest.objects.create(
        application=application,
        requested_by=reviewer,
        message="Frage",
        due_on=timezone.localdate() + timedelta(days=7),
    )
    people = {
        "member_a": applicant_of(application),
        "member_b": applicant_of(other),
        "case_handler": UserFactory(roles=[Role.CASE_HANDLER]),
        "signing_authority": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
        "administrator": UserFactory(roles=[Role.ADMINISTRATION]),
        "staff_member_of_a": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
    }
    Membership.objects.create(user=people["staff_member_of_a"], organisation=organisation_a)
    notification = Notification.objects.create(
        to_email="x@example.org", template="emails/applications/case_message", status="failed"
    )
    return {"application": application, "people": people, "notification": notification}


def _request(client, objects, name, visitor, table, method):
    kwargs_builder, expected = table[name]
    url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
    if visitor != "anonymous":
        client.force_login(objects["people"][visitor])
    response = getattr(client, method)(url, {"text": "Hallo"} if method == "post" else None)
    if expected[visitor] == LOGIN:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    elif method == "post" and expected[visitor] == OK:
        assert response.status_code in (200, 302), (url, visitor, response.status_code)
    else:
        assert response.status_code == expected[visitor], (url, visitor, response.status_code)


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
