"""The village picker in a real browser: the HTMX cascade and the typed-code fallback."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from komar.geo.tests.fixtures import load_small_gazetteer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("komar.geo.tests.urls"),
]


@pytest.fixture
def signed_in(page: Page, live_server, django_user_model) -> str:
    load_small_gazetteer()
    client = Client()
    client.force_login(django_user_model.objects.create_user(username="picker"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return live_server.url


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


def test_changing_a_higher_level_clears_the_lower_ones(page: Page, signed_in: str) -> None:
    page.goto(f"{signed_in}/picker-page/?initial=01020101")
    expect(page.locator("#id_village__village")).to_have_value("01020101")
    expect(page.locator("#id_village")).to_have_value("01020101")
    page.select_option("#id_village__province", "12")
    expect(page.locator("#id_village__district option")).to_have_count(2)
    expect(page.locator("#id_village__commune option")).to_have_count(1)
    expect(page.locator("#id_village__village option")).to_have_count(1)
    expect(page.locator("#id_village")).to_have_value("")


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


def test_unknown_typed_code_is_refused(page: Page, signed_in: str) -> None:
    page.goto(f"{signed_in}/picker-page/")
    page.fill("#id_village", "99999999")
    page.click("#save")
    expect(page.locator("body")).to_contain_text("Unknown village code.")
    expect(page.locator("#id_village")).to_have_value("99999999")
