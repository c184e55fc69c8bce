"""Factories of children, registered through the service so that the name index, the
consent history and the audit trail are those a real registration writes."""

from typing import Any

import factory

from komar.accounts.roles import Role
from komar.accounts.tests.factories import UserFactory
from komar.children.models import Child, Sex
from komar.children.services import ChildInput, child_register


class ChildFactory(factory.Factory):
    """Register a child; pass ``actor=`` for the registering user (a new case worker
    otherwise) and any ``ChildInput`` field."""

    class Meta:
        model = ChildInput

    family_name = "Chan"
    given_name = factory.Iterator(["Dara", "Vanna", "Bopha", "Rithy", "Kunthea", "Sreymom"])
    sex = Sex.FEMALE
    birth_year = 2012

    @classmethod
    def _create(cls, model_class: type[ChildInput], *args: Any, **kwargs: Any) -> Child:
        actor = kwargs.pop("actor", None) or UserFactory(role=Role.CASE_WORKER)
        return child_register(actor=actor, data=model_class(*args, **kwargs))
