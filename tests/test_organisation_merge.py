"""Merging a duplicate organisation: everything moves, nothing of a case is lost."""

import pytest
from django.urls import reverse

from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    SecurityEvent,
    SecurityEventKind,
)
from accounts.organisation_merge import merge_organisations, plan_merge
from applications import services
from applications.models import Application, ApplicationEvent, DecisionLetter
from kitz_portal.errors import PortalError
from networks.models import JoinRequest, NetworkMembership, Offer
from tests.application_helpers import complete_draft, complete_organisation, member_of
from tests.factories import UserFactory, administrator, case_handler, signing_authority
from tests.network_factories import NetworkFactory
from tests.review_helpers import propose_approval, save_full_review, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate_pair():
    """'Verein Brücke e. V.' twice: the duplicate has cases, members, invitations, networks."""
    target = complete_organisation(name="Verein Brücke e. V.")
    source = complete_organisation(name="verein brücke")
    both = UserFactory(email="beide@example.org")
    Membership.objects.create(user=both, organisation=target, is_manager=False)
    Membership.objects.create(user=both, organisation=source, is_manager=True)
    only_source = member_of(source)
    target_member = member_of(target)
    submitted = submitted_application(organisation=source, user=only_source)
    draft = complete_draft(organisation=source, user=only_source)
    Invitation.objects.create(organisation=source, email="neu@example.org", invited_by=both)
    shared, own = NetworkFactory(), NetworkFactory()
    NetworkMembership.objects.create(network=shared, organisation=target, role="Träger")
    NetworkMembership.objects.create(network=shared, organisation=source, role="Partner")
    NetworkMembership.objects.create(network=own, organisation=source, role="Partner")
    JoinRequest.objects.create(network=NetworkFactory(), organisation=source, requested_by=both)
    offer = Offer.objects.create(
        network=shared, title="Sprachcafé", handlungsfeld=shared.handlungsfelder.first()
    )
    offer.responsible_organisations.add(source)
    return {
        "source": source,
        "target": target,
        "both": both,
        "only_source": only_source,
        "target_member": target_member,
        "approved": submitted,
        "draft": draft,
        "offer": offer,
        "admin": administrator(),
    }


def _merge(pair, actor=None):
    plan = plan_merge(actor=actor or pair["admin"], source=pair["source"], target=pair["target"])
    return merge_organisations(
        actor=actor or pair["admin"],
        source=pair["source"],
        target=pair["target"],
        fingerprint=plan.fingerprint,
    )


def test_preview_lists_what_moves_and_changes_nothing(duplicate_pair):
    pair = duplicate_pair
    plan = plan_merge(actor=pair["admin"], source=pair["source"], target=pair["target"])
    counts = {relation.label: relation.count for relation in plan.moved_relations}
    assert counts["Anträge"] == 2
    assert counts["Mitgliedschaften"] == 2
    assert counts["Einladungen"] == 1
    assert counts["Netzwerkmitgliedschaften"] == 2
    assert counts["Beitrittsanfragen"] == 1
    assert counts["Integrationsangebote (verantwortliche Organisationen)"] == 1
    combined = {relation.label: relation.combined for relation in plan.moved_relations}
    assert combined["Mitgliedschaften"] == 1
    assert combined["Netzwerkmitgliedschaften"] == 1
    assert pair["approved"].reference in {
        item for relation in plan.moved_relations for item in relation.items
    }
    # The dry run rolled back: nothing has moved, no event was written.
    pair["source"].refresh_from_db()
    assert pair["source"].is_active
    assert Application.objects.filter(organisation=pair["source"]).count() == 2
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ORGANISATIONS_MERGED).exists()


