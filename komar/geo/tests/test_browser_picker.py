"""The village picker in a real browser: the HTMX cascade, the typed-code fallback and
the place search, on the geo tests' pages and on the child registration form."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from komar.cases.tests.test_browser_journey import sign_in, t
from komar.geo.models import Village
from komar.geo.services import gazetteer_load
from komar.geo.tests.fixtures import load_small_gazetteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The tests on the geo tests' own pages (a form with one picker, one with two).
geo_test_pages = pytest.mark.urls("komar.geo.tests.urls")


@pytest.fixture
def signed_in(page: Page, live_server, django_user_model) -> str:
    load_small_gazetteer()
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="picker"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return live_server.url


@geo_test_pages
def test_cascade_fills_the_code(page: Page, signed_in: str) -> None:
    # Given an empty picker
    page.goto(f"{signed_in}/picker-page/")
    # When the user picks province, district, commune and village
    page.select_option("#id_village__province", "01")
    expect(page.locator("#id_village__district option")).to_have_count(2)
    page.select_option("#id_village__district", "0102")
    expect(page.locator("#id_village__commune option")).to_have_count(2)
    page.select_option("#id_village__commune", "010201")
    expect(page.locator("#id_village__village option")).to_have_count(3)
    expect(page.locator("#id_village__village")).to_contain_text("ភ្នំ / Phnum")
    page.select_option("#id_village__village", "01020102")
    # Then the code input holds the village code, and the form saves it
    expect(page.locator("#id_village")).to_have_value("01020102")
    page.click("#save")
    expect(page.locator("#saved")).to_have_text("01020102")


@geo_test_pages
def test_changing_a_higher_level_clears_the_lower_ones(page: Page, signed_in: str) -> None:
    page.goto(f"{signed_in}/picker-page/?initial=01020101")
    expect(page.locator("#id_village__village")).to_have_value("01020101")
    expect(page.locator("#id_village")).to_have_value("01020101")
    page.select_option("#id_village__province", "12")
    expect(page.locator("#id_village__district option")).to_have_count(2)
    expect(page.locator("#id_village__commune option")).to_have_count(1)
    expect(page.locator("#id_village__village option")).to_have_count(1)
    expect(page.locator("#id_village")).to_have_value("")


@geo_test_pages
def test_typing_a_code_preselects_the_lists(page: Page, signed_in: str) -> None:
    page.goto(f"{signed_in}/picker-page/")
    page.fill("#id_village", "១២០១០១០១")  # Khmer digits
    page.locator("#id_village").blur()
    expect(page.locator("#id_village__province")).to_have_value("12")
    expect(page.locator("#id_village__district")).to_have_value("1201")
    expect(page.locator("#id_village__commune")).to_have_value("120101")
    expect(page.locator("#id_village__village")).to_have_value("12010101")
    expect(page.locator("#id_village")).to_have_value("12010101")
    # The lists still cascade after being replaced.
    page.select_option("#id_village__province", "01")
    expect(page.locator("#id_village__district option")).to_have_count(2)
    expect(page.locator("#id_village")).to_have_value("")


@geo_test_pages
def test_unknown_typed_code_is_refused(page: Page, signed_in: str) -> None:
    page.goto(f"{signed_in}/picker-page/")
    page.fill("#id_village", "99999999")
    page.click("#save")
    expect(page.locator("body")).to_contain_text("Unknown village code.")
    expect(page.locator("#id_village")).to_have_value("99999999")


@geo_test_pages
def test_place_search_in_one_of_two_pickers(page: Page, signed_in: str) -> None:
    # Given the two pickers of the screening form, prefixed "screening-"
    page.goto(f"{signed_in}/two-pickers/")
    recruitment = "#id_screening-recruitment_village_code"
    exploitation = "#id_screening-exploitation_village_code"
    # When the user finds a village by name in the first and clicks it
    page.fill(f"{recruitment}__search", "ou thum")
    page.click(f"{recruitment}__hits button[data-code='01020101']")
    # Then its four lists and its code are filled, and its hits are gone
    expect(page.locator(f"{recruitment}__province")).to_have_value("01")
    expect(page.locator(f"{recruitment}__district")).to_have_value("0102")
    expect(page.locator(f"{recruitment}__commune")).to_have_value("010201")
    expect(page.locator(f"{recruitment}__village")).to_have_value("01020101")
    expect(page.locator(recruitment)).to_have_value("01020101")
    expect(page.locator(f"{recruitment}__hits button")).to_have_count(0)
    # And the other picker is untouched
    expect(page.locator(f"{exploitation}__province")).to_have_value("")
    expect(page.locator(exploitation)).to_have_value("")
    # When the user finds a province in Khmer in the second picker
    page.fill(f"{exploitation}__search", "ភ្នំពេញ")
    hit = page.locator(f"{exploitation}__hits button[data-code='12']")
    expect(hit).to_contain_text("ភ្នំពេញ / Phnom Penh")
    hit.click()
    # Then its districts are listed, to choose from, and the first picker keeps its village
    expect(page.locator(f"{exploitation}__province")).to_have_value("12")
    expect(page.locator(f"{exploitation}__district option")).to_have_count(2)
    expect(page.locator(f"{exploitation}__commune option")).to_have_count(1)
    expect(page.locator(recruitment)).to_have_value("01020101")
    # And a search that finds nothing says so
    page.fill(f"{exploitation}__search", "Zzyzx")
    expect(page.locator(f"{exploitation}__hits")).to_contain_text("No place found.")
    # And the search boxes do not stop the form from saving
    page.click("#save")
    expect(page.locator("#saved")).to_have_text("01020101|")


@pytest.mark.parametrize("lang", ["en", "km"])
def test_place_search_on_the_registration_form(page: Page, live_server, world, lang: str) -> None:
    gazetteer_load()  # the whole gazetteer: Poipet is not in the small one
    # Given a case worker on the registration form, in English or Khmer
    sign_in(page, live_server.url, "case_worker", lang)
    page.goto(f"{live_server.url}/children/register/")
    search = page.locator("#id_village_code__search")
    placeholder = "Find a place: its name in Khmer or Latin script, or its code"
    if lang == "km":
        assert t("km", placeholder) != placeholder
    expect(search).to_have_attribute("placeholder", t(lang, placeholder))
    # When they type an everyday spelling of the town
    search.fill("Poipet")
    hit = page.locator("#id_village_code__hits button[data-code='0110']")
    # Then the town is listed in both scripts, with its type and province
    expect(hit).to_contain_text("ប៉ោយប៉ែត / Poipet")
    expect(hit).to_contain_text(t(lang, "Krong (municipality)"))
    expect(hit).to_contain_text("បន្ទាយមានជ័យ / Banteay Meanchey")
    # When they click it
    hit.click()
    # Then the lists are preselected down to the town, its communes are loaded, and
    # the village is left to choose
    expect(page.locator("#id_village_code__province")).to_have_value("01")
    expect(page.locator("#id_village_code__district")).to_have_value("0110")
    expect(page.locator("#id_village_code__commune option[value='011002']")).to_have_count(1)
    expect(page.locator("#id_village_code__village option")).to_have_count(1)
    expect(page.locator("#id_village_code")).to_have_value("")
    expect(page.locator("#id_village_code__hits button")).to_have_count(0)
    # When they choose the commune and a village
    village = Village.objects.filter(commune_id="011002").order_by("code").first()
    assert village is not None
    page.select_option("#id_village_code__commune", "011002")
    option = page.locator(f"#id_village_code__village option[value='{village.code}']")
    expect(option).to_have_count(1)
    page.select_option("#id_village_code__village", village.code)
    # Then the code input holds the village's code
    expect(page.locator("#id_village_code")).to_have_value(village.code)
