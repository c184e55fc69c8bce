"""Factories of cases, opened through the service with a first screening, so that the
case number, the screening result and the audit trail are those of a real case."""

from typing import Any

import factory

from komar.accounts.roles import Role
from komar.accounts.tests.factories import UserFactory
from komar.cases.choices import IntakeSource
from komar.cases.models import Case
from komar.cases.services import CaseInput, ScreeningInput, case_open
from komar.children.tests.factories import ChildFactory


class ScreeningFactory(factory.Factory):
    class Meta:
        model = ScreeningInput

    acts = factory.LazyFunction(lambda: ["recruitment"])
    exploitation_types = factory.LazyFunction(lambda: ["sexual_exploitation"])


class CaseFactory(factory.Factory):
    """Open a case; pass ``actor=`` (a new case worker otherwise) and ``child=`` (a new
    child registered by the actor otherwise), and any ``CaseInput`` field."""

    class Meta:
        model = CaseInput

    intake_source = IntakeSource.HOTLINE
    screening = factory.SubFactory(ScreeningFactory)

    @classmethod
    def _create(cls, model_class: type[CaseInput], *args: Any, **kwargs: Any) -> Case:
        actor = kwargs.pop("actor", None) or UserFactory(role=Role.CASE_WORKER)
        child = kwargs.pop("child", None) or ChildFactory(actor=actor)
        return case_open(actor=actor, child=child, data=model_class(*args, **kwargs))
