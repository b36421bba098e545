"""Organisations: create after registration, keep the profile, invite colleagues."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Invitation, Membership, Organisation
from accounts.validators import format_iban, validate_iban
from tests.application_helpers import EXE_BYTES, PDF_BYTES, complete_organisation, member_of
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Nachbarschaftshilfe Tarp e. V.",
    "kind": "association",
    "street": "Bahnhofstraße 3",
    "postal_code": "24963",
    "town": "Tarp",
    "municipality": "Tarp",
    "email": "info@nachbarschaft-tarp.example.org",
    "phone": "04638 123",
    "contact_person": "Inga Thomsen",
    "register_number": "VR 1234 FL",
    "is_non_profit": "on",
    "iban": "DE89 3704 0044 0532 0130 00",
    "account_holder": "Nachbarschaftshilfe Tarp e. V.",
}


@pytest.mark.parametrize(
    "iban", ["DE89370400440532013000", "de89 3704 0044 0532 0130 00", "DE02120300000000202051"]
)
def test_valid_german_ibans_pass_the_checksum(iban):
    validate_iban(iban)


@pytest.mark.parametrize(
    "iban",
    [
        "DE89370400440532013001",  # one digit wrong
        "DE8937040044053201300",  # too short
        "AT611904300234573201",  # not German
        "DE89 3704 0044 0532 0130 0X",
        "",
    ],
)
def test_wrong_ibans_are_refused(iban):
    with pytest.raises(ValidationError):
        validate_iban(iban)


def test_an_iban_is_shown_in_groups_of_four():
    assert format_iban("DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"


def test_a_registered_person_creates_their_organisation_and_manages_it(client):
    user = UserFactory()
    client.login(email=user.email, password=PASSWORD)
    response = client.post(
        reverse("accounts:organisation_create"),
        {**VALID, "proof": SimpleUploadedFile("Freistellungsbescheid.pdf", PDF_BYTES)},
    )
    organisation = Organisation.objects.get()
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert organisation.iban == "DE89370400440532013000"
    assert organisation.non_profit_proof_name == "Freistellungsbescheid.pdf"
    assert organisation.non_profit_proof_content_type == "application/pdf"
    assert Membership.objects.get(user=user, organisation=organisation).is_manager
    assert organisation.missing_profile_fields == []
    page = client.get(response.url).content.decode()
    assert "DE89 3704 0044 0532 0130 00" in page
    proof = client.get(reverse("accounts:organisation_proof", args=[organisation.pk]))
    assert proof["X-Content-Type-Options"] == "nosniff"
    assert proof["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"iban": "DE89370400440532013001"}, "iban", "Prüfziffer"),
        ({"iban": "GB82WEST12345698765432"}, "iban", "deutsche IBAN"),
        ({"postal_code": "20095"}, "postal_code", "nicht im Kreis"),
        ({"postal_code": "248"}, "postal_code", "fünfstellige"),
        ({"name": ""}, "name", "erforderlich"),
        ({"kind": "company"}, "kind", "gültige Auswahl"),
        ({"account_holder": ""}, "account_holder", "Kontoinhaber"),
        ({"contact_person": ""}, "contact_person", "erforderlich"),
        ({"proof": "exe"}, "proof", "Dateityp"),
        ({"proof": "empty"}, "proof", "leer"),
    ],
)
def test_bad_organisation_data_is_refused_at_the_field_and_nothing_saved(
    client, settings, data, field, message
):
    user = UserFactory()
    client.login(email=user.email, password=PASSWORD)
    payload = {**VALID, **data}
    if data.get("proof") == "exe":
        payload["proof"] = SimpleUploadedFile("bescheid.pdf", EXE_BYTES)
    elif data.get("proof") == "empty":
        payload["proof"] = SimpleUploadedFile("bescheid.pdf", b"")
    response = client.post(reverse("accounts:organisation_create"), payload)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors, errors
    assert "Bitte prüfen Sie Ihre Angaben" in response.content.decode()
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()
    root = settings.MEDIA_ROOT
    assert not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def test_only_managers_edit_the_profile(client):
    organisation = complete_organisation()
    member = UserFactory()
    Membership.objects.create(user=member, organisation=organisation, is_manager=False)
    client.login(email=member.email, password=PASSWORD)
    url = reverse("accounts:organisation_edit", args=[organisation.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {**VALID, "name": "Übernommen"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name != "Übernommen"


def test_a_manager_edits_the_profile(client):
    organisation = complete_organisation()
    manager = member_of(organisation)
    client.login(email=manager.email, password=PASSWORD)
    response = client.post(
        reverse("accounts:organisation_edit", args=[organisation.pk]), {**VALID, "name": "Neu"}
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "Neu"


def test_organisation_pages_of_others_answer_404(client):
    organisation = complete_organisation(
        non_profit_proof="private/abc", non_profit_proof_name="x.pdf"
    )
    outsider = member_of(complete_organisation())
    client.login(email=outsider.email, password=PASSWORD)
    for name in [
        "organisation_detail",
        "organisation_edit",
        "organisation_proof",
        "organisation_invite",
    ]:
        url = reverse(f"accounts:{name}", args=[organisation.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"email": "x@example.org"}).status_code == 404, url
    assert not Invitation.objects.exists()


def test_a_colleague_is_invited_by_email_and_joins_with_the_signed_link(
    client, django_capture_on_commit_callbacks
):
    organisation = complete_organisation()
    manager = member_of(organisation)
    client.login(email=manager.email, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:organisation_invite", args=[organisation.pk]),
            {"email": "Kollegin@Example.org"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kollegin@example.org"]
    assert organisation.name in message.subject
    link = re.search(r"https?://[^/\s]+(/\S*/einladung/\S+/)", message.body)
    assert link
    path = link.group(1)

    colleague = UserFactory(email="kollegin@example.org")
    client.logout()
    client.login(email=colleague.email, password=PASSWORD)
    assert "Einladung annehmen" in client.get(path).content.decode()
    response = client.post(path)
    assert response.url == reverse("accounts:organisation_detail", args=[organisation.pk])
    assert Membership.objects.filter(user=colleague, organisation=organisation).exists()
    # The link works once.
    client.post(path)
    assert Membership.objects.filter(user=colleague, organisation=organisation).count() == 1


def test_an_invitation_link_for_someone_else_or_tampered_does_not_join(client):
    from accounts import services

    organisation = complete_organisation()
    manager = member_of(organisation)
    invitation = services.invite_member(
        actor=manager, organisation=organisation, email="gemeint@example.org"
    )
    token = services.invitation_token(invitation)
    stranger = UserFactory(email="fremd@example.org")
    client.login(email=stranger.email, password=PASSWORD)
    client.post(reverse("accounts:accept_invitation", args=[token]))
    client.post(reverse("accounts:accept_invitation", args=[token[:-2] + "xx"]))
    assert not Membership.objects.filter(user=stranger).exists()


def test_bad_invitation_addresses_are_refused(client):
    organisation = complete_organisation()
    manager = member_of(organisation)
    client.login(email=manager.email, password=PASSWORD)
    url = reverse("accounts:organisation_invite", args=[organisation.pk])
    response = client.post(url, {"email": "keine-adresse"})
    assert "email" in response.context["form"].errors
    response = client.post(url, {"email": manager.email})
    assert "schon zur Organisation" in response.context["form"].errors["email"][0]
    assert not Invitation.objects.exists()


def test_home_page_links_to_applications_and_organisation(client):
    organisation = complete_organisation()
    user = member_of(organisation)
    client.login(email=user.email, password=PASSWORD)
    page = client.get(reverse("accounts:home")).content.decode()
    assert reverse("applications:dashboard") in page
    assert reverse("applications:programmes") in page
    assert reverse("accounts:organisation_detail", args=[organisation.pk]) in page


def test_the_organisation_page_lists_members_in_fixed_queries(
    client, django_assert_max_num_queries
):
    organisation = complete_organisation()
    manager = member_of(organisation)
    for _index in range(6):
        member_of(organisation)
    client.login(email=manager.email, password=PASSWORD)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("accounts:organisation_detail", args=[organisation.pk]))
    assert page.content.decode().count("@example.org") >= 7
