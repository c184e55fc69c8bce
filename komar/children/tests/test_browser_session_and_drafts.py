"""The idle sign-out never loses a long form, and a family of any size fits: in a real
browser, in English and Khmer, on a desktop and a 375 px phone.

- Before the session ends, a dialog counts down and "Stay signed in" keeps the session.
- If it ends anyway, what was typed stays on the device, encrypted, and is restored
  after the same user signs in again; another user on the same PC cannot restore it.
- A child is registered with three guardians, the third added with "Add another".
"""

import base64
import datetime
import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import Page, expect

from komar.cases.tests.test_browser_journey import t
from komar.children.models import Child, Guardian
from komar.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 812}}
RUNS = [(lang, screen) for lang in ("en", "km") for screen in SCREENS]


def _sign_in_here(page: Page, username: str) -> None:
    """Sign in on the sign-in page the browser is on (keeping its ``next``)."""
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")


def _start(page: Page, base: str, lang: str, screen: str, username: str = "case_worker") -> None:
    page.set_viewport_size(SCREENS[screen])
    page.context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    _sign_in_here(page, username)
    expect(page.locator("#user-menu")).to_be_attached()


def _end_every_session() -> None:
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))


def _drafts(page: Page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
            .filter((k) => k.startsWith("komar-draft:"))
            .map((k) => [k, localStorage.getItem(k)]))"""
    )


def _type_a_long_registration(page: Page) -> None:
    page.fill("#id_name_km", "ចាន់ សុខណ្ដា")
    page.fill("#id_family_name", "Chan")
    page.fill("#id_given_name", "Sokhanda")
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_year", "2011")
    page.select_option("#id_nationality", "IN")
    page.fill("#id_aliases", "Nang\nSrey Nang")
    page.check("#id_consent_services")
    for i, (name, relationship, phone) in enumerate(
        [("ម៉ែ សុខ", "mother", "012345678"), ("ឪពុក ចាន់", "father", "")]
    ):
        page.fill(f"#id_guardians-{i}-name", name)
        page.select_option(f"#id_guardians-{i}-relationship", relationship)
        page.fill(f"#id_guardians-{i}-phone", phone)
    page.click("#add-guardian")
    page.fill("#id_guardians-2-name", "យាយ ម៉ៅ")
    page.select_option("#id_guardians-2-relationship", "grandparent")
    page.fill("#id_guardians-2-phone", "០៩៧ ១២៣ ៤៥៦")


@pytest.mark.parametrize(("lang", "screen"), RUNS)
def test_the_warning_counts_down_and_stay_signed_in_keeps_the_session(
    page: Page, live_server, world, settings, lang: str, screen: str
) -> None:
    base = live_server.url
    _start(page, base, lang, screen)

    # Given a session that ends after 20 idle seconds: the warning comes halfway (with
    # the real 30 minutes, 2 minutes before the end)
    settings.SESSION_COOKIE_AGE = 20
    page.goto(f"{base}/children/register/")
    page.fill("#id_family_name", "Chan")
    dialog = page.locator("#session-warning")

    # When the page has been idle until then
    expect(dialog).to_be_visible(timeout=15000)

    # Then it says so in the page's language, with the time the server gives
    expect(dialog).to_contain_text(t(lang, "You will be signed out soon"))
    expect(page.locator("#session-countdown")).to_have_text(re.compile(r"^0:(10|0[0-9])$"))
    expect(page.locator("#session-stay")).to_have_text(t(lang, "Stay signed in"))

    # When the user chooses to stay signed in
    settings.SESSION_COOKIE_AGE = 1800
    page.click("#session-stay")

    # Then the dialog closes, the form is as typed, and the server gave a new idle period
    expect(dialog).to_be_hidden()
    expect(page.locator("#id_family_name")).to_have_value("Chan")
    status = page.evaluate(
        "() => fetch('/session/status/', {credentials: 'same-origin'}).then((r) => r.json())"
    )
    assert status["signed_in"] is True
    assert status["seconds_left"] > 1700


@pytest.mark.parametrize(("lang", "screen"), RUNS)
def test_a_session_ending_unseen_says_so_and_offers_to_sign_in_again(
    page: Page, live_server, world, settings, lang: str, screen: str
) -> None:
    base = live_server.url
    _start(page, base, lang, screen)

    # Given a form page whose session ends in 8 seconds, left after typing a name
    settings.SESSION_COOKIE_AGE = 8
    page.goto(f"{base}/children/register/")
    page.fill("#id_family_name", "Chan")
    page.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('komar-draft:'))"
    )
    expect(page.locator("#session-warning-soon")).to_be_visible(timeout=10000)

    # Then, once the server has ended the session, the dialog says so
    ended = page.locator("#session-warning-ended")
    expect(ended).to_be_visible(timeout=20000)
    expect(ended).to_contain_text(t(lang, "You were signed out"))
    settings.SESSION_COOKIE_AGE = 1800

    # And "Sign in again" leads back to this form after signing in
    page.click("#session-sign-in")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/children/register/")
    _sign_in_here(page, "case_worker")
    expect(page).to_have_url(f"{base}/children/register/")
    # The family name typed before is offered back
    expect(page.locator("#draft-offer-box")).to_be_visible()
    page.click("#draft-restore")
    expect(page.locator("#id_family_name")).to_have_value("Chan")


@pytest.mark.parametrize(("lang", "screen"), RUNS)
def test_what_was_typed_survives_the_sign_out_and_only_its_author_gets_it_back(
    page: Page, live_server, world, lang: str, screen: str
) -> None:
    base = live_server.url
    _start(page, base, lang, screen)

    # Given a case worker in the middle of a long registration with three guardians
    page.goto(f"{base}/children/register/")
    _type_a_long_registration(page)

    # Then what is typed is kept on the device, encrypted: no typed value is readable
    page.wait_for_function(
        """() => Object.keys(localStorage).some((k) => k.startsWith("komar-draft:"))
                 && JSON.stringify(localStorage).length > 0"""
    )
    page.wait_for_timeout(800)  # the last keystrokes are saved after a short pause
    drafts = _drafts(page)
    assert len(drafts) == 1
    ((name, value),) = drafts.items()
    record = json.loads(value)
    assert set(record) == {"v", "w", "exp", "iv", "ct"}
    sealed = base64.b64decode(record["ct"])
    assert len(base64.b64decode(record["iv"])) == 12
    for typed in ("Sokhanda", "Chan", "ចាន់", "012345678", "Nang", "case_worker", "register"):
        assert typed not in name
        assert typed.encode() not in sealed
    assert "Sokhanda" not in value
    assert "case_worker" not in value

    # When the session ends while they are away, and they press "Register"
    _end_every_session()
    page.click("#save-child")

    # Then they are asked to sign in, and nothing was registered
    expect(page).to_have_url(f"{base}/accounts/login/?next=/children/register/")
    assert Child.objects.count() == 0

    # When a colleague signs in on the same PC and opens the same form
    _sign_in_here(page, "case_worker_a2")
    expect(page).to_have_url(f"{base}/children/register/")
    # Then nothing is offered to them, and the draft is still there for its author
    page.wait_for_timeout(800)
    expect(page.locator("#draft-offer-box")).to_have_count(0)
    expect(page.locator("#id_family_name")).to_have_value("")
    assert len(_drafts(page)) == 1
    page.goto(f"{base}/")
    page.evaluate("() => document.querySelector('#logout').form.requestSubmit()")
    expect(page.locator("#id_login")).to_be_visible()
    assert len(_drafts(page)) == 1  # a colleague's sign-out leaves the author's draft

    # When the author signs in again and returns to the form
    page.goto(f"{base}/children/register/")
    _sign_in_here(page, "case_worker")
    expect(page).to_have_url(f"{base}/children/register/")

    # Then they are offered what they typed, in their language, and restore it
    offer = page.locator("#draft-offer-box")
    expect(offer).to_be_visible()
    expect(page.locator("#draft-restore")).to_have_text(t(lang, "Restore what you typed"))
    expect(page.locator("#draft-discard")).to_have_text(t(lang, "Discard"))
    page.click("#draft-restore")
    expect(page.locator("#draft-restored-box")).to_be_visible()
    expect(page.locator("#id_name_km")).to_have_value("ចាន់ សុខណ្ដា")
    expect(page.locator("#id_given_name")).to_have_value("Sokhanda")
    expect(page.locator("#id_birth_year")).to_have_value("2011")
    expect(page.locator("#id_nationality")).to_have_value("IN")
    expect(page.locator("#id_aliases")).to_have_value("Nang\nSrey Nang")
    expect(page.locator("#id_consent_services")).to_be_checked()
    expect(page.locator("#id_guardians-2-name")).to_have_value("យាយ ម៉ៅ")
    expect(page.locator("#id_guardians-2-relationship")).to_have_value("grandparent")

    # And registering now keeps everything, the three guardians too
    page.click("#save-child")
    expect(page.locator("#child-name")).to_contain_text("Sokhanda")
    child = Child.objects.get()
    assert (child.given_name, child.birth_year, child.nationality) == ("Sokhanda", 2011, "IN")
    assert [(g.name, g.relationship, g.phone) for g in Guardian.objects.order_by("pk")] == [
        ("ម៉ែ សុខ", "mother", "012345678"),
        ("ឪពុក ចាន់", "father", ""),
        ("យាយ ម៉ៅ", "grandparent", "097 123 456"),
    ]
    # The saved form's draft is gone from the device
    page.wait_for_timeout(300)
    assert _drafts(page) == {}


@pytest.mark.parametrize(("lang", "screen"), RUNS)
def test_signing_out_wipes_the_users_drafts(
    page: Page, live_server, world, lang: str, screen: str
) -> None:
    base = live_server.url
    _start(page, base, lang, screen)
    page.goto(f"{base}/children/register/")
    page.fill("#id_family_name", "Chan")
    page.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('komar-draft:'))"
    )
    page.evaluate("() => document.querySelector('#logout').form.requestSubmit()")
    expect(page.locator("#id_login")).to_be_visible()
    assert _drafts(page) == {}


@pytest.mark.parametrize(("lang", "screen"), RUNS)
def test_a_child_is_registered_with_three_guardians(
    page: Page, live_server, world, lang: str, screen: str
) -> None:
    base = live_server.url
    _start(page, base, lang, screen)
    page.goto(f"{base}/children/register/")
    expect(page.locator("#add-guardian")).to_contain_text(t(lang, "Add another person"))

    _type_a_long_registration(page)
    expect(page.locator(".guardian-row")).to_have_count(3)
    page.click("#save-child")

    expect(page.locator("#child-name")).to_contain_text("Sokhanda")
    for name in ("ម៉ែ សុខ", "ឪពុក ចាន់", "យាយ ម៉ៅ"):
        expect(page.locator("main")).to_contain_text(name)
    expect(page.locator("#child-age")).to_contain_text(t(lang, "about %(age)s").split("%")[0])
    assert Guardian.objects.count() == 3


@pytest.mark.parametrize(("lang", "screen"), [("en", "desktop"), ("km", "phone")])
@pytest.mark.parametrize("form", ["case_edit", "screening"])
def test_the_case_and_screening_forms_keep_their_drafts_too(
    page: Page, live_server, world, lang: str, screen: str, form: str
) -> None:
    from komar.cases.models import Case
    from komar.cases.tests.factories import CaseFactory

    base = live_server.url
    case = CaseFactory(actor=world.user("case_worker"))
    _start(page, base, lang, screen)
    path = f"/cases/{case.pk}/edit/" if form == "case_edit" else f"/cases/{case.pk}/screening/"

    # Given a change typed into the form, kept as a draft
    page.goto(f"{base}{path}")
    field = (
        page.locator("#id_risk_level")
        if form == "case_edit"
        else page.locator("input[name='screening-acts'][value='transportation']")
    )
    if form == "case_edit":
        field.select_option("high")
    else:
        field.check()
    page.wait_for_function(
        "() => Object.keys(localStorage).some((k) => k.startsWith('komar-draft:'))"
    )
    page.wait_for_timeout(800)

    # When the session ends and the form is sent, then the user signs in again
    _end_every_session()
    page.click("#save-case" if form == "case_edit" else "#save-screening")
    expect(page).to_have_url(f"{base}/accounts/login/?next={path}")
    _sign_in_here(page, "case_worker")
    expect(page).to_have_url(f"{base}{path}")

    # Then the change is offered back and restored, and nothing was saved meanwhile
    page.click("#draft-restore")
    if form == "case_edit":
        expect(field).to_have_value("high")
    else:
        expect(field).to_be_checked()
    assert Case.objects.get().risk_level != "high"
