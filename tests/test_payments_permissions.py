"""Every URL after the Bescheid × every kind of visitor, in the shape of the portal's matrix."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Role
from applications import payments, usage_reports
from tests.factories import UserFactory
from tests.post_helpers import approved_case
from tests.test_usage_attachments import blank_pdf

VISITORS = [
    "anonymous",
    "member_a",
    "member_b",
    "case_handler",
    "signing_authority",
    "administrator",
    "staff_member_of_a",
]
LOGIN, OK, FORBIDDEN, NOT_FOUND = "login", 200, 403, 404

STAFF_ONLY = {
    **dict.fromkeys(VISITORS, FORBIDDEN),
    "anonymous": LOGIN,
    "case_handler": OK,
    "signing_authority": OK,
    "staff_member_of_a": OK,
}
CASE_OF_A = {**STAFF_ONLY, "staff_member_of_a": FORBIDDEN}
APPLICANT_OF_A = {
    **dict.fromkeys(VISITORS, NOT_FOUND),
    "anonymous": LOGIN,
    "member_a": OK,
    "staff_member_of_a": OK,
}


def letter_of_a(objects):
    return {"pk": objects["application"].pk, "letter_id": objects["letter"].pk}


def case_of_a(objects):
    return {"pk": objects["application"].pk}


def payment_of_a(objects):
    return {"pk": objects["application"].pk, "payment_id": objects["payment"].pk}


def usage_attachment_of_a(objects):
    return {"pk": objects["application"].pk, "attachment_id": objects["usage_attachment"].pk}


SIGNING_ON_CASE_OF_A = {**CASE_OF_A, "case_handler": FORBIDDEN}
# Private files of a case: its organisation and the KITZ staff; others learn nothing (404).
VIEWERS_OF_A = {**APPLICANT_OF_A, "case_handler": OK, "signing_authority": OK}

MATRIX = {
    "applications:request_payment": (case_of_a, APPLICANT_OF_A),
    "applications:staff_payouts": (None, STAFF_ONLY),
    "applications:staff_payouts_export": (lambda o: {"file_format": "csv"}, STAFF_ONLY),
    "applications:usage_report": (case_of_a, APPLICANT_OF_A),
    "applications:receipts_template": (
        lambda o: {"pk": o["application"].pk, "file_format": "xlsx"},
        APPLICANT_OF_A,
    ),
    "applications:download_usage_attachment": (usage_attachment_of_a, VIEWERS_OF_A),
}

# Buttons: GET answers 405; POST answers each visitor as declared.
POST_ONLY = {
    "applications:waive_appeal": (letter_of_a, APPLICANT_OF_A),
    "applications:staff_record_posting": (letter_of_a, CASE_OF_A),
    "applications:staff_check_payment": (payment_of_a, CASE_OF_A),
    "applications:staff_release_payment": (payment_of_a, SIGNING_ON_CASE_OF_A),
    "applications:staff_mark_paid": (lambda o: {"payment_id": o["payment"].pk}, STAFF_ONLY),
    "applications:add_receipt": (case_of_a, APPLICANT_OF_A),
    "applications:import_receipts": (case_of_a, APPLICANT_OF_A),
    "applications:upload_usage_attachment": (case_of_a, APPLICANT_OF_A),
    "applications:delete_usage_attachment": (usage_attachment_of_a, APPLICANT_OF_A),
    "applications:staff_check_usage_report": (case_of_a, CASE_OF_A),
    "applications:staff_confirm_usage_report": (case_of_a, SIGNING_ON_CASE_OF_A),
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
    payment = payments.request_payment(
        actor=case.member,
        application=case.application,
        amount=Decimal("100.00"),
        period_start=case.application.decision.period_start,
        period_end=case.application.decision.period_start,
    )
    usage_attachment = usage_reports.add_usage_attachment(
        actor=case.member,
        application=case.application,
        upload=SimpleUploadedFile("Flyer.pdf", blank_pdf()),
        content_type="application/pdf",
    )
    return {
        "application": case.application,
        "letter": case.letter,
        "payment": payment,
        "usage_attachment": usage_attachment,
        "people": people,
    }


def _request(client, objects, name, visitor, table, method):
    kwargs_builder, expected = table[name]
    url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
    if visitor != "anonymous":
        client.force_login(objects["people"][visitor])
    response = getattr(client, method)(url)
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
