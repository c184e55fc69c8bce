"""The users API: literal role → status tables for every endpoint, 404 out of reach,
exact error bodies with nothing saved, and the audit of each action."""

import json
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from axes.models import AccessAttempt
from django.test import Client

from komar.accounts.models import Team, User
from komar.accounts.roles import Role
from komar.api.tests.helpers import api_as
from komar.audit.models import AuditAction, AuditEvent
from komar.conftest import make_user

KHMER = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")

# What each role of the host's team A gets from each endpoint, on an account of its own
# organisation (case_worker_a2).
LIST_STATUS = {
    "administrator": 200,
    "case_worker": 403,
    "shelter_worker": 403,
    "lawyer": 403,
    "prevention_officer": 403,
    "supervisor": 403,
    "data_officer": 403,
    "partner_user": 403,
}
CREATE_STATUS = {**LIST_STATUS, "administrator": 201}
DETAIL_STATUS = LIST_STATUS
PATCH_STATUS = LIST_STATUS
UNLOCK_STATUS = LIST_STATUS
RESET_PASSWORD_STATUS = LIST_STATUS
RESET_TWO_FACTOR_STATUS = LIST_STATUS


def event_ids() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


def new_actions(before: set[int]) -> list[str]:
    return list(
        AuditEvent.objects.exclude(pk__in=before).order_by("pk").values_list("action", flat=True)
    )


@pytest.fixture
def admin(world) -> User:
    return world.user(Role.ADMINISTRATOR)


@pytest.fixture
def partner_admin(world) -> User:
    team = Team.objects.get(organisation=world.other_ngo)
    return make_user("other_admin", Role.ADMINISTRATOR, world.other_ngo, team)


@pytest.fixture
def target(world) -> User:
    """An account of the host organisation, locked and with a second factor, so that
    every action has something to do."""
    user = world.user("case_worker_a2")
    AccessAttempt.objects.create(
        username=user.username, ip_address="10.0.0.1", user_agent="t", failures_since_start=5
    )
    TOTP.activate(user, generate_totp_secret())
    return user


def test_tables_name_every_role() -> None:
    for table in (LIST_STATUS, CREATE_STATUS, DETAIL_STATUS):
        assert set(table) == set(Role.values)


@pytest.mark.parametrize(("role", "status"), list(LIST_STATUS.items()))
def test_list_by_role(world, role, status) -> None:
    assert api_as(world.user(role)).get("/api/v1/users/").status_code == status


@pytest.mark.parametrize(("role", "status"), list(CREATE_STATUS.items()))
def test_create_by_role(world, role, status) -> None:
    response = api_as(world.user(role)).post(
        "/api/v1/users/", {"username": "dara", "role": "case_worker"}, format="json"
    )
    assert response.status_code == status
    assert User.objects.filter(username="dara").exists() == (status == 201)


@pytest.mark.parametrize(("role", "status"), list(DETAIL_STATUS.items()))
def test_detail_by_role(world, target, role, status) -> None:
    assert api_as(world.user(role)).get(f"/api/v1/users/{target.pk}/").status_code == status


@pytest.mark.parametrize(("role", "status"), list(PATCH_STATUS.items()))
def test_patch_by_role(world, target, role, status) -> None:
    response = api_as(world.user(role)).patch(
        f"/api/v1/users/{target.pk}/", {"full_name": "Changed"}, format="json"
    )
    assert response.status_code == status
    target.refresh_from_db()
    assert (target.full_name == "Changed") == (status == 200)


@pytest.mark.parametrize(
    ("action", "table"),
    [
        ("unlock", UNLOCK_STATUS),
        ("reset-password", RESET_PASSWORD_STATUS),
        ("reset-two-factor", RESET_TWO_FACTOR_STATUS),
    ],
)
@pytest.mark.parametrize("role", Role.values)
def test_actions_by_role(world, target, action, table, role) -> None:
    before = event_ids()
    response = api_as(world.user(role)).post(f"/api/v1/users/{target.pk}/{action}/")
    assert response.status_code == table[role]
    expected = {
        "unlock": AuditAction.USER_UNLOCKED,
        "reset-password": AuditAction.PASSWORD_RESET,
        "reset-two-factor": AuditAction.TWO_FACTOR_RESET,
    }[action]
    assert new_actions(before) == ([expected] if response.status_code == 200 else [])


