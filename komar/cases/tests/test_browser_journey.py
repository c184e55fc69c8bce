"""The first journey in a real browser, in English and in Khmer.

A case worker signs in, registers a child with a village picked from the gazetteer,
opens a case and screens it, then finds the child again by spelling variants in Latin
and Khmer script; a supervisor sees who looked at the case.
"""

import re

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from komar.cases.models import Case
from komar.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def t(lang: str, text: str) -> str:
    """Return the text as the page shows it in ``lang``."""
    with translation.override(lang):
        return translation.gettext(text)


def sign_in(page: Page, base: str, username: str, lang: str) -> None:
    page.goto(f"{base}/accounts/login/")
    if lang != "en":
        page.click(f"#language-switch button[data-lang='{lang}']")
        expect(page.locator("html")).to_have_attribute("lang", lang)
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.click("#sign-in")
    expect(page.locator("#user-menu")).to_have_attribute("data-signed-in", username)


def sign_out(page: Page) -> None:
    page.click("#user-menu")
    page.click("#logout")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_register_screen_find_and_audit(page: Page, live_server, world, lang: str) -> None:
    base = live_server.url
    if lang == "km":
        # The Khmer catalogue covers the journey's words: none is left in English.
        for text in (
            "Register a child",
            "Open the case",
            "Possible victim of trafficking",
            "Cases",
        ):
            assert t("km", text) != text, text

    # Given a case worker signed in
    sign_in(page, base, "case_worker", lang)
    expect(page.locator("nav")).to_contain_text(t(lang, "Register a child"))

    # When they register a child, picking the village province by province
    page.click(f"nav >> text={t(lang, 'Register a child')}")
    page.fill("#id_name_km", "ចាន់ សុខណ្ដា")  # written with subscript DA
    page.fill("#id_family_name", "Chan")
    page.fill("#id_given_name", "Sokhanda")
    page.select_option("#id_sex", "female")
    page.fill("#id_birth_year", "២០១១")  # Khmer digits
    page.select_option("#id_village_code__province", "01")
    page.select_option("#id_village_code__district", "0102")
    page.select_option("#id_village_code__commune", "010201")
    page.select_option("#id_village_code__village", "01020101")
    expect(page.locator("#id_village_code")).to_have_value("01020101")
    page.fill("#id_guardians-0-name", "ម្ដាយ")
    page.select_option("#id_guardians-0-relationship", "mother")
    page.check("#id_consent_services")
    page.check("#id_consent_disclosure")
    page.click("#save-child")

    # Then the child's page shows the record
    expect(page.locator("#child-name")).to_contain_text("Chan Sokhanda")
    expect(page.locator("body")).to_contain_text("01020101")

    # When they open a case and screen it: recruitment for sexual exploitation, no means
    page.click("#open-case")
    page.select_option("#id_intake_source", "hotline")
    page.check("#screening-fields input[value='recruitment']")
    page.check("#screening-fields input[value='sexual_exploitation']")
    page.click("#save-case")

    # Then the case says "possible victim", in the page's language
    result = page.locator("#screening-result")
    expect(result).to_have_attribute("data-result", "possible_victim")
    expect(result).to_have_text(t(lang, "Possible victim of trafficking"))
    number = Case.objects.get().number

    # When they search the case list with other spellings, the child is found
    for query in ("chann sokanda", "សុខណ្តា", "ចាន់\u200bសុខណ្ដា"):
        page.goto(f"{base}/cases/")
        page.fill("#id_q", query)
        expect(page.locator("#results")).to_contain_text(number)
    page.fill("#id_q", "Dara")
    expect(page.locator("#results")).not_to_contain_text(number)

    # And a supervisor sees that the case worker looked at the case
    page.click(f"text={t(lang, 'Register a child')}")  # any page, then leave
    sign_out(page)
    sign_in(page, base, "supervisor", lang)
    page.goto(f"{base}/cases/")
    page.click(f"#results >> text={number}")
    log = page.locator("#audit-log")
    expect(log).to_contain_text("case_worker")
    expect(log.locator("tr.audit-event[data-action='view']").first).to_be_visible()
    expect(log.locator("tr.audit-event[data-action='create']").first).to_be_visible()


def test_forbidden_case_looks_missing_in_the_browser(page: Page, live_server, world) -> None:
    from komar.children.tests.helpers import open_case, register_child

    worker = world.user("case_worker")
    case = open_case(worker, register_child(worker))
    sign_in(page, live_server.url, "case_worker_b", "en")
    response = page.goto(f"{live_server.url}{case.get_absolute_url()}")
    assert response is not None
    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text(case.number)


def test_bad_input_is_explained_in_khmer(page: Page, live_server, world) -> None:
    sign_in(page, live_server.url, "case_worker", "km")
    page.goto(f"{live_server.url}/children/register/")
    page.fill("#id_family_name", "Sok")
    page.fill("#id_village_code", "99999999")
    page.fill("#id_birth_year", "2999")
    page.click("#save-child")
    expect(page.locator("#form-errors")).to_contain_text(
        t("km", "Please correct the errors below. Nothing was saved.")
    )
    expect(page.locator("#field-village_code")).to_contain_text(t("km", "Unknown village code."))
    assert re.search(r"/children/register/$", page.url)
