"""Sign-in security: lockout, two-factor enrolment, idle sessions, password hashing."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
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
    assert 'id="login-errors"' in response.content.decode()
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


@pytest.mark.parametrize(
    ("missing", "check_id"),
    [
        ("SECRET_KEY", "komar.E001"),
        ("KOMAR_ENCRYPTION_KEYS", "komar.E002"),
        ("KOMAR_INDEX_KEY", "komar.E004"),
        ("ALLOWED_HOSTS", "komar.E005"),
    ],
)
def test_production_refuses_to_start_without_requirements(missing, check_id) -> None:
    good = {
        "KOMAR_PRODUCTION": True,
        "DEBUG": False,
        "KOMAR_ALLOW_DEMO_DATA": False,
        "SECRET_KEY": "s" * 50,
        "KOMAR_ENCRYPTION_KEYS": settings.KOMAR_ENCRYPTION_KEYS,
        "KOMAR_INDEX_KEY": "i" * 40,
        "ALLOWED_HOSTS": ["komar.example.org"],
    }
    empty = {
        "SECRET_KEY": "too-short",
        "KOMAR_ENCRYPTION_KEYS": [],
        "KOMAR_INDEX_KEY": "",
        "ALLOWED_HOSTS": [],
    }
    with override_settings(**good):
        call_command("check", "--fail-level", "ERROR")
    with (
        override_settings(**{**good, missing: empty[missing]}),
        pytest.raises(SystemCheckError, match=check_id),
    ):
        call_command("check", "--fail-level", "ERROR")


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
