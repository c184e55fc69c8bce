"""The accounts API: token sign-in (lockout, second factor), the current user, organisations."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from axes.models import AccessAttempt
from django.test import override_settings

from komar.accounts.models import ApiToken, Organisation, OrganisationType
from komar.accounts.roles import POLICIES, Role
from komar.accounts.security import token_digest
from komar.accounts.tests.factories import PASSWORD as FACTORY_PASSWORD
from komar.accounts.tests.factories import UserFactory
from komar.api.tests.helpers import api_as
from komar.conftest import PASSWORD
from komar.core.khmer import KHMER_DIGITS

TOKEN_URL = "/api/v1/auth/token/"


def _sign_in(client, **body):
    return client.post(TOKEN_URL, body, format="json")


def _current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _to_khmer_digits(text: str) -> str:
    return text.translate({v: k for k, v in KHMER_DIGITS.items()})


# --- Token ---------------------------------------------------------------------------


def test_token_is_issued_for_the_right_password_and_signs_in(world) -> None:
    # Given a case worker's username and password
    client = api_as()

    # When they ask for a token
    response = _sign_in(client, username="case_worker", password=PASSWORD)

    # Then they get their token, and it signs them in
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.get(user=world.user("case_worker")).digest == token_digest(token)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "case_worker"


def test_token_for_a_factory_user(db) -> None:
    user = UserFactory(role=Role.LAWYER)
    response = _sign_in(api_as(), username=user.username, password=FACTORY_PASSWORD)
    assert response.status_code == 200
    assert ApiToken.objects.get(digest=token_digest(response.json()["token"])).user == user
    user.refresh_from_db()
    assert user.last_login is not None


def test_a_new_token_on_each_sign_in(world) -> None:
    first = _sign_in(api_as(), username="lawyer", password=PASSWORD).json()["token"]
    second = _sign_in(api_as(), username="lawyer", password=PASSWORD).json()["token"]
    assert first != second
    assert ApiToken.objects.filter(user=world.user("lawyer")).count() == 2


@pytest.mark.parametrize(
    ("username", "password"),
    [("case_worker", "wrong-password"), ("nobody", PASSWORD), ("CASE_WORKER ", "x")],
)
def test_bad_credentials_answer_400_naming_the_problem(world, username, password) -> None:
    response = _sign_in(api_as(), username=username, password=password)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "non_field_errors": ["Unable to sign in with this username and password."]
    }
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(world) -> None:
    user = world.user("case_worker")
    user.is_active = False
    user.save()
    response = _sign_in(api_as(), username="case_worker", password=PASSWORD)
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({}, {"username", "password"}),
        ({"username": "case_worker"}, {"password"}),
        ({"username": ["case_worker"], "password": PASSWORD}, {"username"}),
        ({"username": None, "password": PASSWORD}, {"username"}),
        ({"username": "case_worker", "password": PASSWORD, "remember": True}, {"remember"}),
    ],
)
def test_malformed_sign_in_answers_400_per_field(world, body, errors) -> None:
    response = _sign_in(api_as(), **body)
    assert response.status_code == 400
    assert set(response.json()) == errors


def test_sign_in_that_is_not_json_answers_400(world) -> None:
    response = api_as().post(TOKEN_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_sign_in_as_a_form_answers_415(world) -> None:
    response = api_as().post(TOKEN_URL, {"username": "case_worker", "password": PASSWORD})
    assert response.status_code == 415
    assert "detail" in response.json()


def test_account_locks_after_five_failures(world) -> None:
    client = api_as()
    # Given four failures, each answered as bad credentials
    for _ in range(4):
        assert _sign_in(client, username="case_worker", password="wrong").status_code == 400

    # When the fifth fails, the account is locked
    fifth = _sign_in(client, username="case_worker", password="wrong")
    assert fifth.status_code == 429

    # Then even the right password is refused, in JSON, with when to retry
    response = _sign_in(client, username="case_worker", password=PASSWORD)
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "locked" in response.json()["detail"]
    assert int(response["Retry-After"]) == 30 * 60
    assert not ApiToken.objects.filter(user=world.user("case_worker")).exists()
    # The failures are counted against the account, not an anonymous one
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "case_worker"


def test_lockout_of_one_account_leaves_others_alone(world) -> None:
    client = api_as()
    for _ in range(5):
        _sign_in(client, username="case_worker", password="wrong")
    assert _sign_in(client, username="lawyer", password=PASSWORD).status_code == 200


def test_success_clears_earlier_failures(world) -> None:
    client = api_as()
    for _ in range(4):
        _sign_in(client, username="case_worker", password="wrong")
    assert _sign_in(client, username="case_worker", password=PASSWORD).status_code == 200
    # Four more failures do not lock: the count started again
    for _ in range(4):
        assert _sign_in(client, username="case_worker", password="wrong").status_code == 400
    assert _sign_in(client, username="case_worker", password=PASSWORD).status_code == 200


# --- Second factor --------------------------------------------------------------------


@pytest.fixture
def enrolled_supervisor(world):
    secret = generate_totp_secret()
    TOTP.activate(world.user(Role.SUPERVISOR), secret)
    return secret


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_two_factor_role_needs_a_code(world, enrolled_supervisor) -> None:
    response = _sign_in(api_as(), username="supervisor", password=PASSWORD)
    assert response.status_code == 400
    assert list(response.json()) == ["code"]
    assert not ApiToken.objects.exists()


@override_settings(KOMAR_REQUIRE_2FA=True)
@pytest.mark.parametrize("code", ["000000", "12345", "abcdef", "១២៣៤៥៦"])
def test_two_factor_role_with_a_wrong_code_gets_no_token(world, enrolled_supervisor, code) -> None:
    if code == _current_code(enrolled_supervisor):  # one chance in a million
        pytest.skip("the made-up code happens to be the current one")
    response = _sign_in(api_as(), username="supervisor", password=PASSWORD, code=code)
    assert response.status_code == 400
    assert list(response.json()) == ["code"]
    assert not ApiToken.objects.exists()


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_two_factor_role_with_the_current_code_gets_a_token(world, enrolled_supervisor) -> None:
    code = _current_code(enrolled_supervisor)
    response = _sign_in(api_as(), username="supervisor", password=PASSWORD, code=code)
    assert response.status_code == 200
    assert ApiToken.objects.get(digest=token_digest(response.json()["token"])).user == world.user(
        "supervisor"
    )


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_code_in_khmer_digits_is_accepted(world, enrolled_supervisor) -> None:
    code = _to_khmer_digits(_current_code(enrolled_supervisor))
    response = _sign_in(api_as(), username="supervisor", password=PASSWORD, code=code)
    assert response.status_code == 200


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_a_code_cannot_be_used_twice(world, enrolled_supervisor) -> None:
    code = _current_code(enrolled_supervisor)
    assert (
        _sign_in(api_as(), username="supervisor", password=PASSWORD, code=code).status_code == 200
    )
    again = _sign_in(api_as(), username="supervisor", password=PASSWORD, code=code)
    assert again.status_code == 400
    assert list(again.json()) == ["code"]


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_wrong_codes_count_towards_the_lockout(world, enrolled_supervisor) -> None:
    client = api_as()
    for _ in range(5):
        _sign_in(client, username="supervisor", password=PASSWORD, code="000000")
    response = _sign_in(
        client, username="supervisor", password=PASSWORD, code=_current_code(enrolled_supervisor)
    )
    assert response.status_code == 429


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_two_factor_role_not_enrolled_is_told_to_enrol(world) -> None:
    response = _sign_in(api_as(), username="administrator", password=PASSWORD, code="123456")
    assert response.status_code == 400
    assert list(response.json()) == ["code"]


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_other_roles_need_no_code(world) -> None:
    assert _sign_in(api_as(), username="case_worker", password=PASSWORD).status_code == 200


def test_no_code_needed_when_two_factor_is_off(world, enrolled_supervisor) -> None:
    assert _sign_in(api_as(), username="supervisor", password=PASSWORD).status_code == 200


# --- Me and organisations --------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_me(world, role) -> None:
    user = world.user(role)
    response = api_as(user).get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json() == {
        "id": user.pk,
        "username": user.username,
        "role": role,
        "organisation": user.organisation_id,
        "team": user.team_id,
        "permissions": sorted(str(p) for p in POLICIES[role].perms),
    }


@pytest.mark.parametrize("url", ["/api/v1/me/", "/api/v1/organisations/"])
def test_anonymous_gets_401(db, url) -> None:
    response = api_as().get(url)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_a_bad_token_gets_401(db) -> None:
    client = api_as()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/v1/me/").status_code == 401


def test_organisations_lists_the_active_ones(world) -> None:
    Organisation.objects.create(name="Closed NGO", type=OrganisationType.NGO, is_active=False)
    response = api_as(world.user("case_worker")).get("/api/v1/organisations/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    host = next(o for o in body["results"] if o["is_host"])
    assert host == {
        "id": world.host.pk,
        "name": "Host NGO",
        "name_km": "",
        "type": "ngo",
        "is_host": True,
    }
    assert {o["name"] for o in body["results"]} == {"Host NGO", "Partner legal aid", "Other NGO"}


# --- A role that must use two factors cannot skip enrolment through the API ------------


@override_settings(KOMAR_REQUIRE_2FA=True)
@pytest.mark.parametrize("url", ["/api/v1/children/", "/api/v1/cases/", "/api/v1/me/"])
def test_password_only_session_of_a_two_factor_role_is_refused(world, url) -> None:
    # Given a supervisor signed in on the web pages with a password, not yet enrolled
    client = api_as()
    client.force_login(world.user(Role.SUPERVISOR))

    # When they call the API with that session, they are refused until they enrol
    response = client.get(url)
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Set up two-factor authentication in Komar's web pages first."
    }


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_enrolled_two_factor_role_uses_the_api(world, enrolled_supervisor) -> None:
    client = api_as()
    client.force_login(world.user(Role.SUPERVISOR))
    assert client.get("/api/v1/children/").status_code == 200


@override_settings(KOMAR_REQUIRE_2FA=True)
def test_case_worker_needs_no_enrolment_for_the_api(world) -> None:
    assert api_as(world.user(Role.CASE_WORKER)).get("/api/v1/children/").status_code == 200
