"""Every page a role can reach, in Khmer, shows no English word.

Each role signs in in Khmer and walks what it can reach: the pages linked from the
navigation and the start page, the records those pages list (children, cases), the
pages linked from a record (edit forms, screening), the access log, the users pages and
the two-factor page. Each page's visible text (and its title) is checked for Latin
words; allowed are the record data written in Latin script (names, usernames, codes,
organisation and team names), "Komar", "API" and the names of other systems.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from komar.accounts.models import Organisation, Team, User
from komar.cases.tests.test_browser_journey import sign_in
from komar.children.models import Child
from komar.geo.models import Commune, District, Province, Village

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
# Not interface text: the brand, the language button, other systems' names, the API.
ALWAYS_ALLOWED = {"Komar", "English", "API", "Primero", "OSCaR", "ILO", "KC"}
SKIP_PREFIXES = ("/accounts/logout", "/i18n/", "/admin", "/api/", "/static/", "/session/")
# Pages a role visits more than once would only repeat: at most this many per pattern.
PER_PATTERN = 1
MAX_PAGES = 40
EXTRA_PAGES = ("/", "/accounts/2fa/", "/accounts/password/change/")


def data_words() -> set[str]:
    """Return the Latin words of record data: names, usernames, organisations, teams."""
    words: set[str] = set()
    texts: list[str] = []
    for child in Child.objects.all():
        texts += [child.family_name, child.given_name, child.name_km, *(child.aliases or [])]
        texts += [child.ministry_case_number, child.external_id]
    for user in User.objects.all():
        texts += [user.username, user.first_name, user.last_name]
        texts += [user.full_name]
    texts += list(Team.objects.values_list("name", flat=True))
    texts += [o.name for o in Organisation.objects.filter(name_km="")]
    # Place names are shown in both scripts ("បន្ទាយមានជ័យ / Banteay Meanchey").
    for unit in (Province, District, Commune, Village):
        texts += list(unit.objects.values_list("name_latin", flat=True))
    for text in texts:
        words.update(LATIN_WORD.findall(str(text or "")))
    return words


def pattern(path: str) -> str:
    """Return the page's kind: the path with record ids replaced by '*'."""
    return "/".join("*" if re.search(r"\d", part) else part for part in path.split("/"))


RECORD_ID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


def visible_english(page: Page, allowed: set[str]) -> set[str]:
    text = page.evaluate("() => document.title + '\\n' + document.body.innerText")
    text = RECORD_ID.sub(" ", text)  # record ids in the access log are codes
    # So are shortened ids ("a101e456-164…"), case numbers and anything else with a digit.
    text = " ".join(token for token in text.split() if not re.search(r"\d", token))
    return {w for w in LATIN_WORD.findall(text) if w not in allowed}


def walk(page: Page, base: str, allowed: set[str]) -> dict[str, set[str]]:
    """Visit every page reachable from the start page and the navigation; return the
    English words found, by path."""
    queue = list(EXTRA_PAGES)
    seen_patterns: dict[str, int] = {}
    visited: set[str] = set()
    found: dict[str, set[str]] = {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        kind = pattern(path)
        if path in visited or seen_patterns.get(kind, 0) >= PER_PATTERN:
            continue
        visited.add(path)
        seen_patterns[kind] = seen_patterns.get(kind, 0) + 1
        response = page.goto(base + path)
        assert response is not None
        if response.status >= 500:
            found[path] = {f"HTTP {response.status}"}
            continue
        english = visible_english(page, allowed)
        # Every page is named, then the brand after a separator: "ករណី · Komar".
        if not re.fullmatch(r"\S.* · Komar", page.title()):
            english.add(f"title {page.title()!r}")
        if english:
            found[path] = english
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or parts.path in visited:
                continue
            queue.append(parts.path)
    return found


def _name_organisations_in_khmer() -> None:
    for org in Organisation.objects.all():
        org.name_km = f"អង្គការ{org.pk}"
        org.save(update_fields=["name_km"])


@pytest.mark.parametrize(
    "role",
    [
        "case_worker",
        "shelter_worker",
        "lawyer",
        "prevention_officer",
        "supervisor",
        "data_officer",
        "partner_user",
        "administrator",
    ],
)
def test_no_english_on_any_page_a_role_reaches_in_khmer(
    page: Page, live_server, world, places, role: str
) -> None:
    _name_organisations_in_khmer()
    allowed = ALWAYS_ALLOWED | data_words()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server.url, role, "km")
    found = walk(page, live_server.url, allowed)
    assert found == {}, "English on Khmer pages:\n" + "\n".join(
        f"{path}: {sorted(words)}" for path, words in found.items()
    )


@pytest.mark.parametrize("role", ["case_worker", "supervisor"])
def test_no_english_on_a_phone_either(page: Page, live_server, world, places, role: str) -> None:
    _name_organisations_in_khmer()
    allowed = ALWAYS_ALLOWED | data_words()
    sign_in(page, live_server.url, role, "km")
    page.set_viewport_size({"width": 375, "height": 812})
    found = walk(page, live_server.url, allowed)
    assert found == {}, "English on Khmer pages:\n" + "\n".join(
        f"{path}: {sorted(words)}" for path, words in found.items()
    )
