"""Reads for the administration pages on people, roles and organisations."""

from django.db.models import Prefetch, Q

from .models import Membership, Organisation, RoleAssignment, User


def people_for_administration(*, search="", staff_only=False):
    people = User.objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role")),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        ),
    ).order_by("last_name", "first_name", "email")
    if search:
        people = people.filter(
            Q(email__icontains=search)
            | Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
        )
    if staff_only:
        people = people.filter(role_assignments__isnull=False).distinct()
    return people


def organisations_with_members(*, search=""):
    organisations = (
        Organisation.objects.select_related("merged_into")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("user").order_by(
                    "user__last_name", "user__email"
                ),
            )
        )
        .order_by("name")
    )
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(municipality__icontains=search)
        )
    return organisations
