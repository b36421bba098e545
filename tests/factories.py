import factory
from django.conf import settings

from accounts.models import Membership, Organisation, OrganisationKind, Role, RoleAssignment, User

PASSWORD = "Sicheres-Testpasswort-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="de_DE")
    last_name = factory.Faker("last_name", locale="de_DE")
    language = settings.LANGUAGE_CODE

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            RoleAssignment.objects.create(user=self, role=role)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Integrationsverein {n} e. V.")
    kind = OrganisationKind.ASSOCIATION
    street = "Lollfuß 12"
    postal_code = "24837"
    town = "Schleswig"
    email = factory.Sequence(lambda n: f"verein{n}@example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    is_manager = True


def case_handler(**kwargs):
    return UserFactory(roles=[Role.CASE_HANDLER], **kwargs)


def signing_authority(**kwargs):
    return UserFactory(roles=[Role.CASE_HANDLER, Role.SIGNING_AUTHORITY], **kwargs)


def administrator(**kwargs):
    return UserFactory(roles=[Role.ADMINISTRATION], **kwargs)


def applicant(organisation=None, **kwargs):
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, organisation=organisation or OrganisationFactory())
    return user
