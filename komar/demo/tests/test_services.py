from collections import Counter
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from komar.accounts.models import Organisation, OrganisationType, Team, User
from komar.accounts.roles import Role
from komar.cases.models import Case
from komar.children.models import Child
from komar.demo.services import DEMO_PASSWORD, HOST_NAME, demo_setup
from komar.geo.models import Village
from komar.geo.tests.fixtures import load_small_gazetteer

pytestmark = pytest.mark.django_db

EXPECTED = {
    "caseworker": (Role.CASE_WORKER, "Phnom Penh office"),
    "caseworker2": (Role.CASE_WORKER, "Siem Reap office"),
    "shelter": (Role.SHELTER_WORKER, "Phnom Penh office"),
    "lawyer": (Role.LAWYER, "Phnom Penh office"),
    "prevention": (Role.PREVENTION_OFFICER, None),
    "supervisor": (Role.SUPERVISOR, "Phnom Penh office"),
    "data": (Role.DATA_OFFICER, None),
    "partner": (Role.PARTNER_USER, None),
    "admin": (Role.ADMINISTRATOR, None),
}


def _counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "teams": Team.objects.count(),
        "users": User.objects.count(),
        "children": Child.objects.count(),
        "cases": Case.objects.count(),
    }


def test_creates_one_account_per_role():
    load_small_gazetteer()

    result = demo_setup(children=20, seed=3)

    users = {u.username: u for u in User.objects.select_related("organisation", "team")}
    assert set(users) == set(EXPECTED)
    for username, (role, team) in EXPECTED.items():
        assert users[username].role == role
        assert (users[username].team.name if users[username].team else None) == team
        assert users[username].check_password(DEMO_PASSWORD)
    # One user per role, and a second case worker in the other team.
    assert Counter(u.role for u in users.values()) == dict.fromkeys(Role.values, 1) | {
        Role.CASE_WORKER: 2
    }
    host = Organisation.objects.get(is_host=True)
    assert host.name == HOST_NAME
    assert host.type == OrganisationType.NGO
    assert users["partner"].organisation.type in (
        OrganisationType.LEGAL_SERVICE,
        OrganisationType.POLICE,
    )
    assert all(u.organisation == host for name, u in users.items() if name != "partner")
    assert {o.type for o in Organisation.objects.filter(is_host=False)} >= {
        OrganisationType.POLICE,
        OrganisationType.SOCIAL_AFFAIRS,
        OrganisationType.HOSPITAL,
        OrganisationType.SHELTER,
        OrganisationType.LEGAL_SERVICE,
    }
    assert Child.objects.filter(organisation=host).count() == 20
    assert set(Case.objects.values_list("assigned_to__username", flat=True)) <= {
        "caseworker",
        "caseworker2",
        "supervisor",
    }
    assert {a["username"] for a in result["accounts"]} == set(EXPECTED)
    assert result["created"] == {"organisations": 6, "teams": 2, "users": 9, "children": 20}


def test_is_idempotent():
    load_small_gazetteer()
    demo_setup(children=10, seed=3)
    before = _counts()

    result = demo_setup(children=10, seed=3)

    assert _counts() == before
    assert result["created"] == {"organisations": 0, "teams": 0, "users": 0, "children": 0}
    assert result["gazetteer_loaded"] is False


def test_loads_the_gazetteer_when_empty():
    result = demo_setup(children=0)

    assert result["gazetteer_loaded"] is True
    assert Village.objects.count() == 14_578


def test_refuses_when_demo_data_is_not_allowed(settings):
    settings.KOMAR_ALLOW_DEMO_DATA = False

    with pytest.raises(ImproperlyConfigured, match="KOMAR_ALLOW_DEMO_DATA"):
        demo_setup(children=5)

    assert _counts() == dict.fromkeys(_counts(), 0)


def test_refuses_beside_another_host_organisation():
    load_small_gazetteer()
    Organisation.objects.create(name="Real NGO", type=OrganisationType.NGO, is_host=True)

    with pytest.raises(ImproperlyConfigured, match="host"):
        demo_setup(children=5)

    assert not User.objects.exists()


def test_setup_command_prints_the_accounts_and_nothing_personal(monkeypatch):
    load_small_gazetteer()
    monkeypatch.setenv("PORT", "8123")
    out = StringIO()

    call_command("komar_setup_demo", children=15, stdout=out)

    text = out.getvalue()
    for username in EXPECTED:
        assert username in text
    assert DEMO_PASSWORD in text
    assert "http://127.0.0.1:8123" in text
    for child in Child.objects.all():
        for value in (child.name_km, child.family_name, child.given_name):
            assert not value or value not in text


def test_setup_command_refuses_in_production(settings):
    settings.KOMAR_ALLOW_DEMO_DATA = False

    with pytest.raises(CommandError, match="KOMAR_ALLOW_DEMO_DATA"):
        call_command("komar_setup_demo", stdout=StringIO())


def test_generate_command_adds_children_to_the_host():
    load_small_gazetteer()
    demo_setup(children=0)
    out = StringIO()

    call_command("generate_synthetic_data", children=12, seed=2, stdout=out)

    assert Child.objects.count() == 12
    assert Case.objects.count() == 12
    assert "children/second" in out.getvalue()
    for child in Child.objects.all():
        assert not child.family_name or child.family_name not in out.getvalue()


def test_generate_command_takes_an_organisation_by_name():
    load_small_gazetteer()
    demo_setup(children=0)

    call_command("generate_synthetic_data", children=3, organisation=HOST_NAME, stdout=StringIO())

    assert Child.objects.filter(organisation__name=HOST_NAME).count() == 3
    with pytest.raises(CommandError, match="No such organisation"):
        call_command(
            "generate_synthetic_data", children=3, organisation="Nobody", stdout=StringIO()
        )


def test_generate_command_refuses_in_production(settings):
    settings.KOMAR_ALLOW_DEMO_DATA = False

    with pytest.raises(CommandError, match="KOMAR_ALLOW_DEMO_DATA"):
        call_command("generate_synthetic_data", children=3, stdout=StringIO())
