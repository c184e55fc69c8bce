"""The shared permission matrix: role × place × action → expected answer, written literally.

Every app's endpoint and page tests use it. Expectations are tables typed out by hand,
never derived from ``accounts/roles.py`` or the scope code: a change of policy must
change a table here, in the open, in review.

Places are records that stand in every relation a user can have to a child or a case,
seen from the users of team A of the host organisation (one user per role, from the
``world`` fixture; the partner user belongs to the partner organisation):

=================  ==========================================================
``own``            child registered and case opened by ``case_worker`` (team A)
``teammate``       child and case of ``case_worker_a2``, also team A
``other_team``     child and case of ``case_worker_b`` (team B, host)
``other_org``      child and case of another NGO's case worker
``no_case``        child registered by ``case_worker_a2`` (team A) with no case
``ref_pending``    team B's child and case, referred to the partner, not accepted
``referred``       the same, referral accepted (a grant to the partner organisation)
``ref_ended``      a referral accepted, then ended
``ref_withdrawn``  a referral accepted, then the child's consent to disclosure withdrawn
=================  ==========================================================

A table has one row per role and one column per place; ``-`` marks a cell that does
not apply (a case action on the child with no case).
"""

from collections.abc import Callable
from dataclasses import dataclass

from komar.access.models import GrantReason
from komar.access.services import grant_give, grants_end
from komar.accounts.roles import Role
from komar.cases.models import Case
from komar.cases.tests.factories import CaseFactory
from komar.children.models import Child
from komar.children.services import ChildInput, child_update
from komar.children.tests.factories import ChildFactory

PLACES = (
    "own",
    "teammate",
    "other_team",
    "other_org",
    "no_case",
    "ref_pending",
    "referred",
    "ref_ended",
    "ref_withdrawn",
)
ROLES = tuple(Role.values)


@dataclass
class Place:
    child: Child
    case: Case | None


def make_places(world) -> dict[str, Place]:
    """Create one record per place (see the module's table)."""
    owners = {
        "own": world.user(Role.CASE_WORKER),
        "teammate": world.user("case_worker_a2"),
        "other_team": world.user("case_worker_b"),
        "other_org": world.user("other_case_worker"),
    }
    places: dict[str, Place] = {}
    for name, owner in owners.items():
        child = ChildFactory(actor=owner)
        places[name] = Place(child=child, case=CaseFactory(actor=owner, child=child))
    places["no_case"] = Place(child=ChildFactory(actor=world.user("case_worker_a2")), case=None)

    referrer = world.user("case_worker_b")
    for name in ("ref_pending", "referred", "ref_ended", "ref_withdrawn"):
        child = ChildFactory(actor=referrer, consents={"disclosure": True, "services": True})
        case = CaseFactory(actor=referrer, child=child)
        places[name] = Place(child=child, case=case)
        if name == "ref_pending":
            continue  # sent, not accepted: no grant yet
        grant_give(
            actor=world.user(Role.PARTNER_USER),
            child_id=child.pk,
            case_id=case.pk,
            holder_organisation=world.partner,
            reason=GrantReason.REFERRAL,
            source=f"test.referral:{name}",
            needs_disclosure_consent=True,
        )
        if name == "ref_ended":
            grants_end(actor=referrer, source=f"test.referral:{name}", reason="referral closed")
        if name == "ref_withdrawn":
            child_update(
                actor=referrer, child=child, data=ChildInput(consents={"disclosure": False})
            )
    return places


def table(text: str) -> dict[str, dict[str, str]]:
    """Parse a literal expectation table: a header of places, then one row per role."""
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    unknown = set(header) - set(PLACES)
    if unknown:
        raise ValueError(f"unknown places: {sorted(unknown)}")
    parsed: dict[str, dict[str, str]] = {}
    for row in rows:
        role, cells = row[0], row[1:]
        if len(cells) != len(header):
            raise ValueError(f"row {role!r} has {len(cells)} cells for {len(header)} places")
        parsed[role] = dict(zip(header, cells, strict=True))
    missing = set(ROLES) - set(parsed)
    if missing:
        raise ValueError(f"the table leaves out roles: {sorted(missing)}")
    return parsed


def role_table(text: str) -> dict[str, str]:
    """Parse a literal role → expected answer table (for actions that name no record)."""
    parsed = dict(line.split() for line in text.strip().splitlines() if line.strip())
    missing = set(ROLES) - set(parsed)
    if missing:
        raise ValueError(f"the table leaves out roles: {sorted(missing)}")
    return parsed


def assert_matrix(
    world,
    places: dict[str, Place],
    expected: dict[str, dict[str, str]],
    act: Callable[..., object],
) -> None:
    """Call ``act(user, place)`` for every cell and compare with the table.

    Every cell is checked before failing, so one run shows the whole difference.
    """
    wrong: list[str] = []
    for role, row in expected.items():
        user = world.user(role)
        for place_name, want in row.items():
            if want == "-":
                continue
            got = str(act(user, places[place_name]))
            if got != want:
                wrong.append(f"{role} × {place_name}: expected {want}, got {got}")
    assert not wrong, "permission matrix differs:\n" + "\n".join(wrong)


def assert_role_table(world, expected: dict[str, str], act: Callable[..., object]) -> None:
    """Call ``act(user)`` for every role and compare with the table."""
    wrong = [
        f"{role}: expected {want}, got {got}"
        for role, want in expected.items()
        if (got := str(act(world.user(role)))) != want
    ]
    assert not wrong, "permission table differs:\n" + "\n".join(wrong)
