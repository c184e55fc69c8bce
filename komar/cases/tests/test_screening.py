"""The screening rule as a decision table, checked over every combination."""

from hypothesis import given
from hypothesis import strategies as st

from komar.cases.choices import Act, ExploitationType, Means, ScreeningResult
from komar.cases.screening import screening_decide

acts = st.lists(st.sampled_from(Act.values), unique=True)
means = st.lists(st.sampled_from(Means.values), unique=True)
purposes = st.lists(st.sampled_from(ExploitationType.values), unique=True)
ages = st.one_of(st.none(), st.integers(min_value=0, max_value=120))


@given(acts=acts, means=means, purposes=purposes, age=ages)
def test_decision_table(
    acts: list[str], means: list[str], purposes: list[str], age: int | None
) -> None:
    outcome = screening_decide(acts=acts, means=means, exploitation_types=purposes, age_at_act=age)
    child = age is None or age < 18
    # Then: act and purpose are always needed; means only for an adult.
    expected = bool(acts) and bool(purposes) and (child or bool(means))
    assert outcome.result == (
        ScreeningResult.POSSIBLE_VICTIM if expected else ScreeningResult.NOT_INDICATED
    )
    assert outcome.treated_as_child is child


@given(acts=acts, means=means, purposes=purposes, age=ages)
def test_never_decides_actual_victim(
    acts: list[str], means: list[str], purposes: list[str], age: int | None
) -> None:
    outcome = screening_decide(acts=acts, means=means, exploitation_types=purposes, age_at_act=age)
    assert outcome.result in {ScreeningResult.POSSIBLE_VICTIM, ScreeningResult.NOT_INDICATED}


def test_child_without_means_is_possible_victim() -> None:
    outcome = screening_decide(
        acts=["recruitment"], means=[], exploitation_types=["sexual_exploitation"], age_at_act=15
    )
    assert outcome.result == ScreeningResult.POSSIBLE_VICTIM


def test_adult_without_means_is_not_indicated() -> None:
    outcome = screening_decide(
        acts=["recruitment"], means=[], exploitation_types=["forced_labour"], age_at_act=18
    )
    assert outcome.result == ScreeningResult.NOT_INDICATED


def test_unknown_age_is_presumed_child() -> None:
    outcome = screening_decide(
        acts=["harbouring"], means=[], exploitation_types=["forced_begging"], age_at_act=None
    )
    assert outcome.treated_as_child is True
    assert outcome.result == ScreeningResult.POSSIBLE_VICTIM


def test_adult_with_means_is_possible_victim() -> None:
    outcome = screening_decide(
        acts=["transportation"],
        means=["deception"],
        exploitation_types=["forced_labour"],
        age_at_act=25,
    )
    assert outcome.result == ScreeningResult.POSSIBLE_VICTIM


def test_act_without_purpose_is_not_indicated() -> None:
    outcome = screening_decide(
        acts=["recruitment"], means=["fraud"], exploitation_types=[], age_at_act=12
    )
    assert outcome.result == ScreeningResult.NOT_INDICATED
