"""Demo organisations and people; every demo account uses settings.PORTAL_DEMO_PASSWORD."""

from allauth.account.models import EmailAddress
from django.conf import settings

from .models import Membership, Organisation, OrganisationKind, Role, RoleAssignment, User

ORGANISATIONS = [
    {
        "key": "first",
        "name": "Brückenbauer Schleswig e. V.",
        "kind": OrganisationKind.ASSOCIATION,
        "street": "Lollfuß 12",
        "postal_code": "24837",
        "town": "Schleswig",
        "email": "info@brueckenbauer.example.org",
    },
    {
        "key": "second",
        "name": "Frauenzentrum Vielfalt Kappeln",
        "kind": OrganisationKind.MIGRANT_ORGANISATION,
        "street": "Schmiedestraße 4",
        "postal_code": "24376",
        "town": "Kappeln",
        "email": "kontakt@vielfalt-kappeln.example.org",
    },
    {
        "key": "third",
        "name": "Sprachpaten Angeln",
        "kind": OrganisationKind.VOLUNTEER_INITIATIVE,
        "street": "Am Markt 1",
        "postal_code": "24392",
        "town": "Süderbrarup",
        "email": "sprachpaten@example.org",
    },
]

PEOPLE = [
    {"email": "antrag@example.org", "first_name": "Aylin", "last_name": "Kaya", "org": "first"},
    {"email": "verein2@example.org", "first_name": "Olena", "last_name": "Melnyk", "org": "second"},
    {
        "email": "sachbearbeitung@example.org",
        "first_name": "Jonas",
        "last_name": "Petersen",
        "roles": [Role.CASE_HANDLER],
    },
    {
        "email": "leitung@example.org",
        "first_name": "Dr. Maren",
        "last_name": "Jensen",
        "roles": [Role.CASE_HANDLER, Role.SIGNING_AUTHORITY],
    },
    {
        "email": "admin@example.org",
        "first_name": "Sven",
        "last_name": "Hansen",
        "roles": [Role.ADMINISTRATION],
    },
]


def seed(demo):
    organisations = {}
    for data in ORGANISATIONS:
        data = dict(data)
        key = data.pop("key")
        organisations[key], _ = Organisation.objects.get_or_create(
            name=data.pop("name"), defaults=data
        )
    people = {}
    for data in PEOPLE:
        user, created = User.objects.get_or_create(
            email=data["email"],
            defaults={"first_name": data["first_name"], "last_name": data["last_name"]},
        )
        if created:
            user.set_password(settings.PORTAL_DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        for role in data.get("roles", []):
            RoleAssignment.objects.get_or_create(user=user, role=role)
        if "org" in data:
            Membership.objects.get_or_create(
                user=user, organisation=organisations[data["org"]], defaults={"is_manager": True}
            )
        people[data["email"]] = user
    demo["organisations"] = organisations
    demo["people"] = people
