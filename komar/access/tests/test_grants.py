"""Grants: written and ended with an audit event, and read by the one scope rule."""

import pytest
from django.db import transaction

from komar.access.models import Grant, GrantReason
from komar.access.services import grant_give, grants_end
from komar.accounts.roles import Role
from komar.audit.models import AuditEvent
from komar.cases.selectors import cases_visible_to
from komar.cases.services import CaseInput, case_update
from komar.cases.tests.factories import CaseFactory
from komar.children.selectors import children_visible_to
from komar.children.services import ChildInput, child_update
from komar.children.tests.factories import ChildFactory


@pytest.fixture
def referred(world):
    worker = world.user("case_worker_b")
    child = ChildFactory(actor=worker, consents={"disclosure": True})
    case = CaseFactory(actor=worker, child=child)
    return child, case


def _partner_sees(world, child, case) -> tuple[bool, bool]:
    partner = world.user(Role.PARTNER_USER)
    return (
        children_visible_to(partner).filter(pk=child.pk).exists(),
        cases_visible_to(partner).filter(pk=case.pk).exists(),
    )


def test_opening_a_case_gives_its_worker_a_grant_on_the_child(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    case = CaseFactory(actor=worker, child=ChildFactory(actor=world.user("case_worker_a2")))
    grant = Grant.objects.get(case=case)
    assert (grant.child_id, grant.holder_user, grant.reason, grant.ended_at) == (
        case.child_id,
        worker,
        GrantReason.CASE_ASSIGNMENT,
        None,
    )
    event = AuditEvent.objects.get(action="grant_given")
    assert (event.object_type, event.object_id, event.changes["reason"]) == (
        "access.grant",
        str(grant.pk),
        "case_assignment",
    )
    # The case worker now sees the child a teammate registered.
    assert children_visible_to(worker).filter(pk=case.child_id).exists()


def test_reassignment_moves_the_child_to_the_new_worker(world) -> None:
    # Given a child registered and a case opened by a supervisor, assigned to the worker
    supervisor, worker, other = (
        world.user(Role.SUPERVISOR),
        world.user(Role.CASE_WORKER),
        world.user("case_worker_a2"),
    )
    case = CaseFactory(actor=supervisor, assigned_to_id=worker.pk)
    assert children_visible_to(worker).filter(pk=case.child_id).exists()

    # When the supervisor reassigns the case
    case_update(actor=supervisor, case=case, data=CaseInput(assigned_to_id=other.pk))

    # Then the first worker no longer sees the child or the case; the new one does
    assert not children_visible_to(worker).filter(pk=case.child_id).exists()
    assert not cases_visible_to(worker).filter(pk=case.pk).exists()
    assert children_visible_to(other).filter(pk=case.child_id).exists()
    ended = Grant.objects.get(case=case, holder_user=worker)
    assert ended.end_reason == "reassigned"
    assert AuditEvent.objects.filter(action="grant_ended", object_id=str(ended.pk)).count() == 1


def test_a_referral_grant_works_while_it_lasts_and_consent_holds(world, referred) -> None:
    child, case = referred
    assert _partner_sees(world, child, case) == (False, False)  # before acceptance

    grant_give(
        actor=world.user(Role.PARTNER_USER),
        child_id=child.pk,
        case_id=case.pk,
        holder_organisation=world.partner,
        reason=GrantReason.REFERRAL,
        source="referral:1",
        needs_disclosure_consent=True,
    )
    assert _partner_sees(world, child, case) == (True, True)

    # Consent to disclosure withdrawn: the grant stops working at once ...
    child_update(
        actor=world.user("case_worker_b"),
        child=child,
        data=ChildInput(consents={"disclosure": False}),
    )
    assert _partner_sees(world, child, case) == (False, False)
    assert (
        AuditEvent.objects.filter(action="consent_withdrawn", object_id=str(child.pk)).count() == 1
    )

    # ... and works again when it is given again, until the referral ends.
    child_update(
        actor=world.user("case_worker_b"),
        child=child,
        data=ChildInput(consents={"disclosure": True}),
    )
    assert _partner_sees(world, child, case) == (True, True)
    assert grants_end(actor=world.user("case_worker_b"), source="referral:1", reason="closed") == 1
    assert _partner_sees(world, child, case) == (False, False)


def test_a_grant_to_another_partner_shows_nothing_to_this_one(world, referred) -> None:
    child, case = referred
    grant_give(
        actor=None,
        child_id=child.pk,
        case_id=case.pk,
        holder_organisation=world.other_ngo,
        reason=GrantReason.REFERRAL,
        needs_disclosure_consent=True,
    )
    assert _partner_sees(world, child, case) == (False, False)


def test_a_grant_has_exactly_one_holder(world, referred) -> None:
    child, case = referred
    with pytest.raises(ValueError, match="exactly one holder"):
        grant_give(actor=None, child_id=child.pk, reason=GrantReason.REFERRAL)
    with pytest.raises(ValueError, match="exactly one holder"):
        grant_give(
            actor=None,
            child_id=child.pk,
            holder_user=world.user(Role.CASE_WORKER),
            holder_organisation=world.partner,
            reason=GrantReason.REFERRAL,
        )


def test_ending_grants_needs_a_target(world) -> None:
    with pytest.raises(ValueError, match="Name the child"):
        grants_end(actor=None, reason="all of them")


@pytest.mark.django_db(transaction=True)
def test_a_grant_and_its_event_commit_together(world, referred, monkeypatch) -> None:
    # Given an audit writer that fails after the grant row is written
    child, case = referred
    before = (Grant.objects.count(), AuditEvent.objects.count())

    def failing(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("komar.access.services.events.grant_given", failing)

    # When a grant is given in its own transaction
    with pytest.raises(RuntimeError), transaction.atomic():
        grant_give(
            actor=None,
            child_id=child.pk,
            holder_organisation=world.partner,
            reason=GrantReason.REFERRAL,
        )

    # Then neither the grant nor any event is left
    assert (Grant.objects.count(), AuditEvent.objects.count()) == before
