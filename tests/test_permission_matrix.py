"""Every URL of the portal × every kind of visitor, with the answer each must get.

A new URL without an entry in MATRIX fails ``test_every_url_is_in_the_matrix``, so no page
ships unguarded. Other organisations' objects answer 404, not 403.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from applications.services import add_attachment
from tests.application_helpers import PDF_BYTES, complete_draft
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.test_admin_permissions import MATRIX as ADMIN_MATRIX
from tests.test_admin_permissions import POST_ONLY as ADMIN_POST_ONLY
from tests.test_amendments_permissions import MATRIX as AMENDMENTS_MATRIX
from tests.test_networks_permissions import MATRIX as NETWORK_MATRIX
from tests.test_payments_permissions import MATRIX as PAYMENTS_MATRIX
from tests.test_payments_permissions import POST_ONLY as PAYMENTS_POST_ONLY
from tests.test_review_permissions import MATRIX as REVIEW_MATRIX
from tests.test_review_permissions import POST_ONLY as REVIEW_POST_ONLY
from tests.test_revocation_permissions import MATRIX as REVOCATION_MATRIX
from tests.test_revocation_permissions import POST_ONLY as REVOCATION_POST_ONLY

VISITORS = [
    "anonymous",
    "member_a",
    "member_b",
    "case_handler",
    "signing_authority",
    "administrator",
    "staff_member_of_a",
]

LOGIN = "login"
OK = 200
FORBIDDEN = 403
NOT_FOUND = 404

PUBLIC = dict.fromkeys(VISITORS, OK)
LOGGED_IN = {**dict.fromkeys(VISITORS, OK), "anonymous": LOGIN}
STAFF_ONLY = {
    **dict.fromkeys(VISITORS, FORBIDDEN),
    "anonymous": LOGIN,
    "case_handler": OK,
    "signing_authority": OK,
    "staff_member_of_a": OK,
}
# Pages of one organisation's own things: its members only; everyone else gets 404.
MEMBERS_OF_A = {
    **dict.fromkeys(VISITORS, NOT_FOUND),
    "anonymous": LOGIN,
    "member_a": OK,
    "staff_member_of_a": OK,
}
# Starting an application needs a membership; staff without one are sent to create one.
APPLICANTS = {
    **dict.fromkeys(VISITORS, OK),
    "anonymous": LOGIN,
    "case_handler": 302,
    "signing_authority": 302,
    "administrator": 302,
}
ADMINISTRATION_ONLY = {
    **dict.fromkeys(VISITORS, FORBIDDEN),
    "anonymous": LOGIN,
    "administrator": OK,
}


def handlungsfeld_pk(objects):
    return {"pk": objects["handlungsfeld"].pk}


def draft_pk(objects):
    return {"pk": objects["draft"].pk}


def organisation_a_pk(objects):
    return {"pk": objects["organisation_a"].pk}


DRAFT_PAGES = [
    "detail",
    "step_project",
    "step_costs",
    "step_financing",
    "step_attachments",
    "step_declarations",
    "summary",
    "delete",
    "pdf",
]


# url name -> (kwargs builder or None, {visitor: expected status for GET})
MATRIX = {
    "home": (None, PUBLIC),
    "about": (None, PUBLIC),
    "funding_info": (None, PUBLIC),
    "imprint": (None, PUBLIC),
    "privacy": (None, PUBLIC),
    "accessibility": (None, PUBLIC),
    "accessibility_feedback_list": (None, {**STAFF_ONLY, "administrator": OK}),
    "easy_language": (None, PUBLIC),
    "healthz": (None, PUBLIC),
    "accounts:home": (None, LOGGED_IN),
    "accounts:staff_home": (None, STAFF_ONLY),
    "accounts:security_log": (None, ADMINISTRATION_ONLY),
    "handlungsfelder:detail": (lambda o: {"slug": o["handlungsfeld"].slug}, PUBLIC),
    "handlungsfelder:manage_list": (None, ADMINISTRATION_ONLY),
    "handlungsfelder:create": (None, ADMINISTRATION_ONLY),
    "handlungsfelder:edit": (handlungsfeld_pk, ADMINISTRATION_ONLY),
    "handlungsfelder:delete": (handlungsfeld_pk, ADMINISTRATION_ONLY),
    "accounts:organisation_create": (None, LOGGED_IN),
    "accounts:organisation_detail": (organisation_a_pk, MEMBERS_OF_A),
    "accounts:organisation_edit": (organisation_a_pk, MEMBERS_OF_A),
    "accounts:organisation_invite": (organisation_a_pk, MEMBERS_OF_A),
    "applications:dashboard": (None, LOGGED_IN),
    "applications:programmes": (None, APPLICANTS),
    "applications:eligibility": (lambda o: {"programme_id": o["draft"].programme_id}, APPLICANTS),
    **{f"applications:{name}": (draft_pk, MEMBERS_OF_A) for name in DRAFT_PAGES},
    "applications:download_attachment": (
        lambda o: {"pk": o["draft"].pk, "attachment_id": o["attachment"].pk},
        MEMBERS_OF_A,
    ),
}

# POST-only URLs: GET answers 405 for those allowed and the guard for everyone else.
POST_ONLY = {
    "set_language",
    "handlungsfelder:move",
    "handlungsfelder:set_active",
}

# URLs whose role matrix is declared in an app's own permission test, or whose guard a named
# test proves (token links, POST-only actions, file downloads).
NETWORK_PAGES = {f"networks:{row[0]}" for row in NETWORK_MATRIX}
DELEGATED = {
    **dict.fromkeys(NETWORK_PAGES, "tests/test_networks_permissions.py"),
    **dict.fromkeys(REVIEW_MATRIX, "tests/test_review_permissions.py"),
    **dict.fromkeys(REVIEW_POST_ONLY, "tests/test_review_permissions.py (POST)"),
    **dict.fromkeys(ADMIN_MATRIX, "tests/test_admin_permissions.py"),
    **dict.fromkeys(ADMIN_POST_ONLY, "tests/test_admin_permissions.py (POST)"),
    **dict.fromkeys(PAYMENTS_MATRIX, "tests/test_payments_permissions.py"),
    **dict.fromkeys(PAYMENTS_POST_ONLY, "tests/test_payments_permissions.py (POST)"),
    **dict.fromkeys(AMENDMENTS_MATRIX, "tests/test_amendments_permissions.py (GET and POST)"),
    **dict.fromkeys(REVOCATION_MATRIX, "tests/test_revocation_permissions.py"),
    **dict.fromkeys(REVOCATION_POST_ONLY, "tests/test_revocation_permissions.py (POST)"),
    "networks:person_feed": "test_networks_feeds.test_unknown_or_deactivated_feed_token_is_404",
    "networks:rsvp_by_token": "test_networks_meetings.test_forged_rsvp_token_is_refused_…",
    "networks:join_request_decide": "test_networks_join.test_member_cannot_decide_join_requests",
    "networks:member_remove": "test_networks_permissions (POST, coordinators only)",
    "networks:meeting_invite": "test_networks_meetings (POST, coordinators only)",
    "networks:meeting_cancel": "test_networks_meetings (POST, coordinators only)",
    "networks:meeting_respond": "test_networks_meetings (POST, invited members only)",
    "networks:meeting_minutes_file": "test_networks_meetings.test_minutes_file_is_shared_with_…",
    "networks:series": "test_networks_series (coordinators only)",
    "networks:offer_edit": "test_networks_pages.test_coordinator_edits_an_offer_…",
    "networks:task_done": "test_networks_permissions.test_task_owner_may_tick_off_…",
    "accounts:organisation_proof": "test_organisations (members only, 404 for others)",
    "accounts:accept_invitation": "test_organisations (signed token of the invited person)",
    "applications:submit": "test_applications_access (POST, members only)",
    "applications:withdraw": "test_applications_access (members only)",
    "applications:copy": "test_applications_access (POST, members only)",
    "applications:delete_cost_item": "test_applications_access (POST, own items only)",
    "applications:delete_financing_item": "test_applications_access (POST, own items only)",
    "applications:delete_attachment": "test_applications_access (POST, own items only)",
    "applications:download_letter": "test_letters (members and staff; 404 for others)",
    "applications:guideline_document": (
        "test_programme_documents.test_the_leitfaden_is_public_for_every_visitor (404 unless "
        "published with a file)"
    ),
}

# URLs of well-kept third-party apps with their own tests, and Django's own helpers.
EXTERNAL_PREFIXES = ("account_", "mfa_", "admin:", "javascript-catalog", "socialaccount_")


def url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    names = {name for name in url_names() if not name.startswith(EXTERNAL_PREFIXES)}
    missing = sorted(names - set(MATRIX) - POST_ONLY - set(DELEGATED))
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"


@pytest.fixture
def objects(db):
    from handlungsfelder.models import Handlungsfeld

    organisation_a = OrganisationFactory(name="Verein A")
    organisation_b = OrganisationFactory(name="Verein B")
    people = {
        "member_a": MembershipFactory(organisation=organisation_a).user,
        "member_b": MembershipFactory(organisation=organisation_b).user,
        "case_handler": UserFactory(roles=[Role.CASE_HANDLER]),
        "signing_authority": UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY]),
        "administrator": UserFactory(roles=[Role.ADMINISTRATION]),
        "staff_member_of_a": UserFactory(roles=[Role.CASE_HANDLER]),
    }
    MembershipFactory(user=people["staff_member_of_a"], organisation=organisation_a)
    draft = complete_draft(user=people["member_a"], organisation=organisation_a)
    attachment = add_attachment(
        actor=people["member_a"],
        application=draft,
        upload=SimpleUploadedFile("kostenvoranschlag.pdf", PDF_BYTES),
        content_type="application/pdf",
    )
    return {
        "draft": draft,
        "attachment": attachment,
        "organisation_a": organisation_a,
        "organisation_b": organisation_b,
        "handlungsfeld": Handlungsfeld.objects.get(slug="sprache"),
        "people": people,
    }


CASES = [(name, visitor) for name in sorted(MATRIX) for visitor in VISITORS]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "visitor"), CASES)
def test_url_answers_each_visitor_as_declared(client, objects, name, visitor):
    kwargs_builder, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_builder(objects) if kwargs_builder else None)
    if visitor != "anonymous":
        client.force_login(objects["people"][visitor])
    response = client.get(url)
    if expected[visitor] == LOGIN:
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    else:
        assert response.status_code == expected[visitor], (url, visitor, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY - {"set_language"}))
def test_post_only_urls_refuse_get(client, objects, name):
    client.force_login(objects["people"]["administrator"])
    pattern_kwargs = {
        "handlungsfelder:move": {"pk": objects["handlungsfeld"].pk, "direction": "up"},
        "handlungsfelder:set_active": {"pk": objects["handlungsfeld"].pk},
    }
    response = client.get(reverse(name, kwargs=pattern_kwargs.get(name)))
    assert response.status_code == 405
