"""Writes of the demo: organisations, teams, one account per role, synthetic children.

For trying Komar on a laptop (``make run``) and for benchmarks; refused wherever
``KOMAR_ALLOW_DEMO_DATA`` is off, as it is in production.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from komar.accounts.models import Organisation, OrganisationType, Team, User
from komar.accounts.roles import Role
from komar.children.models import Child
from komar.demo.generator import generate
from komar.geo.models import Village
from komar.geo.services import gazetteer_load

DEMO_PASSWORD = "komar-demo"  # noqa: S105 (published demo password; refused in production)

HOST_NAME = "Komar Demo Organisation"
HOST_NAME_KM = "អង្គការកុមារ (សាកល្បង)"
POLICE_NAME = "Anti-Human Trafficking and Juvenile Protection Police (demo)"
LEGAL_NAME = "Legal Aid Service (demo)"

PARTNERS: tuple[tuple[str, str, str], ...] = (
    (POLICE_NAME, "នគរបាលប្រឆាំងការជួញដូរមនុស្ស និងការពារអនីតិជន (សាកល្បង)", OrganisationType.POLICE),
    (
        "Provincial Department of Social Affairs, Siem Reap (demo)",
        "មន្ទីរសង្គមកិច្ច អតីតយុទ្ធជន និងយុវនីតិសម្បទា ខេត្តសៀមរាប (សាកល្បង)",
        OrganisationType.SOCIAL_AFFAIRS,
    ),
    (
        "Provincial Referral Hospital (demo)",
        "មន្ទីរពេទ្យបង្អែកខេត្ត (សាកល្បង)",
        OrganisationType.HOSPITAL,
    ),
    ("Safe Haven Shelter (demo)", "មណ្ឌលស្នាក់នៅបណ្ដោះអាសន្ន (សាកល្បង)", OrganisationType.SHELTER),
    (LEGAL_NAME, "សេវាជំនួយផ្លូវច្បាប់ (សាកល្បង)", OrganisationType.LEGAL_SERVICE),
)
PHNOM_PENH_TEAM = "Phnom Penh office"
SIEM_REAP_TEAM = "Siem Reap office"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organisation: str  # name of the organisation
    team: str | None = None


ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("caseworker", Role.CASE_WORKER, HOST_NAME, PHNOM_PENH_TEAM),
    DemoAccount("caseworker2", Role.CASE_WORKER, HOST_NAME, SIEM_REAP_TEAM),
    DemoAccount("shelter", Role.SHELTER_WORKER, HOST_NAME, PHNOM_PENH_TEAM),
    DemoAccount("lawyer", Role.LAWYER, HOST_NAME, PHNOM_PENH_TEAM),
    DemoAccount("prevention", Role.PREVENTION_OFFICER, HOST_NAME),
    DemoAccount("supervisor", Role.SUPERVISOR, HOST_NAME, PHNOM_PENH_TEAM),
    DemoAccount("data", Role.DATA_OFFICER, HOST_NAME),
    DemoAccount("partner", Role.PARTNER_USER, LEGAL_NAME),
    DemoAccount("admin", Role.ADMINISTRATOR, HOST_NAME),
)
# The demo children's cases are held by these accounts.
CASE_HOLDERS = ("caseworker", "caseworker2", "supervisor")


def demo_data_allowed() -> None:
    """Raise ImproperlyConfigured unless demo and synthetic data are allowed here."""
    if not getattr(settings, "KOMAR_ALLOW_DEMO_DATA", False):
        raise ImproperlyConfigured(
            "Demo accounts and synthetic data are disabled on this installation "
            "(KOMAR_ALLOW_DEMO_DATA is off, as in production): they would publish known "
            "passwords and mix fictitious children with real ones."
        )


def _organisation(
    name: str, name_km: str, org_type: str, *, is_host: bool = False
) -> tuple[Organisation, bool]:
    return Organisation.objects.get_or_create(
        name=name, defaults={"name_km": name_km, "type": org_type, "is_host": is_host}
    )


@transaction.atomic
def demo_setup(*, children: int = 300, seed: int = 7) -> dict[str, Any]:
    """Create the demo organisations, teams and accounts, the gazetteer and demo children.

    Idempotent: what exists is kept (passwords included), and children are generated
    only when the demo organisation has none. Refused (ImproperlyConfigured) where
    ``KOMAR_ALLOW_DEMO_DATA`` is off. Return the demo accounts (username, role,
    organisation) and what this call created.
    """
    demo_data_allowed()
    created: dict[str, int] = {"organisations": 0, "teams": 0, "users": 0, "children": 0}

    if Organisation.objects.filter(is_host=True).exclude(name=HOST_NAME).exists():
        raise ImproperlyConfigured(
            f"Another organisation is the host here; the demo needs {HOST_NAME!r} as host. "
            "Set the demo up on its own database."
        )

    gazetteer_loaded = False
    if not Village.objects.exists():
        gazetteer_load()
        gazetteer_loaded = True
    host, new = _organisation(HOST_NAME, HOST_NAME_KM, OrganisationType.NGO, is_host=True)
    created["organisations"] += new
    organisations = {host.name: host}
    for name, name_km, org_type in PARTNERS:
        org, new = _organisation(name, name_km, org_type)
        organisations[name] = org
        created["organisations"] += new

    teams: dict[str, Team] = {}
    for team_name in (PHNOM_PENH_TEAM, SIEM_REAP_TEAM):
        teams[team_name], new = Team.objects.get_or_create(organisation=host, name=team_name)
        created["teams"] += new

    users: dict[str, User] = {}
    for account in ACCOUNTS:
        user = (
            User.objects.select_related("organisation", "team")
            .filter(username=account.username)
            .first()
        )
        if user is None:
            user = User(
                username=account.username,
                role=account.role,
                organisation=organisations[account.organisation],
                team=teams[account.team] if account.team else None,
                preferred_language="",
            )
            user.set_password(DEMO_PASSWORD)
            user.full_clean()
            user.save()
            created["users"] += 1
        users[account.username] = user

    if children and not Child.objects.filter(organisation=host).exists():
        holders = [users[name] for name in CASE_HOLDERS if users[name].organisation_id == host.pk]
        result = generate(children=children, seed=seed, organisation=host, users=holders)
        created["children"] = result["children"]

    return {
        # As stored: an account made before keeps its own role and organisation.
        "accounts": [
            {
                "username": user.username,
                "role": user.role,
                "organisation": user.organisation.name if user.organisation else "",
                "team": user.team.name if user.team else "",
            }
            for user in users.values()
        ],
        "created": created,
        "gazetteer_loaded": gazetteer_loaded,
    }
