"""Reads of user administration: who manages whom, the list's filters, the 404 of the
manager's chokepoint, the lock state and the name a page shows."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.http import Http404
from django.utils import timezone, translation

from komar.accounts.models import Team, User
from komar.accounts.roles import Role
from komar.accounts.selectors import (
    teams_assignable_by,
    user_get_for_manager,
    usernames_locked_out,
    users_manageable_by,
)
from komar.conftest import make_user

HOST_ACCOUNTS = {
    "case_worker",
    "shelter_worker",
    "lawyer",
    "prevention_officer",
    "supervisor",
    "data_officer",
    "administrator",
    "case_worker_b",
    "case_worker_a2",
}
PARTNER_ACCOUNTS = {"partner_user"}
OTHER_NGO_ACCOUNTS = {"other_case_worker", "other_supervisor"}


def names(qs) -> set[str]:
    return set(qs.values_list("username", flat=True))


@pytest.fixture
def partner_admin(world) -> User:
    team = Team.objects.get(organisation=world.other_ngo)
    return make_user("other_admin", Role.ADMINISTRATOR, world.other_ngo, team)


def test_host_administrator_manages_every_organisation(world) -> None:
    assert names(users_manageable_by(world.user(Role.ADMINISTRATOR))) == (
        HOST_ACCOUNTS | PARTNER_ACCOUNTS | OTHER_NGO_ACCOUNTS
    )


def test_partner_administrator_manages_their_own_organisation(world, partner_admin) -> None:
    assert names(users_manageable_by(partner_admin)) == OTHER_NGO_ACCOUNTS | {"other_admin"}


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_other_roles_manage_nobody(world, role) -> None:
    assert names(users_manageable_by(world.user(role))) == set()


def test_accounts_without_organisation_or_with_admin_rights_are_out_of_reach(world) -> None:
    User.objects.create_user(username="root", password="x-long-password-1")  # no organisation
    staff = world.user("case_worker_a2")
    staff.is_staff = True
    staff.save()
    reach = names(users_manageable_by(world.user(Role.ADMINISTRATOR)))
    assert "root" not in reach
    assert "case_worker_a2" not in reach


def test_filters(world) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    dara = world.user("case_worker_b")
    dara.full_name, dara.full_name_km, dara.is_active = "Sok Dara", "សុខ ដារា", False
    dara.save()
    assert names(users_manageable_by(admin, q="DARA")) == {"case_worker_b"}
    assert names(users_manageable_by(admin, q="ដារា")) == {"case_worker_b"}
    assert names(users_manageable_by(admin, q="worker_a")) == {"case_worker_a2"}
    assert names(users_manageable_by(admin, role=Role.SUPERVISOR)) == {
        "supervisor",
        "other_supervisor",
    }
    assert names(users_manageable_by(admin, team_id=world.team_b.pk)) == {"case_worker_b"}
    assert names(users_manageable_by(admin, is_active=False)) == {"case_worker_b"}
    assert "case_worker_b" not in names(users_manageable_by(admin, is_active=True))


def test_list_is_ordered_by_username_in_any_letter_case(world) -> None:
    admin = world.user(Role.ADMINISTRATOR)
    make_user("Zed", Role.LAWYER, world.host)
    make_user("anna", Role.LAWYER, world.host)
    listed = list(users_manageable_by(admin, role=Role.LAWYER).values_list("username", flat=True))
    assert listed == ["anna", "lawyer", "Zed"]


def test_manager_chokepoint_answers_404_for_missing_forbidden_and_malformed(
    world, partner_admin
) -> None:
    host_worker = world.user(Role.CASE_WORKER)
    assert user_get_for_manager(actor=partner_admin, user_id=world.user("other_case_worker").pk)
    for user_id in (host_worker.pk, 999_999, "abc", "1; drop", "", "9" * 40):
        with pytest.raises(Http404):
            user_get_for_manager(actor=partner_admin, user_id=user_id)
    # Khmer digits name the same account
    khmer_id = str(host_worker.pk).translate(str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩"))
    admin = world.user(Role.ADMINISTRATOR)
    assert user_get_for_manager(actor=admin, user_id=khmer_id) == host_worker


def test_teams_assignable(world, partner_admin) -> None:
    other_team = Team.objects.get(organisation=world.other_ngo)
    assert set(teams_assignable_by(world.user(Role.ADMINISTRATOR))) == {
        world.team_a,
        world.team_b,
        other_team,
    }
    assert list(teams_assignable_by(partner_admin)) == [other_team]
    assert list(teams_assignable_by(world.user(Role.SUPERVISOR))) == []


def test_locked_out_means_the_limit_reached_within_the_cool_off(world, settings) -> None:
    now = timezone.now()
    for username, failures, minutes_ago in (
        ("Case_Worker", 5, 1),  # locked (any letter case)
        ("supervisor", 4, 1),  # one short of the limit
        ("lawyer", 5, 31),  # cool-off over
    ):
        attempt = AccessAttempt.objects.create(
            username=username, ip_address="10.1.1.1", user_agent="t", failures_since_start=failures
        )
        # attempt_time is set on creation: move it back
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=now - datetime.timedelta(minutes=minutes_ago)
        )
    assert usernames_locked_out(["case_worker", "supervisor", "lawyer", "nobody"]) == {
        "case_worker"
    }


def test_display_name_follows_the_page_language(world) -> None:
    user = world.user(Role.CASE_WORKER)
    assert user.display_name == "case_worker"
    user.full_name = "Chan Sokha"
    assert user.name_in("km") == "Chan Sokha"
    user.full_name_km = "ចាន់ សុខា"
    with translation.override("km"):
        assert user.display_name == "ចាន់ សុខា"
    with translation.override("en"):
        assert user.display_name == "Chan Sokha"
    user.full_name = ""
    assert user.name_in("en") == "ចាន់ សុខា"
