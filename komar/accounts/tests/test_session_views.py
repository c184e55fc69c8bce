"""The session's clock and the drafts' keys: /session/status/, keep-alive, draft-key."""

import base64
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from komar.access.tests.matrix import assert_role_table, role_table
from komar.accounts.roles import Role
from komar.accounts.session_views import draft_key, draft_slot, draft_window
from komar.audit.models import AuditEvent

EVERY_ROLE_200 = role_table("""
case_worker         200
shelter_worker      200
lawyer              200
prevention_officer  200
supervisor          200
data_officer        200
partner_user        200
administrator       200
""")


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _session_end(client: Client):
    key = client.cookies["sessionid"].value
    return Session.objects.get(session_key=key).expire_date


def _age_session(client: Client, seconds_left: int) -> None:
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=seconds_left)
    )


@pytest.mark.parametrize("path", ["/session/status/", "/session/draft-key/"])
def test_every_signed_in_role_may_read_its_own_session(world, path) -> None:
    assert_role_table(world, EVERY_ROLE_200, lambda user: _signed_in(user).get(path).status_code)


def test_every_signed_in_role_may_stay_signed_in(world) -> None:
    assert_role_table(
        world,
        EVERY_ROLE_200,
        lambda user: _signed_in(user).post("/session/keep-alive/").status_code,
    )


def test_signed_out_visitors_get_no_key_and_cannot_keep_a_session_alive(db) -> None:
    client = Client()
    assert client.get("/session/status/").json() == {
        "signed_in": False,
        "seconds_left": 0,
        "idle_seconds": 1800,
    }
    assert client.get("/session/draft-key/").status_code == 401
    assert client.get("/session/draft-key/").json() == {"signed_in": False}
    assert client.post("/session/keep-alive/").status_code == 401


def test_keep_alive_needs_the_csrf_token(world) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user(Role.CASE_WORKER))
    assert client.post("/session/keep-alive/").status_code == 403


def test_the_status_tells_the_time_left_without_lengthening_the_session(world) -> None:
    # Given a session with 100 seconds left
    client = _signed_in(world.user(Role.CASE_WORKER))
    _age_session(client, 100)
    before = _session_end(client)

    # When the page asks how long is left
    answer = client.get("/session/status/").json()

    # Then it hears the stored time, and the session's end has not moved
    assert answer["signed_in"] is True
    assert 98 <= answer["seconds_left"] <= 100
    assert _session_end(client) == before


def test_another_request_lengthens_the_session_and_the_status_sees_it(world) -> None:
    # Given a session about to end, in two tabs of the same browser
    client = _signed_in(world.user(Role.CASE_WORKER))
    _age_session(client, 60)

    # When one tab opens a page
    assert client.get("/").status_code == 200

    # Then the other tab's status sees a whole idle period again
    assert client.get("/session/status/").json()["seconds_left"] >= 1795


def test_stay_signed_in_starts_a_new_idle_period(world) -> None:
    client = _signed_in(world.user(Role.CASE_WORKER))
    _age_session(client, 30)

    answer = client.post("/session/keep-alive/")

    assert answer.json() == {"signed_in": True, "seconds_left": 1800}
    left = (_session_end(client) - timezone.now()).total_seconds()
    assert 1795 <= left <= 1800


def test_an_ended_session_is_reported_as_signed_out(world) -> None:
    client = _signed_in(world.user(Role.CASE_WORKER))
    _age_session(client, -5)
    assert client.get("/session/status/").json()["signed_in"] is False
    assert client.get("/session/draft-key/").status_code == 401


def test_the_session_pages_write_no_audit_events(world) -> None:
    client = _signed_in(world.user(Role.SUPERVISOR))
    before = AuditEvent.objects.count()
    client.get("/session/status/")
    client.post("/session/keep-alive/")
    client.get("/session/draft-key/")
    assert AuditEvent.objects.count() == before


def test_the_draft_key_is_the_users_own_for_today_and_yesterday(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    colleague = world.user("case_worker_a2")
    response = _signed_in(worker).get("/session/draft-key/")
    answer = response.json()
    window = draft_window()

    assert response["Cache-Control"] == "no-store"
    assert answer["window"] == window
    assert answer["slot"] == draft_slot(user_pk=worker.pk)
    assert answer["max_age_seconds"] == 86400
    assert sorted(answer["keys"]) == sorted([str(window), str(window - 1)])
    today = base64.b64decode(answer["keys"][str(window)])
    assert today == draft_key(user_pk=worker.pk, window=window)
    assert len(today) == 32
    # A colleague on the same PC gets other keys and another slot: they cannot read it.
    other = _signed_in(colleague).get("/session/draft-key/").json()
    assert other["slot"] != answer["slot"]
    assert set(other["keys"].values()).isdisjoint(answer["keys"].values())


def test_a_draft_key_older_than_a_day_is_given_to_nobody(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    answer = _signed_in(worker).get("/session/draft-key/").json()
    two_days_ago = base64.b64encode(
        draft_key(user_pk=worker.pk, window=draft_window() - 2)
    ).decode()
    assert two_days_ago not in answer["keys"].values()


def test_the_slot_names_nobody(world) -> None:
    worker = world.user(Role.CASE_WORKER)
    slot = draft_slot(user_pk=worker.pk)
    assert worker.username not in slot
    assert str(worker.pk) != slot
    assert len(slot) == 24


def test_every_page_tells_the_script_the_time_left_and_where_to_ask(world) -> None:
    page = _signed_in(world.user(Role.CASE_WORKER)).get("/").content.decode()
    assert 'data-session-seconds="1800"' in page
    assert 'data-session-status="/session/status/"' in page
    assert 'data-session-keep-alive="/session/keep-alive/"' in page
    assert 'data-draft-key="/session/draft-key/"' in page
    assert 'id="session-warning"' in page
    assert "/static/komar/session.js" in page
    assert "/static/komar/drafts.js" in page


def test_the_sign_in_page_carries_no_session_script(db) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert "data-session-status" not in page
    assert "session.js" not in page
