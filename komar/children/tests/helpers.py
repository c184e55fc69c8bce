"""Build children and cases through the services, as a person would."""

from typing import Any

from komar.accounts.models import User
from komar.cases.models import Case
from komar.cases.services import CaseInput, ScreeningInput, case_open
from komar.children.models import Child
from komar.children.services import ChildInput, child_register


def register_child(actor: User, **fields: Any) -> Child:
    defaults: dict[str, Any] = {
        "name_km": "សុខ សុធា",
        "family_name": "Sok",
        "given_name": "Sothea",
        "sex": "female",
        "birth_year": 2011,
    }
    defaults.update(fields)
    return child_register(actor=actor, data=ChildInput(**defaults))


def open_case(actor: User, child: Child, **fields: Any) -> Case:
    screening = fields.pop(
        "screening",
        ScreeningInput(acts=["recruitment"], exploitation_types=["sexual_exploitation"]),
    )
    return case_open(
        actor=actor,
        child=child,
        data=CaseInput(intake_source="hotline", screening=screening, **fields),
    )