def test_anonymous_callers_get_401(world, target) -> None:
    client = api_as()
    assert client.get("/api/v1/users/").status_code == 401
    assert client.get(f"/api/v1/users/{target.pk}/").status_code == 401
    assert client.post(f"/api/v1/users/{target.pk}/reset-password/").status_code == 401


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("patch", ""),
        ("post", "unlock/"),
        ("post", "reset-password/"),
        ("post", "reset-two-factor/"),
    ],
)
def test_accounts_out_of_reach_answer_404_like_missing_ones(
    world, target, partner_admin, method, suffix
) -> None:
    client = api_as(partner_admin)
    before = event_ids()
    for user_id in (target.pk, 999_999, "abc"):
        response = getattr(client, method)(
            f"/api/v1/users/{user_id}/{suffix}", {"role": "administrator"}, format="json"
        )
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
    target.refresh_from_db()
    assert target.role == Role.CASE_WORKER
    assert Authenticator.objects.filter(user=target).count() == 1
    assert new_actions(before) == []


# --- list ------------------------------------------------------------------------------


def test_list_filters_and_audits_one_search_without_the_text(world, admin) -> None:
    before = event_ids()
    response = api_as(admin).get(
        "/api/v1/users/", {"search": "worker_b", "role": "case_worker", "is_active": "true"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row == {
        "id": world.user("case_worker_b").pk,
        "username": "case_worker_b",
        "full_name": "",
        "full_name_km": "",
        "role": "case_worker",
        "organisation": world.host.pk,
        "team": world.team_b.pk,
        "preferred_language": "",
        "is_active": True,
        "last_login": None,
        "date_joined": row["date_joined"],
    }
    [event] = AuditEvent.objects.exclude(pk__in=before)
    assert (event.action, event.object_type) == ("searched", "accounts.user")
    assert event.changes == {
        "filters": {"search": True, "role": "case_worker", "is_active": True},
        "count": 1,
    }
    assert "worker_b" not in json.dumps(event.changes)


def test_list_refuses_unknown_filters(world, admin) -> None:
    response = api_as(admin).get("/api/v1/users/", {"colour": "red"})
    assert response.status_code == 400
    assert response.json() == {"colour": ["Unknown field."]}
    response = api_as(admin).get("/api/v1/users/", {"team": "abc"})
    assert response.status_code == 400
    assert list(response.json()) == ["team"]


# --- create and change -----------------------------------------------------------------


def test_create_answers_201_with_the_account(world, admin) -> None:
    before = event_ids()
    response = api_as(admin).post(
        "/api/v1/users/",
        {
            "username": "sokha",
            "role": "supervisor",
            "team": str(world.team_b.pk).translate(KHMER),  # Khmer digits
            "full_name": "Chan Sokha",
            "full_name_km": "ចាន់ សុខា",
            "preferred_language": "km",
            "is_active": True,
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    user = User.objects.get(username="sokha")
    assert body["id"] == user.pk
    assert (body["role"], body["team"], body["organisation"], body["full_name_km"]) == (
        "supervisor",
        world.team_b.pk,
        world.host.pk,
        "ចាន់ សុខា",
    )
    assert new_actions(before) == [AuditAction.USER_CREATED]


def test_create_with_bad_input_answers_400_by_field_and_saves_nothing(world, admin) -> None:
    users = User.objects.count()
    before = event_ids()
    response = api_as(admin).post(
        "/api/v1/users/",
        {
            "username": "ADMINISTRATOR",
            "role": "case_worker",
            "full_name_km": "not khmer",
            "team": 999_999,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "username": ["This username is taken (letter case does not count)."],
        "team": ["Choose a team from the list."],
        "full_name_km": ["Write this name in Khmer script."],
    }
    assert User.objects.count() == users
    assert new_actions(before) == []


def test_create_refuses_unknown_and_mistyped_fields(world, admin) -> None:
    client = api_as(admin)
    response = client.post(
        "/api/v1/users/",
        {"username": "x1", "role": "case_worker", "is_superuser": True},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"is_superuser": ["Unknown field."]}
    response = client.post(
        "/api/v1/users/", {"username": "x1", "role": "case_worker", "team": "abc"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["team"]
    assert not User.objects.filter(username="x1").exists()


def test_host_administrator_creates_in_a_partner_organisation(world, admin) -> None:
    response = api_as(admin).post(
        "/api/v1/users/",
        {"username": "partner2", "role": "partner_user", "organisation": world.partner.pk},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["organisation"] == world.partner.pk


def test_patch_changes_only_what_is_given(world, admin) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    response = api_as(admin).patch(
        f"/api/v1/users/{target.pk}/", {"role": "lawyer", "team": None}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["team"]) == ("lawyer", None)
    target.refresh_from_db()
    assert (target.role, target.team, target.is_active) == (Role.LAWYER, None, True)
    assert new_actions(before) == [AuditAction.ROLE_CHANGED]


def test_patch_deactivates(world, admin) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    response = api_as(admin).patch(
        f"/api/v1/users/{target.pk}/", {"is_active": False}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert new_actions(before) == [AuditAction.USER_DEACTIVATED]


def test_patch_refuses_own_role_and_username_changes(world, admin) -> None:
    response = api_as(admin).patch(
        f"/api/v1/users/{admin.pk}/",
        {"role": "case_worker", "username": "boss", "is_active": False},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"username": ["This field cannot be changed."]}
    response = api_as(admin).patch(
        f"/api/v1/users/{admin.pk}/", {"role": "case_worker", "is_active": False}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "role": ["You cannot change your own role. Ask another administrator."],
        "is_active": ["You cannot deactivate your own account."],
    }
    admin.refresh_from_db()
    assert (admin.role, admin.username, admin.is_active) == (
        Role.ADMINISTRATOR,
        "administrator",
        True,
    )


def test_errors_are_in_the_callers_language(world, admin) -> None:
    response = api_as(admin).post(
        "/api/v1/users/",
        {"username": "ADMINISTRATOR", "role": "case_worker"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="km",
    )
    assert response.status_code == 400
    [message] = response.json()["username"]
    assert re.search("[\u1780-\u17ff]", message), message


# --- actions ---------------------------------------------------------------------------


def test_reset_password_answers_the_code_once_and_the_code_works(world, admin) -> None:
    target = world.user("case_worker_a2")
    response = api_as(admin).post(f"/api/v1/users/{target.pk}/reset-password/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"code", "expires_at"}
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", body["code"])
    assert body["code"] not in json.dumps(api_as(admin).get(f"/api/v1/users/{target.pk}/").json())
    trail = json.dumps(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert body["code"].replace("-", "") not in trail

    # The person sets a password with it on the public page, then signs in
    new = "a-brand-new-passphrase-42"
    page = Client().post(
        "/users/set-password/",
        {
            "username": target.username,
            "code": body["code"],
            "new_password1": new,
            "new_password2": new,
        },
    )
    assert page.status_code == 302
    target.refresh_from_db()
    assert target.check_password(new)


def test_unlock_clears_the_lockout(world, admin, target) -> None:
    response = api_as(admin).post(f"/api/v1/users/{target.pk}/unlock/")
    assert response.status_code == 200
    assert response.json()["username"] == target.username
    assert not AccessAttempt.objects.filter(username=target.username).exists()
    # Nothing left to unlock: a 400 that says so
    response = api_as(admin).post(f"/api/v1/users/{target.pk}/unlock/")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["This account is not locked: there is nothing to unlock."]
    }


def test_reset_two_factor_removes_the_authenticator(world, admin, target) -> None:
    response = api_as(admin).post(f"/api/v1/users/{target.pk}/reset-two-factor/")
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=target).exists()


def test_schema_documents_the_users_endpoints(world, admin) -> None:
    schema = api_as(admin).get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/users/",
        "/api/v1/users/{user_id}/",
        "/api/v1/users/{user_id}/unlock/",
        "/api/v1/users/{user_id}/reset-password/",
        "/api/v1/users/{user_id}/reset-two-factor/",
    ):
        assert path in paths, path
    assert {"201", "400", "403"} <= set(paths["/api/v1/users/"]["post"]["responses"])
    assert {"200", "400", "403", "404"} <= set(
        paths["/api/v1/users/{user_id}/"]["patch"]["responses"]
    )
