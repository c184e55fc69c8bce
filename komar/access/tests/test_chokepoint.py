"""The record chokepoint: every read states its purpose; refusals are audited."""

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client

from komar.access.chokepoint import Purpose, RecordRefused, record_refusal
from komar.accounts.roles import Role
from komar.audit.models import AuditEvent
from komar.cases.tests.factories import CaseFactory
from komar.children.selectors import child_get_for_user
from komar.children.tests.factories import ChildFactory

# The chokepoint tells a read inside a caller's transaction from one outside: the
# tests run outside any test-wide transaction, as requests do.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def child(world):
    return ChildFactory(actor=world.user(Role.CASE_WORKER))


def _new_events(before: set[int]) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.exclude(id__in=before)
        .order_by("id")
        .values_list("action", "object_type", "object_id")
    )


def _ids() -> set[int]:
    return set(AuditEvent.objects.values_list("id", flat=True))


def test_a_view_writes_one_view_event(world, child) -> None:
    before = _ids()
    child_get_for_user(user=world.user(Role.CASE_WORKER), child_id=child.pk, purpose=Purpose.VIEW)
    assert _new_events(before) == [("view", "children.child", str(child.pk))]


@pytest.mark.parametrize("asked", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_malformed_and_missing_ids_are_refused_and_audited(world, asked) -> None:
    before = _ids()
    with pytest.raises(Http404):
        child_get_for_user(user=world.user(Role.CASE_WORKER), child_id=asked, purpose=Purpose.VIEW)
    assert _new_events(before) == [("refused", "children.child", asked)]


def test_a_forbidden_record_is_refused_exactly_like_a_missing_one(world, child) -> None:
    before = _ids()
    with pytest.raises(Http404) as forbidden:
        child_get_for_user(
            user=world.user("case_worker_b"), child_id=child.pk, purpose=Purpose.VIEW
        )
    assert type(forbidden.value) is RecordRefused
    assert _new_events(before) == [("refused", "children.child", str(child.pk))]


def test_an_overlong_requested_id_is_cut_in_the_audit(world) -> None:
    with pytest.raises(Http404):
        child_get_for_user(
            user=world.user(Role.CASE_WORKER), child_id="x" * 500, purpose=Purpose.VIEW
        )
    assert AuditEvent.objects.get(action="refused").object_id == "x" * 64


@pytest.mark.parametrize("purpose", [Purpose.EDIT, Purpose.REFERENCE])
def test_an_edit_or_reference_must_run_inside_the_writes_transaction(world, child, purpose) -> None:
    with pytest.raises(RuntimeError, match="inside the write's transaction"):
        child_get_for_user(user=world.user(Role.CASE_WORKER), child_id=child.pk, purpose=purpose)


def test_an_edit_read_writes_no_view_event(world, child) -> None:
    before = _ids()
    with transaction.atomic():
        child_get_for_user(
            user=world.user(Role.CASE_WORKER), child_id=child.pk, purpose=Purpose.EDIT
        )
    assert _new_events(before) == []


def test_a_refusal_inside_a_rolled_back_transaction_is_written_after_it(world) -> None:
    # Given a child the user may not see
    child = ChildFactory(actor=world.user("case_worker_b"))
    before = _ids()

    # When the refused read happens inside a transaction that the 404 rolls back
    with pytest.raises(RecordRefused) as refused, transaction.atomic():
        child_get_for_user(
            user=world.user(Role.CASE_WORKER), child_id=child.pk, purpose=Purpose.EDIT
        )
    assert _new_events(before) == []

    # Then recording it afterwards writes it, once
    record_refusal(refused.value)
    record_refusal(refused.value)
    assert _new_events(before) == [("refused", "children.child", str(child.pk))]


def test_a_refused_edit_page_is_audited_by_the_middleware(world) -> None:
    # Given a case of another team
    case = CaseFactory(actor=world.user("case_worker_b"))
    client = Client()
    client.force_login(world.user(Role.CASE_WORKER))
    before = _ids()

    # When a case worker posts a change to it
    response = client.post(f"/cases/{case.pk}/edit/", {"risk_level": "high"})

    # Then the same 404, one refused event, and no change
    assert response.status_code == 404
    assert _new_events(before) == [("refused", "cases.case", str(case.pk))]
    case.refresh_from_db()
    assert case.risk_level != "high"


def test_a_probe_with_control_characters_is_refused_and_audited_printably(world) -> None:
    with pytest.raises(Http404):
        child_get_for_user(
            user=world.user(Role.CASE_WORKER), child_id="ab\x00cd\n", purpose=Purpose.VIEW
        )
    assert AuditEvent.objects.get(action="refused").object_id == "ab?cd?"
