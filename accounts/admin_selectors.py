"""Reads for the administration pages on people, roles and organisations."""

import re
from collections import defaultdict

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


# Legal-form suffixes that do not tell two organisations apart ("Brücke e. V." = "Brücke").
LEGAL_FORMS = re.compile(r"\b(e\s*\.?\s*v|g?gmbh|g?ug|e\s*\.?\s*g)\b\.?", re.IGNORECASE)


def comparable_name(name):
    name = LEGAL_FORMS.sub(" ", name.casefold())
    return re.sub(r"[\W_]+", "", name)


def possible_duplicates():
    """Active organisations that look alike: {pk: [(other pk, other name, reason), …]}.

    Alike means the same name apart from case, punctuation and legal form, or the same
    e-mail address. One query over the active organisations, compared in memory.
    """
    rows = list(Organisation.objects.filter(is_active=True).values_list("pk", "name", "email"))
    groups = defaultdict(list)
    for pk, name, email in rows:
        key = comparable_name(name)
        if key:
            groups[("name", key)].append((pk, name))
        if email:
            groups[("email", email.strip().lower())].append((pk, name))
    hints = defaultdict(list)
    for (reason, _key), members in groups.items():
        for pk, _name in members:
            for other_pk, other_name in members:
                if other_pk != pk and other_pk not in {hint[0] for hint in hints[pk]}:
                    hints[pk].append((other_pk, other_name, reason))
    return dict(hints)
