"""User administration services: rules, reach, exact errors, nothing half-saved, one
audit event of the right kind per action, and no password or code in the trail."""

import datetime
import json
import re

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from komar.accounts import services
from komar.accounts.models import Team, User
from komar.accounts.roles import POLICIES, Perm, Role
from komar.audit.models import AuditAction, AuditEvent
from komar.conftest import PASSWORD, make_user

NEW_PASSWORD = "a-brand-new-passphrase-42"
NON_MANAGERS = [role for role in Role.values if Perm.USERS_MANAGE not in POLICIES[role].perms]


def account_events(user: User | None = None) -> list[AuditEvent]:
    qs = AuditEvent.objects.filter(object_type="accounts.user")
    if user is not None:
        qs = qs.filter(object_id=str(user.pk))
    return list(qs.order_by("pk"))


def actions(user: User | None = None) -> list[str]:
    return [e.action for e in account_events(user)]


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.fixture
def admin(world) -> User:
    return world.user(Role.ADMINISTRATOR)


@pytest.fixture
def other_team(world) -> Team:
    return Team.objects.get(organisation=world.other_ngo)


@pytest.fixture
def partner_admin(world, other_team) -> User:
    """An administrator of a partner NGO (not the host)."""
    return make_user("other_admin", Role.ADMINISTRATOR, world.other_ngo, other_team)


def create(actor: User, **overrides) -> User:
    values = {"username": "dara", "role": Role.CASE_WORKER}
    return services.user_create(actor=actor, **{**values, **overrides})


# --- create ----------------------------------------------------------------------------


def test_administrator_creates_an_account_without_a_password(world, admin) -> None:
    # When the host's administrator creates a case worker in team B
    user = create(
        admin,
        username=" Dara.Sok ",
        team_id=world.team_b.pk,
        full_name="Sok Dara",
        full_name_km="សុខ ដារា",
        preferred_language="km",
    )

    # Then the account exists, in the administrator's organisation, with no usable password
    user.refresh_from_db()
    assert (user.username, user.role, user.organisation, user.team) == (
        "Dara.Sok",
        Role.CASE_WORKER,
        world.host,
        world.team_b,
    )
    assert (user.full_name, user.full_name_km, user.preferred_language) == (
        "Sok Dara",
        "សុខ ដារា",
        "km",
    )
    assert user.is_active
    assert not user.has_usable_password()

    # And exactly one "account created" event records role, team and organisation
    [event] = account_events(user)
    assert event.action == AuditAction.USER_CREATED
    assert event.actor == admin
    assert event.changes == {
        "username": "Dara.Sok",
        "role": "case_worker",
        "team": world.team_b.pk,
        "organisation": world.host.pk,
    }


def test_khmer_digits_in_a_username_become_ascii(admin) -> None:
    assert create(admin, username="sokha១២").username == "sokha12"


def test_every_bad_value_is_reported_by_field_and_nothing_is_saved(world, admin, other_team):
    users_before = User.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        create(
            admin,
            username="CASE_WORKER",  # taken, in another letter case
            role="king",
            team_id=other_team.pk,  # another organisation's team
            full_name="x" * 151,
            full_name_km="Dara",  # not Khmer script
            preferred_language="fr",
        )
    assert set(errors_of(excinfo)) == {
        "username",
        "role",
        "team",
        "full_name",
        "full_name_km",
        "preferred_language",
    }
    assert errors_of(excinfo)["username"] == [
        "This username is taken (letter case does not count)."
    ]
    assert errors_of(excinfo)["team"] == ["Choose a team of the user's own organisation."]
    assert errors_of(excinfo)["full_name_km"] == ["Write this name in Khmer script."]
    assert User.objects.count() == users_before
    assert account_events() == []


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Give a username."),
        ("   ", "Give a username."),
        ("dara sok", None),  # a space: Django's username validator
        ("d" * 151, "Use at most 150 characters (it has 151)."),
    ],
)
def test_usernames_are_checked(admin, username, message) -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(admin, username=username)
    assert list(errors_of(excinfo)) == ["username"]
    if message:
        assert errors_of(excinfo)["username"] == [message]


def test_unknown_team_is_an_input_error(admin) -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(admin, team_id=999_999)
    assert errors_of(excinfo) == {"team": ["Choose a team from the list."]}


