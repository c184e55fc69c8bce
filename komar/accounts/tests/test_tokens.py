"""API tokens at rest and in use: digests only, one per sign-in, expiry, revocation on
sign-out, password change and deactivation, each revocation audited."""

import datetime
import hashlib

import pytest
import time_machine
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from komar.accounts.models import ApiToken, TokenRevocationReason, User
from komar.accounts.security import api_token_issue, api_tokens_revoke_all, token_digest
from komar.api.tests.helpers import api_as
from komar.audit.models import AuditAction, AuditEvent
from komar.conftest import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
REVOKE_URL = "/api/v1/auth/token/revoke/"
NEW_PASSWORD = "a-brand-new-password-456"
T0 = datetime.datetime(2026, 11, 24, 8, tzinfo=datetime.UTC)


def _sign_in(username: str = "case_worker", password: str = PASSWORD, **extra) -> dict:
    response = api_as().post(
        TOKEN_URL, {"username": username, "password": password, **extra}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _with(token: str):
    client = api_as()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def _me(token: str):
    return _with(token).get("/api/v1/me/")


def _revocations() -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action=AuditAction.TOKENS_REVOKED)
        .order_by("pk")
        .values_list("actor_username", "object_id", "changes", "channel")
    )


# --- At rest ---------------------------------------------------------------------------


def test_only_the_digest_is_stored(world) -> None:
    # When a case worker signs in
    token = _sign_in(client_name="field laptop")["token"]

    # Then the database holds the token's SHA-256 digest, never the token
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert row.label == "field laptop"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = " ".join(str(value) for value in cursor.fetchone())
    assert token not in stored
    # And a copy of the database signs nobody in: the digest is not a token
    assert _me(row.digest).status_code == 401


def test_drf_token_table_is_gone(db) -> None:
    assert "authtoken_token" not in connection.introspection.table_names()


def test_a_token_is_long_and_random(world) -> None:
    tokens = {_sign_in()["token"] for _ in range(3)}
    assert len(tokens) == 3
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64


# --- One per sign-in, with an expiry ---------------------------------------------------


def test_each_sign_in_gets_its_own_working_token(world) -> None:
    first, second = _sign_in()["token"], _sign_in()["token"]
    assert first != second
    assert _me(first).status_code == 200
    assert _me(second).status_code == 200
    assert ApiToken.objects.filter(user=world.user("case_worker")).count() == 2


def test_the_answer_says_when_the_token_expires(world, settings) -> None:
    settings.KOMAR_API_TOKEN_HOURS = 12
    with time_machine.travel(T0, tick=False):
        answer = _sign_in()
    assert set(answer) == {"token", "expires"}
    assert answer["expires"] == "2026-11-25T03:00:00+07:00"  # 20:00 UTC, in Phnom Penh time


def test_a_token_expires_after_its_hours(world, settings) -> None:
    settings.KOMAR_API_TOKEN_HOURS = 12
    with time_machine.travel(T0, tick=False):
        token = _sign_in()["token"]
    with time_machine.travel(T0 + datetime.timedelta(hours=11, minutes=59), tick=False):
        assert _me(token).status_code == 200
    with time_machine.travel(T0 + datetime.timedelta(hours=12), tick=False):
        response = _me(token)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token has expired. Ask for a new one."}


def test_use_is_recorded_at_most_once_a_minute(world) -> None:
    with time_machine.travel(T0, tick=False):
        token = _sign_in()["token"]
        assert ApiToken.objects.get().last_used is None
        _me(token)
        assert ApiToken.objects.get().last_used == T0
    with time_machine.travel(T0 + datetime.timedelta(seconds=30), tick=False):
        _me(token)
        assert ApiToken.objects.get().last_used == T0
    with time_machine.travel(T0 + datetime.timedelta(minutes=2), tick=False):
        _me(token)
        assert ApiToken.objects.get().last_used == T0 + datetime.timedelta(minutes=2)


def test_spent_tokens_are_deleted_after_thirty_days(world) -> None:
    user = world.user("case_worker")
    with time_machine.travel(T0, tick=False):
        api_token_issue(user=user)
    with time_machine.travel(T0 + datetime.timedelta(days=29), tick=False):
        api_token_issue(user=user)
        assert ApiToken.objects.filter(user=user).count() == 2
    with time_machine.travel(T0 + datetime.timedelta(days=31), tick=False):
        api_token_issue(user=user)
        assert ApiToken.objects.filter(user=user).count() == 2


# --- Sign-out --------------------------------------------------------------------------


def test_revoke_ends_the_token_used_and_only_it(world) -> None:
    # Given a case worker with two tokens (two clients)
    kept, ended = _sign_in()["token"], _sign_in()["token"]

    # When one client signs out
    response = _with(ended).post(REVOKE_URL)

    # Then that token stops working at once, the other keeps working
    assert response.status_code == 204
    assert _me(ended).status_code == 401
    assert _me(ended).json() == {"detail": "The token is no longer valid. Ask for a new one."}
    assert _me(kept).status_code == 200
    row = ApiToken.objects.get(digest=token_digest(ended))
    assert row.revoked_at is not None
    # And the revocation is audited, by the user, from the API
    user = world.user("case_worker")
    assert _revocations() == [
        ("case_worker", str(user.pk), {"count": 1, "reason": "signed_out"}, "api")
    ]