def test_merge_moves_everything_and_keeps_cases_intact(duplicate_pair):
    pair = duplicate_pair
    source, target = pair["source"], pair["target"]
    approved, reviewer = pair["approved"], case_handler()
    services.assign_application(actor=reviewer, application=approved, assignee=reviewer)
    save_full_review(reviewer, approved)
    propose_approval(reviewer, approved)
    services.decide_application(actor=signing_authority(), application=approved, action="approve")
    approved.refresh_from_db()
    reference = approved.reference
    letters = list(DecisionLetter.objects.filter(application=approved).values_list("pk", "sha256"))
    events_before = approved.events.count()
    assert letters

    _merge(pair)

    source.refresh_from_db()
    assert not source.is_active
    assert source.merged_into == target
    assert Application.objects.filter(organisation=source).count() == 0
    assert Application.objects.filter(organisation=target).count() == 2
    approved.refresh_from_db()
    assert approved.reference == reference
    assert approved.status == "approved"
    assert (
        list(DecisionLetter.objects.filter(application=approved).values_list("pk", "sha256"))
        == letters
    )
    assert approved.events.count() == events_before + 1
    last = approved.events.order_by("-pk").first()
    assert "Verein Brücke e. V." in last.note and not last.internal
    assert last.actor == pair["admin"]
    assert (
        ApplicationEvent.objects.filter(
            application=pair["draft"], note__contains="zusammengeführt"
        ).count()
        == 1
    )
    assert not source.memberships.exists()
    assert not source.invitations.exists()
    assert target.invitations.filter(email="neu@example.org").exists()
    assert set(target.network_memberships.values_list("network__name", flat=True)) == set(
        NetworkMembership.objects.filter(organisation=target).values_list(
            "network__name", flat=True
        )
    )
    assert NetworkMembership.objects.filter(organisation=target).count() == 2
    assert not NetworkMembership.objects.filter(organisation=source).exists()
    assert JoinRequest.objects.filter(organisation=target).count() == 1
    assert list(pair["offer"].responsible_organisations.all()) == [target]


def test_person_in_both_keeps_one_membership_with_the_stronger_role(duplicate_pair):
    pair = duplicate_pair
    _merge(pair)
    memberships = Membership.objects.filter(user=pair["both"])
    assert memberships.count() == 1
    assert memberships.get().organisation == pair["target"]
    assert memberships.get().is_manager
    assert set(pair["target"].memberships.values_list("user", flat=True)) == {
        pair["both"].pk,
        pair["only_source"].pk,
        pair["target_member"].pk,
    }


def test_merge_is_recorded_in_the_security_log(duplicate_pair):
    pair = duplicate_pair
    _merge(pair)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ORGANISATIONS_MERGED)
    assert event.actor == pair["admin"]
    assert "verein brücke" in event.detail and "Verein Brücke e. V." in event.detail
    assert "2 Anträge" in event.detail


def test_former_members_now_see_the_cases_under_the_target(client, duplicate_pair):
    pair = duplicate_pair
    _merge(pair)
    client.force_login(pair["only_source"])
    response = client.get(reverse("applications:detail", kwargs={"pk": pair["approved"].pk}))
    assert response.status_code == 200
    assert "zusammengeführt" in response.content.decode()


def test_merging_into_itself_is_refused(duplicate_pair):
    pair = duplicate_pair
    with pytest.raises(PortalError) as error:
        plan_merge(actor=pair["admin"], source=pair["source"], target=pair["source"])
    assert error.value.field == "target"
    assert "mit sich selbst" in str(error.value.message)


def test_merging_into_a_deactivated_organisation_is_refused(duplicate_pair):
    pair = duplicate_pair
    gone = complete_organisation(name="Alt")
    Organisation.objects.filter(pk=gone.pk).update(is_active=False)
    with pytest.raises(PortalError) as error:
        merge_organisations(actor=pair["admin"], source=pair["source"], target=gone, fingerprint="")
    assert "deaktiviert" in str(error.value.message)
    assert Application.objects.filter(organisation=pair["source"]).count() == 2


def test_a_merged_duplicate_cannot_be_merged_again(duplicate_pair):
    pair = duplicate_pair
    _merge(pair)
    other = complete_organisation(name="Dritter Verein")
    with pytest.raises(PortalError) as error:
        plan_merge(actor=pair["admin"], source=pair["source"], target=other)
    assert "bereits" in str(error.value.message)


def test_a_change_after_the_preview_refuses_the_merge(duplicate_pair):
    pair = duplicate_pair
    plan = plan_merge(actor=pair["admin"], source=pair["source"], target=pair["target"])
    # Someone starts another draft for the duplicate while the preview is open.
    complete_draft(organisation=pair["source"], user=pair["only_source"])
    with pytest.raises(PortalError) as error:
        merge_organisations(
            actor=pair["admin"],
            source=pair["source"],
            target=pair["target"],
            fingerprint=plan.fingerprint,
        )
    assert "Vorschau" in str(error.value.message)
    pair["source"].refresh_from_db()
    assert pair["source"].is_active
    assert Application.objects.filter(organisation=pair["source"]).count() == 3


