"""Case rules: numbering, assignment, screening history, nothing half-saved."""

import pytest
from django.core.exceptions import ValidationError

from komar.audit.models import AuditEvent
from komar.cases.models import Case, Screening
from komar.cases.services import CaseInput, ScreeningInput, case_open, case_update
from komar.children.tests.helpers import open_case, register_child


def test_case_numbers_keep_counting_past_five_digits(world) -> None:
    worker = world.user("case_worker")
    child = register_child(worker)
    first = open_case(worker, child)
    year = first.number.split("-")[0]
    Case.objects.filter(pk=first.pk).update(number=f"{year}-99999")
    second = open_case(worker, child, reason="a new incident")
    third = open_case(worker, child, reason="another incident")
    assert (second.number, third.number) == (f"{year}-100000", f"{year}-100001")


def test_assigning_outside_the_team_is_refused(world) -> None:
    worker = world.user("case_worker")
    child = register_child(worker)
    with pytest.raises(ValidationError) as info:
        case_open(
            actor=worker,
            child=child,
            data=CaseInput(intake_source="police", assigned_to_id=world.user("case_worker_b").pk),
        )
    assert info.value.message_dict == {"assigned_to": ["Choose a case worker you may assign."]}
    assert Case.objects.count() == 0


def test_bad_screening_writes_no_case(world) -> None:
    worker = world.user("case_worker")
    child = register_child(worker)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        case_open(
            actor=worker,
            child=child,
            data=CaseInput(
                intake_source="hotline",
                screening=ScreeningInput(acts=["kidnap"], exploitation_country="ZZ"),
            ),
        )
    assert info.value.message_dict == {
        "screening.acts": ["Choose values from the list."],
        "screening.exploitation_country": ["Choose one of the listed countries."],
    }
    assert (Case.objects.count(), Screening.objects.count(), AuditEvent.objects.count()) == (
        0,
        0,
        events,
    )


def test_rescreening_keeps_history_and_updates_the_result(world) -> None:
    worker = world.user("case_worker")
    case = open_case(
        worker,
        register_child(worker),
        screening=ScreeningInput(
            acts=["recruitment"], age_at_act=20, exploitation_types=["forced_labour"]
        ),
    )
    assert case.screening_result == "not_indicated"
    case = case_update(
        actor=worker,
        case=case,
        data=CaseInput(
            screening=ScreeningInput(
                acts=["recruitment"],
                means=["deception"],
                age_at_act=20,
                exploitation_types=["forced_labour", "servitude"],
            ),
            confirm_result_change=True,
            reason="Deception found at the second interview.",
        ),
    )
    assert case.screening_result == "possible_victim"
    assert list(case.screenings.values_list("result", flat=True)) == [
        "possible_victim",
        "not_indicated",
    ]
    assert sorted(case.exploitations.values_list("type", flat=True)) == [
        "forced_labour",
        "servitude",
    ]
    update = AuditEvent.objects.filter(action="update", object_type="cases.case").get()
    assert update.changes["screening_result"] == {"old": "not_indicated", "new": "possible_victim"}


def test_age_unknown_is_taken_from_the_birth_year_else_presumed_child(world) -> None:
    worker = world.user("case_worker")
    adult = register_child(worker, birth_year=1990)
    case = open_case(
        worker,
        adult,
        screening=ScreeningInput(acts=["recruitment"], exploitation_types=["forced_labour"]),
    )
    assert case.screening_result == "not_indicated"
    unknown = register_child(worker, birth_year=None)
    case = open_case(
        worker,
        unknown,
        screening=ScreeningInput(acts=["recruitment"], exploitation_types=["forced_labour"]),
    )
    assert case.screening_result == "possible_victim"
    assert case.screenings.get().treated_as_child is True


def test_closing_sets_and_reopening_clears_closed_at(world) -> None:
    worker = world.user("case_worker")
    case = open_case(worker, register_child(worker))
    case = case_update(actor=worker, case=case, data=CaseInput(status="closed"))
    assert case.closed_at is not None
    case = case_update(actor=worker, case=case, data=CaseInput(status="follow_up"))
    assert case.closed_at is None
