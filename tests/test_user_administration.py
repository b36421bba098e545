import pytest
from django.urls import reverse

from accounts import role_services
from accounts.models import (
    Notification,
    Role,
    RoleAssignment,
    SecurityEvent,
    SecurityEventKind,
    User,
)
from kitz_portal.errors import PortalError
from tests.factories import MembershipFactory, OrganisationFactory, administrator, case_handler

pytestmark = pytest.mark.django_db


def test_administrator_invites_staff_with_roles_and_an_email_to_set_the_password(client):
    admin = administrator()
    client.force_login(admin)
    response = client.post(
        reverse("user_admin:invite_staff"),
        {
            "email": "Neu@Kreis-SL-FL.de",
            "first_name": "Nina",
            "last_name": "Neu",
            "roles": [Role.CASE_HANDLER],
        },
    )
    person = User.objects.get(email="neu@kreis-sl-fl.de")
    assert response.status_code == 302
    assert response.url == reverse("user_admin:person", kwargs={"pk": person.pk})
    assert person.role_set == {Role.CASE_HANDLER}
    assert not person.has_usable_password()
    notification = Notification.objects.get(template="emails/staff_invitation")
    assert notification.to_email == "neu@kreis-sl-fl.de"
    assert "/konto/password/reset/key/" in notification.context["setup_path"]
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ROLE_GRANTED, user=person)
    assert event.actor == admin


def test_inviting_an_existing_address_is_refused_at_the_field_and_saves_nothing(client):
    admin = administrator()
    existing = case_handler()
    client.force_login(admin)
    response = client.post(
        reverse("user_admin:invite_staff"),
        {"email": existing.email, "first_name": "A", "last_name": "B", "roles": ["administration"]},
    )
    assert response.status_code == 200
    assert "Es gibt schon ein Konto" in response.content.decode()
    assert not existing.role_assignments.filter(role=Role.ADMINISTRATION).exists()
    assert not Notification.objects.exists()


def test_invitation_without_role_is_refused_at_the_field(client):
    client.force_login(administrator())
    response = client.post(
        reverse("user_admin:invite_staff"),
        {"email": "x@example.org", "first_name": "A", "last_name": "B"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@example.org").exists()


def test_granting_and_revoking_a_role_is_written_to_the_security_log(client):
    admin = administrator()
    person = case_handler()
    client.force_login(admin)
    client.post(
        reverse("user_admin:grant_role", kwargs={"pk": person.pk}), {"role": "signing_authority"}
    )
    assert RoleAssignment.objects.filter(user=person, role=Role.SIGNING_AUTHORITY).exists()
    client.post(
        reverse("user_admin:revoke_role", kwargs={"pk": person.pk}), {"role": "case_handler"}
    )
    assert not RoleAssignment.objects.filter(user=person, role=Role.CASE_HANDLER).exists()
    kinds = list(
        SecurityEvent.objects.filter(user=person, actor=admin)
        .order_by("created_at")
        .values_list("kind", flat=True)
    )
    assert kinds == [SecurityEventKind.ROLE_GRANTED, SecurityEventKind.ROLE_REVOKED]
    log = client.get(reverse("accounts:security_log")).content.decode()
    assert "Rolle erteilt" in log and "Rolle entzogen" in log


def test_administrator_cannot_grant_themselves_signing_authority(client):
    admin = administrator()
    client.force_login(admin)
    response = client.post(
        reverse("user_admin:grant_role", kwargs={"pk": admin.pk}),
        {"role": "signing_authority"},
        follow=True,
    )
    assert "nicht selbst die Zeichnungsbefugnis" in response.content.decode()
    assert not admin.role_assignments.filter(role=Role.SIGNING_AUTHORITY).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_GRANTED).exists()


def test_another_administrator_may_grant_signing_authority():
    admin, colleague = administrator(), administrator()
    role_services.grant_role(actor=colleague, user=admin, role=Role.SIGNING_AUTHORITY)
    assert User.objects.get(pk=admin.pk).has_role(Role.SIGNING_AUTHORITY)


def test_revoking_the_last_administrator_is_refused_with_the_reason(client):
    admin = administrator()
    client.force_login(admin)
    response = client.post(
        reverse("user_admin:revoke_role", kwargs={"pk": admin.pk}),
        {"role": "administration"},
        follow=True,
    )
    assert "keine Administration mehr" in response.content.decode()
    assert admin.role_assignments.filter(role=Role.ADMINISTRATION).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.ROLE_REVOKED).exists()


def test_a_deactivated_administrator_does_not_count_as_the_remaining_one():
    admin, inactive = administrator(), administrator(is_active=False)
    with pytest.raises(PortalError):
        role_services.revoke_role(actor=admin, user=admin, role=Role.ADMINISTRATION)
    assert inactive.role_assignments.exists()


def test_one_of_two_administrators_may_step_down():
    admin, colleague = administrator(), administrator()
    role_services.revoke_role(actor=admin, user=admin, role=Role.ADMINISTRATION)
    assert not RoleAssignment.objects.filter(user=admin).exists()
    assert colleague.role_assignments.exists()


def test_deactivated_account_cannot_log_in_and_the_change_is_logged(client):
    admin = administrator()
    person = case_handler()
    client.force_login(admin)
    client.post(reverse("user_admin:set_active", kwargs={"pk": person.pk}), {"active": "0"})
    person.refresh_from_db()
    assert not person.is_active
    assert SecurityEvent.objects.filter(
        kind=SecurityEventKind.ACCOUNT_DEACTIVATED, user=person, actor=admin
    ).exists()
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": person.email, "password": "Sicheres-Testpasswort-42"}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_administrator_cannot_deactivate_the_last_administrator_or_themselves():
    admin, colleague = administrator(), administrator()
    with pytest.raises(PortalError):
        role_services.set_account_active(actor=admin, user=admin, active=False)
    role_services.set_account_active(actor=admin, user=colleague, active=False)
    with pytest.raises(PortalError):
        role_services.set_account_active(actor=colleague, user=admin, active=False)


def test_people_list_shows_roles_and_organisations_in_fixed_queries(
    client, django_assert_max_num_queries
):
    admin = administrator()
    for _ in range(5):
        MembershipFactory()
        case_handler()
    client.force_login(admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("user_admin:people"))
    html = response.content.decode()
    assert "Sachbearbeitung" in html
    assert "Integrationsverein" in html


def test_people_list_can_show_only_staff_and_search(client):
    admin = administrator()
    applicant = MembershipFactory().user
    handler = case_handler(last_name="Zuständig")
    client.force_login(admin)
    html = client.get(reverse("user_admin:people"), {"nur": "kitz"}).content.decode()
    assert handler.email in html and applicant.email not in html
    html = client.get(reverse("user_admin:people"), {"q": "zuständig"}).content.decode()
    assert handler.email in html and admin.email not in html


def test_organisation_list_shows_members_in_fixed_queries(client, django_assert_max_num_queries):
    admin = administrator()
    for index in range(5):
        organisation = OrganisationFactory(municipality=f"Gemeinde {index}")
        MembershipFactory(organisation=organisation)
        MembershipFactory(organisation=organisation, is_manager=False)
    client.force_login(admin)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("user_admin:organisations"))
    html = response.content.decode()
    assert "Gemeinde 4" in html
    assert "(verwaltet)" in html


def test_only_administrators_may_change_roles_through_the_service():
    with pytest.raises(PortalError):
        role_services.grant_role(
            actor=case_handler(), user=case_handler(), role=Role.ADMINISTRATION
        )
