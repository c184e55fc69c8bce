"""Fixtures shared by every app's tests: a host organisation with two teams, a partner,
one user per role, and a few real villages."""

from dataclasses import dataclass

import pytest

from komar.accounts.models import Organisation, OrganisationType, Team, User
from komar.accounts.roles import Role

PASSWORD = "a-test-password-123"


@dataclass
class World:
    host: Organisation
    partner: Organisation
    other_ngo: Organisation
    team_a: Team
    team_b: Team
    users: dict[str, User]

    def user(self, key: str) -> User:
        return self.users[key]


def make_user(
    username: str, role: str, organisation: Organisation, team: Team | None = None
) -> User:
    user = User(username=username, role=role, organisation=organisation, team=team)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    """Start every test with an empty cache: sign-in rate limits live there."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db: None) -> World:
    """Return organisations, teams and users: one per role in team A, plus a case worker
    in team B, a case worker of another NGO and a partner user."""
    from komar.geo.tests.fixtures import load_small_gazetteer

    load_small_gazetteer()
    # The vocabulary of common names is seeded by a migration; a transactional test
    # before this one may have emptied the table, so seed it again (idempotent).
    from komar.children.name_index import name_vocabulary_seed

    name_vocabulary_seed()
    host = Organisation.objects.create(name="Host NGO", type=OrganisationType.NGO, is_host=True)
    partner = Organisation.objects.create(
        name="Partner legal aid", type=OrganisationType.LEGAL_SERVICE
    )
    other = Organisation.objects.create(name="Other NGO", type=OrganisationType.NGO)
    team_a = Team.objects.create(organisation=host, name="Phnom Penh")
    team_b = Team.objects.create(organisation=host, name="Siem Reap")
    other_team = Team.objects.create(organisation=other, name="Other team")
    users = {}
    for role in Role.values:
        org = partner if role == Role.PARTNER_USER else host
        users[role] = make_user(role, role, org, team_a if org == host else None)
    users["case_worker_b"] = make_user("case_worker_b", Role.CASE_WORKER, host, team_b)
    users["case_worker_a2"] = make_user("case_worker_a2", Role.CASE_WORKER, host, team_a)
    users["other_case_worker"] = make_user("other_case_worker", Role.CASE_WORKER, other, other_team)
    users["other_supervisor"] = make_user("other_supervisor", Role.SUPERVISOR, other, other_team)
    return World(
        host=host, partner=partner, other_ngo=other, team_a=team_a, team_b=team_b, users=users
    )


# --- Browser tests: Playwright driving Debian's Chromium -------------------------------

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests loudly where Chromium is missing; in CI, fail instead."""
    import os

    if os.path.exists(CHROMIUM):
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    if os.environ.get("KOMAR_REQUIRE_BROWSER") or os.environ.get("CI"):
        raise pytest.UsageError(f"Browser tests must run here, but {CHROMIUM} is missing.")
    reason = (
        f"{CHROMIUM} is missing: install Debian's chromium and fonts-khmeros to run browser tests"
    )
    config.issue_config_time_warning(pytest.PytestWarning(reason), stacklevel=2)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _patient_browser(request: pytest.FixtureRequest) -> None:
    """Give pages and expectations 15 s: CI's two cores also run the server under test."""
    if request.node.get_closest_marker("browser") is None:
        return
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)
    request.getfixturevalue("page").set_default_timeout(15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def places(world):
    """Return one record per place of the shared permission matrix
    (``komar.access.tests.matrix``)."""
    from komar.access.tests.matrix import make_places

    return make_places(world)
