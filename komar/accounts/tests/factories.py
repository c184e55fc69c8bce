"""Factories of organisations, teams and users."""

import factory
from factory.django import DjangoModelFactory, Password

from komar.accounts.models import Organisation, OrganisationType, Team, User
from komar.accounts.roles import Role

PASSWORD = "a-factory-password-123"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.NGO
    is_host = False


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(DjangoModelFactory):
    """A user of a role; by default in a team of their own organisation."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    team = factory.SubFactory(TeamFactory, organisation=factory.SelfAttribute("..organisation"))
    role = Role.CASE_WORKER
    password = Password(PASSWORD)
