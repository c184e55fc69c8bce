"""The main pages meet their Content-Security-Policy in a real browser.

Chromium reports each blocked script, style, image or font as a console error and a
``securitypolicyviolation`` event; any one fails the test. The pages must also still
work under the policy: the menu opens (Bootstrap), the place search answers (HTMX),
Enter in the place search does not submit the form, the API documentation renders.
"""

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from komar.accounts.roles import Role
from komar.cases.tests.test_browser_journey import sign_in, t
from komar.children.tests.helpers import open_case, register_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script, outside the page's policy (Playwright injects it).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Violations:
    """Collect what the browser refused on each page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def assert_none(self, where: str) -> None:
        events = self.page.evaluate("window.__csp || []")
        assert (events, self.console) == ([], []), where


@pytest.fixture
def violations(page: Page) -> Violations:
    return Violations(page)


def _visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, url
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_main_pages_meet_the_policy(
    page: Page, live_server, world, violations: Violations, lang: str
) -> None:
    base = live_server.url
    worker = world.user(Role.CASE_WORKER)
    case = open_case(worker, register_child(worker))

    # The sign-in page, before and after choosing a language
    _visit(page, f"{base}/accounts/login/")
    violations.assert_none("sign-in page")
    sign_in(page, base, "case_worker", lang)
    violations.assert_none("signing in")

    # The signed-in pages, each fully loaded
    for url in (
        "/",
        "/cases/",
        case.get_absolute_url(),
        f"/children/{case.child_id}/",
        "/accounts/2fa/",
        "/accounts/password/change/",
    ):
        _visit(page, f"{base}{url}")
        violations.assert_none(url)

    # Bootstrap's script runs: the user menu opens
    page.click("#user-menu")
    expect(page.locator("#logout")).to_be_visible()
    violations.assert_none("user menu")


def test_place_search_works_under_the_policy(
    page: Page, live_server, world, violations: Violations
) -> None:
    base = live_server.url
    sign_in(page, base, "case_worker", "en")
    _visit(page, f"{base}/children/register/")

    # HTMX asks the server as the user types, and shows the hits
    search = page.locator("#id_village_code__search")
    search.fill("Phnom")
    expect(page.locator("#id_village_code__hits button").first).to_be_visible()

    # Enter in the search box does not submit the registration form
    search.press("Enter")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/children/register/$"))
    expect(page.locator(".komar-field-errors")).to_have_count(0)

    # And the cascade of lists works
    page.select_option("#id_village_code__province", "01")
    expect(page.locator("#id_village_code__district option")).not_to_have_count(1)
    violations.assert_none("registration form")


def test_api_documentation_renders_under_the_policy(
    page: Page, live_server, world, violations: Violations
) -> None:
    base = live_server.url
    sign_in(page, base, "case_worker", "en")
    _visit(page, f"{base}/api/v1/docs/")
    # Swagger UI has built the page from the schema it fetched
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Komar API")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    violations.assert_none("API documentation")


def test_two_factor_enrolment_page_meets_the_policy(
    page: Page, live_server, world, settings, violations: Violations
) -> None:
    from komar.conftest import PASSWORD

    settings.KOMAR_REQUIRE_2FA = True
    base = live_server.url
    sign_in(page, base, "supervisor", "en")
    page.goto(f"{base}/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in page.url:
        violations.assert_none("reauthentication page")
        page.fill("#id_password", PASSWORD)
        page.locator(
            "form[action='/accounts/reauthenticate/'] button[type='submit']:not([form])"
        ).click()
    expect(page.locator("h1")).to_have_text(t("en", "Activate Authenticator App"))
    # The QR code is a data: image, which the policy allows
    expect(page.locator("img[src^='data:image/svg+xml;base64,']")).to_be_visible()
    page.wait_for_load_state("networkidle")
    violations.assert_none("two-factor enrolment")
