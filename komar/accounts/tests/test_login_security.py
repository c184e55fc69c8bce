"""Sign-in security: lockout, two-factor enrolment, idle sessions, password hashing."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from komar.conftest import PASSWORD


def test_passwords_are_hashed_with_argon2() -> None:
    from komar.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sessions_end_after_thirty_idle_minutes() -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_sign_in_works(world) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"login": "case_worker", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_account_locks_after_five_failures(world) -> None:
    client = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(4):
        response = client.post(
            "/accounts/login/", {"login": "case_worker", "password": "wrong-password"}
        )
        assert response.status_code == 200
    # When the fifth attempt fails, the account is locked
    response = client.post(
        "/accounts/login/", {"login": "case_worker", "password": "wrong-password"}
    )
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode()
    # Then even the right password is refused while locked
    response = client.post("/accounts/login/", {"login": "case_worker", "password": PASSWORD})
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode()
    assert client.get("/cases/").status_code == 302  # still signed out


@override_settings(KOMAR_REQUIRE_2FA=True)
@pytest.mark.parametrize("role", ["supervisor", "administrator"])
def test_two_factor_roles_must_enrol_before_seeing_records(world, role) -> None:
    client = Client()
    client.post("/accounts/login/", {"login": role, "password": PASSWORD})
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # django-allauth asks for the password again before a device is enrolled
    response = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/accounts/reauthenticate/")


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_case_workers_are_not_forced_to_enrol(world) -> None:
    client = Client()
    client.force_login(world.user("case_worker"))
    assert client.get("/cases/").status_code == 200


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_enrolled_supervisor_passes(world) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    supervisor = world.user("supervisor")
    TOTP.activate(supervisor, generate_totp_secret())
    client = Client()
    client.force_login(supervisor)
    assert client.get("/cases/").status_code == 200


def test_nobody_signs_themselves_up(db) -> None:
    response = Client().post(
        "/accounts/signup/",
        {"username": "x", "password1": "a-long-pass-1", "password2": "a-long-pass-1"},
    )
    assert response.status_code in (200, 302, 404)
    from komar.accounts.models import User

    assert not User.objects.filter(username="x").exists()


def test_web_failures_are_counted_against_the_account(world) -> None:
    from axes.models import AccessAttempt

    Client(REMOTE_ADDR="10.7.7.7").post(
        "/accounts/login/", {"login": "case_worker", "password": "wrong"}
    )
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["case_worker"]


def test_api_tokens_expire(world) -> None:
    import datetime

    import time_machine
    from rest_framework.test import APIClient

    client = APIClient()
    with time_machine.travel(datetime.datetime(2026, 11, 24, 8, tzinfo=datetime.UTC)):
        token = client.post(
            "/api/v1/auth/token/", {"username": "case_worker", "password": PASSWORD}, format="json"
        ).json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get("/api/v1/me/").status_code == 200
    with time_machine.travel(datetime.datetime(2026, 11, 24, 20, 1, tzinfo=datetime.UTC)):
        response = client.get("/api/v1/me/")
        assert response.status_code == 401
        # A new sign-in issues a new token that works
        client.credentials()
        fresh = client.post(
            "/api/v1/auth/token/", {"username": "case_worker", "password": PASSWORD}, format="json"
        ).json()["token"]
        assert fresh != token
        client.credentials(HTTP_AUTHORIZATION=f"Token {fresh}")
        assert client.get("/api/v1/me/").status_code == 200


# --- Behind a reverse proxy: the lockout counts per real client address ----------------

PROXY = "10.0.0.2"
CLIENT_A, CLIENT_B = "203.0.113.5", "198.51.100.7"


def _behind_proxy(client_address: str) -> Client:
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)


@override_settings(KOMAR_PROXY_COUNT=1)
def test_lockout_behind_a_proxy_locks_the_client_not_the_proxy(world) -> None:
    from axes.models import AccessAttempt

    # Given five wrong passwords for one account from client A, through the proxy
    client_a = _behind_proxy(CLIENT_A)
    for _ in range(4):
        response = client_a.post("/accounts/login/", {"login": "case_worker", "password": "wrong"})
        assert response.status_code == 200
    response = client_a.post("/accounts/login/", {"login": "case_worker", "password": "wrong"})
    assert response.status_code == 429

    # Then client A is locked out of the account, even with the right password
    response = client_a.post("/accounts/login/", {"login": "case_worker", "password": PASSWORD})
    assert response.status_code == 429
    assert 'id="locked-out"' in response.content.decode()
    assert client_a.get("/cases/").status_code == 302
    # and the attempts (the refused sixth included) count against A's address, not the proxy's
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "case_worker",
        CLIENT_A,
        6,
    )

    # But client B, behind the same proxy, signs in to the same account
    client_b = _behind_proxy(CLIENT_B)
    response = client_b.post("/accounts/login/", {"login": "case_worker", "password": PASSWORD})
    assert response.status_code == 302
    assert client_b.get("/cases/").status_code == 200


@override_settings(KOMAR_PROXY_COUNT=0)
def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(world) -> None:
    from axes.models import AccessAttempt

    # Given no proxy is trusted, a client rotating X-Forwarded-For cannot dodge the count
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        Client(REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR=forged).post(
            "/accounts/login/", {"login": "case_worker", "password": "wrong"}
        )
    attempt = AccessAttempt.objects.get()
    assert (attempt.ip_address, attempt.failures_since_start) == (CLIENT_A, 5)
    response = Client(REMOTE_ADDR=CLIENT_A, HTTP_X_FORWARDED_FOR="6.6.6.6").post(
        "/accounts/login/", {"login": "case_worker", "password": PASSWORD}
    )
    assert response.status_code == 429


@override_settings(KOMAR_PROXY_COUNT=1)
def test_api_lockout_behind_a_proxy_is_per_client(world) -> None:
    from rest_framework.test import APIClient

    def sign_in(address: str, password: str):
        return APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address).post(
            "/api/v1/auth/token/", {"username": "case_worker", "password": password}, format="json"
        )

    for _ in range(5):
        sign_in(CLIENT_A, "wrong")
    assert sign_in(CLIENT_A, PASSWORD).status_code == 429
    assert sign_in(CLIENT_B, PASSWORD).status_code == 200
