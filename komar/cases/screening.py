"""The trafficking screening rule (UN Trafficking in Persons Protocol, art. 3).

Trafficking is an ACT (recruitment, transportation, transfer, harbouring, receipt) by
MEANS (force, coercion, abduction, fraud, deception, abuse of power or vulnerability,
payments) for the PURPOSE of exploitation. For a child (under 18) the act and the
purpose suffice: no means are needed. Where the age is unknown, the person is presumed
a child. The rule only ever says "possible victim" or "not indicated": formal
identification is the Ministry of Interior's, recorded separately on the case.
"""

from collections.abc import Collection
from dataclasses import dataclass

from komar.cases.choices import ScreeningResult

ADULT_AGE = 18


@dataclass(frozen=True)
class ScreeningOutcome:
    result: ScreeningResult
    treated_as_child: bool
    act_met: bool
    means_met: bool
    purpose_met: bool


def is_child(age_at_act: int | None) -> bool:
    """Return True when the person counts as a child: under 18, or age unknown."""
    return age_at_act is None or age_at_act < ADULT_AGE


def screening_decide(
    *,
    acts: Collection[str],
    means: Collection[str],
    exploitation_types: Collection[str],
    age_at_act: int | None,
) -> ScreeningOutcome:
    """Return the screening outcome for the elements found."""
    child = is_child(age_at_act)
    act_met, means_met, purpose_met = bool(acts), bool(means), bool(exploitation_types)
    indicated = act_met and purpose_met and (child or means_met)
    return ScreeningOutcome(
        result=ScreeningResult.POSSIBLE_VICTIM if indicated else ScreeningResult.NOT_INDICATED,
        treated_as_child=child,
        act_met=act_met,
        means_met=means_met,
        purpose_met=purpose_met,
    )
