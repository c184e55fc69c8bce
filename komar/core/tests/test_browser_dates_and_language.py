"""In a real browser: a day-first date typed with Khmer digits is saved as that day, and
the language saved on the account follows the user to a shared computer."""

import datetime

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from komar.accounts.models import User
from komar.cases.tests.test_browser_journey import sign_in, sign_out, t
from komar.children.models import Child
from komar.children.tests.helpers import register_child
from komar.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("lang", "width"), [("km", 1280), ("km", 375), ("en", 1280), ("en", 375)])
def test_a_day_first_date_with_khmer_digits_is_saved_as_that_day(
    page: Page, live_server, world, lang: str, width: int
) -> None:
    child = register_child(world.user("case_worker"))
    sign_in(page, live_server.url, "case_worker", lang)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/children/{child.pk}/edit/")
    box = page.locator("#id_date_of_birth")
    expect(box).to_have_attribute("type", "text")
    expect(box).to_have_attribute("placeholder", "dd/mm/yyyy")
    box.fill("២៦/១០/២០១២")
    page.fill("#id_birth_year", "")  # one of date, year or age
    page.click("#save-child")
    expect(page.locator("#child-name")).to_be_visible()
    assert Child.objects.get(pk=child.pk).date_of_birth == datetime.date(2012, 10, 26)
    # Shown again day first, never month first.
    page.goto(f"{live_server.url}/children/{child.pk}/edit/")
    expect(page.locator("#id_date_of_birth")).to_have_value("26/10/2012")


def test_a_month_first_date_is_refused_in_khmer_and_kept_as_typed(
    page: Page, live_server, world
) -> None:
    child = register_child(world.user("case_worker"))
    sign_in(page, live_server.url, "case_worker", "km")
    page.goto(f"{live_server.url}/children/{child.pk}/edit/")
    page.fill("#id_date_of_birth", "10/26/2012")
    page.fill("#id_birth_year", "")
    page.click("#save-child")
    expect(page.locator("#field-date_of_birth")).to_contain_text(
        t("km", "Write the date as day/month/year, for example 26/10/2026.")
    )
    expect(page.locator("#id_date_of_birth")).to_have_value("10/26/2012")
    assert Child.objects.get(pk=child.pk).date_of_birth is None


def test_the_language_follows_the_user_to_a_shared_computer(page: Page, live_server, world) -> None:
    base = live_server.url
    # A case worker chooses Khmer once, while signed in.
    sign_in(page, base, "case_worker", "en")
    page.click("#language-switch button[data-lang='km']")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    assert User.objects.get(username="case_worker").preferred_language == "km"
    sign_out(page)
    # The next person switches the shared computer to English and signs in.
    page.goto(f"{base}/accounts/login/")
    page.click("#language-switch button[data-lang='en']")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    sign_in(page, base, "supervisor", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    sign_out(page)
    # The case worker signs in on the English page: Komar is in Khmer again.
    page.goto(f"{base}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#id_login", "case_worker")
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("html")).to_have_attribute("lang", "km")
    expect(page.locator("h1")).to_contain_text("សូមស្វាគមន៍")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies[settings.LANGUAGE_COOKIE_NAME] == "km"