def test_host_administrator_creates_accounts_in_partner_organisations(world, admin, other_team):
    user = create(admin, organisation_id=world.other_ngo.pk, team_id=other_team.pk)
    assert (user.organisation, user.team) == (world.other_ngo, other_team)


def test_partner_administrator_creates_accounts_in_their_own_organisation_only(
    world, partner_admin
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        create(partner_admin, organisation_id=world.host.pk)
    assert errors_of(excinfo) == {
        "organisation": ["Choose an organisation whose users you manage."]
    }
    user = create(partner_admin)
    assert user.organisation == world.other_ngo


def test_an_inactive_organisation_gets_no_new_accounts(world, admin) -> None:
    world.other_ngo.is_active = False
    world.other_ngo.save()
    with pytest.raises(ValidationError) as excinfo:
        create(admin, organisation_id=world.other_ngo.pk)
    assert errors_of(excinfo) == {"organisation": ["This organisation is no longer active."]}


def test_errors_speak_the_users_language(admin) -> None:
    from django.utils import translation

    with translation.override("km"), pytest.raises(ValidationError) as excinfo:
        create(admin, username="")
    [message] = errors_of(excinfo)["username"]
    assert message != "Give a username."
    assert re.search("[\u1780-\u17ff]", message)


# --- who may do what -------------------------------------------------------------------


@pytest.mark.parametrize("role", NON_MANAGERS)
def test_roles_without_users_manage_may_do_nothing(world, role) -> None:
    actor = world.user(role)
    target = world.user("case_worker_a2")
    calls = [
        lambda: create(actor),
        lambda: services.user_update(actor=actor, user=target, full_name="X"),
        lambda: services.user_set_active(actor=actor, user=target, active=False),
        lambda: services.user_password_reset(actor=actor, user=target),
        lambda: services.user_unlock(actor=actor, user=target),
        lambda: services.user_two_factor_reset(actor=actor, user=target),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    assert account_events() == []


def test_an_inactive_administrator_may_do_nothing(world, admin) -> None:
    admin.is_active = False
    admin.save()
    with pytest.raises(PermissionDenied):
        create(admin)


def test_partner_administrator_cannot_touch_the_hosts_accounts(world, partner_admin) -> None:
    target = world.user(Role.CASE_WORKER)
    for call in (
        lambda: services.user_update(actor=partner_admin, user=target, role=Role.LAWYER),
        lambda: services.user_set_active(actor=partner_admin, user=target, active=False),
        lambda: services.user_password_reset(actor=partner_admin, user=target),
        lambda: services.user_unlock(actor=partner_admin, user=target),
        lambda: services.user_two_factor_reset(actor=partner_admin, user=target),
    ):
        with pytest.raises(PermissionDenied):
            call()
    target.refresh_from_db()
    assert (target.role, target.is_active) == (Role.CASE_WORKER, True)
    assert account_events() == []


def test_host_administrator_manages_partner_accounts(world, admin) -> None:
    target = world.user("other_case_worker")
    services.user_update(actor=admin, user=target, role=Role.SUPERVISOR)
    target.refresh_from_db()
    assert target.role == Role.SUPERVISOR


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_accounts_with_django_admin_rights_are_left_to_superusers(world, admin, flag) -> None:
    target = world.user("case_worker_a2")
    setattr(target, flag, True)
    target.save()
    with pytest.raises(PermissionDenied):
        services.user_password_reset(actor=admin, user=target)
    # A superuser administrator may
    admin.is_superuser = True
    admin.save()
    assert services.user_password_reset(actor=admin, user=target).code


def test_nobody_changes_their_own_role(admin) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.user_update(actor=admin, user=admin, role=Role.CASE_WORKER)
    assert errors_of(excinfo) == {
        "role": ["You cannot change your own role. Ask another administrator."]
    }
    admin.refresh_from_db()
    assert admin.role == Role.ADMINISTRATOR
    # Naming their current role, or changing their own name, is fine
    services.user_update(actor=admin, user=admin, role=Role.ADMINISTRATOR, full_name="Admin")
    admin.refresh_from_db()
    assert admin.full_name == "Admin"


def test_nobody_deactivates_themselves(admin) -> None:
    for call in (
        lambda: services.user_set_active(actor=admin, user=admin, active=False),
        lambda: services.user_update(actor=admin, user=admin, is_active=False),
    ):
        with pytest.raises(ValidationError) as excinfo:
            call()
        assert errors_of(excinfo) == {"is_active": ["You cannot deactivate your own account."]}
    admin.refresh_from_db()
    assert admin.is_active
    assert account_events() == []


def test_own_password_and_second_factor_are_managed_from_ones_own_menu(admin) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.user_password_reset(actor=admin, user=admin)
    assert errors_of(excinfo) == {
        NON_FIELD_ERRORS: ["Change your own password from your account menu."]
    }
    with pytest.raises(ValidationError) as excinfo:
        services.user_two_factor_reset(actor=admin, user=admin)
    assert errors_of(excinfo) == {
        NON_FIELD_ERRORS: ["Manage your own second factor from your account menu."]
    }


# --- update ----------------------------------------------------------------------------


def test_role_and_team_change_is_one_role_changed_event(world, admin) -> None:
    target = world.user("case_worker_a2")
    services.user_update(actor=admin, user=target, role=Role.SUPERVISOR, team_id=world.team_b.pk)
    [event] = account_events(target)
    assert event.action == AuditAction.ROLE_CHANGED
    assert event.changes == {
        "role": {"old": "case_worker", "new": "supervisor"},
        "team": {"old": world.team_a.pk, "new": world.team_b.pk},
    }


def test_removing_the_team(world, admin) -> None:
    target = world.user("case_worker_a2")
    services.user_update(actor=admin, user=target, team_id=None)
    target.refresh_from_db()
    assert target.team is None
    assert actions(target) == [AuditAction.ROLE_CHANGED]


def test_names_and_language_are_one_user_changed_event_without_the_names(world, admin) -> None:
    target = world.user("case_worker_a2")
    services.user_update(
        actor=admin,
        user=target,
        full_name="Chan Sokha",
        full_name_km="ចាន់ សុខា",
        preferred_language="km",
    )
    [event] = account_events(target)
    assert event.action == AuditAction.USER_CHANGED
    assert event.changes == {
        "full_name": {"changed": True},
        "full_name_km": {"changed": True},
        "preferred_language": {"old": "", "new": "km"},
    }
    assert "Sokha" not in json.dumps(event.changes, ensure_ascii=False)


def test_nothing_changed_writes_nothing(world, admin) -> None:
    target = world.user("case_worker_a2")
    services.user_update(actor=admin, user=target, role=target.role, team_id=target.team_id)
    assert account_events() == []


def test_an_invalid_change_saves_nothing(world, admin, other_team) -> None:
    target = world.user("case_worker_a2")
    with pytest.raises(ValidationError) as excinfo:
        services.user_update(
            actor=admin, user=target, role=Role.SUPERVISOR, full_name="Ok", team_id=other_team.pk
        )
    assert set(errors_of(excinfo)) == {"team"}
    target.refresh_from_db()
    assert (target.role, target.full_name, target.team) == (Role.CASE_WORKER, "", world.team_a)
    assert account_events() == []


# --- active ----------------------------------------------------------------------------


def signed_in_client(user: User) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})
    assert client.get("/cases/").status_code == 200
    return client


