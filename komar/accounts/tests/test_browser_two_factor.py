"""Two-factor sign-in in a real browser, in English and in Khmer.

With two-factor required, a supervisor who signs in with a password is sent to enrol an
authenticator app: they confirm their password, scan the QR code (here: read the secret
from the page), type the app's code and get recovery codes; only then do they see cases.
Next time they sign in, the password is not enough: a wrong code is refused in the
page's language, the right one lets them in. A case worker is never asked for a code.
"""

import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from playwright.sync_api import Page, expect

from komar.cases.tests.test_browser_journey import sign_in, sign_out, t
from komar.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Submit with a code only when it stays valid long enough for the round trip.
CODE_MARGIN_SECONDS = 8


def authenticator_code(secret: str) -> str:
    """Return the code an authenticator app shows now for ``secret``.

    A code lives for one TOTP period; when the period is about to end, wait for the next
    one, so the server does not see the code expire between typing and checking.
    """
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < CODE_MARGIN_SECONDS:
        time.sleep(left + 0.5)
    counters = list(yield_hotp_counters_from_time())
    current = counters[len(counters) // 2]  # the middle of the tolerated window
    return format_hotp_value(hotp_value(secret, current))


def wrong_code(secret: str) -> str:
    """Return a well-formed code that no tolerated period accepts."""
    valid = {
        format_hotp_value(hotp_value(secret, counter))
        for counter in yield_hotp_counters_from_time()
    }
    candidate = 0
    while format_hotp_value(candidate) in valid:
        candidate += 1
    return format_hotp_value(candidate)


def submit(page: Page, action: str) -> None:
    """Click the submit button of the form posting to ``action`` (not a button that
    belongs to another form, like the authentication page's Cancel)."""
    page.locator(f"form[action='{action}'] button[type='submit']:not([form])").click()


@pytest.mark.parametrize("lang", ["en", "km"])
def test_supervisor_enrols_then_signs_in_with_a_code(
    page: Page, live_server, world, settings, lang: str
) -> None:
    settings.KOMAR_REQUIRE_2FA = True
    base = live_server.url
    texts = (
        "Confirm Access",
        "Activate Authenticator App",
        "Authenticator secret",
        "Recovery Codes",
        "Two-Factor Authentication",
        "Incorrect code.",
    )
    if lang == "km":
        # The Khmer catalogue covers the enrolment's words: none is left in English.
        for text in texts:
            assert t("km", text) != text, text

    # Given a supervisor signs in with their password
    sign_in(page, base, "supervisor", lang)

    # Then, before any record, they are sent to enrol; allauth asks for the password again
    page.goto(f"{base}/cases/")
    if "/accounts/reauthenticate/" in page.url:
        expect(page.locator("h1")).to_have_text(t(lang, "Confirm Access"))
        page.fill("#id_password", PASSWORD)
        submit(page, "/accounts/reauthenticate/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.locator("h1")).to_have_text(t(lang, "Activate Authenticator App"))

    # And the activation page shows a QR code and the secret it encodes
    qr = page.locator("img[src^='data:image/svg+xml;base64,']")
    expect(qr).to_be_visible()
    secret = page.input_value("#authenticator_secret")
    assert re.fullmatch(r"[A-Z2-7]{16,}=*", secret), secret
    expect(qr).to_have_attribute("alt", secret)
    expect(page.locator("label[for='authenticator_secret']")).to_have_text(
        t(lang, "Authenticator secret")
    )

    # When they type the code their app shows
    page.fill("#id_code", authenticator_code(secret))
    submit(page, "/accounts/2fa/totp/activate/")

    # Then the authenticator is active and they see their recovery codes (or the 2FA page)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/(recovery-codes/)?$"))
    if page.url.endswith("/recovery-codes/"):
        expect(page.locator("h1")).to_have_text(t(lang, "Recovery Codes"))
        codes = page.input_value("#recovery_codes").split()
        assert len(codes) == mfa_settings.RECOVERY_CODE_COUNT
        assert all(code.isdigit() for code in codes), codes
    else:
        expect(page.locator("h1")).to_have_text(t(lang, "Two-Factor Authentication"))
    assert Authenticator.objects.filter(
        user=world.user("supervisor"), type=Authenticator.Type.TOTP
    ).exists()

    # And the case list opens
    response = page.goto(f"{base}/cases/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.locator("#id_q")).to_be_visible()

    # When they sign out and sign in again with the password
    sign_out(page)
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.fill("#id_login", "supervisor")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")

    # Then the password is not enough: they are asked for the authenticator code
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator("h1")).to_have_text(t(lang, "Two-Factor Authentication"))
    expect(page.locator("#user-menu")).to_have_count(0)

    # When they type a wrong code, it is refused in the page's language
    page.fill("#id_code", wrong_code(secret))
    submit(page, "/accounts/2fa/authenticate/")
    expect(page.locator("#id_code ~ .invalid-feedback")).to_have_text(t(lang, "Incorrect code."))
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator("#user-menu")).to_have_count(0)  # still signed out

    # When they type the right code, they are signed in and see the cases
    page.fill("#id_code", authenticator_code(secret))
    submit(page, "/accounts/2fa/authenticate/")
    expect(page.locator("#user-menu")).to_contain_text("supervisor")
    response = page.goto(f"{base}/cases/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/cases/$"))
    expect(page.locator("#id_q")).to_be_visible()


def test_case_worker_is_never_asked_for_a_code(page: Page, live_server, world, settings) -> None:
    settings.KOMAR_REQUIRE_2FA = True
    base = live_server.url

    # Given two-factor is required, a case worker signs in with the password alone
    sign_in(page, base, "case_worker", "en")
    expect(page).not_to_have_url(re.compile(r"/accounts/(2fa|reauthenticate)/"))

    # Then the case list opens without enrolment
    response = page.goto(f"{base}/cases/")
    assert response is not None
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/cases/$"))

    # And signing in again asks for no code either
    sign_out(page)
    sign_in(page, base, "case_worker", "en")
    expect(page).not_to_have_url(re.compile(r"/accounts/(2fa|reauthenticate)/"))
    assert not Authenticator.objects.filter(user=world.user("case_worker")).exists()
