"""A place known only at district level, in a real browser (issue 6): a case worker
records a screening whose place of exploitation is the town of Poipet and sees it on
the case page, in English and Khmer, on a desktop and at 375 px."""

import os

import pytest
from playwright.sync_api import Page, expect

from komar.accounts.roles import Role
from komar.cases.tests.factories import CaseFactory
from komar.cases.tests.test_browser_journey import sign_in
from komar.children.tests.factories import ChildFactory
from komar.geo.models import District, DistrictType
from komar.geo.services import search_keys

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KOMAR_SHOTS", "")  # a folder to save screenshots in, when set
LABELS = {
    "en": ("Poipet, Banteay Meanchey", "District"),
    "km": ("ក្រុងប៉ោយប៉ែត, ខេត្តបន្ទាយមានជ័យ", "ស្រុក/ក្រុង/ខណ្ឌ"),
}


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("lang", ["en", "km"])
def test_a_screening_keeps_a_place_known_at_district_level(
    page: Page, live_server, world, lang: str, width: int
) -> None:
    # Given a case of the case worker, and the town of Poipet in the gazetteer
    key_km, key_latin = search_keys(name_km="ប៉ោយប៉ែត", name_latin="Poipet")
    District.objects.create(
        code="0110",
        province_id="01",
        name_km="ប៉ោយប៉ែត",
        name_latin="Poipet",
        unit_type=DistrictType.KRONG,
        search_key_km=key_km,
        search_key_latin=key_latin,
    )
    worker = world.user(Role.CASE_WORKER)
    case = CaseFactory(actor=worker, child=ChildFactory(actor=worker))
    sign_in(page, live_server.url, worker.username, lang)
    page.set_viewport_size({"width": width, "height": 900})

    # When they record a new screening and find the place of exploitation by name
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#new-screening")
    page.click("#screening-fields details > summary")
    place = "#id_screening-exploitation_place_code"
    page.fill(f"{place}__search", "Poipet")
    hit = page.locator(f"{place}__hits .geo-picker-hit[data-code='0110']")
    expect(hit).to_be_visible()
    expect(page.locator(f"{place}__hits .geo-picker-count")).to_be_visible()
    hit.click()

    # Then the picker stops at the district: its code is the place's
    expect(page.locator(place)).to_have_value("0110")
    expect(page.locator(f"{place}__district")).to_have_value("0110")
    if SHOTS:
        page.locator("#screening-exploitation-place").screenshot(
            path=f"{SHOTS}/picker-{lang}-{width}.png"
        )
    page.click("#save-screening")

    # And the case page shows the town with its level and province, in the language
    label, level = LABELS[lang]
    shown = page.locator("#screening-exploitation-place")
    expect(shown.locator(".komar-place")).to_have_text(label)
    expect(shown.locator(".komar-place-level")).to_have_text(level)
    # Nothing on the row is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/case-{lang}-{width}.png", full_page=True)
    assert case.screenings.first().exploitation_place_code == "0110"
