"""The Users pages, the public set-password-with-code page and the Django admin of
accounts: who gets which answer, what each page does, and what it audits."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from axes.models import AccessAttempt
from django.test import Client

from komar.accounts import services
from komar.accounts.models import Team, User
from komar.accounts.roles import Role
from komar.audit.models import AuditAction, AuditEvent
from komar.conftest import PASSWORD, make_user

NEW_PASSWORD = "a-brand-new-passphrase-42"

# Every role of team A of the host organisation, and what it gets on every Users page.
PAGE_STATUS = {
    "administrator": 200,
    "case_worker": 403,
    "shelter_worker": 403,
    "lawyer": 403,
    "prevention_officer": 403,
    "supervisor": 403,
    "data_officer": 403,
    "partner_user": 403,
}
PAGES = [
    "/users/",
    "/users/new/",
    "/users/{id}/",
    "/users/{id}/reset-password/",
    "/users/{id}/unlock/",
    "/users/{id}/reset-two-factor/",
    "/users/{id}/deactivate/",
    "/users/{id}/reactivate/",
]
ACTIONS = ["reset-password", "unlock", "reset-two-factor", "deactivate", "reactivate"]


def client_for(user: User, ip: str = "10.5.5.5") -> Client:
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def new_events(before: set[int]) -> list[AuditEvent]:
    return list(AuditEvent.objects.exclude(pk__in=before).order_by("pk"))


def event_ids() -> set[int]:
    return set(AuditEvent.objects.values_list("pk", flat=True))


@pytest.fixture
def admin(world) -> User:
    return world.user(Role.ADMINISTRATOR)


@pytest.fixture
def partner_admin(world) -> User:
    team = Team.objects.get(organisation=world.other_ngo)
    return make_user("other_admin", Role.ADMINISTRATOR, world.other_ngo, team)


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": username, "password": password})


def is_signed_in(client: Client) -> bool:
    return client.get("/users/set-password/").wsgi_request.user.is_authenticated


# --- who gets what ---------------------------------------------------------------------


def test_the_table_names_every_role() -> None:
    assert set(PAGE_STATUS) == set(Role.values)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("role", "status"), list(PAGE_STATUS.items()))
def test_pages_by_role(world, page, role, status) -> None:
    target = world.user("case_worker_a2")
    response = client_for(world.user(role)).get(page.format(id=target.pk))
    assert response.status_code == status


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(("role", "status"), [(r, s) for r, s in PAGE_STATUS.items() if s == 403])
def test_actions_are_refused_by_role_and_change_nothing(world, action, role, status) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    response = client_for(world.user(role)).post(f"/users/{target.pk}/{action}/")
    assert response.status_code == status
    target.refresh_from_db()
    assert target.is_active
    assert target.has_usable_password()
    assert [e.action for e in new_events(before)] == []


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(world, page) -> None:
    response = Client().get(page.format(id=world.user("case_worker_a2").pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("page", PAGES[2:])
def test_accounts_out_of_reach_look_missing(world, partner_admin, page) -> None:
    client = client_for(partner_admin)
    host_account = world.user("case_worker_a2")
    assert client.get(page.format(id=host_account.pk)).status_code == 404
    assert client.get(page.format(id=999_999)).status_code == 404
    assert client.get(page.format(id="not-a-number")).status_code == 404
    own = world.user("other_case_worker")
    assert client.get(page.format(id=own.pk)).status_code == 200


def test_posting_to_an_account_out_of_reach_changes_nothing(world, partner_admin) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    for action in ACTIONS:
        assert client_for(partner_admin).post(f"/users/{target.pk}/{action}/").status_code == 404
    response = client_for(partner_admin).post(
        f"/users/{target.pk}/", {"role": Role.ADMINISTRATOR, "is_active": "on"}
    )
    assert response.status_code == 404
    target.refresh_from_db()
    assert (target.role, target.is_active) == (Role.CASE_WORKER, True)
    assert new_events(before) == []


@pytest.mark.parametrize(("role", "status"), list(PAGE_STATUS.items()))
def test_navigation_shows_users_to_administrators_only(world, role, status) -> None:
    page = client_for(world.user(role)).get("/").content.decode()
    assert ('id="nav-users"' in page) == (status == 200)


# --- the list --------------------------------------------------------------------------


def test_list_shows_accounts_in_reach_with_lock_state_and_audits_one_list(
    world, admin, partner_admin
) -> None:
    AccessAttempt.objects.create(
        username="case_worker_b", ip_address="10.0.0.9", user_agent="t", failures_since_start=5
    )
    before = event_ids()

    response = client_for(admin).get("/users/", {"role": "case_worker", "q": "worker"})

    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'class="list-group-item user-row" data-username="([^"]+)"', page)
    assert rows == ["case_worker", "case_worker_a2", "case_worker_b", "other_case_worker"]
    locked = re.findall(r'data-username="([^"]+)">(?:(?!</li>).)*badge-locked', page, re.S)
    assert locked == ["case_worker_b"]
    [event] = new_events(before)
    assert (event.action, event.object_type, event.actor) == ("searched", "accounts.user", admin)
    assert event.changes == {"filters": {"q": True, "role": "case_worker"}, "count": 4}

    # The partner's administrator sees their own organisation only
    page = client_for(partner_admin).get("/users/").content.decode()
    assert re.findall(r'data-username="([^"]+)"', page) == [
        "other_admin",
        "other_case_worker",
        "other_supervisor",
    ]


def test_list_without_text_is_audited_as_a_list(world, admin) -> None:
    before = event_ids()
    client_for(admin).get("/users/", {"active": "no"})
    [event] = new_events(before)
    assert event.action == "listed"
    assert event.changes == {"filters": {"is_active": False}, "count": 0}


def test_list_shows_names_in_the_page_language(world, admin) -> None:
    person = world.user("case_worker_b")
    person.full_name, person.full_name_km = "Sok Dara", "សុខ ដារា"
    person.save()
    client = client_for(admin)
    assert "Sok Dara" in client.get("/users/").content.decode()
    client.post("/i18n/setlang/", {"language": "km", "next": "/users/"})
    assert "សុខ ដារា" in client.get("/users/").content.decode()


# --- create and edit -------------------------------------------------------------------


def test_create_an_account(world, admin) -> None:
    before = event_ids()
    response = client_for(admin).post(
        "/users/new/",
        {
            "username": "dara",
            "full_name": "Sok Dara",
            "full_name_km": "សុខ ដារា",
            "role": Role.CASE_WORKER,
            "team": world.team_b.pk,
            "organisation": world.host.pk,
            "preferred_language": "km",
        },
    )
    user = User.objects.get(username="dara")
    assert response.status_code == 302
    assert response["Location"] == f"/users/{user.pk}/"
    assert (user.team, user.organisation, user.full_name_km) == (
        world.team_b,
        world.host,
        "សុខ ដារា",
    )
    assert [e.action for e in new_events(before)] == [AuditAction.USER_CREATED]


def test_service_errors_are_shown_on_the_form_and_nothing_is_saved(world, admin) -> None:
    users = User.objects.count()
    response = client_for(admin).post(
        "/users/new/",
        {"username": "Case_Worker", "role": Role.CASE_WORKER, "full_name_km": "Dara"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="form-errors"' in page
    assert re.search(
        r'id="field-username".*This username is taken \(letter case does not count\)', page, re.S
    )
    assert re.search(r'id="field-full_name_km".*Write this name in Khmer script', page, re.S)
    assert User.objects.count() == users


def test_partner_administrator_is_offered_their_own_teams_only(world, partner_admin) -> None:
    page = client_for(partner_admin).get("/users/new/").content.decode()
    assert "Other team" in page
    assert "Phnom Penh" not in page
    assert 'name="organisation"' not in page


def test_edit_an_account(world, admin) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    response = client_for(admin).post(
        f"/users/{target.pk}/",
        {
            "role": Role.SUPERVISOR,
            "team": world.team_b.pk,
            "full_name": "Chan Sokha",
            "full_name_km": "",
            "preferred_language": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.role, target.team, target.full_name) == (
        Role.SUPERVISOR,
        world.team_b,
        "Chan Sokha",
    )
    assert [e.action for e in new_events(before)] == [
        AuditAction.ROLE_CHANGED,
        AuditAction.USER_CHANGED,
    ]


def test_own_role_cannot_be_changed_on_the_form(world, admin) -> None:
    response = client_for(admin).post(
        f"/users/{admin.pk}/",
        {"role": Role.CASE_WORKER, "team": "", "is_active": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="field-role".*You cannot change your own role', page, re.S)
    assert re.search(r'id="field-is_active".*You cannot deactivate your own account', page, re.S)
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMINISTRATOR, True)


# --- actions ---------------------------------------------------------------------------


def test_actions_ask_for_confirmation_first(world, admin) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    for action in ACTIONS:
        response = client_for(admin).get(f"/users/{target.pk}/{action}/")
        assert response.status_code == 200
        assert 'id="confirm-action"' in response.content.decode()
    target.refresh_from_db()
    assert target.is_active
    assert target.has_usable_password()
    assert new_events(before) == []


def test_reset_password_shows_the_code_once(world, admin) -> None:
    target = world.user("case_worker_a2")
    before = event_ids()
    response = client_for(admin).post(f"/users/{target.pk}/reset-password/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = re.search(r'id="password-code"[^>]*>([A-Z0-9-]+)<', response.content.decode())
    assert code is not None
    assert [e.action for e in new_events(before)] == [AuditAction.PASSWORD_RESET]
    # The edit page never shows it again
    assert code.group(1) not in client_for(admin).get(f"/users/{target.pk}/").content.decode()


def test_deactivate_and_reactivate_from_the_pages(world, admin) -> None:
    target = world.user("case_worker_a2")
    client = client_for(admin)
    response = client.post(f"/users/{target.pk}/deactivate/")
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    client.post(f"/users/{target.pk}/reactivate/")
    target.refresh_from_db()
    assert target.is_active


def test_a_refused_action_is_explained(world, admin) -> None:
    target = world.user("case_worker_a2")
    response = client_for(admin).post(f"/users/{target.pk}/unlock/", follow=True)
    assert response.status_code == 200
    assert "This account is not locked: there is nothing to unlock." in response.content.decode()


def test_unlock_lets_a_locked_out_person_sign_in_again(world, admin) -> None:
    # Given a case worker locked out by five wrong passwords on the real sign-in page
    person = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(4):
        assert sign_in(person, "case_worker", "wrong-password").status_code == 200
    assert sign_in(person, "case_worker", "wrong-password").status_code == 429
    sign_in(person, "case_worker")
    assert not is_signed_in(person)

    # And the administrator sees the account as locked
    target = world.user(Role.CASE_WORKER)
    page = client_for(admin).get(f"/users/{target.pk}/").content.decode()
    assert 'id="locked-badge"' in page
    assert 'id="unlock"' in page

    # When the administrator unlocks it
    before = event_ids()
    response = client_for(admin).post(f"/users/{target.pk}/unlock/")
    assert response.status_code == 302
    assert [e.action for e in new_events(before)] == [AuditAction.USER_UNLOCKED]

    # Then the person signs in with their password
    assert sign_in(person, "case_worker").status_code == 302
    assert is_signed_in(person)


def totp_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_reset_two_factor_lets_the_person_enrol_again(world, admin, settings) -> None:
    settings.KOMAR_REQUIRE_2FA = True
    supervisor = world.user(Role.SUPERVISOR)
    TOTP.activate(supervisor, generate_totp_secret())
    admin_client = client_for(admin)
    TOTP.activate(admin, generate_totp_secret())  # the administrator has their own

    # When the administrator resets the supervisor's second factor
    before = event_ids()
    response = admin_client.post(f"/users/{supervisor.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert [e.action for e in new_events(before)] == [AuditAction.TWO_FACTOR_RESET]
    assert not Authenticator.objects.filter(user=supervisor).exists()

    # Then the supervisor signs in with the password alone and is sent to enrol
    person = Client()
    assert sign_in(person, "supervisor").status_code == 302
    response = person.get("/cases/")
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    response = person.get("/accounts/2fa/totp/activate/", follow=True)
    if "/accounts/reauthenticate/" in response.redirect_chain[-1][0]:
        person.post("/accounts/reauthenticate/", {"password": PASSWORD})
        response = person.get("/accounts/2fa/totp/activate/")
    secret = re.search(
        r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', response.content.decode()
    )
    if secret is None:
        secret = re.search(
            r'value="([A-Z2-7=]{16,})"[^>]*id="authenticator_secret"', response.content.decode()
        )
    assert secret is not None

    # And enrols a new authenticator app
    response = person.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret.group(1))})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=supervisor, type=Authenticator.Type.TOTP).count() == 1
    assert person.get("/cases/").status_code == 200


# --- the public page: a new password with a code ---------------------------------------


def issue_code(world, admin, username: str = "case_worker") -> str:
    return services.user_password_reset(actor=admin, user=world.user(username)).code


def set_password(client: Client, username: str, code: str, password: str = NEW_PASSWORD):
    return client.post(
        "/users/set-password/",
        {
            "username": username,
            "code": code,
            "new_password1": password,
            "new_password2": password,
        },
    )


def test_the_sign_in_page_links_to_the_code_page(db) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert 'href="/users/set-password/"' in page
    assert Client().get("/users/set-password/").status_code == 200


def test_a_valid_code_sets_the_password_once_and_the_person_signs_in(world, admin) -> None:
    code = issue_code(world, admin)
    person = Client(REMOTE_ADDR="10.3.3.3")

    response = set_password(person, "case_worker", code)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert sign_in(person, "case_worker", NEW_PASSWORD).status_code == 302
    assert is_signed_in(person)

    # The code does not work twice
    again = set_password(Client(REMOTE_ADDR="10.3.3.4"), "case_worker", code, "other-pass-99x")
    assert again.status_code == 200
    assert "it is wrong, used or expired" in again.content.decode()
    user = User.objects.get(username="case_worker")
    assert user.check_password(NEW_PASSWORD)


def test_a_wrong_code_counts_as_a_failed_sign_in(world, admin) -> None:
    issue_code(world, admin)
    person = Client(REMOTE_ADDR="10.4.4.4")
    response = set_password(person, "case_worker", "AAAA-BBBB-CCCC")
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'id="field-code".*it is wrong, used or expired', page, re.S)
    assert AccessAttempt.objects.get(username="case_worker").failures_since_start == 1


def test_wrong_codes_lock_the_account_and_then_even_the_right_code_fails(world, admin) -> None:
    code = issue_code(world, admin)
    person = Client(REMOTE_ADDR="10.4.4.5")
    statuses = [set_password(person, "case_worker", "AAAA-BBBB-CCCC").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = set_password(person, "case_worker", code)
    assert response.status_code == 429
    user = User.objects.get(username="case_worker")
    assert not user.has_usable_password()

    # Until the administrator unlocks the account
    services.user_unlock(actor=admin, user=user)
    assert set_password(person, "case_worker", code).status_code == 302


def test_an_expired_code_is_refused_on_the_page(world, admin) -> None:
    import datetime

    import time_machine

    with time_machine.travel(datetime.datetime(2026, 11, 24, 8, tzinfo=datetime.UTC)):
        code = issue_code(world, admin)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 9, tzinfo=datetime.UTC)):
        response = set_password(Client(), "case_worker", code)
    assert response.status_code == 200
    assert "it is wrong, used or expired" in response.content.decode()


def test_a_weak_password_is_refused_and_the_code_still_works(world, admin) -> None:
    code = issue_code(world, admin)
    response = set_password(Client(), "case_worker", code, "short")
    assert response.status_code == 200
    assert re.search(r'id="field-new_password1".*too short', response.content.decode(), re.S)
    assert AccessAttempt.objects.count() == 0  # not a wrong code
    assert set_password(Client(), "case_worker", code).status_code == 302


def test_a_signed_in_person_may_open_the_page_too(world) -> None:
    assert client_for(world.user(Role.CASE_WORKER)).get("/users/set-password/").status_code == 200


# --- the Django admin ------------------------------------------------------------------


@pytest.fixture
def superuser_client(world) -> Client:
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    client = Client()
    client.force_login(root)
    return client


def test_admin_shows_accounts_but_changes_none(world, superuser_client) -> None:
    target = world.user("case_worker_a2")
    url = f"/admin/accounts/user/{target.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert "Komar&#x27;s Users page" in page.content.decode() or "Users page" in (
        page.content.decode()
    )
    assert 'name="role"' not in page.content.decode()

    before = event_ids()
    response = superuser_client.post(
        url,
        {
            "username": "case_worker_a2",
            "role": Role.ADMINISTRATOR,
            "is_active": "",
            "is_superuser": "on",
            "is_staff": "on",
            "organisation": world.other_ngo.pk,
        },
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert (target.role, target.is_active, target.is_superuser, target.is_staff) == (
        Role.CASE_WORKER,
        True,
        False,
        False,
    )
    assert target.organisation == world.host
    assert new_events(before) == []


def test_admin_adds_no_accounts_and_sets_no_passwords(world, superuser_client) -> None:
    target = world.user("case_worker_a2")
    assert superuser_client.get("/admin/accounts/user/add/").status_code == 403
    response = superuser_client.post(
        f"/admin/accounts/user/{target.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert superuser_client.post(f"/admin/accounts/user/{target.pk}/delete/").status_code == 403


def test_the_list_costs_the_same_queries_for_few_and_many_accounts(world, admin) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(admin)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/users/").status_code == 200
    for n in range(30):
        make_user(f"extra{n:02d}", Role.CASE_WORKER, world.host, world.team_b)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/users/").status_code == 200
    assert len(many) == len(few)