@pytest.mark.parametrize("role", [None, Role.CASE_HANDLER, Role.SIGNING_AUTHORITY])
def test_only_the_administration_may_merge(duplicate_pair, role):
    pair = duplicate_pair
    actor = UserFactory(roles=[role] if role else [])
    with pytest.raises(PortalError):
        plan_merge(actor=actor, source=pair["source"], target=pair["target"])
    with pytest.raises(PortalError):
        merge_organisations(
            actor=actor, source=pair["source"], target=pair["target"], fingerprint=""
        )
    assert pair["source"].applications.count() == 2


# Pages -------------------------------------------------------------------------------------


def _url(organisation):
    return reverse("user_admin:organisation_merge", kwargs={"pk": organisation.pk})


def test_merge_through_the_pages(client, duplicate_pair):
    pair = duplicate_pair
    client.force_login(pair["admin"])
    listing = client.get(reverse("user_admin:organisations")).content.decode()
    assert _url(pair["source"]) in listing
    preview = client.get(_url(pair["source"]), {"target": pair["target"].pk})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="merge-preview"' in page
    assert pair["approved"].reference in page
    fingerprint = preview.context["plan"].fingerprint
    response = client.post(
        _url(pair["source"]), {"target": pair["target"].pk, "fingerprint": fingerprint}
    )
    assert response.status_code == 302
    assert pair["target"].applications.count() == 2
    listing = client.get(reverse("user_admin:organisations")).content.decode()
    assert "zusammengeführt in" in listing


def test_stale_confirmation_shows_the_reason_and_a_fresh_preview(client, duplicate_pair):
    pair = duplicate_pair
    client.force_login(pair["admin"])
    response = client.post(
        _url(pair["source"]), {"target": pair["target"].pk, "fingerprint": "veraltet"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Seit der Vorschau hat sich" in page
    assert 'data-testid="merge-preview"' in page
    assert pair["source"].applications.count() == 2


def test_invalid_target_gets_a_message_at_the_field(client, duplicate_pair):
    pair = duplicate_pair
    client.force_login(pair["admin"])
    response = client.post(_url(pair["source"]), {"target": pair["source"].pk, "fingerprint": ""})
    form = response.context["form"]
    assert "target" in form.errors
    assert pair["source"].applications.count() == 2
    assert Organisation.objects.get(pk=pair["source"].pk).is_active


@pytest.mark.parametrize("role", [Role.CASE_HANDLER, Role.SIGNING_AUTHORITY])
def test_staff_without_administration_cannot_post_a_merge(client, duplicate_pair, role):
    pair = duplicate_pair
    client.force_login(UserFactory(roles=[role]))
    response = client.post(_url(pair["source"]), {"target": pair["target"].pk})
    assert response.status_code == 403
    assert pair["source"].applications.count() == 2


def test_members_cannot_post_a_merge(client, duplicate_pair):
    pair = duplicate_pair
    client.force_login(pair["both"])
    response = client.post(_url(pair["source"]), {"target": pair["target"].pk})
    assert response.status_code == 403
    assert pair["source"].applications.count() == 2


def test_list_hints_at_possible_duplicates_by_name_or_email(client):
    from accounts.admin_selectors import comparable_name, possible_duplicates

    assert comparable_name("Verein Brücke e. V.") == comparable_name("verein brücke")
    assert comparable_name("Brücke gGmbH") == comparable_name("BRÜCKE")
    first = complete_organisation(name="Verein Brücke e. V.", email="info@bruecke.example.org")
    second = complete_organisation(name="Verein Brücke", email="vorstand@bruecke.example.org")
    third = complete_organisation(name="Anderer Name", email="INFO@bruecke.example.org")
    alone = complete_organisation(name="Ganz allein", email="allein@example.org")
    hints = possible_duplicates()
    assert {(pk, reason) for pk, _name, reason in hints[first.pk]} == {
        (second.pk, "name"),
        (third.pk, "email"),
    }
    assert alone.pk not in hints
    client.force_login(administrator())
    page = client.get(reverse("user_admin:organisations")).content.decode()
    assert 'data-testid="duplicate-hint"' in page
    assert f"{_url(second)}?target={first.pk}" in page


def test_organisation_list_needs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    client.force_login(administrator())
    for number in range(12):
        organisation = complete_organisation(name=f"Verein {number % 4}")
        member_of(organisation)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("user_admin:organisations"))
    assert response.status_code == 200
