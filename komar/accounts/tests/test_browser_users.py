"""User administration in a real browser, in English and in Khmer.

The administrator signs in, creates an account with a role and a team, resets its
password and reads the one-time code; the new person sets their password with the code
and signs in. Later they lock themselves out with wrong passwords; the administrator
sees the lock, unlocks the account, and the person signs in again. The Khmer run is on
a 375 px phone screen, keeps screenshots of every page in /tmp/shots/, and checks that
no English is left and nothing scrolls sideways.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from komar.accounts.models import User
from komar.cases.tests.test_browser_journey import t
from komar.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")  # noqa: S108  # where reviewers look; synthetic data only
NEW_PASSWORD = "a-brand-new-passphrase-42"
PHONE = {"width": 375, "height": 812}
# Latin text a Khmer page may show besides its data: names of things, the code.
LATIN_ALLOWED = ["Komar", "SMS", "ABCD-EFGH-JKMN", "English"]
CODE = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def data_words() -> list[str]:
    """Return the data a page may show in Latin letters: usernames, names, teams,
    organisations (longest first, so that no shorter one cuts a longer one)."""
    from komar.accounts.models import Organisation, Team

    words = set(LATIN_ALLOWED)
    for user in User.objects.all():
        words |= {user.username, user.full_name}
    words |= set(Team.objects.values_list("name", flat=True))
    words |= set(Organisation.objects.values_list("name", flat=True))
    return sorted((w for w in words if w), key=len, reverse=True)


def open_menu(page: Page) -> None:
    """Open the collapsed navigation on a narrow screen."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and not page.locator("#nav").is_visible():
        toggler.click()
        expect(page.locator("#nav")).to_be_visible()


def sign_out(page: Page) -> None:
    open_menu(page)
    page.click("#user-menu")
    page.click("#logout")
    expect(page.locator("#user-menu")).to_have_count(0)


def check_page(page: Page, lang: str, name: str) -> None:
    """On the Khmer phone run: keep a screenshot, and check the page for English words
    and for anything wider than the screen."""
    if lang != "km":
        return
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"users-{name}-km.png"), full_page=True)
    text = CODE.sub("", page.locator("main").inner_text())
    for word in data_words():
        text = text.replace(word, "")
    assert not re.findall(r"[A-Za-z]{3,}", text), (name, re.findall(r"[A-Za-z]{3,}", text))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], name


def sign_in(page: Page, base: str, username: str, lang: str) -> None:
    """Choose the language on the sign-in page (from the menu on a phone), then sign in."""
    page.goto(f"{base}/accounts/login/")
    if page.locator("html").get_attribute("lang") != lang:
        open_menu(page)
        page.click(f"#language-switch button[data-lang='{lang}']")
        expect(page.locator("html")).to_have_attribute("lang", lang)
    sign_in_with(page, base, username, PASSWORD)
    expect(page.locator("#user-menu")).to_have_attribute("data-signed-in", username)


