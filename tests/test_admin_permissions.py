"""Every administration and statistics URL × every kind of visitor.

People, roles and organisations are for the Administration only; the statistics
("Auswertung") are also open to staff with signing authority.
"""

import pytest
from django.urls import reverse

from accounts.models import Membership, Role
from tests.application_helpers import sample_programme
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

VISITORS = [
    "anonymous",
    "member_a",
    "member_b",
    "case_handler",
    "signing_authority",
    "administrator",
    "staff_member_of_a",
]
LOGIN, OK, FORBIDDEN = "login", 200, 403

ADMINISTRATION_ONLY = {
    **dict.fromkeys(VISITORS, FORBIDDEN),
    "anonymous": LOGIN,
    "administrator": OK,
}

LOGGED_IN = {**dict.fromkeys(VISITORS, OK), "anonymous": LOGIN}
STAFF_ONLY = {
    **dict.fromkeys(VISITORS, FORBIDDEN),
    "anonymous": LOGIN,
    "case_handler": OK,
    "signing_authority": OK,
    "staff_member_of_a": OK,
}
STATISTICS = {**ADMINISTRATION_ONLY, "signing_authority": OK, "staff_member_of_a": OK}


def person(objects):
    return {"pk": objects["people"]["case_handler"].pk}


def programme(objects):
    return {"pk": objects["programme"].pk}


def guideline(objects):
    return {"pk": objects["programme"].guideline_id}


def criterion(objects):
    return {"pk": objects["programme"].guideline.criteria.first().pk}


def letter_scope(objects):
    return {"scope": str(objects["programme"].pk)}


def letter_block(objects):
    return {"scope": str(objects["programme"].pk), "key": "intro"}


MATRIX = {
    "administration:overview": (None, ADMINISTRATION_ONLY),
    "user_admin:people": (None, ADMINISTRATION_ONLY),
    "user_admin:invite_staff": (None, ADMINISTRATION_ONLY),
    "user_admin:person": (person, ADMINISTRATION_ONLY),
    "user_admin:organisations": (None, ADMINISTRATION_ONLY),
    "user_admin:organisation_merge": (
        lambda o: {"pk": o["organisation_a"].pk},
        ADMINISTRATION_ONLY,
    ),
    "administration:statistics": (None, STATISTICS),
    "administration:statistics_export": (lambda o: {"fmt": "csv"}, STATISTICS),
    "administration:statistics_report": (None, STATISTICS),
    "administration:queue_export": (lambda o: {"fmt": "xlsx"}, STAFF_ONLY),
    "administration:programmes": (None, ADMINISTRATION_ONLY),
    "administration:programme_copy": (programme, ADMINISTRATION_ONLY),
    "administration:programme_edit": (programme, ADMINISTRATION_ONLY),
    "administration:programme_budget": (programme, ADMINISTRATION_ONLY),
    "administration:guidelines": (None, ADMINISTRATION_ONLY),
    "administration:guideline": (guideline, ADMINISTRATION_ONLY),
    "administration:criterion_add": (guideline, ADMINISTRATION_ONLY),
    "administration:criterion_edit": (criterion, ADMINISTRATION_ONLY),
    "administration:letter_texts": (None, ADMINISTRATION_ONLY),
    "administration:letter_text_blocks": (letter_scope, ADMINISTRATION_ONLY),
    "administration:letter_text_saved_preview": (letter_scope, ADMINISTRATION_ONLY),
    "administration:letter_text_edit": (letter_block, ADMINISTRATION_ONLY),
    "privacy:my_data": (None, LOGGED_IN),
    "privacy:my_data_download": (None, LOGGED_IN),
    "privacy:retention_runs": (None, ADMINISTRATION_ONLY),
}

# Buttons: GET answers 405; the guard of each is proven by POST below.
POST_ONLY = {
    "user_admin:grant_role": (person, ADMINISTRATION_ONLY),
    "user_admin:revoke_role": (person, ADMINISTRATION_ONLY),
    "user_admin:set_active": (person, ADMINISTRATION_ONLY),
    "administration:guideline_new_version": (guideline, ADMINISTRATION_ONLY),
    "administration:guideline_publish": (guideline, ADMINISTRATION_ONLY),
    "administration:criterion_delete": (criterion, ADMINISTRATION_ONLY),
    "administration:letter_text_preview": (letter_block, ADMINISTRATION_ONLY),
    "administration:letter_text_reset": (letter_block, ADMINISTRATION_ONLY),
}


@pytest.fixture
def objects(db):
    organisation_a = OrganisationFactory(name="Verein A")
    people = {
        "member_a": MembershipFactory(organisation=organisation_a).user,
        "member_b": MembershipFactory().user,
        "case_handler": UserFactory(roles=[Role.CASE_HANDLER]),
        "signing_authority": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
        "administrator": UserFactory(roles=[Role.ADMINISTRATION]),
        "staff_member_of_a": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
    }
    Membership.objects.create(user=people["staff_member_of_a"], organisation=organisation_a)
    return {"people": people, "programme": sample_programme(), "organisation_a": organisation_a}


def _request(client, objects, name, visitor, table, method):
    kwargs_builder, expected = table[name]
    url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
    if visitor != "anonymous":
        client.force_login(objects["people"][visitor])
    data = (
        {"role": Role.CASE_HANDLER, "active": "1", "text": "Ein Text für die Vorschau."}
        if method == "post"
        else None
    )
    response = getattr(client, method)(url, data)
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
    client.force_login(objects["people"]["administrator"])
    assert client.get(reverse(name, kwargs=kwargs_builder(objects))).status_code == 405
