"""Audit events: one per view, written with the action, never changed or deleted."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client

from komar.audit.models import AppendOnlyError, AuditEvent
from komar.children.tests.helpers import open_case, register_child


@pytest.fixture
def case(world):
    worker = world.user("case_worker")
    return open_case(worker, register_child(worker))


def client_for(user) -> Client:
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(user)
    return client


def test_viewing_a_case_page_writes_exactly_one_view_event(world, case) -> None:
    before = AuditEvent.objects.count()
    response = client_for(world.user("case_worker")).get(case.get_absolute_url())
    assert response.status_code == 200
    events = AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - before]
    assert [
        (e.action, e.object_type, e.object_id, e.actor_username, e.ip, e.channel) for e in events
    ] == [("view", "cases.case", str(case.pk), "case_worker", "10.1.2.3", "web")]


def test_viewing_a_child_page_writes_exactly_one_view_event(world, case) -> None:
    before = AuditEvent.objects.count()
    client_for(world.user("supervisor")).get(f"/children/{case.child_id}/")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.action, event.object_id, event.actor_username) == (
        "view",
        str(case.child_id),
        "supervisor",
    )


def test_a_denied_view_writes_a_refused_event_and_no_view_event(world, case) -> None:
    before = set(AuditEvent.objects.values_list("id", flat=True))
    response = client_for(world.user("case_worker_b")).get(case.get_absolute_url())
    assert response.status_code == 404
    new = AuditEvent.objects.exclude(id__in=before)
    assert list(new.values_list("action", "object_type", "object_id", "actor_username")) == [
        ("refused", "cases.case", str(case.pk), "case_worker_b")
    ]


def test_opening_a_case_writes_its_events(world, case) -> None:
    kinds = set(AuditEvent.objects.values_list("action", "object_type"))
    assert {
        ("create", "children.child"),
        ("create", "cases.case"),
        ("create", "cases.screening"),
        ("grant_given", "access.grant"),
    } <= kinds


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_audit_write_leaves_neither_case_nor_event(world, monkeypatch) -> None:
    # Given a child, and a failure that strikes after the case and its event are written
    from komar.cases.models import Case
    from komar.cases.services import CaseInput, ScreeningInput, case_open

    worker = world.user("case_worker")
    child = register_child(worker)
    before = (Case.objects.count(), AuditEvent.objects.count())
    written = []

    def fail_after_audit(**kwargs):
        written.append(AuditEvent.objects.filter(object_type="cases.case").count())
        raise RuntimeError("the disk is full")

    monkeypatch.setattr("komar.cases.services._write_screening", fail_after_audit)

    # When a case is opened with a screening, outside any test transaction
    with pytest.raises(RuntimeError, match="disk is full"):
        case_open(
            actor=worker,
            child=child,
            data=CaseInput(intake_source="hotline", screening=ScreeningInput(acts=["recruitment"])),
        )

    # Then the case's event had been written inside the transaction, and is gone with it
    assert written == [1]
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_supervisor_sees_the_access_log_on_the_page(world, case) -> None:
    client_for(world.user("case_worker")).get(case.get_absolute_url())
    page = client_for(world.user("supervisor")).get(case.get_absolute_url()).content.decode()
    assert 'id="audit-log"' in page
    assert "case_worker" in page


def test_case_worker_does_not_see_the_access_log(world, case) -> None:
    page = client_for(world.user("case_worker")).get(case.get_absolute_url()).content.decode()
    assert 'id="audit-log"' not in page


def test_events_cannot_be_changed_or_deleted_through_the_app(world, case) -> None:
    event = AuditEvent.objects.first()
    event.action = "delete"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(action="view")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_events_cannot_be_changed_in_the_database(world, case) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'delete'")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row delete trigger exists on PostgreSQL only"
)
def test_events_cannot_be_deleted_in_postgresql(world, case) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")


@pytest.mark.django_db(transaction=True)
def test_audit_outside_a_transaction_is_refused(world) -> None:
    from komar.audit import events

    with pytest.raises(RuntimeError):
        events.record_viewed(actor=world.user("case_worker"), obj=world.host)