def sign_in_with(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    page.click("#sign-in")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_administrator_creates_resets_and_unlocks_an_account(
    page: Page, live_server, world, lang: str
) -> None:
    base = live_server.url
    if lang == "km":
        page.set_viewport_size(PHONE)
        for text in ("Users", "Add a user", "Reset the password", "Unlock the account", "Locked"):
            assert t("km", text) != text, text

    # Given the administrator signs in and opens Users from the menu
    sign_in(page, base, "administrator", lang)
    open_menu(page)
    page.click("#nav-users")
    expect(page.locator("h1")).to_have_text(t(lang, "Users"))
    check_page(page, lang, "list")

    # When they add a case worker to team B; a taken username is refused first
    page.click("#add-user")
    page.fill("#id_username", "CASE_WORKER")
    page.fill("#id_full_name", "Sok Dara")
    page.fill("#id_full_name_km", "សុខ ដារា")
    page.select_option("#id_role", "case_worker")
    page.select_option("#id_team", str(world.team_b.pk))
    page.select_option("#id_preferred_language", lang)
    page.click("#save-user")
    expect(page.locator("#field-username")).to_contain_text(
        t(lang, "This username is taken (letter case does not count).")
    )
    check_page(page, lang, "create-error")
    page.fill("#id_username", "dara")
    page.click("#save-user")

    # Then the account page shows the person by the name of the page's language
    expect(page.locator("#user-name")).to_have_text("សុខ ដារា" if lang == "km" else "Sok Dara")
    dara = User.objects.get(username="dara")
    assert (dara.role, dara.team_id) == ("case_worker", world.team_b.pk)
    check_page(page, lang, "edit")

    # When they reset the password, confirm, and read the one-time code
    page.click("#reset-password")
    expect(page.locator("#confirm-action")).to_have_attribute("data-action", "reset_password")
    check_page(page, lang, "confirm-reset")
    page.click("#confirm")
    code = page.locator("#password-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code), code
    expect(page.locator("#code-username")).to_have_text("dara")
    check_page(page, lang, "code")
    page.click("#code-done")
    sign_out(page)

    # Then the person sets their password with the code, from the sign-in page
    page.goto(f"{base}/accounts/login/")
    page.click("#set-password-with-code")
    expect(page.locator("h1")).to_have_text(t(lang, "Set a new password with a code"))
    page.fill("#id_username", "dara")
    page.fill("#id_code", code.lower().replace("-", " "))  # as someone might type it
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD + "x")
    page.click("#set-password")
    expect(page.locator("#field-new_password2")).to_contain_text(
        t(lang, "The two passwords differ. Type the same one twice.")
    )
    check_page(page, lang, "set-password-error")
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("#set-password")
    expect(page.locator("main")).to_contain_text(
        t(lang, "Your new password is set. Sign in with it now.")
    )

    # And signs in with it
    sign_in_with(page, base, "dara", NEW_PASSWORD)
    expect(page.locator("#user-menu")).to_have_attribute("data-signed-in", "dara")
    sign_out(page)

    # When they type a wrong password five times, the account locks
    for attempt in range(5):
        sign_in_with(page, base, "dara", f"wrong-password-{attempt}")
    expect(page.locator("#locked-out")).to_be_visible()
    sign_in_with(page, base, "dara", NEW_PASSWORD)
    expect(page.locator("#user-menu")).to_have_count(0)

    # Then the administrator sees the lock and unlocks the account
    sign_in(page, base, "administrator", lang)
    page.goto(f"{base}/users/?q=dara")
    row = page.locator(".user-row[data-username='dara']")
    expect(row.locator(".badge-locked")).to_have_text(t(lang, "Locked"))
    check_page(page, lang, "list-locked")
    row.locator("a").first.click()
    page.click("#unlock")
    check_page(page, lang, "confirm-unlock")
    page.click("#confirm")
    expect(page.locator("main .alert-success")).to_contain_text(
        t(lang, "The account is unlocked: the person can sign in again.")
    )
    expect(page.locator("#locked-badge")).to_have_count(0)
    check_page(page, lang, "edit-unlocked")
    sign_out(page)

    # And the person signs in again
    sign_in_with(page, base, "dara", NEW_PASSWORD)
    expect(page.locator("#user-menu")).to_have_attribute("data-signed-in", "dara")


def test_khmer_screens_of_the_other_actions(page: Page, live_server, world) -> None:
    """Screenshots and checks of the confirmation pages not on the journey above."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    base = live_server.url
    page.set_viewport_size(PHONE)
    target = world.user("supervisor")
    TOTP.activate(target, generate_totp_secret())
    sign_in(page, base, "administrator", "km")
    for action in ("reset-two-factor", "deactivate"):
        page.goto(f"{base}/users/{target.pk}/{action}/")
        check_page(page, "km", f"confirm-{action}")
    page.click("#confirm")
    expect(page.locator(".badge-inactive")).to_be_visible()
    page.goto(f"{base}/users/{target.pk}/reactivate/")
    check_page(page, "km", "confirm-reactivate")
    sign_out(page)
    page.goto(f"{base}/users/set-password/")
    check_page(page, "km", "set-password")