def test_deactivation_signs_the_person_out_and_is_audited(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    client = signed_in_client(target)
    assert Session.objects.count() == 1

    services.user_set_active(actor=admin, user=target, active=False)

    assert Session.objects.count() == 0
    assert client.get("/cases/").status_code == 302  # back to the sign-in page
    assert actions(target) == [AuditAction.USER_DEACTIVATED]
    # And they cannot sign in again
    again = Client()
    again.post("/accounts/login/", {"login": target.username, "password": PASSWORD})
    assert again.get("/cases/").status_code == 302

    # When reactivated, they can
    services.user_set_active(actor=admin, user=target, active=True)
    assert actions(target) == [AuditAction.USER_DEACTIVATED, AuditAction.USER_REACTIVATED]
    signed_in_client(target)


def test_deactivation_leaves_other_peoples_sessions(world, admin) -> None:
    signed_in_client(world.user(Role.SUPERVISOR))
    services.user_set_active(actor=admin, user=world.user(Role.CASE_WORKER), active=False)
    assert Session.objects.count() == 1


def test_setting_the_state_it_has_writes_nothing(world, admin) -> None:
    services.user_set_active(actor=admin, user=world.user(Role.CASE_WORKER), active=True)
    assert account_events() == []


def test_deactivating_through_update_is_one_deactivation_event(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    services.user_update(actor=admin, user=target, is_active=False)
    assert actions(target) == [AuditAction.USER_DEACTIVATED]


# --- password reset and the one-time code ----------------------------------------------


def test_password_reset_issues_a_one_time_code_and_keeps_only_its_hash(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    client = signed_in_client(target)
    now = timezone.now()

    issued = services.user_password_reset(actor=admin, user=target)

    # The code is easy to read out: three groups of four, no look-alike characters
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", issued.code)
    assert (
        datetime.timedelta(hours=23, minutes=59)
        < issued.expires_at - now
        < datetime.timedelta(hours=24, minutes=1)
    )
    target.refresh_from_db()
    stored = json.dumps(
        {f.attname: str(getattr(target, f.attname)) for f in User._meta.concrete_fields}
    )
    plain = issued.code.replace("-", "")
    assert plain not in stored
    assert issued.code not in stored
    assert len(target.password_code_hash) == 64
    # The old password stops working and the person is signed out
    assert not target.check_password(PASSWORD)
    assert client.get("/cases/").status_code == 302
    # One event, with neither code nor password
    [event] = account_events(target)
    assert event.action == AuditAction.PASSWORD_RESET
    assert event.changes == {}
    trail = json.dumps([e.changes for e in AuditEvent.objects.all()])
    assert plain not in trail
    assert PASSWORD not in trail


def test_an_inactive_account_gets_no_code(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    services.user_set_active(actor=admin, user=target, active=False)
    with pytest.raises(ValidationError) as excinfo:
        services.user_password_reset(actor=admin, user=target)
    assert errors_of(excinfo) == {
        NON_FIELD_ERRORS: ["Reactivate this account first: it cannot sign in."]
    }


def redeem(username: str, code: str, password: str = NEW_PASSWORD, again: str | None = None):
    return services.user_password_set_with_code(
        username=username,
        code=code,
        new_password1=password,
        new_password2=password if again is None else again,
    )


def test_the_code_sets_a_password_once(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    issued = services.user_password_reset(actor=admin, user=target)

    # When the person types their username (any case) and the code (any case, no dashes)
    user = redeem("CASE_WORKER", issued.code.replace("-", " ").lower())

    # Then the new password works, and the code is gone
    assert user == target
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    assert (target.password_code_hash, target.password_code_expires_at) == ("", None)
    events = account_events(target)
    assert [e.action for e in events] == [AuditAction.PASSWORD_RESET, AuditAction.USER_CHANGED]
    assert events[-1].actor == target
    assert events[-1].changes == {"password": {"changed": True}}
    assert NEW_PASSWORD not in json.dumps([e.changes for e in AuditEvent.objects.all()])

    # And the same code does not work a second time
    with pytest.raises(ValidationError) as excinfo:
        redeem("case_worker", issued.code, password="another-new-passphrase-7")
    assert list(errors_of(excinfo)) == ["code"]
    assert excinfo.value.error_dict["code"][0].code == services.INVALID_CODE
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)


def test_a_newer_code_replaces_the_older(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    first = services.user_password_reset(actor=admin, user=target)
    second = services.user_password_reset(actor=admin, user=target)
    with pytest.raises(ValidationError):
        redeem("case_worker", first.code)
    redeem("case_worker", second.code)


def test_an_expired_code_is_refused(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 8, tzinfo=datetime.UTC)):
        issued = services.user_password_reset(actor=admin, user=target)
    with time_machine.travel(datetime.datetime(2026, 11, 25, 8, 1, tzinfo=datetime.UTC)):
        with pytest.raises(ValidationError) as excinfo:
            redeem("case_worker", issued.code)
    assert errors_of(excinfo) == {
        "code": ["This code does not work for this username: it is wrong, used or expired."]
    }
    with time_machine.travel(datetime.datetime(2026, 11, 25, 7, 59, tzinfo=datetime.UTC)):
        redeem("case_worker", issued.code)


def test_the_expiry_is_a_setting(world, admin, settings) -> None:
    settings.KOMAR_PASSWORD_CODE_HOURS = 2
    issued = services.user_password_reset(actor=admin, user=world.user(Role.CASE_WORKER))
    assert issued.expires_at - timezone.now() < datetime.timedelta(hours=2, minutes=1)


def test_a_code_works_only_for_its_own_account(world, admin) -> None:
    issued = services.user_password_reset(actor=admin, user=world.user(Role.CASE_WORKER))
    for username in ("case_worker_a2", "nobody-has-this-name"):
        with pytest.raises(ValidationError) as excinfo:
            redeem(username, issued.code)
        # The same answer whether the account exists or not
        assert errors_of(excinfo) == {
            "code": ["This code does not work for this username: it is wrong, used or expired."]
        }


def test_a_deactivated_account_cannot_use_its_code(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    issued = services.user_password_reset(actor=admin, user=target)
    services.user_set_active(actor=admin, user=target, active=False)
    with pytest.raises(ValidationError) as excinfo:
        redeem("case_worker", issued.code)
    assert list(errors_of(excinfo)) == ["code"]


@pytest.mark.parametrize(
    ("password", "again", "field", "message"),
    [
        ("short-1", None, "new_password1", None),
        ("1234567890123", None, "new_password1", "This password is entirely numeric."),
        ("password123", None, "new_password1", "This password is too common."),
        (NEW_PASSWORD, "something-else-entirely", "new_password2", None),
        ("", "", "new_password1", "Choose a new password."),
    ],
)
def test_new_passwords_pass_djangos_validators(
    world, admin, password, again, field, message
) -> None:
    target = world.user(Role.CASE_WORKER)
    issued = services.user_password_reset(actor=admin, user=target)
    with pytest.raises(ValidationError) as excinfo:
        redeem("case_worker", issued.code, password=password, again=again)
    assert list(errors_of(excinfo)) == [field]
    if message:
        assert message in errors_of(excinfo)[field]
    # The code still works after a refused password
    target.refresh_from_db()
    assert target.password_code_hash
    redeem("case_worker", issued.code)


# --- unlock and second factor ----------------------------------------------------------


def test_unlock_clears_every_count_of_the_account(world, admin) -> None:
    target = world.user(Role.CASE_WORKER)
    for ip, name in (("10.0.0.1", "case_worker"), ("10.0.0.2", "Case_Worker")):
        AccessAttempt.objects.create(
            username=name,
            ip_address=ip,
            user_agent="test",
            failures_since_start=5,
            attempt_time=timezone.now(),
        )
    AccessAttempt.objects.create(
        username="supervisor",
        ip_address="10.0.0.1",
        user_agent="test",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )

    assert services.user_unlock(actor=admin, user=target) == 2

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["supervisor"]
    assert actions(target) == [AuditAction.USER_UNLOCKED]


def test_unlocking_an_account_that_is_not_locked_is_an_error(world, admin) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.user_unlock(actor=admin, user=world.user(Role.CASE_WORKER))
    assert errors_of(excinfo) == {
        NON_FIELD_ERRORS: ["This account is not locked: there is nothing to unlock."]
    }
    assert account_events() == []


def test_two_factor_reset_removes_every_authenticator(world, admin) -> None:
    target = world.user(Role.SUPERVISOR)
    other = world.user("other_supervisor")
    TOTP.activate(target, generate_totp_secret())
    TOTP.activate(other, generate_totp_secret())

    assert services.user_two_factor_reset(actor=admin, user=target) == 1

    assert not Authenticator.objects.filter(user=target).exists()
    assert Authenticator.objects.filter(user=other).count() == 1
    assert actions(target) == [AuditAction.TWO_FACTOR_RESET]


def test_two_factor_reset_without_a_second_factor_is_an_error(world, admin) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.user_two_factor_reset(actor=admin, user=world.user(Role.SUPERVISOR))
    assert errors_of(excinfo) == {
        NON_FIELD_ERRORS: ["This user has not set up two-factor authentication."]
    }
    assert account_events() == []


# --- the first administrator, from the command line ------------------------------------


def test_first_administrator_from_the_command_line(world, capsys) -> None:
    from django.core.management import call_command

    call_command("komar_create_administrator", "first_admin", organisation="Partner legal aid")

    user = User.objects.get(username="first_admin")
    assert (user.role, user.organisation) == (Role.ADMINISTRATOR, world.partner)
    out = capsys.readouterr().out
    code = re.search(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", out)
    assert code is not None
    events = account_events(user)
    assert [e.action for e in events] == [AuditAction.USER_CREATED, AuditAction.PASSWORD_RESET]
    assert all(e.actor is None for e in events)
    redeem("first_admin", code.group())
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_first_administrator_needs_an_existing_organisation(db) -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No organisation has this name"):
        call_command("komar_create_administrator", "x", organisation="Nowhere")
