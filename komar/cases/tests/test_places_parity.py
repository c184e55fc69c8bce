"""One value, one parser (issue 6): each entity's web form and API serializer take the
same fields as its service input, so a field added to one and not to the others fails
here. Where names differ, the mapping is written out by hand."""

import dataclasses

from komar.accounts.models import User
from komar.cases.forms import CaseForm, ConfirmForm, ScreeningForm
from komar.cases.serializers import (
    CaseCreateSerializer,
    CaseUpdateSerializer,
    ScreeningInputSerializer,
)
from komar.cases.services import CaseInput, ScreeningInput
from komar.children.forms import ChildForm, GuardianForm
from komar.children.serializers import ChildInputSerializer, GuardianSerializer
from komar.children.services import ChildInput, GuardianInput

CONSENTS = {"consent_services", "consent_disclosure", "consent_data_sharing", "consent_tracing"}

# Service input field → (its web form fields, its API fields).
CHILD = {
    "name_km": ({"name_km"}, {"name_km"}),
    "family_name": ({"family_name"}, {"family_name"}),
    "given_name": ({"given_name"}, {"given_name"}),
    "aliases": ({"aliases"}, {"aliases"}),
    "sex": ({"sex"}, {"sex"}),
    "date_of_birth": ({"date_of_birth"}, {"date_of_birth"}),
    "birth_year": ({"birth_year"}, {"birth_year"}),
    "age_at_intake": ({"age_at_intake"}, {"age_at_intake"}),
    "nationality": ({"nationality"}, {"nationality"}),
    "languages": ({"languages"}, {"languages"}),
    "village_code": ({"village_code"}, {"village_code"}),
    "ministry_case_number": ({"ministry_case_number"}, {"ministry_case_number"}),
    "external_id": ({"external_id"}, {"external_id"}),
    "consents": (CONSENTS, CONSENTS),
    # The page has a formset of guardian forms; the API a list (compared below).
    "guardians": (set(), {"guardians"}),
}
GUARDIAN = {name: ({name}, {name}) for name in ("name", "relationship", "phone")} | {
    "is_primary_contact": ({"is_primary_contact"}, {"is_primary_contact"}),
}
CASE = {
    "intake_source": ({"intake_source"}, {"intake_source"}),
    "intake_date": ({"intake_date"}, {"intake_date"}),
    "assigned_to_id": ({"assigned_to"}, {"assigned_to"}),
    "status": ({"status"}, {"status"}),
    "risk_level": ({"risk_level"}, {"risk_level"}),
    "formal_identification_date": (
        {"formal_identification_date"},
        {"formal_identification_date"},
    ),
    "formal_identification_by": ({"formal_identification_by"}, {"formal_identification_by"}),
    # The page's screening is a form of its own (compared below).
    "screening": (set(), {"screening"}),
    # Said by leaving both identification fields empty (page) or a null date (API).
    "clear_formal_identification": (set(), set()),
    "confirm_result_change": ({"confirm"}, {"confirm_result_change"}),
    "reason": ({"reason"}, {"reason"}),
}
SCREENING = {
    name: ({name}, {name})
    for name in (
        "acts",
        "means",
        "exploitation_types",
        "methods_of_control",
        "indicators",
        "recruitment_method",
        "recruitment_country",
        "recruitment_region",
        "exploitation_country",
        "exploitation_region",
        "age_at_act",
        "notes",
    )
} | {
    # The API still takes the old village names as aliases of the place codes.
    "recruitment_place_code": (
        {"recruitment_place_code"},
        {"recruitment_place_code", "recruitment_village_code"},
    ),
    "exploitation_place_code": (
        {"exploitation_place_code"},
        {"exploitation_place_code", "exploitation_village_code"},
    ),
}
# Fields a channel has that are not the entity's: the child a case is opened for.
API_ONLY = {"child"}


def _fields(dataclass) -> set[str]:
    return {f.name for f in dataclasses.fields(dataclass)}


def _mapped(table, side: int) -> set[str]:
    return set().union(*(names[side] for names in table.values()))


def _serializer_fields(*serializers) -> set[str]:
    return set().union(*(set(s().fields) for s in serializers)) - API_ONLY


def test_child_form_and_api_take_the_child_inputs_fields() -> None:
    assert _fields(ChildInput) == set(CHILD)
    assert set(ChildForm().fields) == _mapped(CHILD, 0)
    assert _serializer_fields(ChildInputSerializer) == _mapped(CHILD, 1)


def test_guardian_form_and_api_take_the_guardian_inputs_fields() -> None:
    assert _fields(GuardianInput) == set(GUARDIAN)
    assert set(GuardianForm().fields) == _mapped(GUARDIAN, 0)
    assert _serializer_fields(GuardianSerializer) == _mapped(GUARDIAN, 1)


def test_case_forms_and_api_take_the_case_inputs_fields() -> None:
    page = set(CaseForm(assignable=User.objects.none(), opening=False).fields)
    page |= set(ConfirmForm().fields)

    assert _fields(CaseInput) == set(CASE)
    assert page == _mapped(CASE, 0)
    assert _serializer_fields(CaseCreateSerializer, CaseUpdateSerializer) == _mapped(CASE, 1)


def test_opening_a_case_takes_no_field_the_api_lacks() -> None:
    page = set(CaseForm(assignable=User.objects.none(), opening=True).fields)
    assert page <= set(CaseCreateSerializer().fields)


def test_screening_form_and_api_take_the_screening_inputs_fields() -> None:
    assert _fields(ScreeningInput) == set(SCREENING)
    assert set(ScreeningForm().fields) == _mapped(SCREENING, 0)
    assert _serializer_fields(ScreeningInputSerializer) == _mapped(SCREENING, 1)
