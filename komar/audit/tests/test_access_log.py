"""The access log: who may read it, what it shows, and that a search appears in it."""

import pytest
from django.test import Client

from komar.access.tests.matrix import assert_role_table, role_table
from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as
from komar.audit.models import AuditEvent
from komar.children.tests.factories import ChildFactory

LOG_STATUS = role_table("""
case_worker         403
shelter_worker      403
lawyer              403
prevention_officer  403
supervisor          200
data_officer        403
partner_user        403
administrator       200
""")


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_may_read_the_log_through_the_api(world) -> None:
    assert_role_table(
        world, LOG_STATUS, lambda user: api_as(user).get("/api/v1/audit/").status_code
    )


def test_who_may_read_the_log_page(world) -> None:
    assert_role_table(world, LOG_STATUS, lambda user: _page(user).get("/audit/").status_code)


def test_anonymous_callers_are_refused(db) -> None:
    assert api_as().get("/api/v1/audit/").status_code == 401
    assert Client().get("/audit/").status_code == 302


def test_a_search_appears_in_the_supervisors_log_with_its_count_and_no_name(world) -> None:
    # Given a case worker of team A who searches children by name
    worker = world.user(Role.CASE_WORKER)
    ChildFactory(actor=worker, family_name="Sok", given_name="Sothea")
    assert api_as(worker).get("/api/v1/children/", {"search": "Sok Sothea"}).json()["count"] == 1

    # When their supervisor reads the log, filtered to searches
    response = api_as(world.user(Role.SUPERVISOR)).get("/api/v1/audit/", {"action": "searched"})

    # Then the search is there: who, what kind of record, its filters and count, no name
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(e["actor"], e["action"], e["object_type"], e["changes"]) for e in results] == [
        ("case_worker", "searched", "children.child", {"filters": {"search": True}, "count": 1})
    ]
    assert "Sok" not in response.content.decode()


def test_the_log_page_shows_the_search_in_khmer_without_the_name(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    ChildFactory(actor=worker, family_name="Sok", given_name="Sothea")
    _page(worker).get("/cases/", {"q": "Sothea"})

    client = _page(world.user(Role.SUPERVISOR))
    client.cookies["django_language"] = "km"
    page = client.get("/audit/", {"action": "searched"}, HTTP_ACCEPT_LANGUAGE="km").content.decode()

    assert 'data-action="searched"' in page
    assert "ឈ្មោះ ឬលេខដែលបានស្វែងរក" in page  # "name or number searched"
    assert "Sothea" not in page


def test_a_supervisor_reads_only_their_teams_actions(world) -> None:
    for key in (Role.CASE_WORKER, "case_worker_b", "other_case_worker"):
        api_as(world.user(key)).get("/api/v1/cases/")
    actors = {
        e["actor"]
        for e in api_as(world.user(Role.SUPERVISOR))
        .get("/api/v1/audit/", {"action": "listed", "limit": 200})
        .json()["results"]
    }
    assert actors == {"case_worker"}


def test_an_administrator_reads_their_organisations_actions(world) -> None:
    for key in (Role.CASE_WORKER, "case_worker_b", "other_case_worker"):
        api_as(world.user(key)).get("/api/v1/cases/")
    actors = {
        e["actor"]
        for e in api_as(world.user(Role.ADMINISTRATOR))
        .get("/api/v1/audit/", {"action": "listed", "limit": 200})
        .json()["results"]
    }
    assert actors == {"case_worker", "case_worker_b"}


def test_filters_by_actor_and_dates(world) -> None:
    api_as(world.user(Role.CASE_WORKER)).get("/api/v1/cases/")
    client = api_as(world.user(Role.ADMINISTRATOR))
    mine = client.get("/api/v1/audit/", {"actor": "case_worker", "action": "listed"}).json()
    assert mine["count"] == 1
    assert (
        client.get("/api/v1/audit/", {"from": "2000-01-01", "to": "2000-12-31"}).json()["count"]
        == 0
    )


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"action": "stolen"}, {"action"}),
        ({"from": "31/02/2026"}, {"from"}),
        ({"from": "2026-02-01", "to": "2026-01-01"}, {"to"}),
        ({"name": "Sok"}, {"name"}),
    ],
)
def test_bad_filters_answer_400_with_the_field_named(world, params, errors) -> None:
    response = api_as(world.user(Role.SUPERVISOR)).get("/api/v1/audit/", params)
    assert response.status_code == 400
    assert set(response.json()) == errors


def test_reading_the_log_is_itself_audited(world) -> None:
    before = set(AuditEvent.objects.values_list("id", flat=True))
    api_as(world.user(Role.SUPERVISOR)).get("/api/v1/audit/", {"action": "view"})
    new = AuditEvent.objects.exclude(id__in=before)
    assert list(new.values_list("action", "object_type", "actor_username")) == [
        ("listed", "audit.auditevent", "supervisor")
    ]