def test_a_revoked_token_cannot_revoke_again(world) -> None:
    token = _sign_in()["token"]
    assert _with(token).post(REVOKE_URL).status_code == 204
    assert _with(token).post(REVOKE_URL).status_code == 401
    assert len(_revocations()) == 1


@pytest.mark.parametrize("header", [None, "Token not-a-token", "Token", "Bearer x"])
def test_revoke_without_a_working_token_answers_401(world, header) -> None:
    client = api_as()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.post(REVOKE_URL)
    assert response.status_code == 401
    assert "detail" in response.json()
    assert _revocations() == []


def test_revoke_with_a_web_session_only_answers_401(world) -> None:
    # A web session is not a token: there is nothing to revoke
    client = api_as()
    client.force_login(world.user("case_worker"))
    assert client.post(REVOKE_URL).status_code == 401


# --- Password change and deactivation --------------------------------------------------


def test_changing_the_password_on_the_web_revokes_every_token(world) -> None:
    # Given a case worker with two working tokens
    first, second = _sign_in()["token"], _sign_in()["token"]

    # When they change their password on the web page
    web = Client()
    web.force_login(world.user("case_worker"))
    response = web.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302

    # Then neither token works, and one event records both revocations
    assert _me(first).status_code == 401
    assert _me(second).status_code == 401
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    user = world.user("case_worker")
    assert _revocations() == [("", str(user.pk), {"count": 2, "reason": "password_changed"}, "web")]
    # And a sign-in with the new password gets a working token
    assert _me(_sign_in(password=NEW_PASSWORD)["token"]).status_code == 200


def test_a_password_set_by_the_admin_or_a_command_revokes_tokens(world) -> None:
    token = _sign_in()["token"]
    user = User.objects.get(username="case_worker")
    user.set_password(NEW_PASSWORD)
    user.save()
    assert _me(token).status_code == 401
    assert _revocations()[-1][2] == {"count": 1, "reason": "password_changed"}


def test_changepassword_command_revokes_tokens(world, monkeypatch) -> None:
    token = _sign_in()["token"]
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "case_worker")
    assert _me(token).status_code == 401


def test_a_password_written_around_set_password_still_ends_tokens(world) -> None:
    # Given a token, when the password hash is replaced directly in the database
    token = _sign_in()["token"]
    User.objects.filter(username="case_worker").update(password=make_password(NEW_PASSWORD))

    # Then the token's password fingerprint no longer matches: it does not sign in
    response = _me(token)
    assert response.status_code == 401
    assert response.json() == {"detail": "The token is no longer valid. Ask for a new one."}


def test_a_rolled_back_password_change_revokes_nothing(world) -> None:
    token = _sign_in()["token"]
    user = User.objects.get(username="case_worker")

    def change_then_fail() -> None:
        with transaction.atomic():
            user.set_password(NEW_PASSWORD)
            user.save()
            raise RuntimeError("the change fails after the password was set")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert _me(token).status_code == 200
    assert _revocations() == []


def test_a_new_user_gets_a_password_without_any_revocation(db) -> None:
    user = User(username="newcomer")
    user.set_password(PASSWORD)
    user.save()
    assert _revocations() == []


def test_a_deactivated_user_is_refused(world) -> None:
    token = _sign_in()["token"]
    User.objects.filter(username="case_worker").update(is_active=False)
    response = _me(token)
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted."}


def test_deactivation_revokes_and_audits(world) -> None:
    # The service the user administration calls when it deactivates an account
    administrator, user = world.user("administrator"), world.user("case_worker")
    first, second = _sign_in()["token"], _sign_in()["token"]
    _with(second).post(REVOKE_URL)  # already revoked: not counted again
    with transaction.atomic():
        count = api_tokens_revoke_all(
            actor=administrator, user=user, reason=TokenRevocationReason.DEACTIVATED
        )
    assert count == 1
    assert _me(first).status_code == 401
    assert _revocations()[-1][:3] == (
        "administrator",
        str(user.pk),
        {"count": 1, "reason": "deactivated"},
    )


def test_revoking_nothing_writes_no_event(world) -> None:
    assert (
        api_tokens_revoke_all(
            actor=None, user=world.user("lawyer"), reason=TokenRevocationReason.ADMINISTRATOR
        )
        == 0
    )
    assert _revocations() == []


# --- Through the user administration ---------------------------------------------------


def test_deactivation_by_an_administrator_revokes_the_tokens(world) -> None:
    from komar.accounts.services import user_set_active

    administrator, user = world.user("administrator"), world.user("case_worker")
    token = _sign_in()["token"]
    user_set_active(actor=administrator, user=user, active=False)
    assert _me(token).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    assert _revocations() == [
        ("administrator", str(user.pk), {"count": 1, "reason": "deactivated"}, "system")
    ]  # called here outside a request: the channel is "system"


def test_a_password_reset_by_an_administrator_revokes_the_tokens(world) -> None:
    from komar.accounts.services import user_password_reset

    administrator, user = world.user("administrator"), world.user("case_worker")
    token = _sign_in()["token"]
    user_password_reset(actor=administrator, user=user)
    assert _me(token).status_code == 401
    assert ApiToken.objects.get().revoked_at is not None
    # The model revokes (it does not know who asked); the reset's own event names the actor
    assert _revocations() == [
        ("", str(user.pk), {"count": 1, "reason": "password_changed"}, "system")
    ]
